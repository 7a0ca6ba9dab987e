// Makes an agent's log text safe to show in the VS Code view, the browser and a terminal (docs/agents.md
// "Log lines"). ANSI/VT escape sequences (colours, cursor moves, OSC titles and hyperlinks) are stripped:
// they are presentation, not content. Every other control character stays visible as a placeholder, so a
// line never hides or rewrites what is around it: C0 → its Unicode control picture (NUL → ␀, ESC → ␛), DEL →
// ␡, C1 and bidi overrides/isolates and lone surrogates → U+FFFD. Tab is kept. One linear pass.
import { isBidiControl } from './ids';

const ESC = 0x1b;
const BEL = 0x07;
const CSI_C1 = 0x9b;
/** How far an OSC/DCS string is looked for its terminator before the ESC counts as stray. */
const MAX_STRING_SEQUENCE = 2048;
const NEEDS_WORK = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/** Splits text into lines at `\n`, `\r\n` and a lone `\r`; one trailing line break does not add a line. */
export function splitLogText(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The mark that ends a line cut at `maxChars`; `total` is the original line's length. */
export function truncationMark(total: number): string {
  return ` …[truncated: ${total} chars]`;
}

/**
 * One log line, neutralised and capped: at most `maxChars` characters of content, then the truncation mark
 * when anything was cut. Never splits a surrogate pair.
 */
export function sanitizeLogLine(raw: string, maxChars: number): string {
  if (raw.length <= maxChars && !NEEDS_WORK.test(raw)) return raw;
  const n = raw.length;
  let out = '';
  let clean = 0; // start of the run of characters copied unchanged
  let i = 0;
  // Position from which no string terminator exists (so a second stray OSC does not rescan the tail).
  let noTerminatorFrom = n + 1;
  while (i < n && out.length + (i - clean) <= maxChars) {
    const c = raw.charCodeAt(i);
    let replacement: string;
    let next = i + 1;
    if (
      c === 0x09 ||
      (c >= 0x20 && c < 0x7f) ||
      (c > 0x9f && c < 0xd800 && !isBidiControl(c)) ||
      c > 0xdfff
    ) {
      i++;
      continue;
    }
    if (c === ESC || c === CSI_C1) {
      const end = escapeEnd(raw, i, noTerminatorFrom);
      if (end.noTerminatorFrom !== undefined) noTerminatorFrom = end.noTerminatorFrom;
      if (end.next > 0) {
        replacement = '';
        next = end.next;
      } else {
        replacement = c === ESC ? '\u241b' : '\ufffd';
      }
    } else if (c < 0x20) {
      replacement = String.fromCharCode(0x2400 + c);
    } else if (c === 0x7f) {
      replacement = '\u2421';
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const low = i + 1 < n ? raw.charCodeAt(i + 1) : 0;
      if (low >= 0xdc00 && low <= 0xdfff) {
        i += 2;
        continue;
      }
      replacement = '\ufffd';
    } else {
      // C1 controls, bidi controls and lone low surrogates.
      replacement = '\ufffd';
    }
    if (i > clean) out += raw.slice(clean, i);
    out += replacement;
    i = next;
    clean = next;
  }
  if (i > clean) out += raw.slice(clean, i);
  if (out.length <= maxChars) return out;
  let cut = maxChars;
  const last = out.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return out.slice(0, cut) + truncationMark(n);
}

interface EscapeEnd {
  /** Index just past the sequence, or -1 when it is malformed or unterminated (the ESC is then shown). */
  next: number;
  noTerminatorFrom?: number;
}

/** Where the escape sequence starting at `i` (ESC or C1 CSI) ends. */
function escapeEnd(s: string, i: number, noTerminatorFrom: number): EscapeEnd {
  if (s.charCodeAt(i) === CSI_C1) return { next: csiEnd(s, i + 1) };
  if (i + 1 >= s.length) return { next: -1 };
  const c = s.charCodeAt(i + 1);
  if (c === 0x5b) return { next: csiEnd(s, i + 2) }; // ESC [
  // OSC (ESC ]), DCS (ESC P), SOS (ESC X), PM (ESC ^), APC (ESC _): a string ended by BEL or ESC \.
  if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) {
    return stringEnd(s, i + 2, noTerminatorFrom);
  }
  let j = i + 1;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x7e) return { next: j + 1 };
  return { next: -1 };
}

/** CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E. */
function csiEnd(s: string, start: number): number {
  let j = start;
  while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f) j++;
  while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
  if (j < s.length && s.charCodeAt(j) >= 0x40 && s.charCodeAt(j) <= 0x7e) return j + 1;
  return -1;
}

function stringEnd(s: string, start: number, noTerminatorFrom: number): EscapeEnd {
  if (start >= noTerminatorFrom) return { next: -1 };
  const limit = Math.min(s.length, start + MAX_STRING_SEQUENCE);
  for (let j = start; j < limit; j++) {
    const c = s.charCodeAt(j);
    if (c === BEL || c === 0x9c) return { next: j + 1 };
    if (c === ESC && s.charCodeAt(j + 1) === 0x5c) return { next: j + 2 };
  }
  return limit === s.length ? { next: -1, noTerminatorFrom: start } : { next: -1 };
}
