// The one edit shape every rewrite returns: replace [start, end) of the text with newText. VS Code
// turns it into a WorkspaceEdit (one undo step); the CLI applies it and writes the file atomically.
import { afterLineBreak, isBlank, lineEndOf, lineStartOf } from '../markers/lineIndex';

export interface TextEdit {
  /** Offset (UTF-16 index) of the first replaced character. */
  start: number;
  /** Offset just past the last replaced character. */
  end: number;
  newText: string;
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

/**
 * Replaces a block. Removing a block that sits alone on its lines removes those lines too (with one
 * line break), which is exactly what a wrap in insert mode added.
 */
export function replaceBlock(text: string, start: number, end: number, newText: string): TextEdit {
  if (newText !== '') return { start, end, newText };
  const ls = lineStartOf(text, start);
  const le = lineEndOf(text, end);
  if (!isBlank(text, ls, start) || !isBlank(text, end, le)) return { start, end, newText };
  const after = afterLineBreak(text, le);
  if (after > le) return { start: ls, end: after, newText };
  if (ls === 0) return { start: ls, end: le, newText };
  // Last line of the file without a line break: take the break before it instead.
  const prevBreak = ls >= 2 && text.charCodeAt(ls - 2) === 13 ? ls - 2 : ls - 1;
  return { start: prevBreak, end: le, newText };
}
