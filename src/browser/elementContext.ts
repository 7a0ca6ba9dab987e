// What the generate event says about the picked element: enough for an agent to find it in source (tag, id,
// classes, the start of its text, the page path) and to see it (sanitized markup, a few computed styles, its
// box). Every field respects the protocol's caps (src/core/protocol/limits.ts).
import { LIMITS } from '../core/protocol/limits';
import { sanitizedOuterHTML } from './sanitize';
import type { ElementInfo } from './types';

const TAG = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
/** Markup sent to the agent; the protocol allows more, but more rarely helps and costs journal space. */
export const OUTER_HTML_CAP = 8000;
const TEXT_CAP = 300;

/** Computed styles worth telling an agent about (design-relevant, small). */
const STYLE_NAMES = [
  'display',
  'position',
  'width',
  'height',
  'margin',
  'padding',
  'gap',
  'color',
  'background-color',
  'background-image',
  'border',
  'border-radius',
  'box-shadow',
  'font-family',
  'font-size',
  'font-weight',
  'line-height',
  'letter-spacing',
  'text-align',
  'flex-direction',
  'justify-content',
  'align-items',
  'grid-template-columns',
];

export function collapseText(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : t.slice(0, max);
}

/** `tag#id.class1.class2`, for labels. */
export function elementLabel(el: Element): string {
  const id = el.id ? `#${el.id}` : '';
  const classes = Array.from(el.classList)
    .slice(0, 3)
    .map((c) => `.${c}`)
    .join('');
  return `${el.localName}${id}${classes}`;
}

export function computedStylesOf(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  const cs = getComputedStyle(el);
  for (const name of STYLE_NAMES.slice(0, LIMITS.styles)) {
    const value = cs.getPropertyValue(name).trim();
    if (value !== '' && value !== 'none' && value !== 'normal') out[name] = value.slice(0, LIMITS.styleValue);
  }
  return out;
}

/** The page address without query or fragment (they may carry things that are none of the agent's business). */
export function pageUrlOf(loc: Location): string {
  return `${loc.origin}${loc.pathname}`.slice(0, LIMITS.pageUrl);
}

export function describeElement(el: Element): ElementInfo {
  const tag = TAG.test(el.localName) ? el.localName : 'div';
  const rect = el.getBoundingClientRect();
  const info: ElementInfo = {
    tag,
    classes: Array.from(el.classList)
      .filter((c) => c.length <= LIMITS.className)
      .slice(0, LIMITS.classes),
    outerHTML: sanitizedOuterHTML(el, Math.min(OUTER_HTML_CAP, LIMITS.outerHTML)),
    styles: computedStylesOf(el),
    box: {
      x: Math.round(rect.left + window.scrollX),
      y: Math.round(rect.top + window.scrollY),
      width: Math.max(0, Math.round(rect.width)),
      height: Math.max(0, Math.round(rect.height)),
    },
    pagePath: location.pathname.slice(0, LIMITS.pagePath),
    pageUrl: pageUrlOf(location),
  };
  if (el.id && el.id.length <= LIMITS.elementId) info.id = el.id;
  const text = collapseText(el.textContent ?? '', TEXT_CAP);
  if (text !== '') info.text = text;
  return info;
}
