// Group commit: appends that arrive while a write + fdatasync is in flight wait in a queue and all go out
// in the next single write + single fdatasync. Nothing is reported committed before its fdatasync
// resolved; a failed write or sync fails the batch in flight and everything queued behind it, and the
// writer never writes again (the owner latches).
import { type JournalFileHandle, writeAll } from './journalFs';

export interface QueuedLine {
  /** The encoded line, newline included. */
  line: string;
}

export interface CommitSink<T extends QueuedLine> {
  /** The batch is on disk; `bytes` is its total length. Called in queue order. */
  committed(batch: T[], bytes: number): void;
  /** The batch could not be made durable; `phase` says which call failed. */
  failed(items: T[], error: unknown, phase: 'write' | 'sync'): void;
}

export class GroupCommitWriter<T extends QueuedLine> {
  private queue: T[] = [];
  private running = false;
  private broken = false;
  private idleWaiters: Array<() => void> = [];
  /** fdatasync calls made (observable for tests and benchmarks). */
  syncs = 0;

  constructor(
    private readonly handle: JournalFileHandle,
    private readonly sink: CommitSink<T>,
  ) {}

  enqueue(item: T): void {
    if (this.broken) {
      this.sink.failed([item], new Error('the journal writer failed earlier'), 'write');
      return;
    }
    this.queue.push(item);
    if (!this.running) {
      this.running = true;
      // One microtask of delay lets every append issued in the same tick join the first batch.
      queueMicrotask(() => void this.run());
    }
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        let text = '';
        for (const item of batch) text += item.line;
        const bytes = Buffer.from(text, 'utf8');
        let phase: 'write' | 'sync' = 'write';
        try {
          await writeAll(this.handle, bytes);
          phase = 'sync';
          this.syncs++;
          await this.handle.datasync();
        } catch (error) {
          this.broken = true;
          const rest = this.queue;
          this.queue = [];
          this.sink.failed(batch.concat(rest), error, phase);
          return;
        }
        this.sink.committed(batch, bytes.length);
      }
    } finally {
      // No await between the last queue check and here: an enqueue after this point starts a new run.
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
