// Finds the marker comments (`<!-- impeccable-variants-start ID -->`, `{/* … */}` in JSX) by jumping
// from one `impeccable-` occurrence to the next. A marker must sit alone inside its comment; the same
// words in a string or in prose are not markers.
import type { ParamValue } from './types';

export type MarkerKind =
  | 'variants-start'
  | 'variants-end'
  | 'carbonize-start'
  | 'carbonize-end'
  | 'param-values';

export interface MarkerComment {
  kind: MarkerKind;
  sessionId: string;
  /** The whole comment, from `<!--` / `{/*` to `-->` / `*\/}`. */
  start: number;
  end: number;
  syntax: 'html' | 'jsx';
  /** param-values only: the text after `ID:`. */
  payload: string;
}

export interface InvalidMarker {
  kind: MarkerKind;
  offset: number;
  rawId: string;
}

const KINDS: readonly MarkerKind[] = [
  'variants-start',
  'variants-end',
  'carbonize-start',
  'carbonize-end',
  'param-values',
];
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_MARKER_LENGTH = 256;
const MAX_PARAM_VALUES_LENGTH = 65_536;

function isIdChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

function isInlineSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export function isValidSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}

/** The comment opener ending right before `pos` (spaces between allowed). */
function openerBefore(text: string, pos: number): { start: number; syntax: 'html' | 'jsx' } | null {
  let i = pos;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  if (i >= 4 && text.startsWith('<!--', i - 4)) return { start: i - 4, syntax: 'html' };
  if (i >= 3 && text.startsWith('{/*', i - 3)) return { start: i - 3, syntax: 'jsx' };
  return null;
}

/** Offset of the comment close at or after `from` and the offset past it, or null. */
function closeAfter(
  text: string,
  from: number,
  syntax: 'html' | 'jsx',
  maxLength: number,
): [number, number] | null {
  const limit = Math.min(text.length, from + maxLength);
  if (syntax === 'html') {
    const close = text.indexOf('-->', from);
    return close === -1 || close + 3 > limit ? null : [close, close + 3];
  }
  const close = text.indexOf('*/', from);
  if (close === -1 || close + 2 > limit) return null;
  let j = close + 2;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 125 ? [close, j + 1] : null;
}

export function findMarkerComments(text: string): { markers: MarkerComment[]; invalid: InvalidMarker[] } {
  const markers: MarkerComment[] = [];
  const invalid: InvalidMarker[] = [];
  let p = text.indexOf('impeccable-');
  while (p !== -1) {
    const next = p + 11;
    let kind: MarkerKind | null = null;
    for (const k of KINDS) {
      if (text.startsWith(k, next)) {
        kind = k;
        break;
      }
    }
    const afterKind = kind === null ? -1 : next + kind.length;
    const opener = kind === null ? null : openerBefore(text, p);
    if (kind === null || opener === null || !isInlineSpace(text.charCodeAt(afterKind))) {
      p = text.indexOf('impeccable-', next);
      continue;
    }
    let i = afterKind;
    while (isInlineSpace(text.charCodeAt(i))) i++;
    const idStart = i;
    while (i < text.length && isIdChar(text.charCodeAt(i))) i++;
    let idEnd = i;
    // `ID-->` written without a space: the `--` belongs to the comment close.
    if (opener.syntax === 'html' && idEnd - 2 >= idStart && text.startsWith('-->', idEnd - 2)) idEnd -= 2;
    const maxLength = kind === 'param-values' ? MAX_PARAM_VALUES_LENGTH : MAX_MARKER_LENGTH;
    const close = closeAfter(text, idEnd, opener.syntax, maxLength);
    if (close === null) {
      p = text.indexOf('impeccable-', next);
      continue;
    }
    const rawId = text.slice(idStart, idEnd);
    const following = text.charCodeAt(idEnd);
    const idTerminated =
      idEnd === close[0] || isSpace(following) || (kind === 'param-values' && following === 58);
    if (!idTerminated || !isValidSessionId(rawId)) {
      invalid.push({
        kind,
        offset: opener.start,
        rawId: text.slice(idStart, Math.min(close[0], idStart + 64)).trim(),
      });
      p = text.indexOf('impeccable-', close[1]);
      continue;
    }
    let payload = '';
    if (kind === 'param-values') {
      let j = idEnd;
      while (isInlineSpace(text.charCodeAt(j))) j++;
      payload = text.charCodeAt(j) === 58 ? text.slice(j + 1, close[0]).trim() : '';
    }
    markers.push({
      kind,
      sessionId: rawId,
      start: opener.start,
      end: close[1],
      syntax: opener.syntax,
      payload,
    });
    p = text.indexOf('impeccable-', close[1]);
  }
  return { markers, invalid };
}

/** Parses a param-values payload; null unless it is a JSON object of numbers, strings and booleans. */
export function parseParamValues(payload: string): Record<string, ParamValue> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      out[k] = v;
    else return null;
  }
  return out;
}

/**
 * Serialises param values for a marker comment: JSON with `<`, `>` and `/` escaped so no value can
 * close the comment early (`-->`, `*\/`); JSON.parse reads it back unchanged.
 */
export function serialiseParamValues(values: Record<string, ParamValue>): string {
  return JSON.stringify(values).replace(
    /[<>/]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
