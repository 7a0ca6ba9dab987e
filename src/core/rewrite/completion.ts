// The completion check of DESIGN.md §2: everything left in a file that says a session's source is not
// clean yet. Textual on purpose (a marker in a string still counts), but markup that belongs to another
// live session's block is not blamed on this one.
import { LineIndex } from '../markers/lineIndex';
import { isValidSessionId } from '../markers/markerComments';
import { scanText } from '../markers/scan';
import type { Language } from '../markers/types';

export interface Finding {
  /** The text found, e.g. `impeccable-variants-start 1a2b3c4d` or `data-p-tone`. */
  marker: string;
  line: number;
  offset: number;
  /** The line it is on, trimmed (shortened around the match when long). */
  excerpt: string;
  why: string;
}

export interface CompletionOptions {
  path?: string;
  language?: Language;
  /** Knob ids the session used (from the journal); knobs still declared in the file are added. */
  knobIds?: readonly string[];
}

const MARKER_WHY: Readonly<Record<string, string>> = {
  'variants-start': 'variant block marker left in source',
  'variants-end': 'variant block marker left in source',
  'carbonize-start': 'carbonize block not rewritten into permanent form',
  'carbonize-end': 'carbonize block not rewritten into permanent form',
  'param-values': 'param-values comment not baked in and removed',
};
const ID_ATTRS = new Set(['data-impeccable-variants', 'data-impeccable-css', 'data-impeccable-carbonize']);
const EXCERPT_MAX = 160;

function isIdChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

function excerpt(text: string, offset: number): string {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  let le = text.indexOf('\n', offset);
  if (le === -1) le = text.length;
  const line = text.slice(ls, le).replace(/\r$/, '');
  const trimmed = line.trim();
  if (trimmed.length <= EXCERPT_MAX) return trimmed;
  const from = Math.max(0, Math.min(offset - ls - 40, line.length - EXCERPT_MAX));
  const window = line.slice(from, from + EXCERPT_MAX).trim();
  return `${from > 0 ? '…' : ''}${window}${from + EXCERPT_MAX < line.length ? '…' : ''}`;
}

/** Every occurrence of `needle` that is not followed by another id character. */
function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  let i = text.indexOf(needle);
  while (i !== -1) {
    if (!isIdChar(text.charCodeAt(i + needle.length))) out.push(i);
    i = text.indexOf(needle, i + needle.length);
  }
  return out;
}

/** The attribute value after `name` at `pos` (quoted or `{"…"}`), or null. */
function attrValueAfter(text: string, pos: number): string | null {
  let i = pos;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 61) return null;
  i++;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) === 123) i++;
  const q = text.charAt(i);
  if (q !== '"' && q !== "'") return null;
  const close = text.indexOf(q, i + 1);
  return close === -1 || close - i > 200 ? null : text.slice(i + 1, close);
}

/** A membership test for a set of ranges: sorted and merged once, then a binary search per offset. */
function coveredBy(ranges: readonly { start: number; end: number }[]): (offset: number) => boolean {
  const merged: { start: number; end: number }[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return (offset) => {
    let lo = 0;
    let hi = merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offset < merged[mid].start) hi = mid - 1;
      else if (offset >= merged[mid].end) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

export function completionFindings(text: string, sessionId: string, opts: CompletionOptions = {}): Finding[] {
  if (!isValidSessionId(sessionId) || (!text.includes('impeccable') && !text.includes('-p-'))) return [];
  const idx = new LineIndex(text);
  const findings: Finding[] = [];
  const add = (offset: number, marker: string, why: string) =>
    findings.push({ marker, line: idx.lineAt(offset), offset, excerpt: excerpt(text, offset), why });

  const scan = scanText(text, { path: opts.path, language: opts.language });
  const others = [
    ...scan.blocks.filter((b) => b.sessionId !== sessionId).map((b) => b.range),
    ...scan.carbonize.filter((c) => c.sessionId !== sessionId).map((c) => c.range),
  ];
  const ownedByOther = coveredBy(others);

  for (const kind of Object.keys(MARKER_WHY)) {
    const re = `impeccable-${kind}`;
    let i = text.indexOf(re);
    while (i !== -1) {
      let j = i + re.length;
      while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
      if (
        j > i + re.length &&
        text.startsWith(sessionId, j) &&
        !isIdChar(text.charCodeAt(j + sessionId.length))
      ) {
        add(i, `${re} ${sessionId}`, MARKER_WHY[kind]);
      }
      i = text.indexOf(re, i + re.length);
    }
  }

  for (let i = text.indexOf('data-impeccable-'); i !== -1; i = text.indexOf('data-impeccable-', i + 16)) {
    let j = i + 16;
    while (isIdChar(text.charCodeAt(j))) j++;
    const name = text.slice(i, j);
    if (j === i + 16 || isIdChar(text.charCodeAt(i - 1))) continue;
    if (ID_ATTRS.has(name)) {
      if (attrValueAfter(text, j) === sessionId)
        add(i, `${name}="${sessionId}"`, 'live-mode attribute of this session left on markup');
    } else if (!ownedByOther(i)) {
      add(i, name, 'live-mode attribute left on markup (not inside another live session)');
    }
  }

  const knobIds = new Set(opts.knobIds ?? []);
  for (const b of scan.blocks)
    if (b.sessionId === sessionId) for (const v of b.variants) for (const k of v.knobs) knobIds.add(k.id);
  for (const pv of scan.paramValues)
    if (pv.sessionId === sessionId) for (const k of Object.keys(pv.values ?? {})) knobIds.add(k);
  for (const k of knobIds) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(k)) continue;
    for (const i of occurrences(text, `data-p-${k}`)) {
      if (!ownedByOther(i) && !isIdChar(text.charCodeAt(i - 1)))
        add(i, `data-p-${k}`, 'preview parameter attribute left on markup');
    }
    for (const i of occurrences(text, `--p-${k}`)) {
      if (ownedByOther(i)) continue;
      let b = i;
      while (b > 0 && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
      if (text.slice(Math.max(0, b - 4), b) === 'var(')
        add(i, `var(--p-${k})`, 'preview parameter variable still used');
      else if (/^\s*["']?\s*:/.test(text.slice(i + 4 + k.length, i + 12 + k.length)))
        add(i, `--p-${k}`, 'preview parameter variable still set');
    }
  }
  findings.sort((a, b) => a.offset - b.offset);
  return findings;
}
