// Checkpoints: the visible variant and knob values, sent with a monotonic revision per page owner. While a
// slider is dragged they coalesce (leading edge, then at most one per interval: no more than ~10/s); `flush`
// sends whatever is pending at once (before an accept). Sending waits while the machine would refuse a
// checkpoint (variants not reported yet), and resumes with the latest values when it would take one.
import { newEventId, type RandomBytes } from './ids';
import type { OutgoingEvent, Params } from './types';

export const CHECKPOINT_INTERVAL_MS = 100;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type CheckpointEvent = Extract<OutgoingEvent, { type: 'checkpoint' }>;

function keyOf(variant: string, params: Params): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return JSON.stringify([variant, sorted]);
}

export class CheckpointScheduler {
  private pending: { variant: string; params: Params } | undefined;
  private lastSentKey: string | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private revision = 0;
  private enabled = false;

  constructor(
    private readonly sessionId: string,
    private readonly owner: string,
    private readonly send: (event: CheckpointEvent) => void,
    private readonly timers: Timers,
    private readonly random?: RandomBytes,
    private readonly intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {}

  /** Revisions continue above what the bridge (or a restored outbox) already holds for this owner. */
  raiseRevision(floor: number): void {
    if (floor > this.revision) this.revision = floor;
  }

  get lastRevision(): number {
    return this.revision;
  }

  /** What the page shows now; sent when allowed and not a repeat of the last checkpoint. */
  update(variant: string, params: Params): void {
    if (keyOf(variant, params) === this.lastSentKey && this.pending === undefined) return;
    this.pending = { variant, params: { ...params } };
    this.schedule();
  }

  /** The bridge knows this already (adopted from its state), so there is nothing to send for it. */
  markKnown(variant: string, params: Params): void {
    this.lastSentKey = keyOf(variant, params);
    if (this.pending && keyOf(this.pending.variant, this.pending.params) === this.lastSentKey) {
      this.pending = undefined;
    }
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (enabled) this.schedule();
    else this.cancelTimer();
  }

  hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** Sends the pending checkpoint now, whatever the interval; returns it (undefined when nothing was due). */
  flush(): CheckpointEvent | undefined {
    this.cancelTimer();
    if (!this.enabled || !this.pending) return undefined;
    return this.emit();
  }

  dispose(): void {
    this.cancelTimer();
    this.pending = undefined;
    this.enabled = false;
  }

  private schedule(): void {
    if (!this.enabled || !this.pending || this.timer !== undefined) return;
    const wait = this.lastSentAt + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.emit();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.enabled && this.pending) this.emit();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(): CheckpointEvent | undefined {
    const p = this.pending;
    if (!p) return undefined;
    this.pending = undefined;
    const key = keyOf(p.variant, p.params);
    if (key === this.lastSentKey) return undefined;
    this.revision += 1;
    this.lastSentKey = key;
    this.lastSentAt = this.timers.now();
    const event: CheckpointEvent = {
      type: 'checkpoint',
      sessionId: this.sessionId,
      eventId: newEventId('cp', this.sessionId, this.random),
      owner: this.owner,
      revision: this.revision,
      variant: p.variant,
      params: p.params,
    };
    this.send(event);
    return event;
  }
}
