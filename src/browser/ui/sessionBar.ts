// The session card: progress while variants are generated, then cycling (prev/next, one button per variant,
// knobs), Accept/Discard with a pending state until the bridge has the decision on disk, and a confirmation
// once the source is rewritten. Connection trouble is said plainly; nothing the user did is dropped.
import type { Knob } from '../../core/markers/types';
import type { Decision, Stage } from '../sessionModel';
import type { ConnectionStatus, Params, ParamValue } from '../types';
import { h, setHiddenEl, setText } from './dom';
import { KnobControls } from './knobControls';

export interface BarView {
  stage: Stage;
  phase: string | null;
  connection: ConnectionStatus;
  /** Events not yet acknowledged by the bridge. */
  queued: number;
  variants: string[];
  visible: string | null;
  requested: number | null;
  canDecide: boolean;
  canDiscard: boolean;
  knobs: Knob[];
  params: Params;
  decision: Decision | null;
  /** A refusal or failure to show. */
  message: string | null;
}

export interface BarHandlers {
  onShow(variant: string): void;
  onStep(delta: number): void;
  onParam(id: string, value: ParamValue): void;
  onAccept(): void;
  onDiscard(): void;
  onClose(): void;
}

function statusText(v: BarView): string {
  const n = v.requested ?? v.variants.length;
  switch (v.stage) {
    case 'sending':
      return 'Sending your request…';
    case 'generating':
      if (v.phase === 'source_wrapped') return `The agent is writing ${n} variant${n === 1 ? '' : 's'}…`;
      if (v.phase === 'variants_written' || v.phase === 'cycling') return 'Loading the variants…';
      return `Waiting for an agent to write ${n} variant${n === 1 ? '' : 's'}…`;
    case 'cycling':
      return v.visible ? `Variant ${v.visible} of ${v.variants.length}` : `${v.variants.length} variants`;
    case 'saving':
      return v.decision?.type === 'accept' ? `Accepting variant ${v.decision.variant}…` : 'Discarding…';
    case 'applying':
      return v.decision?.type === 'discard'
        ? 'Discarded — restoring the source…'
        : `Accepted variant ${v.decision?.type === 'accept' ? v.decision.variant : ''} — rewriting the source…`;
    case 'done':
      if (v.decision?.type === 'discard') return 'Discarded. The source is restored.';
      return v.phase === 'accepted_source_pending'
        ? `Accepted variant ${v.decision?.type === 'accept' ? v.decision.variant : ''}. Source updated; the agent will fold the knob values into your CSS.`
        : `Accepted variant ${v.decision?.type === 'accept' ? v.decision.variant : ''}. Source updated.`;
    case 'failed':
      return 'The agent reported an error. Discard, or pick the element and try again.';
    case 'stranded':
      return 'This session was interrupted; run `live-variants resume` in your agent’s terminal.';
    case 'gone':
      return 'The bridge does not know this session any more.';
  }
}

function connectionNotice(v: BarView): string | null {
  if (v.connection === 'offline') {
    const waiting =
      v.queued > 0
        ? ` ${v.queued} change${v.queued === 1 ? ' is' : 's are'} kept and will be sent when it is back.`
        : '';
    return `The bridge is unreachable.${waiting} Your session is kept.`;
  }
  if (v.connection === 'http' && v.queued > 0) return 'The live connection is down; sending over HTTP.';
  return null;
}

export class SessionBar {
  readonly el: HTMLElement;
  private readonly spinner: HTMLElement;
  private readonly status: HTMLElement;
  private readonly dot: HTMLElement;
  private readonly cycle: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly dots: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly knobs: KnobControls;
  private readonly accept: HTMLButtonElement;
  private readonly discard: HTMLButtonElement;
  private readonly close: HTMLButtonElement;
  private readonly notice: HTMLElement;
  private readonly error: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly decide: HTMLElement;
  private dotsKey = '';

  constructor(
    parent: HTMLElement,
    private readonly handlers: BarHandlers,
  ) {
    this.spinner = h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } });
    this.status = h('span', { class: 'status-text', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.dot = h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } });
    this.close = h('button', {
      text: '✕',
      attrs: { type: 'button', 'aria-label': 'Close', hidden: true },
      on: { click: () => this.handlers.onClose() },
    });
    this.prev = h('button', {
      text: '‹',
      attrs: { type: 'button', 'aria-label': 'Previous variant (←)', title: 'Previous variant (←)' },
      on: { click: () => this.handlers.onStep(-1) },
    });
    this.next = h('button', {
      text: '›',
      attrs: { type: 'button', 'aria-label': 'Next variant (→)', title: 'Next variant (→)' },
      on: { click: () => this.handlers.onStep(1) },
    });
    this.counter = h('span', { class: 'counter' });
    this.dots = h('div', { class: 'dots', attrs: { role: 'group', 'aria-label': 'Variants (keys 1–9)' } });
    this.cycle = h(
      'div',
      { class: 'row cycle', attrs: { hidden: true } },
      this.prev,
      this.counter,
      this.next,
      this.dots,
    );
    this.knobs = new KnobControls((id, value) => this.handlers.onParam(id, value));
    this.accept = h('button', {
      class: 'primary',
      text: 'Accept',
      attrs: { type: 'button', 'data-action': 'accept' },
      on: { click: () => this.handlers.onAccept() },
    });
    this.discard = h('button', {
      class: 'danger',
      text: 'Discard',
      attrs: { type: 'button', 'data-action': 'discard' },
      on: { click: () => this.handlers.onDiscard() },
    });
    this.hint = h('div', { class: 'hint', attrs: { hidden: true } });
    this.decide = h('div', { class: 'row spread decide' }, this.discard, this.accept);
    this.notice = h('div', { class: 'notice', attrs: { role: 'alert', hidden: true } });
    this.error = h('div', { class: 'notice bad', attrs: { role: 'alert', hidden: true } });
    this.el = h(
      'div',
      { class: 'card bar', attrs: { role: 'region', 'aria-label': 'Live variants session', hidden: true } },
      h(
        'div',
        { class: 'row spread head' },
        h('div', { class: 'status' }, this.spinner, this.status),
        h('div', { class: 'row' }, this.dot, this.close),
      ),
      this.cycle,
      this.knobs.el,
      this.hint,
      this.decide,
      this.notice,
      this.error,
    );
    parent.appendChild(this.el);
  }

  hide(): void {
    this.el.hidden = true;
  }

  update(v: BarView): void {
    this.el.hidden = false;
    this.el.setAttribute('data-stage', v.stage);
    setText(this.status, statusText(v));
    setHiddenEl(this.spinner, !['sending', 'generating', 'saving', 'applying'].includes(v.stage));
    this.dot.setAttribute('data-status', v.connection);
    this.dot.setAttribute('title', `Bridge: ${v.connection}`);
    setHiddenEl(this.close, !['done', 'gone'].includes(v.stage));

    const cycling = v.stage === 'cycling' && v.variants.length > 0;
    setHiddenEl(this.cycle, !cycling);
    if (cycling) {
      const i = v.visible ? v.variants.indexOf(v.visible) : -1;
      setText(this.counter, `${i + 1} / ${v.variants.length}`);
      this.prev.disabled = v.variants.length < 2;
      this.next.disabled = v.variants.length < 2;
      this.renderDots(v);
    }
    this.knobs.update(v.visible, cycling ? v.knobs : [], v.params);

    const deciding = ['cycling', 'generating', 'failed', 'stranded', 'sending'].includes(v.stage);
    setHiddenEl(this.accept, !deciding || v.stage === 'failed');
    setHiddenEl(this.discard, !deciding);
    setHiddenEl(this.decide, !deciding);
    this.accept.disabled = !v.canDecide || !v.visible;
    this.discard.disabled = !v.canDiscard;
    const waitingForDone = cycling && !v.canDecide;
    setHiddenEl(this.hint, !waitingForDone);
    if (waitingForDone) setText(this.hint, 'Accept unlocks when the agent reports the variants done.');

    const notice = connectionNotice(v);
    setHiddenEl(this.notice, notice === null);
    if (notice) setText(this.notice, notice);
    setHiddenEl(this.error, v.message === null);
    if (v.message) setText(this.error, v.message);
  }

  private renderDots(v: BarView): void {
    const key = v.variants.join(',');
    if (key !== this.dotsKey) {
      this.dotsKey = key;
      this.dots.replaceChildren(
        ...v.variants.map((id) =>
          h('button', {
            text: id,
            attrs: { type: 'button', 'data-variant': id, 'aria-label': `Variant ${id}` },
            on: { click: () => this.handlers.onShow(id) },
          }),
        ),
      );
    }
    for (const b of Array.from(this.dots.children)) {
      b.setAttribute('aria-current', String(b.getAttribute('data-variant') === v.visible));
    }
  }
}
