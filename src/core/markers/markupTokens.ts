// A small, forward-only markup reader for HTML-like and JSX text: start tags with their attributes,
// close tags, comments, raw-text elements, and the matching close of an element. Every function is a
// single pass with no backtracking regexes; bad input yields null, never an exception.
import { skipBraces } from './jsBraces';
import type { Language } from './types';

export interface Attr {
  /** Empty for `{...spread}` / `{shorthand}` attributes. */
  name: string;
  /** Raw value text without its quotes or braces; null for a bare attribute. */
  raw: string | null;
  quote: '"' | "'" | '{' | null;
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface TagToken {
  name: string;
  start: number;
  end: number;
  selfClosing: boolean;
  attrs: Attr[];
}

export interface CloseTag {
  name: string;
  start: number;
  end: number;
}

export interface ElementExtent {
  /** Offset of `</name` (equals the open tag's end for void and self-closing elements). */
  closeStart: number;
  /** Offset just past the element. */
  end: number;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['style', 'script', 'textarea']);
/** Longest start tag read (a generous bound for long class lists and knob JSON). */
export const MAX_TAG_LENGTH = 65_536;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

function isNameChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 58 || c === 36;
}

function isIdentChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** Attribute-name characters: wide enough for Vue (`:x`, `@x`, `#x`), Svelte (`on:x|once`), Angular. */
function isAttrNameChar(c: number): boolean {
  if (isSpace(c)) return false;
  // " ' < > / = { } `
  return (
    c !== 34 && c !== 39 && c !== 60 && c !== 62 && c !== 47 && c !== 61 && c !== 123 && c !== 125 && c !== 96
  );
}

export function skipSpaces(text: string, pos: number, limit: number): number {
  let i = pos;
  while (i < limit && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** `{...spread}` or `{shorthand}` in attribute position; anything else is not markup. */
function skipBraceAttr(text: string, pos: number, limit: number): number {
  let i = skipSpaces(text, pos + 1, limit);
  if (text.startsWith('...', i)) return skipBraces(text, pos, limit);
  const identStart = i;
  while (i < limit && isIdentChar(text.charCodeAt(i))) i++;
  if (i === identStart) return -1;
  i = skipSpaces(text, i, limit);
  return text.charCodeAt(i) === 125 ? i + 1 : -1;
}

/** A start tag at `pos` (which must hold `<` and a letter), or null when the text there is not one. */
export function readTag(text: string, pos: number, limit: number = text.length): TagToken | null {
  if (text.charCodeAt(pos) !== 60 || !isLetter(text.charCodeAt(pos + 1))) return null;
  const hardLimit = Math.min(limit, pos + MAX_TAG_LENGTH);
  let i = pos + 1;
  while (i < hardLimit && isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(pos + 1, i);
  const attrs: Attr[] = [];
  while (i < hardLimit) {
    const before = i;
    i = skipSpaces(text, i, hardLimit);
    if (i >= hardLimit) return null;
    const c = text.charCodeAt(i);
    if (c === 62) return { name, start: pos, end: i + 1, selfClosing: false, attrs };
    if (c === 47 && text.charCodeAt(i + 1) === 62)
      return { name, start: pos, end: i + 2, selfClosing: true, attrs };
    // Attributes must be separated from the name and from each other by whitespace (or follow a value).
    if (i === before && attrs.length === 0) return null;
    if (c === 123) {
      const end = skipBraceAttr(text, i, hardLimit);
      if (end === -1) return null;
      attrs.push({
        name: '',
        raw: text.slice(i + 1, end - 1),
        quote: '{',
        start: i,
        end,
        valueStart: i + 1,
        valueEnd: end - 1,
      });
      i = end;
      continue;
    }
    const nameStart = i;
    while (i < hardLimit && isAttrNameChar(text.charCodeAt(i))) i++;
    if (i === nameStart) return null;
    const attrName = text.slice(nameStart, i);
    const afterName = skipSpaces(text, i, hardLimit);
    if (text.charCodeAt(afterName) !== 61) {
      attrs.push({
        name: attrName,
        raw: null,
        quote: null,
        start: nameStart,
        end: i,
        valueStart: i,
        valueEnd: i,
      });
      continue;
    }
    i = skipSpaces(text, afterName + 1, hardLimit);
    const q = text.charCodeAt(i);
    if (q === 34 || q === 39) {
      const close = text.indexOf(q === 34 ? '"' : "'", i + 1);
      if (close === -1 || close >= hardLimit) return null;
      attrs.push({
        name: attrName,
        raw: text.slice(i + 1, close),
        quote: q === 34 ? '"' : "'",
        start: nameStart,
        end: close + 1,
        valueStart: i + 1,
        valueEnd: close,
      });
      i = close + 1;
    } else if (q === 123) {
      const end = skipBraces(text, i, hardLimit);
      if (end === -1) return null;
      attrs.push({
        name: attrName,
        raw: text.slice(i + 1, end - 1),
        quote: '{',
        start: nameStart,
        end,
        valueStart: i + 1,
        valueEnd: end - 1,
      });
      i = end;
    } else {
      const valueStart = i;
      while (i < hardLimit) {
        const d = text.charCodeAt(i);
        if (isSpace(d) || d === 62 || d === 60 || d === 34 || d === 39 || d === 96) break;
        i++;
      }
      if (i === valueStart) return null;
      attrs.push({
        name: attrName,
        raw: text.slice(valueStart, i),
        quote: null,
        start: nameStart,
        end: i,
        valueStart,
        valueEnd: i,
      });
    }
  }
  return null;
}

/** A close tag `</name >` at `pos`, or null. */
export function readCloseTag(text: string, pos: number, limit: number = text.length): CloseTag | null {
  if (text.charCodeAt(pos) !== 60 || text.charCodeAt(pos + 1) !== 47) return null;
  let i = pos + 2;
  while (i < limit && isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(pos + 2, i);
  i = skipSpaces(text, i, limit);
  if (text.charCodeAt(i) !== 62 || i >= limit) return null;
  return { name, start: pos, end: i + 1 };
}

/**
 * The end of a comment starting at `pos` (`<!--…-->`, or `{/*…*\/}` when `jsxComments`), -1 when it
 * is unclosed before `limit`, or null when there is no comment at `pos`.
 */
export function commentEnd(text: string, pos: number, limit: number, jsxComments: boolean): number | null {
  if (text.startsWith('<!--', pos)) {
    const close = text.indexOf('-->', pos + 4);
    return close === -1 || close + 3 > limit ? -1 : close + 3;
  }
  if (jsxComments && text.startsWith('{/*', pos)) {
    const close = text.indexOf('*/', pos + 3);
    if (close === -1) return -1;
    const brace = skipSpaces(text, close + 2, limit);
    return text.charCodeAt(brace) === 125 && brace < limit ? brace + 1 : -1;
  }
  return null;
}

function sameName(a: string, b: string, html: boolean): boolean {
  return html ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** End of the raw text of `<style>`/`<script>`/`<textarea>` whose open tag ends at `from`: past its close tag. */
export function rawTextEnd(text: string, name: string, from: number, limit: number): number {
  const lower = name.toLowerCase();
  let i = text.indexOf('</', from);
  while (i !== -1 && i < limit) {
    const close = readCloseTag(text, i, limit);
    if (close && close.name.toLowerCase() === lower) return close.end;
    i = text.indexOf('</', i + 2);
  }
  return -1;
}

export function isRawTextTag(name: string): boolean {
  return RAW_TEXT.has(name.toLowerCase());
}

export function isVoidTag(name: string, language: Language): boolean {
  return language.flavour === 'html' && VOID.has(name.toLowerCase());
}

/**
 * The matching close of the element whose start tag is `open`: counts only elements of the same name
 * (so unclosed `<p>`/`<li>` and void elements elsewhere cannot derail it), skipping comments and the
 * contents of raw-text elements. Null when it is not closed before `limit`.
 */
export function findElementEnd(
  text: string,
  open: TagToken,
  language: Language,
  limit: number = text.length,
): ElementExtent | null {
  if (open.selfClosing || isVoidTag(open.name, language)) return { closeStart: open.end, end: open.end };
  const html = language.flavour === 'html';
  if (isRawTextTag(open.name)) {
    const end = rawTextEnd(text, open.name, open.end, limit);
    if (end === -1) return null;
    return { closeStart: text.lastIndexOf('</', end - 1), end };
  }
  const jsxComments = language.braceExpressions;
  let nextJsxComment = jsxComments ? text.indexOf('{/*', open.end) : -1;
  let depth = 1;
  let i = open.end;
  while (i < limit) {
    const lt = text.indexOf('<', i);
    if (lt === -1 || lt >= limit) return null;
    if (nextJsxComment !== -1 && nextJsxComment < i) nextJsxComment = text.indexOf('{/*', i);
    if (nextJsxComment !== -1 && nextJsxComment < lt) {
      const end = commentEnd(text, nextJsxComment, limit, true);
      if (end === -1 || end === null) return null;
      i = end;
      continue;
    }
    const next = text.charCodeAt(lt + 1);
    if (next === 33) {
      // <!-- comment --> or <!DOCTYPE>/<![CDATA[
      const end = commentEnd(text, lt, limit, false);
      if (end === -1) return null;
      if (end !== null) {
        i = end;
        continue;
      }
      const gt = text.indexOf('>', lt);
      if (gt === -1 || gt >= limit) return null;
      i = gt + 1;
      continue;
    }
    if (next === 47) {
      const close = readCloseTag(text, lt, limit);
      if (close === null) {
        i = lt + 2;
        continue;
      }
      if (sameName(close.name, open.name, html)) {
        depth--;
        if (depth === 0) return { closeStart: lt, end: close.end };
      }
      i = close.end;
      continue;
    }
    if (!isLetter(next)) {
      i = lt + 1;
      continue;
    }
    const tag = readTag(text, lt, limit);
    if (tag === null) {
      i = lt + 1;
      continue;
    }
    if (!tag.selfClosing && isRawTextTag(tag.name)) {
      const end = rawTextEnd(text, tag.name, tag.end, limit);
      if (end === -1) return null;
      i = end;
      continue;
    }
    if (!tag.selfClosing && sameName(tag.name, open.name, html)) depth++;
    i = tag.end;
  }
  return null;
}
