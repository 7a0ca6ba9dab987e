// Offset ↔ line arithmetic for one text. Built once per scan that found markers; files without markers
// never pay for it.
import type { TextRange } from './types';

export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line containing `offset` (an offset at a line's `\n` belongs to that line). */
  lineAt(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }

  range(start: number, end: number): TextRange {
    // The last line of a range is the line of its last character, not of the offset past it.
    return { start, end, startLine: this.lineAt(start), endLine: this.lineAt(Math.max(start, end - 1)) };
  }
}

/** Start of the line containing `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line break (`\r\n` or `\n`) ending the line containing `offset`, or text.length. */
export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text.charCodeAt(nl - 1) === 13 && nl - 1 >= offset ? nl - 1 : nl;
}

/** Offset just past the line break at `lineEnd` (as returned by lineEndOf). */
export function afterLineBreak(text: string, lineEnd: number): number {
  if (text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10) return lineEnd + 2;
  if (text.charCodeAt(lineEnd) === 10) return lineEnd + 1;
  return lineEnd;
}

export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 12) return false;
  }
  return true;
}

/** Leading spaces and tabs of the line that starts at `lineStart`. */
export function indentAt(text: string, lineStart: number): string {
  let i = lineStart;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return text.slice(lineStart, i);
}

/**
 * A range widened to whole lines: from the start of its first line to past the line break of its
 * last line (or the end of the text).
 */
export function wholeLines(text: string, start: number, end: number): { start: number; end: number } {
  const s = lineStartOf(text, start);
  if (end > start && text.charCodeAt(end - 1) === 10) return { start: s, end };
  return { start: s, end: afterLineBreak(text, lineEndOf(text, end)) };
}
