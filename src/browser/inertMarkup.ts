// Source text prepared for parsing in a page with a strict CSP. Chromium checks a page's style-src policy even
// while DOMParser builds an inert document, so markup with style attributes or <style> elements would report
// violations before anything is mounted. Here, on the text, style attributes are renamed to
// `data-lv-style` (re-applied later through the CSSOM) and <style> elements are cut out, their CSS kept for an
// adopted stylesheet. Uses the core's forward-only tag reader: no regex over markup.
import { commentEnd, isRawTextTag, rawTextEnd, readTag } from '../core/markers/markupTokens';

export const INLINE_STYLE_ATTR = 'data-lv-style';

/** The text of one session's block, markers included (HTML-like files put the markers around the wrapper). */
export function blockSlice(text: string, sessionId: string): string | null {
  const startWord = text.indexOf(`impeccable-variants-start ${sessionId}`);
  const endWord = text.indexOf(`impeccable-variants-end ${sessionId}`, startWord);
  if (startWord === -1 || endWord === -1) return null;
  const from = text.lastIndexOf('<!--', startWord);
  const close = text.indexOf('-->', endWord);
  if (from === -1 || close === -1) return null;
  return text.slice(from, close + 3);
}

export interface InertMarkup {
  markup: string;
  /** The CSS of the removed <style> elements, in order. */
  css: string[];
}

export function inertStyles(text: string): InertMarkup {
  const css: string[] = [];
  let out = '';
  let copied = 0;
  let i = text.indexOf('<');
  while (i !== -1 && i < text.length) {
    const comment = commentEnd(text, i, text.length, false);
    if (comment !== null) {
      if (comment === -1) break;
      i = text.indexOf('<', comment);
      continue;
    }
    const tag = readTag(text, i);
    if (!tag) {
      i = text.indexOf('<', i + 1);
      continue;
    }
    const name = tag.name.toLowerCase();
    if (name === 'style') {
      const end = tag.selfClosing ? tag.end : rawTextEnd(text, name, tag.end, text.length);
      const stop = end === -1 ? text.length : end;
      const closeAt = text.lastIndexOf('</', stop);
      css.push(text.slice(tag.end, closeAt > tag.end ? closeAt : stop));
      out += text.slice(copied, tag.start);
      copied = stop;
      i = text.indexOf('<', stop);
      continue;
    }
    for (const attr of tag.attrs) {
      if (attr.name.toLowerCase() !== 'style') continue;
      out += `${text.slice(copied, attr.start)}${INLINE_STYLE_ATTR}`;
      copied = attr.start + attr.name.length;
    }
    const next =
      isRawTextTag(name) && !tag.selfClosing ? rawTextEnd(text, name, tag.end, text.length) : tag.end;
    if (next === -1) break;
    i = text.indexOf('<', next);
  }
  return { markup: out + text.slice(copied), css };
}
