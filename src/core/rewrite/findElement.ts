// Finds the source element a browser picked, from what the page knows about it: id, classes, tag and
// the start of its text. Candidates are narrowed step by step; more than one left is ambiguity, which
// the caller reports instead of guessing.

import { attrString, decodeEntities, findAttr } from '../markers/attributes';
import { indexElements } from '../markers/elementIndex';
import { skipBraces } from '../markers/jsBraces';
import { LineIndex } from '../markers/lineIndex';
import { commentEnd, readTag, type TagToken } from '../markers/markupTokens';
import type { Language } from '../markers/types';

export interface ElementContext {
  tag?: string;
  id?: string;
  /** Class names as the browser has them (runtime-added ones included); a string is split on spaces. */
  classes?: readonly string[] | string;
  /** The start of the element's textContent (the first ~80 characters are used). */
  text?: string;
  pageUrl?: string;
}

export interface ElementCandidate {
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  tag: string;
}

export interface FindResult {
  /** What is left after every narrowing step; exactly one means found. */
  candidates: ElementCandidate[];
  /** Matching start tags whose closing tag could not be found. */
  unclosed: number;
}

const MIN_TEXT = 8;

/** Class tokens written literally in a class / className attribute (string literals inside `{…}` count). */
export function staticClasses(tag: TagToken): { tokens: string[]; literal: boolean } {
  const attr = findAttr(tag, 'class') ?? findAttr(tag, 'className');
  if (attr === undefined || attr.raw === null) return { tokens: [], literal: false };
  if (attr.quote === '{') {
    const tokens: string[] = [];
    const re = /(["'`])([^"'`]*)\1/g;
    for (let m = re.exec(attr.raw); m !== null; m = re.exec(attr.raw)) {
      for (const t of m[2].split(/\s+/)) if (t !== '' && !t.includes('$')) tokens.push(t);
    }
    return { tokens, literal: false };
  }
  // Svelte/Astro `class="a {b}"`: the braces are dynamic, the rest is literal.
  const value = decodeEntities(attr.raw);
  const dynamic = value.includes('{');
  const tokens = value
    .replace(/\{[^}]*\}/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
  return { tokens, literal: !dynamic };
}

/** textContent-like text of [start, end): tags, comments and `{…}` expressions removed, lower-cased. */
export function elementText(text: string, start: number, end: number, language: Language): string {
  let out = '';
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 60) {
      const comment = commentEnd(text, i, end, false);
      if (comment !== null) {
        i = comment === -1 ? end : comment;
        continue;
      }
      const gt = text.indexOf('>', i);
      const tag = readTag(text, i, end);
      i = tag !== null ? tag.end : gt === -1 || gt >= end ? end : gt + 1;
      out += ' ';
      continue;
    }
    if (c === 123 && language.braceExpressions) {
      const close = skipBraces(text, i, end);
      i = close === -1 ? end : close;
      out += ' ';
      continue;
    }
    out += text[i];
    i++;
  }
  return decodeEntities(out).replace(/\s+/g, ' ').trim().toLowerCase();
}

function normaliseText(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 80);
}

function classList(classes: ElementContext['classes']): string[] {
  if (classes === undefined) return [];
  const list = typeof classes === 'string' ? classes.split(/\s+/) : [...classes];
  return list.map((c) => c.trim()).filter((c) => c !== '');
}

function overlaps(
  a: { start: number; end: number },
  ranges: readonly { start: number; end: number }[],
): boolean {
  return ranges.some((r) => a.start < r.end && r.start < a.end);
}

function byText(
  cands: ElementCandidate[],
  text: string,
  source: string,
  language: Language,
): ElementCandidate[] {
  const target = normaliseText(text);
  if (target === '') return cands;
  const compact = target.replace(/\s/g, '');
  return cands.filter((c) => {
    const t = elementText(source, c.start, c.end, language);
    if (target.length < MIN_TEXT) return t === target;
    return t.includes(target) || t.replace(/\s/g, '').includes(compact);
  });
}

/**
 * Candidates for the picked element, most specific evidence first: an id match; else the best class
 * match (same tag preferred, literal class lists that the browser's set contains preferred, most shared
 * classes); else tag plus text. Then text and a line hint narrow what is left. `exclude` ranges (existing
 * blocks) never yield candidates.
 */
export function findElement(
  source: string,
  language: Language,
  element: ElementContext,
  exclude: readonly { start: number; end: number }[] = [],
  lineHint?: number,
): FindResult {
  const index = indexElements(source, language);
  const extents = new Map(index.map((e) => [e.tag, e.extent]));
  const tags = index.map((e) => e.tag);
  const wantTag = element.tag?.trim().toLowerCase() || undefined;
  let picked: TagToken[] = [];
  const id = element.id?.trim();
  if (id) picked = tags.filter((t) => attrString(findAttr(t, 'id')) === id);
  const classes = classList(element.classes);
  if (picked.length === 0 && classes.length > 0) {
    const browser = new Set(classes);
    let scored = tags
      .map((t) => {
        const { tokens, literal } = staticClasses(t);
        const shared = tokens.filter((x) => browser.has(x)).length;
        return { t, shared, contained: literal && tokens.every((x) => browser.has(x)) };
      })
      .filter((s) => s.shared > 0);
    if (wantTag && scored.some((s) => s.t.name.toLowerCase() === wantTag)) {
      scored = scored.filter((s) => s.t.name.toLowerCase() === wantTag);
    }
    if (scored.some((s) => s.contained)) scored = scored.filter((s) => s.contained);
    const best = Math.max(0, ...scored.map((s) => s.shared));
    picked = scored.filter((s) => s.shared === best).map((s) => s.t);
  }
  const idx = new LineIndex(source);
  const toCandidate = (t: TagToken): ElementCandidate | null => {
    const extent = extents.get(t) ?? null;
    if (extent === null) return null;
    const r = idx.range(t.start, extent.end);
    return { start: r.start, end: r.end, startLine: r.startLine, endLine: r.endLine, tag: t.name };
  };
  let unclosed = 0;
  let candidates: ElementCandidate[] = [];
  const collect = (list: TagToken[]) => {
    candidates = [];
    for (const t of list) {
      if (findAttr(t, 'data-impeccable-variants') || findAttr(t, 'data-impeccable-variant')) continue;
      const c = toCandidate(t);
      if (c === null) unclosed++;
      else if (!overlaps(c, exclude)) candidates.push(c);
    }
  };
  collect(picked);
  if (candidates.length === 0 && wantTag && element.text && normaliseText(element.text).length >= MIN_TEXT) {
    collect(tags.filter((t) => t.name.toLowerCase() === wantTag));
    candidates = byText(candidates, element.text, source, language);
  }
  if (candidates.length > 1 && element.text) {
    const narrowed = byText(candidates, element.text, source, language);
    if (narrowed.length > 0) candidates = narrowed;
  }
  if (candidates.length > 1 && lineHint !== undefined) {
    const containing = candidates.filter((c) => c.startLine <= lineHint && lineHint <= c.endLine);
    // The innermost element containing the hinted line.
    if (containing.length > 0)
      candidates = [containing.reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a))];
  }
  return { candidates, unclosed };
}
