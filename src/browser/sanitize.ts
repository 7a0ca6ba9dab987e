// Markup that crosses a trust boundary is made inert first: a block parsed from `/v1/source` before it is
// mounted in the live page, and the picked element's outerHTML before it is sent to an agent. Parsing is
// DOMParser's (an inert document: no scripts run, nothing loads); this removes what could run or navigate
// once the nodes are imported.

const DROPPED_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'noscript',
  'portal',
]);

const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'data',
  'background',
  'ping',
]);

/** `javascript:`, `vbscript:` and HTML `data:` URLs, after stripping what browsers ignore in a scheme. */
export function isDangerousUrl(value: string): boolean {
  // Browsers drop control characters and spaces inside a URL scheme (`java\tscript:` runs).
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  return (
    compact.startsWith('javascript:') ||
    compact.startsWith('vbscript:') ||
    compact.startsWith('data:text/html') ||
    compact.startsWith('data:image/svg+xml') ||
    compact.startsWith('data:application/')
  );
}

function cleanAttributes(el: Element, maxValueLength: number | undefined): void {
  for (const attr of Array.from(el.attributes)) {
    const name = attr.name.toLowerCase();
    if (name.startsWith('on') || name === 'srcdoc' || name === 'formtarget') el.removeAttribute(attr.name);
    else if (URL_ATTRIBUTES.has(name) && isDangerousUrl(attr.value)) el.removeAttribute(attr.name);
    else if (name === 'srcset' && /javascript:|vbscript:/i.test(attr.value)) el.removeAttribute(attr.name);
    else if (maxValueLength !== undefined && attr.value.length > maxValueLength) {
      el.setAttribute(attr.name, `${attr.value.slice(0, maxValueLength)}…`);
    }
  }
}

/**
 * Removes scripts, frames, plugins and document-level elements, event-handler attributes and script URLs from
 * `root` and everything under it, in place. `maxValueLength` also shortens long attribute values (data URIs).
 */
export function sanitizeTree(
  root: Element | DocumentFragment,
  options: { maxValueLength?: number } = {},
): void {
  const all = Array.from(root.querySelectorAll('*'));
  if (root instanceof Element) all.unshift(root);
  for (const el of all) {
    if (DROPPED_ELEMENTS.has(el.localName)) {
      if (el !== root) el.remove();
      continue;
    }
    cleanAttributes(el, options.maxValueLength);
  }
  // SVG <a>/<use> and <animate>/<set> can still point at script URLs through attributes they animate.
  for (const el of Array.from(root.querySelectorAll('animate, set, animateTransform, animateMotion'))) {
    const target = (el.getAttribute('attributeName') ?? '').toLowerCase();
    if (target.includes('href') || target.startsWith('on')) el.remove();
  }
}

/** The element's markup for an agent: sanitized, long values shortened, capped at `max` characters. */
export function sanitizedOuterHTML(el: Element, max: number): string {
  const clone = el.cloneNode(true) as Element;
  sanitizeTree(clone, { maxValueLength: 200 });
  const html = clone.outerHTML;
  return html.length <= max ? html : `${html.slice(0, Math.max(0, max - 1))}…`;
}
