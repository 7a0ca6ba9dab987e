// The engine's one write path: append a session's records (one write, one fdatasync), fold them in at
// once, and only after they are durable bring the queue, snapshots and archive in step and report the change.

import { phaseOf } from '../machine';
import type { WorkQueue } from '../queue';
import { applyRecord, type Decided } from './fold';
import type { RecordInput } from './recordData';
import { errMessage, type LiveSession, type SessionStore } from './sessionStore';
import type { EngineDiagnostic } from './types';

export interface WriterDeps {
  store: SessionStore;
  queue: WorkQueue;
  now: () => Date;
  snapshotEvery: number;
  report: (d: EngineDiagnostic) => void;
  onChange?: (sessionId: string) => void;
}

export class SessionWriter {
  constructor(private readonly deps: WriterDeps) {}

  /**
   * Appends records and folds them in. The fold advances before the write resolves so concurrent events
   * are decided in journal order; if the write fails the journal latches and the session reloads from disk.
   * `decided` is the first record's machine decision, already made. Answers with the first record's seq.
   */
  async append(
    live: LiveSession,
    inputs: RecordInput[],
    decided?: Decided,
  ): Promise<{ seq: number; duplicate: boolean }> {
    const at = this.deps.now().toISOString();
    // Enqueued in one synchronous run, so the group commit writes them in one batch.
    const writes = inputs.map((input) => live.journal.append({ ...input, at }));
    const before = live.fold.pending.map((w) => w.id);
    // Fold what will be those records; duplicates (durable or in flight) were answered before we got here.
    inputs.forEach((input, i) => {
      applyRecord(live.fold, { seq: live.nextSeq++, ...input, at }, i === 0 ? decided : undefined);
    });
    const all = Promise.all(writes);
    const first = all.then((r) => r[0]);
    // A repeat awaiting `first` sees the failure; without one, it is this call's to report, not unhandled.
    first.catch(() => undefined);
    for (const input of inputs) live.inflight.set(input.eventId, first);
    let results: { seq: number; duplicate: boolean }[];
    try {
      results = await all;
    } catch (e) {
      // The fold may hold records that never reached disk: forget it; the next access replays the journal.
      this.deps.store.forget(live);
      throw e;
    } finally {
      for (const input of inputs) live.inflight.delete(input.eventId);
    }
    this.afterDurable(live, before, inputs.length);
    return results[0];
  }

  private afterDurable(live: LiveSession, pendingBefore: string[], appended: number): void {
    const { queue, store } = this.deps;
    const id = live.fold.sessionId;
    const now = new Set(live.fold.pending.map((w) => w.id));
    for (const itemId of pendingBefore) if (!now.has(itemId)) queue.cancel(itemId);
    for (const item of live.fold.pending) queue.enqueue(item);
    live.sinceSnapshot += appended;
    if (phaseOf(live.fold.snapshot) === 'complete') {
      queue.cancelSession(id);
      void store.archive(id).catch((e) =>
        this.deps.report({
          code: 'archive_failed',
          sessionId: id,
          message: `Archiving ${id} failed: ${errMessage(e)}`,
        }),
      );
    } else if (live.sinceSnapshot >= this.deps.snapshotEvery) {
      live.sinceSnapshot = 0;
      void store.writeSnapshot(live);
    }
    this.deps.onChange?.(id);
  }
}
