// Picking an element: hover highlights, click selects, Escape cancels; arrow keys move to siblings and
// Shift+arrows to the parent (up/left) or first child (down/right); Enter selects the highlighted element, so
// picking works from the keyboard alone. While picking, the page does not see the clicks.
import type { Highlight } from './ui/highlight';

const NOT_PICKABLE = new Set([
  'html',
  'head',
  'body',
  'script',
  'style',
  'link',
  'meta',
  'title',
  'template',
  'noscript',
  'br',
]);

export function isPickable(el: Element | null, isOwn: (n: EventTarget | null) => boolean): el is Element {
  return el?.isConnected === true && !NOT_PICKABLE.has(el.localName) && !isOwn(el);
}

/** The element an arrow key leads to from `el`, or null when there is none in that direction. */
export function navigate(
  el: Element,
  key: string,
  shift: boolean,
  isOwn: (n: EventTarget | null) => boolean,
): Element | null {
  const ok = (x: Element | null): boolean => isPickable(x, isOwn);
  const back = key === 'ArrowUp' || key === 'ArrowLeft';
  const forward = key === 'ArrowDown' || key === 'ArrowRight';
  if (!back && !forward) return null;
  if (shift) {
    if (back) return el.parentElement && ok(el.parentElement) ? el.parentElement : null;
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (ok(c)) return c;
    return null;
  }
  for (let s = back ? el.previousElementSibling : el.nextElementSibling; s; ) {
    if (ok(s)) return s;
    s = back ? s.previousElementSibling : s.nextElementSibling;
  }
  return null;
}

/** A first element for keyboard-only picking: the page's main content. */
export function initialTarget(doc: Document, isOwn: (n: EventTarget | null) => boolean): Element | null {
  const main = doc.querySelector('main, [role="main"]');
  const start = main?.firstElementChild ?? main ?? doc.body?.firstElementChild ?? null;
  return isPickable(start, isOwn) ? start : null;
}

const BLOCKED = [
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
  'click',
  'dblclick',
  'contextmenu',
] as const;

export class Picker {
  private active = false;
  private readonly listeners: [string, EventListener][];

  constructor(
    private readonly doc: Document,
    private readonly highlight: Highlight,
    private readonly isOwn: (n: EventTarget | null) => boolean,
    private readonly onPick: (el: Element) => void,
    private readonly onCancel: () => void,
  ) {
    const block: EventListener = (e) => {
      if (this.isOwn(e.target)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      if (e.type === 'click') this.pickFrom(e.target);
    };
    const move: EventListener = (e) => {
      const t = e.target instanceof Element ? e.target : null;
      if (isPickable(t, this.isOwn)) this.highlight.show(t);
    };
    const key: EventListener = (e) => this.onKey(e as KeyboardEvent);
    this.listeners = [
      ...BLOCKED.map((type): [string, EventListener] => [type, block]),
      ['pointermove', move],
      ['mouseover', move],
      ['keydown', key],
    ];
  }

  get isActive(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    for (const [type, fn] of this.listeners) this.doc.addEventListener(type, fn, { capture: true });
    this.highlight.show(initialTarget(this.doc, this.isOwn));
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    for (const [type, fn] of this.listeners) this.doc.removeEventListener(type, fn, { capture: true });
  }

  private pickFrom(target: EventTarget | null): void {
    const t = target instanceof Element ? target : null;
    const el = isPickable(t, this.isOwn) ? t : this.highlight.current;
    if (!el) return;
    this.stop();
    this.onPick(el);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopImmediatePropagation();
      this.stop();
      this.onCancel();
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      e.stopImmediatePropagation();
      this.pickFrom(this.highlight.current);
      return;
    }
    const current = this.highlight.current;
    if (!current || !e.key.startsWith('Arrow')) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const next = navigate(current, e.key, e.shiftKey, this.isOwn);
    if (next) {
      this.highlight.show(next);
      next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }
}
