// The no-hot-reload fallback: when the page does not re-render from disk, the variant block is read from the
// workspace file (`GET /v1/source`), parsed with DOMParser (inert), sanitized, imported and put where the
// picked element is. Only HTML-like files can be parsed this way; JSX pages rely on their dev server.
// Inline styles are carried over through the CSSOM and the block's <style> becomes an adopted stylesheet, so
// the mounted block looks right under a strict CSP too (style attributes and <style> elements inserted into
// such a page are blocked; CSSOM changes are not).
import { blockSlice, INLINE_STYLE_ATTR, inertStyles } from './inertMarkup';
import { sanitizeTree } from './sanitize';
import type { ElementInfo } from './types';
import { findBlock, readBlock } from './variantsDom';

const MOUNTABLE = /\.(html?|vue|svelte|astro)$/i;

export function canMountFrom(file: string | null | undefined): file is string {
  return typeof file === 'string' && MOUNTABLE.test(file);
}

export interface SourceBlock {
  wrapper: HTMLElement;
  /** The text of the block's <style> elements (knob CSS), to adopt as a stylesheet. */
  css: string;
}

/** The session's wrapper parsed out of a source file, sanitized and imported into `doc`; null when absent. */
export function blockFromSource(doc: Document, text: string, sessionId: string): SourceBlock | null {
  const slice = blockSlice(text, sessionId);
  if (slice === null) return null;
  const { markup, css } = inertStyles(slice);
  const parsed = new DOMParser().parseFromString(
    `<!doctype html><html><body>${markup}</body></html>`,
    'text/html',
  );
  const block = findBlock(parsed, sessionId);
  if (!block) return null;
  sanitizeTree(block.wrapper);
  const imported = doc.importNode(block.wrapper, true);
  if (!(imported instanceof HTMLElement)) return null;
  const styled = [imported, ...Array.from(imported.querySelectorAll(`[${INLINE_STYLE_ATTR}]`))];
  for (const el of styled) {
    const value = el.getAttribute(INLINE_STYLE_ATTR);
    if (value === null) continue;
    el.removeAttribute(INLINE_STYLE_ATTR);
    if (el instanceof HTMLElement || el instanceof SVGElement) el.style.cssText = value;
  }
  return { wrapper: imported, css: css.join('\n') };
}

const adopted = new Map<string, CSSStyleSheet>();

/** Installs (or replaces) the block's CSS as a constructed stylesheet on the document. */
export function adoptBlockCss(doc: Document, sessionId: string, css: string): void {
  if (css.trim() === '' && !adopted.has(sessionId)) return;
  let sheet = adopted.get(sessionId);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    adopted.set(sessionId, sheet);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(css);
}

function insideBlock(el: Element): boolean {
  return el.closest('[data-impeccable-variants]') !== null;
}

/** Finds the picked element again from its description (the page may have re-rendered it). */
export function locateElement(doc: Document, info: ElementInfo): Element | null {
  const candidates: Element[] = [];
  if (info.id) {
    const byId = doc.getElementById(info.id);
    if (byId && byId.localName === info.tag) candidates.push(byId);
  }
  if (candidates.length === 0) {
    const selector = info.tag + info.classes.map((c) => `.${CSS.escape(c)}`).join('');
    for (const el of Array.from(doc.querySelectorAll(selector))) candidates.push(el);
  }
  const open = candidates.filter((el) => !insideBlock(el));
  if (open.length <= 1 || !info.text) return open[0] ?? null;
  const want = info.text.slice(0, 80);
  return open.find((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim().startsWith(want)) ?? open[0];
}

export interface MountTarget {
  /** The element the user picked, when this page still holds it. */
  picked: Element | null;
  element: ElementInfo | null;
  mode: 'replace' | 'insert';
  position: 'before' | 'after' | null;
}

/**
 * Puts the block in the page: over an earlier mount of the same session, else in place of (or beside) the
 * picked element. Returns false when there is nowhere to put it.
 */
export function mountBlock(doc: Document, block: SourceBlock, target: MountTarget): boolean {
  const { wrapper } = block;
  const sessionId = readBlock(wrapper).sessionId;
  const existing = findBlock(doc, sessionId);
  let anchor: Element | null = null;
  if (!existing) {
    anchor =
      target.picked?.isConnected && !insideBlock(target.picked)
        ? target.picked
        : target.element
          ? locateElement(doc, target.element)
          : null;
    if (!anchor) return false;
  }
  adoptBlockCss(doc, sessionId, block.css);
  if (existing) existing.wrapper.replaceWith(wrapper);
  else if (target.mode === 'insert' && target.position === 'before') anchor!.before(wrapper);
  else if (target.mode === 'insert') anchor!.after(wrapper);
  else anchor!.replaceWith(wrapper);
  return true;
}
