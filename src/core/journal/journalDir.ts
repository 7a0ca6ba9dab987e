// The writer's view of a journal directory: holds the writer lock, opens (and caches) session journals,
// lists active and archived sessions, archives, prunes and stores artifacts. Opening it reads nothing but
// the lock file: sessions are recovered one by one when opened.
import { LiveVariantsError } from '../errors';
import { archiveSessionFiles, isArchived, listJournalIds, pruneArchive } from './archive';
import { artifactFilePath, findMissingArtifacts, listArtifactNames, writeArtifactFile } from './artifacts';
import { errnoCode, isMissing, type JournalFs, nodeJournalFs } from './journalFs';
import { archiveDir, journalPath, snapshotPath, validateSessionId } from './paths';
import { journalIoError, SessionJournal } from './sessionJournal';
import type { JournalDiagnostic, ReplayVisitor } from './types';
import { type LockInfo, WriterLock } from './writerLock';

export interface JournalDirOptions {
  fs?: JournalFs;
  now?: () => Date;
  /** Written into the lock file (default process.pid). */
  pid?: number;
  hostname?: string;
  /** Lock heartbeat period in ms (default 10 s; 0 disables the timer). */
  heartbeatMs?: number;
  /** Age after which an unreadable lock, or one from another host, counts as stale (default 60 s). */
  staleLockMs?: number;
  isPidAlive?: (pid: number) => boolean;
  /**
   * Journals of at least this many bytes keep their records on disk (an index in memory) and hold their
   * file open for them; smaller ones keep every record in memory (default RECORDS_ON_DISK_MIN_BYTES). For
   * tests: the records read are the same either way.
   */
  recordsOnDiskFromBytes?: number;
}

export interface PruneOptions {
  olderThanMs: number;
  now?: Date;
}

export async function openJournalDir(dir: string, opts: JournalDirOptions = {}): Promise<JournalDir> {
  const fs = opts.fs ?? nodeJournalFs;
  const now = opts.now ?? (() => new Date());
  try {
    await fs.mkdir(dir);
  } catch (e) {
    throw new LiveVariantsError(
      'journal_io_failed',
      `Could not create the journal directory ${dir} (${errnoCode(e) ?? String(e)}).`,
      'dir',
      { errno: errnoCode(e) ?? null },
    );
  }
  let journalDir: JournalDir | undefined;
  const { lock, diagnostics } = await WriterLock.acquire(dir, {
    fs,
    now,
    pid: opts.pid ?? process.pid,
    hostname: opts.hostname,
    heartbeatMs: opts.heartbeatMs ?? 10_000,
    staleAfterMs: opts.staleLockMs ?? 60_000,
    isPidAlive: opts.isPidAlive,
    onLost: (holder) => journalDir?.lockLost(holder),
  });
  journalDir = new JournalDir(dir, fs, now, lock, diagnostics, opts.recordsOnDiskFromBytes);
  return journalDir;
}

export class JournalDir {
  private readonly sessions = new Map<string, Promise<SessionJournal>>();
  private isClosed = false;
  private lostTo: LiveVariantsError | undefined;

  constructor(
    readonly dir: string,
    private readonly fs: JournalFs,
    private readonly now: () => Date,
    private readonly lock: WriterLock,
    /** Directory-level diagnostics: stale_lock_taken, lock_lost, session_pruned. */
    readonly diagnostics: JournalDiagnostic[],
    private readonly recordsOnDiskFromBytes?: number,
  ) {}

  /**
   * The session's journal, recovered from disk on first open (created when missing). A second call returns
   * the same instance; after the instance latched or was closed, the call reopens it from disk. Refuses ids
   * that are archived (session_archived). With `replay`, the visitor sees the journal's records (from its
   * offset on) before this resolves: while they are recovered, or from the open instance.
   */
  openSession(id: string, opts: { replay?: ReplayVisitor } = {}): Promise<SessionJournal> {
    return this.guard(async () => {
      const valid = validateSessionId(id);
      const previous = this.sessions.get(valid);
      let recovered = false;
      const next = this.reopen(valid, previous, opts.replay, () => {
        recovered = true;
      });
      this.sessions.set(valid, next);
      const journal = await next;
      // `replay` sees the records either way: during recovery when this call opened the journal, else now.
      const { replay } = opts;
      if (replay !== undefined && !recovered) {
        for (const r of journal.replay(journal.firstEndingAfter(replay.from))) replay.visit(r);
      }
      return journal;
    });
  }

  /**
   * The bytes of an active session's snapshot file (undefined when it has none), not yet checked against
   * the journal: see SessionJournal.checkSnapshot. Rejects with journal_io_failed when it cannot be read.
   */
  async readSnapshotFile(id: string): Promise<Buffer | undefined> {
    const valid = validateSessionId(id);
    try {
      return await this.fs.readFile(snapshotPath(this.dir, valid));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw journalIoError(valid, 'read the snapshot of', e);
    }
  }

  /** Active session ids (one readdir of the directory; archived sessions are never read). */
  listSessions(): Promise<string[]> {
    return this.io('list the sessions of', () => listJournalIds(this.fs, this.dir));
  }

  listArchived(): Promise<string[]> {
    return this.io('list the archive of', () => listJournalIds(this.fs, archiveDir(this.dir)));
  }

  /** Closes the session's journal, deletes its artifacts, and moves its files to `archive/`. */
  archiveSession(id: string): Promise<void> {
    return this.guard(async () => {
      const valid = validateSessionId(id);
      const open = this.sessions.get(valid);
      this.sessions.delete(valid);
      if (open !== undefined) await (await open.catch(() => undefined))?.close();
      await this.io('archive', () => archiveSessionFiles(this.fs, this.dir, valid, this.now()), valid);
    });
  }

  /** Deletes archived sessions archived more than `olderThanMs` ago; returns their ids, sorted. */
  prune(opts: PruneOptions): Promise<string[]> {
    return this.guard(async () => {
      if (!Number.isFinite(opts?.olderThanMs) || opts.olderThanMs < 0) {
        throw new LiveVariantsError(
          'journal_bad_input',
          'olderThanMs must be a non-negative number.',
          'olderThanMs',
        );
      }
      const now = opts.now ?? this.now();
      const pruned = await this.io('prune the archive of', () =>
        pruneArchive(this.fs, this.dir, { olderThanMs: opts.olderThanMs, now }),
      );
      for (const id of pruned) {
        this.diagnostics.push({
          code: 'session_pruned',
          sessionId: id,
          message: `Archived session ${id} was older than ${opts.olderThanMs} ms and was deleted.`,
        });
      }
      return pruned;
    });
  }

  /** Stores an artifact of an active session; returns its path. */
  writeArtifact(sessionId: string, name: string, bytes: Uint8Array): Promise<string> {
    return this.guard(async () => {
      const id = validateSessionId(sessionId);
      artifactFilePath(this.dir, id, name);
      await this.io(
        'find',
        async () => {
          await this.fs.stat(journalPath(this.dir, id));
        },
        id,
        'session_not_found',
      );
      return this.io('write an artifact of', () => writeArtifactFile(this.fs, this.dir, id, name, bytes), id);
    });
  }

  listArtifacts(sessionId: string): Promise<string[]> {
    return this.guard(async () => {
      const id = validateSessionId(sessionId);
      return this.io('list the artifacts of', () => listArtifactNames(this.fs, this.dir, id), id);
    });
  }

  /** Where an artifact lives (validates the id and name; does not check that the file exists). */
  artifactPath(sessionId: string, name: string): string {
    return artifactFilePath(this.dir, validateSessionId(sessionId), name);
  }

  /** artifact_missing diagnostics for the expected artifact names that have no file. */
  missingArtifacts(sessionId: string, expected: readonly string[]): Promise<JournalDiagnostic[]> {
    return this.guard(async () => {
      const id = validateSessionId(sessionId);
      return this.io(
        'list the artifacts of',
        () => findMissingArtifacts(this.fs, this.dir, id, expected),
        id,
      );
    });
  }

  /** Closes every open session (waiting for appends in flight) and releases the writer lock. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    const open = [...this.sessions.values()];
    this.sessions.clear();
    for (const p of open) await (await p.catch(() => undefined))?.close();
    await this.lock.release();
  }

  /** Called by the heartbeat when another process replaced the lock: every open session stops appending. */
  lockLost(holder: LockInfo | undefined): void {
    const message = `The writer lock of ${this.dir} was taken by ${holder ? `pid ${holder.pid}` : 'another process'}; this process stopped writing.`;
    this.diagnostics.push({ code: 'lock_lost', message });
    this.lostTo = new LiveVariantsError('journal_locked', message, undefined, { pid: holder?.pid ?? null });
    for (const p of this.sessions.values()) {
      p.then(
        (j) =>
          j.latch(new LiveVariantsError('journal_latched', message, undefined, { pid: holder?.pid ?? null })),
        () => undefined,
      );
    }
  }

  private async reopen(
    id: string,
    previous: Promise<SessionJournal> | undefined,
    replay: ReplayVisitor | undefined,
    onRecovered: () => void,
  ): Promise<SessionJournal> {
    let truncateTo: number | undefined;
    if (previous !== undefined) {
      const journal = await previous.catch(() => undefined);
      if (journal !== undefined && !journal.latched && !journal.closed) return journal;
      if (journal !== undefined) {
        if (journal.latched) truncateTo = journal.byteLength;
        await journal.close();
      }
    }
    if (await this.io('look up', () => isArchived(this.fs, this.dir, id), id)) {
      throw new LiveVariantsError(
        'session_archived',
        `Session ${id} is archived (complete); read it with readSessionJournal.`,
        'sessionId',
      );
    }
    const journal = await SessionJournal.open({
      fs: this.fs,
      dir: this.dir,
      id,
      now: this.now,
      truncateTo,
      recordsOnDiskFromBytes: this.recordsOnDiskFromBytes,
      replay,
    });
    onRecovered();
    return journal;
  }

  private async guard<T>(run: () => Promise<T>): Promise<T> {
    if (this.isClosed) {
      throw new LiveVariantsError('journal_closed', `The journal directory ${this.dir} is closed.`);
    }
    // After the lock was lost, this process writes nothing more in the directory.
    if (this.lostTo !== undefined) throw this.lostTo;
    return run();
  }

  /** Runs fs work, turning raw fs errors into journal_io_failed (or `missingCode` for ENOENT). */
  private async io<T>(action: string, run: () => Promise<T>, id?: string, missingCode?: string): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof LiveVariantsError) throw e;
      if (missingCode !== undefined && errnoCode(e) === 'ENOENT') {
        throw new LiveVariantsError(
          missingCode,
          `There is no active session ${id} in ${this.dir}.`,
          'sessionId',
        );
      }
      if (id !== undefined) throw journalIoError(id, action, e);
      throw new LiveVariantsError(
        'journal_io_failed',
        `Could not ${action} ${this.dir} (${errnoCode(e) ?? String(e)}).`,
        undefined,
        { errno: errnoCode(e) ?? null },
      );
    }
  }
}
