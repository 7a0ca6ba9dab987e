// The UI lives in one Shadow DOM root on a host element of its own: page CSS cannot style what is inside, and
// nothing inside can style the page. The host is attached to <html> (not <body>), so a page that re-renders
// its body keeps the UI, and it is re-attached if something removes it.
import { h } from './dom';
import { UI_CSS } from './styles';

export const HOST_TAG = 'live-variants-ui';

export interface UiRoot {
  host: HTMLElement;
  shadow: ShadowRoot;
  /** The themed container every UI part goes into. */
  layer: HTMLElement;
  /** Puts the host back if the page removed it. */
  ensureAttached(): void;
  contains(node: EventTarget | null): boolean;
}

/** Inline !important beats any page stylesheet rule that matches the host (`* { display: none !important }`). */
function pinHost(host: HTMLElement): void {
  const fixed: [string, string][] = [
    ['all', 'initial'],
    ['display', 'block'],
    ['position', 'fixed'],
    ['top', '0'],
    ['left', '0'],
    ['width', '0'],
    ['height', '0'],
    ['z-index', '2147483647'],
    ['pointer-events', 'auto'],
    ['visibility', 'visible'],
    ['opacity', '1'],
    ['transform', 'none'],
    ['filter', 'none'],
    ['contain', 'none'],
  ];
  for (const [name, value] of fixed) host.style.setProperty(name, value, 'important');
}

function adoptStyles(shadow: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(UI_CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    // Very old engines: a <style> inside the shadow root (may be blocked by a strict CSP).
    shadow.appendChild(h('style', { text: UI_CSS }));
  }
}

export function createUiRoot(doc: Document): UiRoot {
  const host = doc.createElement(HOST_TAG);
  host.setAttribute('data-live-variants', '');
  pinHost(host);
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow);
  const layer = h('div', { class: 'lv' });
  shadow.appendChild(layer);
  const ensureAttached = () => {
    if (!host.isConnected) doc.documentElement.appendChild(host);
  };
  ensureAttached();
  return {
    host,
    shadow,
    layer,
    ensureAttached,
    contains: (node) =>
      node === host || (node instanceof Node && (host.contains(node) || shadow.contains(node))),
  };
}
