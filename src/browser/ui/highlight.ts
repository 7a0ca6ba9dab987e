// The outline that follows the hovered element while picking and stays on the picked one while asking.
import { elementLabel } from '../elementContext';
import { h, placeBox, setText } from './dom';

export class Highlight {
  readonly el: HTMLElement;
  private readonly tag: HTMLElement;
  private target: Element | null = null;
  private frame = 0;

  constructor(parent: HTMLElement) {
    this.tag = h('span', { class: 'tag' });
    this.el = h('div', { class: 'highlight', attrs: { 'aria-hidden': 'true', hidden: true } }, this.tag);
    parent.appendChild(this.el);
    const follow = () => this.place();
    window.addEventListener('scroll', follow, { capture: true, passive: true });
    window.addEventListener('resize', follow, { passive: true });
  }

  show(target: Element | null, picked = false): void {
    this.target = target;
    if (picked) this.el.setAttribute('data-picked', '');
    else this.el.removeAttribute('data-picked');
    this.place();
  }

  get current(): Element | null {
    return this.target;
  }

  private place(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.placeNow());
    this.placeNow();
  }

  private placeNow(): void {
    const t = this.target;
    if (!t?.isConnected) {
      this.el.hidden = true;
      return;
    }
    const r = t.getBoundingClientRect();
    placeBox(this.el, { left: r.left, top: r.top, width: r.width, height: r.height });
    setText(this.tag, `${elementLabel(t)}  ${Math.round(r.width)}×${Math.round(r.height)}`);
    this.el.hidden = false;
  }
}
