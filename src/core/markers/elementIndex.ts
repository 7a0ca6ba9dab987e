// Every start tag of a text with its matching close, found in one pass: a stack per tag name pairs each
// close with the innermost open element of that name — the same pairing findElementEnd makes for one
// element, without rescanning the text once per element.
import {
  commentEnd,
  type ElementExtent,
  isRawTextTag,
  isVoidTag,
  rawTextEnd,
  readCloseTag,
  readTag,
  type TagToken,
} from './markupTokens';
import type { Language } from './types';

export interface IndexedElement {
  tag: TagToken;
  /** Null when the element is never closed. */
  extent: ElementExtent | null;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function indexElements(text: string, language: Language): IndexedElement[] {
  const out: IndexedElement[] = [];
  const open = new Map<string, IndexedElement[]>();
  const html = language.flavour === 'html';
  const key = (name: string) => (html ? name.toLowerCase() : name);
  let i = 0;
  if (language.ext === '.astro' && text.startsWith('---')) {
    // The frontmatter fence holds TypeScript, not markup.
    const fence = text.indexOf('\n---', 3);
    if (fence !== -1) i = fence + 4;
  }
  let nextJsxComment = language.braceExpressions ? text.indexOf('{/*', i) : -1;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) break;
    if (nextJsxComment !== -1 && nextJsxComment < i) nextJsxComment = text.indexOf('{/*', i);
    if (nextJsxComment !== -1 && nextJsxComment < lt) {
      const end = commentEnd(text, nextJsxComment, text.length, true);
      if (end === -1 || end === null) break;
      i = end;
      continue;
    }
    const next = text.charCodeAt(lt + 1);
    if (next === 33) {
      const end = commentEnd(text, lt, text.length, false);
      if (end === -1) break;
      if (end !== null) i = end;
      else {
        const gt = text.indexOf('>', lt);
        if (gt === -1) break;
        i = gt + 1;
      }
      continue;
    }
    if (next === 47) {
      const close = readCloseTag(text, lt);
      if (close === null) {
        i = lt + 2;
        continue;
      }
      const stack = open.get(key(close.name));
      const el = stack?.pop();
      if (el !== undefined) el.extent = { closeStart: lt, end: close.end };
      i = close.end;
      continue;
    }
    const tag = isLetter(next) ? readTag(text, lt) : null;
    if (tag === null) {
      i = lt + 1;
      continue;
    }
    const el: IndexedElement = { tag, extent: null };
    out.push(el);
    i = tag.end;
    if (tag.selfClosing || isVoidTag(tag.name, language)) el.extent = { closeStart: tag.end, end: tag.end };
    else if (isRawTextTag(tag.name)) {
      const end = rawTextEnd(text, tag.name, tag.end, text.length);
      if (end === -1) break;
      el.extent = { closeStart: text.lastIndexOf('</', end - 1), end };
      i = end;
    } else {
      const stack = open.get(key(tag.name));
      if (stack === undefined) open.set(key(tag.name), [el]);
      else stack.push(el);
    }
  }
  return out;
}
