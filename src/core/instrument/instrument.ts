// `live-variants instrument`: put the browser client's script tag into a page entry file between
// `live-variants-start/end` comments (right comment syntax per file kind), or take it out. Pure text in, text
// out; both directions are idempotent, and removal after insertion gives the file back byte for byte.
import { LiveVariantsError } from '../errors';
import { type ExtraExtensions, languageForPath } from '../markers/language';
import type { Flavour } from '../markers/types';
import { findInstrumentation, type InstrumentationSpan, markerComment } from './markers';
import { validateScriptUrl } from './scriptUrl';

export interface InstrumentOptions {
  /** The file's path (its extension decides the comment syntax). */
  path: string;
  /** `<bridge url>/live.js`, without a token. */
  scriptUrl: string;
  extraExts?: ExtraExtensions;
}

export interface InstrumentResult {
  changed: boolean;
  text: string;
  /** `inserted`: new tag; `updated`: the fenced tag was rewritten (e.g. a new port); `unchanged`: already so. */
  status: 'inserted' | 'updated' | 'unchanged';
  flavour: Flavour;
  scriptUrl: string;
}

export interface RemoveResult {
  changed: boolean;
  text: string;
  status: 'removed' | 'absent';
}

function flavourOf(path: unknown, extraExts?: ExtraExtensions): Flavour {
  if (typeof path !== 'string' || path.length === 0) {
    throw new LiveVariantsError(
      'invalid_path',
      'A file path is required to choose the comment syntax.',
      'path',
    );
  }
  const language = languageForPath(path, extraExts);
  if (language === null) {
    throw new LiveVariantsError(
      'unsupported_file',
      `${path} is not a file Live Variants can instrument; use the page's HTML entry (index.html) or a JSX/TSX ` +
        'root layout (.html .htm .vue .svelte .astro .jsx .tsx).',
      'path',
    );
  }
  return language.flavour;
}

function checkText(text: unknown): string {
  if (typeof text !== 'string')
    throw new LiveVariantsError('invalid_text', 'The file text must be a string.', 'text');
  return text;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line break that ends the line containing `offset` (or the end of the text). */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function isBlank(s: string): boolean {
  return /^[ \t]*$/.test(s);
}

/** The file's indentation unit: a tab when the line uses tabs, else its smallest space indent (2 by default). */
function indentUnit(text: string, lineIndent: string): string {
  if (lineIndent.includes('\t')) return '\t';
  let smallest = Number.POSITIVE_INFINITY;
  const lines = text.split('\n', 400);
  for (const line of lines) {
    const m = /^( +)\S/.exec(line);
    if (m && m[1].length >= 2 && m[1].length < smallest) smallest = m[1].length;
  }
  return Number.isFinite(smallest) && smallest <= 8 ? ' '.repeat(smallest) : '  ';
}

function scriptTag(url: string): string {
  return `<script src="${url}" defer></script>`;
}

/** The fenced text, one line per part when `indent` is given (whole-line layout), else inline. */
function fenced(flavour: Flavour, url: string, layout: { indent: string; eol: string } | null): string {
  const parts = [markerComment(flavour, 'start'), scriptTag(url), markerComment(flavour, 'end')];
  return layout === null ? parts.join('') : parts.join(layout.eol + layout.indent);
}

/** Where the tag goes: before the last `</body>`, else the last `</head>`. */
function insertionPoint(text: string, flavour: Flavour): number | undefined {
  const flags = flavour === 'jsx' ? 'g' : 'gi';
  for (const tag of ['body', 'head']) {
    const re = new RegExp(`</${tag}\\s*>`, flags);
    let last: number | undefined;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) last = m.index;
    if (last !== undefined) return last;
  }
  return undefined;
}

/** Whole-line layout when the markers sit alone on their lines. */
function wholeLine(text: string, span: InstrumentationSpan): boolean {
  const before = text.slice(lineStartOf(text, span.start.start), span.start.start);
  const afterEnd = lineEndAfter(text, span.end.end);
  const after = text.slice(span.end.end, afterEnd).replace(/\r?\n$/, '');
  return isBlank(before) && isBlank(after);
}

function update(text: string, span: InstrumentationSpan, flavour: Flavour, url: string): InstrumentResult {
  const layout = wholeLine(text, span)
    ? { indent: text.slice(lineStartOf(text, span.start.start), span.start.start), eol: eolOf(text) }
    : null;
  const next = fenced(flavour, url, layout);
  const current = text.slice(span.start.start, span.end.end);
  if (current === next) return { changed: false, text, status: 'unchanged', flavour, scriptUrl: url };
  const out = text.slice(0, span.start.start) + next + text.slice(span.end.end);
  return { changed: true, text: out, status: 'updated', flavour, scriptUrl: url };
}

/** Inserts (or updates) the script tag. Throws a LiveVariantsError for bad input or a file it cannot place. */
export function instrumentText(text: string, options: InstrumentOptions): InstrumentResult {
  const source = checkText(text);
  const flavour = flavourOf(options?.path, options?.extraExts);
  const url = validateScriptUrl(options.scriptUrl);
  const span = findInstrumentation(source, options.path);
  if (span) return update(source, span, flavour, url);

  const at = insertionPoint(source, flavour);
  if (at === undefined) {
    throw new LiveVariantsError(
      'no_insertion_point',
      `${options.path} has no </body> or </head> to put the script before; instrument the page's HTML entry ` +
        '(index.html) or root layout instead.',
      'path',
    );
  }
  const lineStart = lineStartOf(source, at);
  const prefix = source.slice(lineStart, at);
  let out: string;
  if (isBlank(prefix)) {
    const eol = eolOf(source);
    const indent = prefix + indentUnit(source, prefix);
    out =
      source.slice(0, lineStart) +
      indent +
      fenced(flavour, url, { indent, eol }) +
      eol +
      source.slice(lineStart);
  } else {
    out = source.slice(0, at) + fenced(flavour, url, null) + source.slice(at);
  }
  return { changed: true, text: out, status: 'inserted', flavour, scriptUrl: url };
}

/** Removes the fenced script tag (whole lines when the markers sit on their own lines). */
export function removeInstrumentation(
  text: string,
  options: { path: string; extraExts?: ExtraExtensions },
): RemoveResult {
  const source = checkText(text);
  flavourOf(options?.path, options?.extraExts);
  const span = findInstrumentation(source, options.path);
  if (!span) return { changed: false, text: source, status: 'absent' };
  const [from, to] = wholeLine(source, span)
    ? [lineStartOf(source, span.start.start), lineEndAfter(source, span.end.end)]
    : [span.start.start, span.end.end];
  return { changed: true, text: source.slice(0, from) + source.slice(to), status: 'removed' };
}

/** Whether `text` is instrumented, and with which script URL (for UI: "Instrument" vs "Remove"). */
export function instrumentationOf(
  text: string,
  path = 'the file',
): { instrumented: boolean; scriptUrl?: string } {
  const span = findInstrumentation(checkText(text), path);
  if (!span) return { instrumented: false };
  return span.scriptUrl === undefined
    ? { instrumented: true }
    : { instrumented: true, scriptUrl: span.scriptUrl };
}
