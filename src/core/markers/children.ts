// The top-level nodes of a region of markup (a wrapper's children): comments, elements with their
// extent, and anything else. One forward pass; each element's extent is found once.
import { skipBraces } from './jsBraces';
import { commentEnd, type ElementExtent, findElementEnd, readTag, type TagToken } from './markupTokens';
import type { Language } from './types';

export type ChildNode =
  | { kind: 'comment'; start: number; end: number }
  /** `extent` is null when the element is not closed inside the region. */
  | { kind: 'element'; start: number; end: number; tag: TagToken; extent: ElementExtent | null }
  | { kind: 'other'; start: number; end: number };

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

/** Walks `[from, to)`; stops after an unclosed element or comment, since nothing after it can be trusted. */
export function childNodes(text: string, from: number, to: number, language: Language): ChildNode[] {
  const nodes: ChildNode[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const comment = commentEnd(text, i, to, language.braceExpressions || text.startsWith('{/*', i));
    if (comment !== null) {
      if (comment === -1) {
        nodes.push({ kind: 'other', start: i, end: to });
        return nodes;
      }
      nodes.push({ kind: 'comment', start: i, end: comment });
      i = comment;
      continue;
    }
    if (c === 60) {
      const tag = readTag(text, i, to);
      if (tag !== null) {
        const extent = findElementEnd(text, tag, language, to);
        nodes.push({ kind: 'element', start: i, end: extent === null ? to : extent.end, tag, extent });
        if (extent === null) return nodes;
        i = extent.end;
        continue;
      }
    }
    if (c === 123 && language.braceExpressions) {
      const end = skipBraces(text, i, to);
      nodes.push({ kind: 'other', start: i, end: end === -1 ? to : end });
      if (end === -1) return nodes;
      i = end;
      continue;
    }
    // Text or a stray close tag: up to the next thing that could start a node.
    let j = i + 1;
    while (j < to) {
      const d = text.charCodeAt(j);
      if (d === 60 || (d === 123 && language.braceExpressions)) break;
      j++;
    }
    let end = j;
    while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
    nodes.push({ kind: 'other', start: i, end });
    i = j;
  }
  return nodes;
}
