// The "No agent is online — work is waiting" notice: shown while the bridge owes work and no agent is online
// or idle, gone as soon as an agent polls. It says what to do, since nothing happens until an agent runs.
import { h, setHiddenEl, setText } from './dom';

export class AgentNotice {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;

  constructor(parent: HTMLElement) {
    this.text = h('div', { class: 'notice-text' });
    this.el = h(
      'div',
      { class: 'panel agent-notice', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } },
      this.text,
      h(
        'div',
        { class: 'hint' },
        'Start or resume your coding agent; it picks the work up with ',
        h('span', { class: 'mono', text: 'live-variants poll' }),
        '.',
      ),
    );
    parent.appendChild(this.el);
  }

  update(text: string | null): void {
    setHiddenEl(this.el, text === null);
    if (text !== null) setText(this.text, text);
  }
}
