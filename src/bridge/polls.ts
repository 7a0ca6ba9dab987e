// Parked agent long-polls. A poll that finds no work waits here until work arrives (the engine reports a
// change), a lease expires (a timer at the queue's next expiry), its own timeout, or shutdown.

import type { LeaseGrant, LeaseRequest } from '../core/queue';

export type PollAnswer =
  | { type: 'work'; grant: LeaseGrant }
  | { type: 'timeout' }
  | { type: 'exit' }
  | { type: 'interrupt'; reason: string };

interface Parked {
  request: LeaseRequest;
  resolve: (a: PollAnswer) => void;
  timer: NodeJS.Timeout;
}

export interface PollSource {
  lease(request: LeaseRequest): LeaseGrant | undefined;
  takeInterrupt(agentId: string): { reason: string } | undefined;
  /** Monotonic time of the next lease expiry, and the monotonic clock. */
  nextWakeAt(): number | undefined;
  now(): number;
}

export class ParkedPolls {
  private readonly parked: Parked[] = [];
  private expiryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly source: PollSource) {}

  /** Answers at once when work or an interrupt is waiting, else parks for up to `timeoutMs`. */
  poll(request: LeaseRequest, timeoutMs: number): { answer: Promise<PollAnswer>; cancel: () => void } {
    if (this.closed) return { answer: Promise.resolve({ type: 'exit' }), cancel: () => {} };
    const now = this.tryServe(request);
    if (now) return { answer: Promise.resolve(now), cancel: () => {} };
    let entry: Parked | undefined;
    const answer = new Promise<PollAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.remove(entry!);
        resolve({ type: 'timeout' });
      }, timeoutMs);
      entry = { request, resolve, timer };
      this.parked.push(entry);
    });
    this.armExpiryTimer();
    return {
      answer,
      cancel: () => {
        if (entry && this.remove(entry)) clearTimeout(entry.timer);
      },
    };
  }

  private tryServe(request: LeaseRequest): PollAnswer | undefined {
    if (request.agentId) {
      const interrupt = this.source.takeInterrupt(request.agentId);
      if (interrupt) return { type: 'interrupt', reason: interrupt.reason };
    }
    const grant = this.source.lease(request);
    return grant ? { type: 'work', grant } : undefined;
  }

  private remove(entry: Parked): boolean {
    const i = this.parked.indexOf(entry);
    if (i < 0) return false;
    this.parked.splice(i, 1);
    return true;
  }

  /** Something changed: serve parked polls in arrival order while work lasts. */
  wake(): void {
    for (const entry of [...this.parked]) {
      const answer = this.tryServe(entry.request);
      if (!answer) continue;
      this.remove(entry);
      clearTimeout(entry.timer);
      entry.resolve(answer);
    }
    this.armExpiryTimer();
  }

  private armExpiryTimer(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (this.closed || this.parked.length === 0) return;
    const at = this.source.nextWakeAt();
    if (at === undefined) return;
    const delay = Math.max(0, Math.ceil(at - this.source.now())) + 1;
    this.expiryTimer = setTimeout(() => this.wake(), delay);
    this.expiryTimer.unref();
  }

  get size(): number {
    return this.parked.length;
  }

  /** Shutdown: every parked poll gets `{type:"exit"}`. */
  close(): void {
    this.closed = true;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    for (const entry of this.parked.splice(0)) {
      clearTimeout(entry.timer);
      entry.resolve({ type: 'exit' });
    }
  }
}
