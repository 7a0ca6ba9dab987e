// Wrap: put the variant scaffold of DESIGN.md §2 around the picked element (replace mode) or beside it
// (insert mode). The element's bytes go inside the original div moved two indentation levels deeper by
// a transform that discard inverts exactly, so nothing has to be remembered outside the source.
import { LiveVariantsError } from '../errors';
import { generatedVerdict } from '../markers/generated';
import { type ExtraExtensions, languageForPath } from '../markers/language';
import { afterLineBreak, indentAt, LineIndex, lineEndOf, lineStartOf } from '../markers/lineIndex';
import { isValidSessionId } from '../markers/markerComments';
import { problemsForSession, resolveLanguage, scanText } from '../markers/scan';
import type { Flavour, Language, ScanResult, TextRange, VariantBlock } from '../markers/types';
import { type ElementContext, type FindResult, findElement } from './findElement';
import { detectEol, detectIndentUnit, rebaseElement } from './indent';
import type { TextEdit } from './textEdit';

export const MAX_VARIANT_COUNT = 20;

export interface WrapOptions {
  /** Decides the comment syntax (`.jsx`/`.tsx` → JSX layout). */
  path: string;
  sessionId: string;
  count: number;
  element: ElementContext;
  mode?: 'replace' | 'insert';
  /** Insert mode: the new block goes on its own lines before or after the anchor element's lines. */
  position?: 'before' | 'after';
  /** 1-based line that disambiguates between several matching elements. */
  line?: number;
  extraExts?: ExtraExtensions;
  language?: Language;
  /** The caller's verdict that git ignores the file. */
  generated?: boolean;
}

export interface WrapResult {
  status: 'applied' | 'alreadyApplied';
  /** Null when already applied. */
  edit: TextEdit | null;
  mode: 'replace' | 'insert';
  /** 1-based, inclusive: the whole block in the text after the edit. */
  wrappedLines: [number, number];
  /** 1-based line that new variant lines are inserted before (in the text after the edit). */
  variantsLine: number;
  /** Offset where variant markup goes (in the text after the edit). */
  variantsOffset: number;
  /** Indentation for the variant divs. */
  variantIndent: string;
  /** 1-based, inclusive: the picked element in the text before the edit (null when already applied). */
  elementLines: [number, number] | null;
  commentSyntax: { open: string; close: string };
}

function commentSyntax(flavour: Flavour): { open: string; close: string } {
  return flavour === 'jsx' ? { open: '{/*', close: '*/}' } : { open: '<!--', close: '-->' };
}

export function checkWrapOptions(opts: WrapOptions): void {
  if (typeof opts.sessionId !== 'string' || !isValidSessionId(opts.sessionId)) {
    throw new LiveVariantsError(
      'invalid_input',
      'sessionId must be 1–64 letters, digits, "_" or "-"',
      'sessionId',
    );
  }
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_VARIANT_COUNT) {
    throw new LiveVariantsError(
      'invalid_input',
      `count must be an integer from 1 to ${MAX_VARIANT_COUNT}`,
      'count',
    );
  }
  if (opts.mode !== undefined && opts.mode !== 'replace' && opts.mode !== 'insert') {
    throw new LiveVariantsError('invalid_input', 'mode must be "replace" or "insert"', 'mode');
  }
  if (opts.position !== undefined && opts.position !== 'before' && opts.position !== 'after') {
    throw new LiveVariantsError('invalid_input', 'position must be "before" or "after"', 'position');
  }
  const e = opts.element;
  if (
    e === null ||
    typeof e !== 'object' ||
    (!e.id?.trim() && !e.classes?.length && !(e.tag?.trim() && e.text?.trim()))
  ) {
    throw new LiveVariantsError(
      'invalid_input',
      'element needs an id, classes, or a tag with text',
      'element',
    );
  }
}

function existingResult(block: VariantBlock, text: string): WrapResult {
  const indent = indentAt(text, lineStartOf(text, block.range.start));
  return {
    status: 'alreadyApplied',
    edit: null,
    mode: block.mode,
    wrappedLines: [block.range.startLine, block.range.endLine],
    variantsLine: block.variantsLine,
    variantsOffset: block.variantsOffset,
    variantIndent: indent + detectIndentUnit(text),
    elementLines: null,
    commentSyntax: commentSyntax(block.flavour),
  };
}

/** The scaffold's lines; `original` holds the element's re-based text (null in insert mode). */
function scaffold(
  flavour: Flavour,
  id: string,
  count: number,
  I: string,
  u: string,
  original: string | null,
): string[] {
  const c = commentSyntax(flavour);
  const comment = (s: string) => `${c.open} ${s} ${c.close}`;
  const style = flavour === 'jsx' ? 'style={{ display: "contents" }}' : 'style="display: contents"';
  const modeAttr = original === null ? ' data-impeccable-mode="insert"' : '';
  const wrapper = `<div data-impeccable-variants="${id}"${modeAttr} data-impeccable-variant-count="${count}" ${style}>`;
  const inner: string[] = [];
  if (original !== null) {
    inner.push(
      `${I}${u}${comment('Original')}`,
      `${I}${u}<div data-impeccable-variant="original">`,
      `${I}${u}${u}${original}`,
      `${I}${u}</div>`,
    );
  }
  inner.push(`${I}${u}${comment('Variants: insert below this line')}`);
  if (flavour === 'jsx') {
    return [
      wrapper,
      `${I}${u}${comment(`impeccable-variants-start ${id}`)}`,
      ...inner,
      `${I}${u}${comment(`impeccable-variants-end ${id}`)}`,
      `${I}</div>`,
    ];
  }
  return [
    comment(`impeccable-variants-start ${id}`),
    `${I}${wrapper}`,
    ...inner,
    `${I}</div>`,
    `${I}${comment(`impeccable-variants-end ${id}`)}`,
  ];
}

/**
 * The edit that writes the scaffold: replace mode swaps the element's exact range for the scaffold (its
 * first line starts where the element did); insert mode adds whole lines before or after the anchor's.
 */
function scaffoldEdit(
  text: string,
  el: { start: number; end: number },
  opts: WrapOptions & { mode: 'replace' | 'insert' },
  flavour: Flavour,
  I: string,
  u: string,
): TextEdit {
  const eol = detectEol(text);
  if (opts.mode === 'replace') {
    const original = rebaseElement(text.slice(el.start, el.end), I, I + u + u);
    return {
      start: el.start,
      end: el.end,
      newText: scaffold(flavour, opts.sessionId, opts.count, I, u, original).join(eol),
    };
  }
  const lines = I + scaffold(flavour, opts.sessionId, opts.count, I, u, null).join(eol);
  if ((opts.position ?? 'after') === 'before') {
    const at = lineStartOf(text, el.start);
    return { start: at, end: at, newText: lines + eol };
  }
  const le = lineEndOf(text, el.end);
  const after = afterLineBreak(text, le);
  // At the end of a file without a line break, the break goes before the block instead.
  return after > le
    ? { start: after, end: after, newText: lines + eol }
    : { start: le, end: le, newText: eol + lines };
}

/** Ranges of existing variant and carbonize blocks: never a place to pick an element from. */
export function blockRanges(scan: ScanResult): TextRange[] {
  return [...scan.blocks.map((b) => b.range), ...scan.carbonize.map((c) => c.range)];
}

/** Candidates for the picked element in one file, outside existing blocks. */
export function wrapCandidates(
  text: string,
  language: Language,
  element: ElementContext,
  line?: number,
): FindResult {
  return findElement(text, language, element, blockRanges(scanText(text, { language })), line);
}

export function wrapElement(text: string, opts: WrapOptions): WrapResult {
  checkWrapOptions(opts);
  const mode = opts.mode ?? 'replace';
  const language =
    opts.language ?? languageForPath(opts.path, opts.extraExts) ?? resolveLanguage({ path: opts.path });
  const verdict = generatedVerdict(text, opts.generated);
  if (verdict.generated) {
    throw new LiveVariantsError(
      'file_is_generated',
      `${opts.path} is generated (${verdict.reason}); wrap the element in its true source`,
      'path',
      { file: opts.path },
    );
  }
  const scan = scanText(text, { language, generated: false });
  const id = opts.sessionId;
  const errors = problemsForSession(scan, id).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new LiveVariantsError(
      'malformed_markers',
      `session ${id} already has malformed markers in ${opts.path}: ${errors[0].message}`,
      'sessionId',
      { problems: errors },
    );
  }
  const existing = scan.blocks.find((b) => b.sessionId === id);
  if (existing !== undefined) {
    if (existing.mode !== mode) {
      throw new LiveVariantsError(
        'conflicting_operation',
        `session ${id} is already wrapped in ${existing.mode} mode`,
        'mode',
      );
    }
    return existingResult(existing, text);
  }
  if (scan.carbonize.some((c) => c.sessionId === id)) {
    throw new LiveVariantsError(
      'conflicting_operation',
      `session ${id} was already accepted in ${opts.path}`,
      'sessionId',
    );
  }

  const found = findElement(text, language, opts.element, blockRanges(scan), opts.line);
  if (found.candidates.length === 0) {
    const why = found.unclosed > 0 ? ' (a matching tag has no closing tag)' : '';
    throw new LiveVariantsError(
      'element_not_found',
      `no element in ${opts.path} matches the picked element${why}`,
      'element',
      { file: opts.path },
    );
  }
  if (found.candidates.length > 1) {
    throw new LiveVariantsError(
      'element_ambiguous',
      `${found.candidates.length} elements in ${opts.path} match the picked element; pass a line or a more specific element`,
      'element',
      {
        file: opts.path,
        candidates: found.candidates.map((c) => ({ startLine: c.startLine, endLine: c.endLine, tag: c.tag })),
      },
    );
  }
  const el = found.candidates[0];
  const u = detectIndentUnit(text);
  const I = indentAt(text, lineStartOf(text, el.start));
  const edit = scaffoldEdit(text, el, { ...opts, mode }, language.flavour, I, u);
  const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  const rescanned = scanText(after, { language }).blocks.find((b) => b.sessionId === id);
  if (rescanned === undefined) {
    // Cannot happen for a well-formed scaffold; refuse rather than write something we cannot read back.
    throw new LiveVariantsError(
      'malformed_markers',
      `the wrapper written around line ${el.startLine} of ${opts.path} did not read back`,
      'element',
    );
  }
  const idx = new LineIndex(after);
  return {
    status: 'applied',
    edit,
    mode,
    wrappedLines: [rescanned.range.startLine, idx.lineAt(rescanned.range.end - 1)],
    variantsLine: rescanned.variantsLine,
    variantsOffset: rescanned.variantsOffset,
    variantIndent: I + u,
    elementLines: [el.startLine, el.endLine],
    commentSyntax: commentSyntax(language.flavour),
  };
}
