// The engine's sessions in memory and on disk: loading a session (snapshot + tail, else the whole journal),
// reloading one whose journal latched, recovery at start, snapshots, and archiving completed sessions. Only
// active sessions stay in memory; archived ones are known by id alone.

import {
  type JournalDiagnostic,
  type JournalDir,
  type JournalRecord,
  type SessionJournal,
  snapshotHint,
} from '../journal';
import { phaseOf } from '../machine';
import type { AckRecord, RestoredItem } from '../queue';
import {
  applyRecord,
  emptyFold,
  type PersistedFold,
  persistFold,
  replayRecords,
  restoreFold,
  type SessionFold,
} from './fold';
import type { EngineDiagnostic } from './types';

/** An active session: its open journal and the fold of every record appended to it so far. */
export interface LiveSession {
  journal: SessionJournal;
  fold: SessionFold;
  /** Records appended since the snapshot file was last written. */
  sinceSnapshot: number;
  /**
   * The seq the journal gives the next append. The journal's `lastSeq` counts only durable records, so
   * records folded while earlier ones are still in flight number themselves from here.
   */
  nextSeq: number;
  /** Appends not yet durable, by eventId: a repeat of one is answered with its seq, never folded twice. */
  inflight: Map<string, Promise<{ seq: number }>>;
}

/** What recovery found owed, acked and dead across the active sessions: the queue is rebuilt from it. */
export interface RecoveredWork {
  pending: RestoredItem[];
  acked: AckRecord[];
  deadLettered: RestoredItem[];
}

export function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class SessionStore {
  private readonly sessions = new Map<string, LiveSession>();
  private readonly loading = new Map<string, Promise<LiveSession>>();
  private readonly archived = new Set<string>();
  private readonly archiving = new Set<Promise<void>>();

  constructor(
    readonly dir: JournalDir,
    private readonly report: (d: EngineDiagnostic) => void,
  ) {}

  private reportJournal(d: JournalDiagnostic): void {
    this.report({ code: d.code, message: d.message, sessionId: d.sessionId, line: d.line, offset: d.offset });
  }

  /** Loads every active session and archives those a crash left complete but unarchived. */
  async recover(): Promise<RecoveredWork> {
    for (const d of this.dir.diagnostics) this.reportJournal(d);
    for (const id of await this.dir.listArchived()) this.archived.add(id);
    const work: RecoveredWork = { pending: [], acked: [], deadLettered: [] };
    const finished: string[] = [];
    for (const id of await this.dir.listSessions()) {
      const live = await this.load(id);
      if (phaseOf(live.fold.snapshot) === 'complete') finished.push(id);
      for (const item of live.fold.pending) work.pending.push({ item });
      work.acked.push(...live.fold.acked);
      for (const item of live.fold.dead) work.deadLettered.push({ item });
    }
    // A crash between a session's completion and its archiving leaves it here: finish the move now.
    for (const id of finished) await this.archive(id);
    return work;
  }

  /**
   * Opens and replays one session. The snapshot file names the journal prefix its state covers, so the
   * fold starts from it and recovery hands it only the records after that prefix; the snapshot is then
   * checked against the recovered journal, and when it does not hold, every record is replayed. Without
   * one, recovery hands the fold every record. Either way records stream from disk, never all in memory.
   */
  private async load(id: string): Promise<LiveSession> {
    let raw: Buffer | undefined;
    let unreadable = false;
    try {
      raw = await this.dir.readSnapshotFile(id);
    } catch {
      unreadable = true; // readSnapshot below reports why
    }
    const hint = snapshotHint(raw);
    let start: SessionFold | undefined;
    try {
      start = hint === undefined ? undefined : restoreFold(id, hint.state as PersistedFold);
    } catch {
      start = undefined;
    }
    const from = start === undefined || hint === undefined ? 0 : hint.journalBytes;
    let fold = start ?? emptyFold(id);
    let tailFailed = false;
    const visit = (r: JournalRecord): void => {
      if (start === undefined) {
        applyRecord(fold, r);
        return;
      }
      // A tail that does not fold onto the snapshot's state: the snapshot is unusable, replay it all.
      if (tailFailed) return;
      try {
        applyRecord(fold, r);
      } catch {
        tailFailed = true;
      }
    };
    const journal = await this.dir.openSession(id, { replay: { from, visit } });
    for (const d of journal.diagnostics) this.reportJournal(d);
    const read = unreadable
      ? await journal.readSnapshot<PersistedFold>()
      : journal.checkSnapshot<PersistedFold>(raw);
    if (read.snapshot === undefined && read.diagnostic) this.reportJournal(read.diagnostic);
    const fromSnapshot = start !== undefined && read.snapshot?.journalBytes === from && !tailFailed;
    // (A snapshot that was unreadable at first and read fine just now was simply not used: nothing to say.)
    if (read.snapshot !== undefined && !fromSnapshot && !unreadable) {
      this.report({
        code: 'snapshot_unusable',
        sessionId: id,
        message: `Snapshot of ${id} did not load; replayed the journal.`,
      });
    }
    if (start !== undefined && !fromSnapshot) fold = replayRecords(id, journal.replay());
    const live: LiveSession = {
      journal,
      fold,
      sinceSnapshot: journal.recordCount - (fromSnapshot ? journal.firstEndingAfter(from) : 0),
      nextSeq: journal.lastSeq + 1,
      inflight: new Map(),
    };
    this.sessions.set(id, live);
    return live;
  }

  /**
   * The live session, (re)loading it from disk when it is new (`create`) or its journal latched; undefined
   * when it does not exist. `reloaded` sees a session that was read from disk, once per load.
   */
  async get(
    id: string,
    create: boolean,
    reloaded: (live: LiveSession) => void,
  ): Promise<LiveSession | undefined> {
    const live = this.sessions.get(id);
    if (live && !live.journal.latched && !live.journal.closed) return live;
    if (!create && !live) return undefined;
    const inflight = this.loading.get(id);
    if (inflight) return inflight;
    const p = this.load(id).finally(() => this.loading.delete(id));
    this.loading.set(id, p);
    const loaded = await p;
    reloaded(loaded);
    return loaded;
  }

  /** The session in memory (no loading): what the synchronous readers see. */
  peek(id: string): LiveSession | undefined {
    return this.sessions.get(id);
  }

  all(): IterableIterator<LiveSession> {
    return this.sessions.values();
  }

  /** Drops a session whose fold may hold records that never reached disk; the next access replays it. */
  forget(live: LiveSession): void {
    if (this.sessions.get(live.fold.sessionId) === live) this.sessions.delete(live.fold.sessionId);
  }

  isArchived(id: string): boolean {
    return this.archived.has(id);
  }

  archivedIds(): string[] {
    return [...this.archived];
  }

  /** Moves a completed session's files to `archive/` and out of memory. */
  async archive(id: string): Promise<void> {
    if (this.archived.has(id)) return;
    this.archived.add(id);
    this.sessions.delete(id);
    const p = this.dir.archiveSession(id);
    this.archiving.add(p);
    try {
      await p;
    } finally {
      this.archiving.delete(p);
    }
  }

  async writeSnapshot(live: LiveSession): Promise<void> {
    try {
      await live.journal.writeSnapshot(persistFold(live.fold), live.fold.lastSeq);
    } catch (e) {
      this.report({
        code: 'snapshot_write_failed',
        sessionId: live.fold.sessionId,
        message: `Snapshot of ${live.fold.sessionId} was not written: ${errMessage(e)}`,
      });
    }
  }

  /** Snapshots every session with records since its last snapshot, finishes archiving, releases the lock. */
  async close(): Promise<void> {
    for (const live of this.sessions.values()) {
      if (live.sinceSnapshot > 0 && !live.journal.latched) await this.writeSnapshot(live);
    }
    await Promise.allSettled([...this.archiving]);
    await this.dir.close();
  }
}
