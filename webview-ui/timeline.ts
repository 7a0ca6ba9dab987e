// The journal timeline as a virtual list: fixed-height rows, only the visible ones (plus a margin) in the DOM,
// pages fetched from the host on demand. The journal is append-only, so fetched rows stay valid; only the
// last page is fetched again when the session grows.
import { h } from './dom';
import type { TimelineRow } from './protocol';
import { visibleRange } from './virtualWindow';

export const ROW_HEIGHT = 22;
export const PAGE = 100;
const OVERSCAN = 10;
const MAX_VISIBLE_ROWS = 12;

export class TimelineList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsEl: HTMLElement;
  private sessionId: string | null = null;
  private total = 0;
  private readonly pages = new Map<number, TimelineRow[]>();
  private readonly requested = new Set<number>();

  constructor(private readonly request: (sessionId: string, start: number, count: number) => void) {
    this.rowsEl = h('div', { class: 'timeline-rows' });
    this.spacer = h('div', { class: 'timeline-spacer' }, this.rowsEl);
    this.element = h(
      'div',
      { class: 'timeline', role: 'list', 'aria-label': 'Journal timeline' },
      this.spacer,
    );
    this.element.addEventListener('scroll', () => this.render());
  }

  get scrollTop(): number {
    return this.element.scrollTop;
  }

  /** Shows `sessionId` with `total` records; keeps fetched pages while it is the same session. */
  show(sessionId: string | null, total: number, scrollTop?: number): void {
    this.element.style.height = `${Math.min(MAX_VISIBLE_ROWS, Math.max(1, total)) * ROW_HEIGHT + 2}px`;
    if (sessionId !== this.sessionId) {
      this.sessionId = sessionId;
      this.pages.clear();
      this.requested.clear();
      this.total = total;
      this.spacer.style.height = `${total * ROW_HEIGHT}px`;
      this.element.scrollTop = scrollTop ?? Math.max(0, total * ROW_HEIGHT);
    } else if (total !== this.total) {
      // The last (partial) page grew: fetch it again.
      const last = Math.floor(Math.max(0, this.total - 1) / PAGE);
      this.pages.delete(last);
      this.requested.delete(last);
      this.total = total;
      this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    }
    this.render();
  }

  receive(sessionId: string, start: number, rows: TimelineRow[]): void {
    if (sessionId !== this.sessionId) return;
    this.pages.set(Math.floor(start / PAGE), rows);
    this.render();
  }

  private rowAt(i: number): TimelineRow | undefined {
    const page = Math.floor(i / PAGE);
    const rows = this.pages.get(page);
    if (!rows && this.sessionId && !this.requested.has(page)) {
      this.requested.add(page);
      this.request(this.sessionId, page * PAGE, PAGE);
    }
    return rows?.[i - page * PAGE];
  }

  render(): void {
    if (this.sessionId === null || this.total === 0) {
      this.rowsEl.replaceChildren(h('div', { class: 'muted timeline-empty' }, 'No journal events yet.'));
      this.rowsEl.style.transform = '';
      return;
    }
    const height = this.element.clientHeight || MAX_VISIBLE_ROWS * ROW_HEIGHT;
    const { first, last } = visibleRange({
      scrollTop: this.element.scrollTop,
      viewportHeight: height,
      rowHeight: ROW_HEIGHT,
      total: this.total,
      overscan: OVERSCAN,
    });
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const row = this.rowAt(i);
      nodes.push(
        row
          ? h(
              'div',
              {
                class: row.problem ? 'trow problem' : 'trow',
                role: 'listitem',
                title: `${row.type} · ${row.at}`,
              },
              h('span', { class: 'tseq' }, String(row.seq)),
              h('span', { class: 'ttime' }, row.at.slice(11, 19)),
              h('span', { class: 'tsum' }, row.summary),
            )
          : h(
              'div',
              { class: 'trow loading', role: 'listitem' },
              h('span', { class: 'tseq' }, String(i + 1)),
              '…',
            ),
      );
    }
    this.rowsEl.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.rowsEl.replaceChildren(...nodes);
  }
}
