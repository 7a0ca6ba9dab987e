// The resting UI: one small button that starts picking, with a dot for the bridge connection.
import type { ConnectionStatus } from '../types';
import { h, setText } from './dom';

export class Launcher {
  readonly el: HTMLButtonElement;
  private readonly dot: HTMLElement;
  private readonly label: HTMLElement;

  constructor(parent: HTMLElement, onClick: () => void) {
    this.dot = h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } });
    this.label = h('span', { text: 'Live Variants' });
    this.el = h(
      'button',
      {
        class: 'launcher',
        attrs: { type: 'button', title: 'Pick an element to ask for design variants', 'data-action': 'pick' },
        on: { click: onClick },
      },
      this.dot,
      this.label,
    );
    parent.appendChild(this.el);
  }

  update(visible: boolean, status: ConnectionStatus): void {
    this.el.hidden = !visible;
    this.dot.setAttribute('data-status', status);
    const bridge = status === 'online' ? 'connected' : status === 'offline' ? 'unreachable' : status;
    this.el.setAttribute('aria-label', `Live Variants: pick an element (bridge ${bridge})`);
    setText(this.label, status === 'offline' ? 'Live Variants (offline)' : 'Live Variants');
  }
}
