// One agent's log: a virtual list (fixed-height rows, only the visible ones in the DOM, so 20,000 lines
// scroll like 20), a client-side filter, and follow/pause. Following keeps the newest line in view;
// scrolling up pauses, scrolling back to the end follows again.
import { button, h } from './dom';
import { LogBuffer } from './logBuffer';
import type { LogEntry, LogStreamState } from './protocol';
import { atBottom, visibleRange } from './virtualWindow';

export const LOG_ROW_HEIGHT = 22;
const OVERSCAN = 15;

const STATE_TEXT: Record<LogStreamState, string> = {
  connecting: 'connecting…',
  live: 'live',
  retrying: 'reconnecting…',
  stopped: 'stopped',
};

export class LogView {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly status: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly followButton: HTMLButtonElement;
  private readonly buffer = new LogBuffer();
  private agentId: string | null = null;
  private following = true;
  private streamState: LogStreamState = 'stopped';
  private streamMessage: string | null = null;
  private frame: number | undefined;
  /** The scrollTop this view set itself; a scroll event at it is not the user's. */
  private autoTop = -1;

  constructor(private readonly onFilter: (text: string) => void) {
    this.title = h('h2', {}, 'Log');
    this.filterInput = h('input', { class: 'log-filter', 'aria-label': 'Filter log lines' });
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter lines';
    this.filterInput.addEventListener('input', () => {
      this.buffer.setFilter(this.filterInput.value);
      this.onFilter(this.filterInput.value);
      if (this.following) this.autoTop = -1;
      this.schedule();
    });
    this.followButton = button('Pause', () => this.setFollowing(!this.following), {
      secondary: true,
      title: 'Stop or start keeping the newest line in view',
    });
    this.followButton.classList.add('log-follow');
    this.status = h('span', { class: 'muted log-status', 'aria-live': 'polite' });
    this.rows = h('div', { class: 'timeline-rows' });
    this.spacer = h('div', { class: 'timeline-spacer' }, this.rows);
    this.list = h(
      'div',
      { class: 'timeline log-list', role: 'list', 'aria-label': 'Agent log' },
      this.spacer,
    );
    this.list.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.element = h(
      'section',
      { class: 'log', 'aria-label': 'Agent log' },
      this.title,
      h('div', { class: 'log-toolbar' }, this.filterInput, this.followButton, this.status),
      this.list,
    );
    this.element.hidden = true;
  }

  get filter(): string {
    return this.filterInput.value;
  }

  get isFollowing(): boolean {
    return this.following;
  }

  setFilter(text: string): void {
    this.filterInput.value = text;
    this.buffer.setFilter(text);
    this.schedule();
  }

  /** Shows `agentId`'s log (null hides the viewer); another agent starts from an empty buffer. */
  show(agentId: string | null, name: string): void {
    this.element.hidden = agentId === null;
    this.title.textContent = agentId ? `Log · ${name}` : 'Log';
    if (agentId === this.agentId) return;
    this.agentId = agentId;
    this.buffer.clear();
    this.streamState = agentId ? 'connecting' : 'stopped';
    this.streamMessage = null;
    this.setFollowing(true);
  }

  append(entries: readonly LogEntry[]): void {
    this.buffer.append(entries);
    this.schedule();
  }

  setStreamState(state: LogStreamState, message: string | null): void {
    this.streamState = state;
    this.streamMessage = message;
    this.renderStatus();
  }

  private setFollowing(on: boolean): void {
    this.following = on;
    this.followButton.textContent = on ? 'Pause' : 'Follow';
    this.followButton.setAttribute('aria-pressed', on ? 'false' : 'true');
    if (on) this.autoTop = -1;
    this.schedule();
  }

  private onScroll(): void {
    if (this.list.scrollTop === this.autoTop) return;
    const end = atBottom(this.list.scrollTop, this.list.clientHeight, this.list.scrollHeight, LOG_ROW_HEIGHT);
    if (end !== this.following) this.setFollowing(end);
    else this.schedule();
  }

  /** Renders at most once a frame, however many batches arrive. */
  private schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.render();
    });
  }

  private renderStatus(): void {
    const shown = this.buffer.length;
    const held = this.buffer.held;
    const parts = [this.buffer.filter ? `${shown} of ${held} lines` : `${held} lines`];
    if (this.buffer.dropped > 0) parts.push(`${this.buffer.dropped} older dropped`);
    parts.push(STATE_TEXT[this.streamState] + (this.streamMessage ? ` (${this.streamMessage})` : ''));
    this.status.textContent = parts.join(' · ');
  }

  private render(): void {
    this.renderStatus();
    if (this.element.hidden) return;
    const total = this.buffer.length;
    this.spacer.style.height = `${total * LOG_ROW_HEIGHT}px`;
    if (this.following) {
      const top = Math.max(0, total * LOG_ROW_HEIGHT - this.list.clientHeight);
      if (this.list.scrollTop !== top) {
        this.list.scrollTop = top;
        this.autoTop = this.list.scrollTop;
      }
    }
    if (total === 0) {
      this.rows.style.transform = '';
      this.rows.replaceChildren(
        h(
          'div',
          { class: 'muted timeline-empty' },
          this.buffer.held > 0 ? 'No line matches the filter.' : 'No log lines yet.',
        ),
      );
      return;
    }
    const { first, last } = visibleRange({
      scrollTop: this.list.scrollTop,
      viewportHeight: this.list.clientHeight || 10 * LOG_ROW_HEIGHT,
      rowHeight: LOG_ROW_HEIGHT,
      total,
      overscan: OVERSCAN,
    });
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const e = this.buffer.at(i);
      if (!e) continue;
      nodes.push(
        h(
          'div',
          { class: e.gap ? 'trow lrow problem' : 'trow lrow', role: 'listitem', title: e.text },
          h('span', { class: 'tseq' }, e.gap ? '…' : String(e.seq)),
          h('span', { class: 'ttime' }, e.at.slice(11, 19)),
          h('span', { class: 'tsum' }, e.text),
        ),
      );
    }
    this.rows.style.transform = `translateY(${first * LOG_ROW_HEIGHT}px)`;
    this.rows.replaceChildren(...nodes);
  }
}
