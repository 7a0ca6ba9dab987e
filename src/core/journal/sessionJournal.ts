// One session's journal opened for writing: recovery on open, group-committed appends with idempotent
// eventIds, the latch after an I/O failure, and the snapshot cache. Obtain one through
// JournalDir.openSession, which holds the directory's writer lock.
import { LiveVariantsError } from '../errors';
import { checkAppendInput } from './appendInput';
import { writeFileAtomic } from './atomicWrite';
import { GroupCommitWriter, type QueuedLine } from './groupCommit';
import { errnoCode, isMissing, type JournalFileHandle, type JournalFs, writeAll } from './journalFs';
import { journalPath, snapshotPath, snapshotTempPath, tornSidecarPath } from './paths';
import { encodeRecord } from './recordCodec';
import type { RecordList } from './recordList';
import { type RecoveredJournal, recoverJournal } from './recover';
import { recoverJournalFile } from './recoverFile';
import {
  buildSnapshot,
  type JournalView,
  matchSnapshot,
  type SnapshotRead,
  withoutSnapshot,
} from './snapshot';
import type {
  AppendInput,
  AppendResult,
  JournalDiagnostic,
  JournalRecord,
  ReplayVisitor,
  SnapshotFile,
} from './types';

/** A record's line may not exceed this many bytes (artifacts belong in writeArtifact, not in data). */
export const MAX_RECORD_BYTES = 1024 * 1024;

interface QueuedRecord extends QueuedLine {
  record: JournalRecord;
  crc: number;
  bytes: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface SessionOpenOptions {
  fs: JournalFs;
  dir: string;
  id: string;
  now: () => Date;
  /**
   * Length the previous instance had made durable when it latched: bytes past it belong to the failed batch
   * and are cut away (kept in a sidecar), so a retry can never be answered from bytes that failed to sync.
   */
  truncateTo?: number;
  /** See JournalDirOptions.recordsOnDiskFromBytes. */
  recordsOnDiskFromBytes?: number;
  /** Replays the journal while it is recovered (see ReplayVisitor). */
  replay?: ReplayVisitor;
}

export function journalIoError(id: string, action: string, e: unknown): LiveVariantsError {
  const errno = errnoCode(e);
  const why = errno ?? (e instanceof Error ? e.message : String(e));
  return new LiveVariantsError(
    'journal_io_failed',
    `Could not ${action} the journal of session ${id} (${why}).`,
    undefined,
    {
      errno: errno ?? null,
    },
  );
}

export class SessionJournal {
  readonly id: string;
  readonly dir: string;
  /** Recovery findings (corrupt lines, torn tail), then snapshot and latch diagnostics, in order. */
  readonly diagnostics: JournalDiagnostic[];
  private readonly fs: JournalFs;
  private readonly now: () => Date;
  private readonly handle: JournalFileHandle;
  /** Committed records; those recovered from canonical lines are built when first read. */
  private readonly committedRecords: RecordList;
  private readonly pending = new Map<string, Promise<AppendResult>>();
  private readonly writer: GroupCommitWriter<QueuedRecord>;
  private nextSeq: number;
  private durableBytes: number;
  private latchError: LiveVariantsError | undefined;
  private isClosed = false;
  private snapshotChain: Promise<void> = Promise.resolve();

  private constructor(
    opts: SessionOpenOptions,
    handle: JournalFileHandle,
    recovered: RecoveredJournal,
    diagnostics: JournalDiagnostic[],
    byteLength: number,
  ) {
    this.id = opts.id;
    this.dir = opts.dir;
    this.fs = opts.fs;
    this.now = opts.now;
    this.handle = handle;
    this.committedRecords = recovered.recordList;
    this.diagnostics = diagnostics;
    this.nextSeq = recovered.maxSeq + 1;
    this.durableBytes = byteLength;
    // A record that cannot be read back stops the journal: the next openSession recovers it again.
    this.committedRecords.onReadError = (e) =>
      this.latch(
        new LiveVariantsError(
          'journal_latched',
          `The journal of session ${this.id} could not read back a record (${e.message}); reopen the session to continue.`,
          undefined,
          { cause: e.code },
        ),
      );
    this.writer = new GroupCommitWriter<QueuedRecord>(handle, {
      committed: (batch, bytes) => this.onCommitted(batch, bytes),
      failed: (items, error, phase) => this.onFailed(items, error, phase),
    });
  }

  /** Opens (creating when missing) and recovers `<dir>/<id>.jsonl`; see docs/journal-format.md "Opening". */
  static async open(opts: SessionOpenOptions): Promise<SessionJournal> {
    const { fs, dir, id } = opts;
    const path = journalPath(dir, id);
    // O1: a temp file left by a crash mid-snapshot is garbage; the snapshot itself is old or new, never half.
    await fs.unlink(snapshotTempPath(dir, id)).catch(() => undefined);
    // O2: read the journal (a missing file is an empty journal, created below) and apply R1–R6. O3: after a
    // latch in this process, bytes past the last acknowledged one are cut as well. A long journal's records
    // stay on disk (an index in memory) until read.
    let file: Awaited<ReturnType<typeof recoverJournalFile>>;
    // What the visitor throws is the caller's own error, not a failure to read the journal.
    let visitorError: { error: unknown } | undefined;
    const replay = opts.replay;
    try {
      file = await recoverJournalFile(fs, path, id, {
        limit: opts.truncateTo,
        lazyUpTo: Number.POSITIVE_INFINITY,
        onDiskFromBytes: opts.recordsOnDiskFromBytes,
        replay: replay && {
          from: replay.from,
          visit: (r) => {
            try {
              replay.visit(r);
            } catch (error) {
              visitorError = { error };
              throw error;
            }
          },
        },
        withCutBytes: true,
      });
    } catch (e) {
      if (visitorError !== undefined) throw visitorError.error;
      throw journalIoError(id, 'read', e);
    }
    const created = file === undefined;
    const size = file?.size ?? 0;
    const recovered = file?.recovered ?? recoverJournal(Buffer.alloc(0), id);
    const diagnostics = recovered.diagnostics.slice();
    let tornAt = recovered.torn?.offset;
    if (tornAt === undefined && file?.cut !== undefined) {
      tornAt = file.cut.offset;
      diagnostics.push({
        code: 'torn_tail_truncated',
        sessionId: id,
        offset: tornAt,
        message: `Removed ${size - tornAt} bytes after byte ${tornAt}: a batch whose write or sync failed (never acknowledged).`,
      });
    }
    let handle: JournalFileHandle | undefined;
    try {
      // O4: the torn bytes are kept (sidecar written and synced) before the file is truncated.
      if (tornAt !== undefined && file?.cut !== undefined) {
        const sidecar = tornSidecarPath(dir, id, tornAt);
        await writeWholeFile(fs, sidecar, file.cut.bytes);
        const torn = diagnostics.find((d) => d.code === 'torn_tail_truncated');
        if (torn) torn.sidecar = sidecar;
      }
      handle = await fs.open(path, 'a');
      if (tornAt !== undefined) await handle.truncate(tornAt);
      // O5: bytes a killed writer left unsynced become durable before any duplicate is answered from them;
      // a new or truncated file's directory entry is synced too.
      await handle.datasync();
      if (created || tornAt !== undefined) await fs.fsyncDir(dir);
    } catch (e) {
      await handle?.close().catch(() => undefined);
      await recovered.recordList.close().catch(() => undefined);
      throw journalIoError(id, 'open', e);
    }
    return new SessionJournal(opts, handle, recovered, diagnostics, tornAt ?? size);
  }

  /**
   * Committed records in seq order (the caller replays them). Never includes pending appends. The first
   * read builds every recovered record; readSnapshot's tail builds only the records after the snapshot.
   */
  get records(): readonly JournalRecord[] {
    return this.committedRecords.all();
  }
  // (A long journal's records stay on disk until read: after close(), those not read yet cannot be.)

  /** How many records are committed (reads no record). */
  get recordCount(): number {
    return this.committedRecords.length;
  }

  /**
   * Committed records from index `from` on, in order, for a replay that reads each once: those still on
   * disk are read and built as the iteration reaches them, and not kept. Throws journal_changed if a
   * record's line no longer matches what was recovered, journal_closed after close.
   */
  replay(from = 0): IterableIterator<JournalRecord> {
    return this.committedRecords.iterate(from);
  }

  /** The index of the first committed record whose line ends after byte `offset`. */
  firstEndingAfter(offset: number): number {
    return this.committedRecords.firstEndingAfter(offset);
  }

  /** Bytes of the journal that are durable: everything acknowledged so far. */
  get byteLength(): number {
    return this.durableBytes;
  }

  get lastSeq(): number {
    return this.committedRecords.lastSeq;
  }

  get latched(): boolean {
    return this.latchError !== undefined;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** fdatasync calls made by this instance's appends. */
  get syncCount(): number {
    return this.writer.syncs;
  }

  /** The seq of a committed record with this eventId. */
  hasEvent(eventId: string): number | undefined {
    const index = this.committedRecords.indexOfEventId(eventId);
    return index < 0 ? undefined : this.committedRecords.seqAt(index);
  }

  /**
   * Appends one record. Resolves only after its bytes are written and fdatasync'd. A known eventId (committed
   * or pending) writes nothing and resolves with the original seq and `duplicate: true` (a pending one once
   * it is durable). Rejects with journal_io_failed when the batch's write or sync fails, journal_latched
   * after that until the session is reopened, journal_closed after close, journal_bad_input /
   * journal_secret_refused / journal_record_too_large for input that is refused.
   */
  append(input: AppendInput): Promise<AppendResult> {
    if (this.isClosed) return Promise.reject(this.closedError());
    if (this.latchError !== undefined) return Promise.reject(this.latchError);
    let checked: ReturnType<typeof checkAppendInput>;
    try {
      checked = checkAppendInput(input);
    } catch (e) {
      return Promise.reject(e);
    }
    const known = this.hasEvent(checked.eventId);
    if (known !== undefined) return Promise.resolve({ seq: known, duplicate: true });
    const inFlight = this.pending.get(checked.eventId);
    if (inFlight !== undefined) return inFlight.then((r) => ({ seq: r.seq, duplicate: true }));

    const record: JournalRecord = {
      v: 1,
      seq: this.nextSeq,
      eventId: checked.eventId,
      type: checked.type,
      at: checked.at ?? this.now().toISOString(),
      data: checked.data,
    };
    const { line, crc } = encodeRecord(record);
    const bytes = Buffer.byteLength(line);
    if (bytes > MAX_RECORD_BYTES) {
      return Promise.reject(
        new LiveVariantsError(
          'journal_record_too_large',
          `The record for ${checked.eventId} is ${bytes} bytes; the limit is ${MAX_RECORD_BYTES}. Store large payloads as artifacts.`,
          'data',
        ),
      );
    }
    this.nextSeq++;
    const promise = new Promise<AppendResult>((resolve, reject) => {
      this.writer.enqueue({ line, crc: Number.parseInt(crc, 16), bytes, record, resolve, reject });
    });
    this.pending.set(checked.eventId, promise);
    return promise;
  }

  /** Reads `<id>.snapshot.json` and checks it against the journal (rules S1–S6 of docs/journal-format.md). */
  async readSnapshot<S>(): Promise<SnapshotRead<S>> {
    let raw: Buffer | undefined;
    try {
      raw = await this.fs.readFile(snapshotPath(this.dir, this.id));
    } catch (e) {
      if (!isMissing(e)) {
        const diagnostic: JournalDiagnostic = {
          code: 'snapshot_unreadable',
          sessionId: this.id,
          message: `Snapshot of session ${this.id} ignored: it could not be read (${errnoCode(e) ?? String(e)}).`,
        };
        this.diagnostics.push(diagnostic);
        return withoutSnapshot(this.view(), diagnostic);
      }
    }
    return this.checkSnapshot<S>(raw);
  }

  /** Checks the bytes of a snapshot file (undefined: none) against the journal (rules S1–S6). */
  checkSnapshot<S>(raw: Buffer | undefined): SnapshotRead<S> {
    const result = matchSnapshot<S>(raw, this.view());
    if (result.snapshot === undefined && result.diagnostic !== undefined)
      this.diagnostics.push(result.diagnostic);
    return result;
  }

  /**
   * Writes the snapshot of the committed prefix up to `upToSeq` (default: the last committed record), by
   * temp file + fsync + rename + directory fsync. `state` must be plain JSON and is secret-checked.
   */
  async writeSnapshot<S>(state: S, upToSeq: number = this.lastSeq): Promise<SnapshotFile<S>> {
    if (this.isClosed) throw this.closedError();
    const snapshot = buildSnapshot(this.view(), state, upToSeq);
    const bytes = Buffer.from(`${JSON.stringify(snapshot)}\n`, 'utf8');
    // One snapshot write at a time per session: they share the temp path.
    const run = this.snapshotChain.then(() =>
      writeFileAtomic(
        this.fs,
        this.dir,
        snapshotTempPath(this.dir, this.id),
        snapshotPath(this.dir, this.id),
        bytes,
      ),
    );
    this.snapshotChain = run.catch(() => undefined);
    try {
      await run;
    } catch (e) {
      throw journalIoError(this.id, 'write the snapshot of', e);
    }
    return snapshot;
  }

  /** Stops appends with `error` (journal_latched); used after an I/O failure and when the lock is lost. */
  latch(error: LiveVariantsError): void {
    if (this.latchError !== undefined) return;
    this.latchError = error;
    this.diagnostics.push({ code: 'journal_latched', sessionId: this.id, message: error.message });
  }

  /** Waits for appends in flight, then closes the file. Later appends reject with journal_closed. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.writer.whenIdle();
    await this.snapshotChain;
    await this.handle.close().catch(() => undefined);
    await this.committedRecords.close().catch(() => undefined);
  }

  private view(): JournalView {
    return {
      sessionId: this.id,
      records: this.committedRecords,
      byteLength: this.durableBytes,
      diagnostics: this.diagnostics,
    };
  }

  private closedError(): LiveVariantsError {
    return new LiveVariantsError('journal_closed', `The journal of session ${this.id} is closed.`);
  }

  private onCommitted(batch: QueuedRecord[], bytes: number): void {
    let offset = this.durableBytes;
    for (const item of batch) {
      offset += item.bytes;
      // Its eventId is new: append() answered every committed or pending one without queueing it.
      this.committedRecords.tryAddRecord(item.record, item.crc, offset);
      this.pending.delete(item.record.eventId);
    }
    this.durableBytes += bytes;
    for (const item of batch) item.resolve({ seq: item.record.seq, duplicate: false });
  }

  private onFailed(items: QueuedRecord[], error: unknown, phase: 'write' | 'sync'): void {
    const errno = errnoCode(error) ?? null;
    const why = errno ?? (error instanceof Error ? error.message : String(error));
    const failure = new LiveVariantsError(
      'journal_io_failed',
      `Could not ${phase} the journal of session ${this.id} (${why}); none of the ${items.length} appends in this batch is acknowledged.`,
      undefined,
      { errno, phase },
    );
    this.latch(
      new LiveVariantsError(
        'journal_latched',
        `The journal of session ${this.id} stopped after a failed ${phase} (${why}); reopen the session to continue.`,
        undefined,
        { errno, phase },
      ),
    );
    for (const item of items) {
      this.pending.delete(item.record.eventId);
      item.reject(failure);
    }
  }
}

async function writeWholeFile(fs: JournalFs, path: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'w');
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
