// Variant blocks as they appear in the page (DESIGN.md §2): a wrapper `[data-impeccable-variants=ID]` whose
// children `[data-impeccable-variant]` are the original and the numbered variants. Showing a variant and
// applying knob values only touch inline styles through the CSSOM and `data-p-*` attributes, so they work
// under a strict CSP and are re-applied idempotently when hot reload swaps the nodes.
import { parseKnobs } from '../core/markers/knobs';
import type { Knob } from '../core/markers/types';
import { knobEffects } from './knobValues';
import type { Params } from './types';

export interface PageBlock {
  sessionId: string;
  wrapper: HTMLElement;
  mode: 'replace' | 'insert';
  original: HTMLElement | null;
  /** Numbered variants in numeric order, keyed by their id ("1", "2", …). */
  variants: Map<string, HTMLElement>;
}

const BROWSER_SESSION_ID = /^[0-9a-f]{8}$/;
const VARIANT_ID = /^[1-9][0-9]{0,2}$/;

function wrapperSelector(sessionId: string): string {
  return `[data-impeccable-variants="${CSS.escape(sessionId)}"]`;
}

export function readBlock(wrapper: HTMLElement): PageBlock {
  const variants: [string, HTMLElement][] = [];
  let original: HTMLElement | null = null;
  for (const child of Array.from(wrapper.children)) {
    if (!(child instanceof HTMLElement)) continue;
    const key = child.getAttribute('data-impeccable-variant');
    if (key === 'original') original ??= child;
    else if (key !== null && VARIANT_ID.test(key) && !variants.some(([k]) => k === key))
      variants.push([key, child]);
  }
  variants.sort((a, b) => Number(a[0]) - Number(b[0]));
  return {
    sessionId: wrapper.getAttribute('data-impeccable-variants') ?? '',
    wrapper,
    mode: wrapper.getAttribute('data-impeccable-mode') === 'insert' ? 'insert' : 'replace',
    original,
    variants: new Map(variants),
  };
}

export function findBlock(root: ParentNode, sessionId: string): PageBlock | null {
  const wrapper = root.querySelector(wrapperSelector(sessionId));
  return wrapper instanceof HTMLElement ? readBlock(wrapper) : null;
}

/** Ids of browser-created sessions whose blocks are in the page (a reload without storage finds them here). */
export function sessionsInPage(root: ParentNode): string[] {
  const ids: string[] = [];
  for (const el of Array.from(root.querySelectorAll('[data-impeccable-variants]'))) {
    const id = el.getAttribute('data-impeccable-variants') ?? '';
    if (BROWSER_SESSION_ID.test(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function isHidden(el: HTMLElement): boolean {
  return el.style.display === 'none';
}

function setHidden(el: HTMLElement, hidden: boolean): boolean {
  if (isHidden(el) === hidden) return false;
  if (hidden) el.style.setProperty('display', 'none');
  else el.style.removeProperty('display');
  return true;
}

/** The variant the markup itself shows (the first numbered one not hidden), as the agent wrote it. */
export function markupVisible(block: PageBlock): string | null {
  for (const [key, el] of block.variants) if (!isHidden(el)) return key;
  return null;
}

/**
 * Shows one variant and hides the others: `original` shows the original (discard), a number shows that
 * variant, null hides every variant (an insert-mode discard). Returns whether anything changed.
 */
export function showVariant(block: PageBlock, key: string | null): boolean {
  let changed = false;
  for (const [k, el] of block.variants) changed = setHidden(el, k !== key) || changed;
  if (block.original) changed = setHidden(block.original, key !== 'original') || changed;
  return changed;
}

export function knobsOf(el: HTMLElement): Knob[] {
  const raw = el.getAttribute('data-impeccable-params');
  return raw ? parseKnobs(raw).knobs : [];
}

/** Sets the knobs' CSS variables and attributes on the variant element, touching only what differs. */
export function applyKnobs(el: HTMLElement, knobs: readonly Knob[], params: Params): boolean {
  const { vars, attrs } = knobEffects(knobs, params);
  let changed = false;
  for (const [name, value] of vars) {
    const current = el.style.getPropertyValue(name);
    if (value === null && current !== '') {
      el.style.removeProperty(name);
      changed = true;
    } else if (value !== null && current.trim() !== value) {
      el.style.setProperty(name, value);
      changed = true;
    }
  }
  for (const [name, value] of attrs) {
    const current = el.getAttribute(name);
    if (value === null && current !== null) {
      el.removeAttribute(name);
      changed = true;
    } else if (value !== null && current !== value) {
      el.setAttribute(name, value);
      changed = true;
    }
  }
  return changed;
}
