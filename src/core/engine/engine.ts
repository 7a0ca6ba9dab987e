// The session engine: the one durable owner of live sessions. It validates events, lets the machine decide,
// appends to the session's journal (acknowledging only once the record is on disk), and keeps the work
// queue in step with the journal. Only active sessions live in memory; completed ones are archived.

import { randomBytes } from 'node:crypto';
import { LiveVariantsError } from '../errors';
import {
  type JournalDiagnostic,
  type JournalDir,
  type JournalRecord,
  openJournalDir,
  type SessionJournal,
} from '../journal';
import {
  decide,
  phaseOf,
  type SessionEvent,
  sessionEventFromAgent,
  sessionEventFromBrowser,
} from '../machine';
import { parseAgentResult, parseBrowserEvent } from '../protocol';
import {
  type AckRecord,
  type LeaseGrant,
  type LeaseRequest,
  type OwedItem,
  type QueueDiagnostic,
  type RestoredItem,
  type WorkKind,
  WorkQueue,
} from '../queue';
import {
  applyRecord,
  type PersistedFold,
  persistFold,
  replayRecords,
  restoreFold,
  type SessionFold,
} from './fold';
import {
  ACK_RECORD,
  ackEventId,
  DEAD_LETTER_RECORD,
  DIAGNOSTIC_RECORD,
  deadLetterEventId,
  REQUEUE_RECORD,
} from './records';
import type {
  AcceptBy,
  AckResult,
  EngineDiagnostic,
  EngineOptions,
  SubmitOptions,
  SubmitResult,
} from './types';
import { type SessionView, viewOf } from './view';

/** The record type whose data an owed item of each kind carries. */
const SOURCE_OF_KIND: Record<WorkKind, string> = {
  generate: 'browser.generate',
  accept: 'browser.accept',
  discard: 'browser.discard',
  carbonize_cleanup: 'accept.applied',
  answer: 'answer',
};

interface LiveSession {
  journal: SessionJournal;
  fold: SessionFold;
  sinceSnapshot: number;
}

const CREATING_EVENTS = new Set(['browser.generate']);

export class SessionEngine {
  private readonly sessions = new Map<string, LiveSession>();
  private readonly loading = new Map<string, Promise<LiveSession>>();
  private readonly archived = new Set<string>();
  readonly diagnostics: EngineDiagnostic[] = [];
  private queue!: WorkQueue;
  private closed = false;
  private readonly now: () => Date;
  private readonly acceptBy: AcceptBy;
  private readonly snapshotEvery: number;

  private constructor(
    private readonly dir: JournalDir,
    private readonly opts: EngineOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.acceptBy = opts.acceptBy ?? 'bridge';
    this.snapshotEvery = opts.snapshotEvery ?? 500;
  }

  /** Opens the journal directory (taking the writer lock) and recovers every active session. */
  static async open(opts: EngineOptions): Promise<SessionEngine> {
    const dir = await openJournalDir(opts.journalDir, { fs: opts.fs, now: opts.now });
    const engine = new SessionEngine(dir, opts);
    try {
      await engine.recover();
    } catch (e) {
      await dir.close().catch(() => undefined);
      throw e;
    }
    return engine;
  }

  get journalDir(): string {
    return this.dir.dir;
  }

  private report(d: EngineDiagnostic): void {
    this.diagnostics.push(d);
    if (this.diagnostics.length > 1000) this.diagnostics.shift();
    this.opts.onDiagnostic?.(d);
  }

  private reportJournal(d: JournalDiagnostic): void {
    this.report({
      code: d.code,
      message: d.message,
      sessionId: d.sessionId,
      line: d.line,
      offset: d.offset,
    });
  }

  private async recover(): Promise<void> {
    for (const d of this.dir.diagnostics) this.reportJournal(d);
    for (const id of await this.dir.listArchived()) this.archived.add(id);
    const pending: RestoredItem[] = [];
    const acked: AckRecord[] = [];
    const dead: RestoredItem[] = [];
    const finished: string[] = [];
    for (const id of await this.dir.listSessions()) {
      const live = await this.load(id);
      if (phaseOf(live.fold.snapshot) === 'complete') finished.push(id);
      for (const item of live.fold.pending) pending.push({ item });
      acked.push(...live.fold.acked);
      for (const item of live.fold.dead) dead.push({ item });
    }
    this.queue = WorkQueue.restore(
      {
        now: this.opts.monotonic ?? (() => performance.now()),
        defaultLeaseMs: this.opts.leaseMs,
        maxAttempts: this.opts.maxAttempts,
        epoch: randomBytes(6)
          .toString('base64url')
          .replace(/[^A-Za-z0-9]/g, 'x'),
        onDiagnostic: (d) => this.onQueueDiagnostic(d),
      },
      { pending, acked, deadLettered: dead },
    );
    // A crash between a session's completion and its archiving leaves it here: finish the move now.
    for (const id of finished) await this.archive(id);
  }

  /** Opens and replays one session (snapshot + tail when the snapshot matches). */
  private async load(id: string): Promise<LiveSession> {
    const journal = await this.dir.openSession(id);
    for (const d of journal.diagnostics) this.reportJournal(d);
    const read = await journal.readSnapshot<PersistedFold>();
    let fold: SessionFold | undefined;
    if (read.snapshot !== undefined) {
      try {
        fold = replayRecords(id, read.tail, restoreFold(id, read.snapshot.state));
      } catch {
        this.report({
          code: 'snapshot_unusable',
          sessionId: id,
          message: `Snapshot of ${id} did not load; replayed the journal.`,
        });
      }
    } else if (read.diagnostic) {
      this.reportJournal(read.diagnostic);
    }
    fold ??= replayRecords(id, journal.records);
    const live: LiveSession = {
      journal,
      fold,
      sinceSnapshot: read.snapshot ? read.tail.length : journal.records.length,
    };
    this.sessions.set(id, live);
    return live;
  }

  /** The live session, loading it from disk after a latch; undefined when it does not exist. */
  private async get(id: string, create: boolean): Promise<LiveSession | undefined> {
    const live = this.sessions.get(id);
    if (live && !live.journal.latched && !live.journal.closed) return live;
    if (!create && !live) return undefined;
    const inflight = this.loading.get(id);
    if (inflight) return inflight;
    const p = this.load(id).finally(() => this.loading.delete(id));
    this.loading.set(id, p);
    const loaded = await p;
    // Whatever a reload finds owed goes (back) into the queue; enqueue is idempotent by id.
    for (const item of loaded.fold.pending) this.queue.enqueue(item);
    return loaded;
  }

  private ensureOpen(): void {
    if (this.closed) throw new LiveVariantsError('engine_closed', 'The session engine is closed.');
  }

  /** Validates a browser event from the wire and submits it. Bad input throws a LiveVariantsError. */
  async submitBrowserEvent(input: unknown): Promise<SubmitResult> {
    const parsed = parseBrowserEvent(input);
    if (!parsed.ok) throw new LiveVariantsError(parsed.error.error, parsed.error.message, parsed.error.field);
    const e = parsed.value;
    const event = sessionEventFromBrowser(e);
    let enqueue: WorkKind | undefined;
    if (event.type === 'browser.generate') enqueue = 'generate';
    else if (this.acceptBy === 'agent' && event.type === 'browser.accept') enqueue = 'accept';
    else if (this.acceptBy === 'agent' && event.type === 'browser.discard') enqueue = 'discard';
    return this.submit(e.sessionId, e.eventId, event, { create: CREATING_EVENTS.has(event.type), enqueue });
  }

  /**
   * Submits a machine event: decided against the session's current state, journaled (as the event when
   * accepted, as a diagnostic when refused) and answered once on disk.
   */
  async submit(
    sessionId: string,
    eventId: string,
    event: SessionEvent,
    opts: SubmitOptions = {},
  ): Promise<SubmitResult> {
    this.ensureOpen();
    if (this.archived.has(sessionId)) return this.answerArchived(sessionId, eventId);
    const live = await this.get(sessionId, opts.create === true);
    if (!live) {
      throw new LiveVariantsError('session_not_found', `No active session ${sessionId}.`, 'sessionId');
    }
    const seen = live.journal.hasEvent(eventId);
    if (seen !== undefined) {
      return { sessionId, seq: seen, duplicate: true, accepted: true, phase: phaseOf(live.fold.snapshot) };
    }
    const decision = decide(live.fold.snapshot, event);
    const { type, ...eventData } = event;
    const data: Record<string, unknown> = decision.accepted
      ? {
          ...opts.extra,
          ...stripUndefined(eventData),
          ...(opts.enqueue ? { enqueue: { kind: opts.enqueue } } : {}),
        }
      : {
          code: decision.diagnostic.code,
          message: decision.diagnostic.message,
          eventType: type,
          state: decision.diagnostic.state,
          event: stripUndefined(eventData),
        };
    const recordType = decision.accepted ? type : DIAGNOSTIC_RECORD;
    const record = await this.append(live, { eventId, type: recordType, data });
    return {
      sessionId,
      seq: record.seq,
      duplicate: record.duplicate,
      accepted: decision.accepted,
      phase: phaseOf(live.fold.snapshot),
      ...(decision.accepted
        ? {}
        : { diagnostic: { code: decision.diagnostic.code, message: decision.diagnostic.message } }),
    };
  }

  /**
   * Appends one record and folds it in. The fold advances before the write resolves so concurrent events
   * are decided in journal order; if the write fails the journal latches and the session reloads from disk.
   */
  private async append(
    live: LiveSession,
    input: { eventId: string; type: string; data: Record<string, unknown> },
  ): Promise<{ seq: number; duplicate: boolean }> {
    const at = this.now().toISOString();
    const seq = live.journal.lastSeq + 1;
    const promise = live.journal.append({ ...input, at });
    // Fold what will be record `seq` now; duplicates were answered before we got here.
    const before = live.fold.pending.map((w) => w.id);
    applyRecord(live.fold, { seq, eventId: input.eventId, type: input.type, at, data: input.data });
    let result: { seq: number; duplicate: boolean };
    try {
      result = await promise;
    } catch (e) {
      // The fold may hold records that never reached disk: forget it; the next access replays the journal.
      if (this.sessions.get(live.fold.sessionId) === live) this.sessions.delete(live.fold.sessionId);
      throw e;
    }
    this.afterDurable(live, before);
    return result;
  }

  private afterDurable(live: LiveSession, pendingBefore: string[]): void {
    const id = live.fold.sessionId;
    const now = new Set(live.fold.pending.map((w) => w.id));
    for (const itemId of pendingBefore) if (!now.has(itemId)) this.queue.cancel(itemId);
    for (const item of live.fold.pending) this.queue.enqueue(item);
    live.sinceSnapshot += 1;
    if (phaseOf(live.fold.snapshot) === 'complete') {
      this.queue.cancelSession(id);
      void this.archive(id).catch((e) =>
        this.report({
          code: 'archive_failed',
          sessionId: id,
          message: `Archiving ${id} failed: ${errMessage(e)}`,
        }),
      );
    } else if (live.sinceSnapshot >= this.snapshotEvery) {
      live.sinceSnapshot = 0;
      void this.writeSnapshot(live);
    }
    this.opts.onChange?.(id);
  }

  private async writeSnapshot(live: LiveSession): Promise<void> {
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

  private readonly archiving = new Set<Promise<void>>();

  private async archive(id: string): Promise<void> {
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

  private answerArchived(sessionId: string, _eventId: string): SubmitResult {
    return {
      sessionId,
      seq: 0,
      duplicate: false,
      accepted: false,
      phase: 'complete',
      diagnostic: {
        code: 'session_complete',
        message: `Session ${sessionId} is complete; the event changes nothing.`,
      },
    };
  }

  // ---- work queue ----

  /** Leases the best owed item (sync; the bridge parks polls that get nothing). */
  lease(request: LeaseRequest = {}): LeaseGrant | undefined {
    this.ensureOpen();
    return this.queue.lease(request);
  }

  extend(leaseId: string, ms: number) {
    return this.queue.extend(leaseId, ms);
  }

  /** Validates an agent's result, journals the ack (and the machine event it causes), then commits it. */
  async ack(leaseId: string, input: unknown): Promise<AckResult> {
    this.ensureOpen();
    const parsed = parseAgentResult(input);
    if (!parsed.ok) throw new LiveVariantsError(parsed.error.error, parsed.error.message, parsed.error.field);
    const plan = this.queue.checkAck(leaseId, parsed.value);
    const live = await this.get(plan.sessionId, false);
    if (plan.duplicate || !live) {
      this.queue.commitAck(plan);
      return {
        itemId: plan.itemId,
        sessionId: plan.sessionId,
        kind: plan.kind,
        seq: live?.journal.hasEvent(ackEventId(plan.itemId)) ?? 0,
        duplicate: true,
        accepted: true,
        phase: live ? phaseOf(live.fold.snapshot) : 'complete',
      };
    }
    const event = sessionEventFromAgent(parsed.value);
    const decision = decide(live.fold.snapshot, event);
    const { type, ...eventData } = event;
    // An agent that asks to retry a generate owes the generate again.
    const requeue = parsed.value.type === 'retry' && plan.kind === 'generate' && decision.accepted;
    const data: Record<string, unknown> = {
      itemId: plan.itemId,
      kind: plan.kind,
      leaseId,
      result: plan.result,
      ...(decision.accepted ? { event: { type, data: stripUndefined(eventData) } } : {}),
      ...(decision.accepted ? {} : { code: decision.diagnostic.code, message: decision.diagnostic.message }),
      ...(requeue ? { enqueue: { kind: 'generate' } } : {}),
    };
    const appended = await this.append(live, { eventId: ackEventId(plan.itemId), type: ACK_RECORD, data });
    this.queue.commitAck(plan);
    return {
      itemId: plan.itemId,
      sessionId: plan.sessionId,
      kind: plan.kind,
      seq: appended.seq,
      duplicate: appended.duplicate,
      accepted: decision.accepted,
      phase: phaseOf(live.fold.snapshot),
      ...(decision.accepted
        ? {}
        : { diagnostic: { code: decision.diagnostic.code, message: decision.diagnostic.message } }),
    };
  }

  /**
   * Owes a kind of work again (resume): re-emits the latest event that owed it, unless such an item is
   * already owed. Returns the new item id, or undefined when nothing was re-emitted.
   */
  async requeue(sessionId: string, kind: WorkKind): Promise<string | undefined> {
    this.ensureOpen();
    const live = await this.get(sessionId, false);
    if (!live || phaseOf(live.fold.snapshot) === 'complete') return undefined;
    if (live.fold.pending.some((w) => w.kind === kind)) return undefined;
    const records = live.journal.records;
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i];
      const owedKind = (r.data.enqueue as { kind?: unknown } | undefined)?.kind;
      if (r.type !== SOURCE_OF_KIND[kind] && owedKind !== kind) continue;
      const { enqueue: _e, event: _ev, originalType: _o, ...data } = r.data;
      const originalType = r.type === REQUEUE_RECORD ? r.data.originalType : r.type;
      const appended = await this.append(live, {
        eventId: `requeue:${kind}:${live.journal.lastSeq + 1}`,
        type: REQUEUE_RECORD,
        data: { ...data, originalType, enqueue: { kind } },
      });
      return live.fold.pending.find((w) => w.id.endsWith(`-${appended.seq}`))?.id;
    }
    return undefined;
  }

  /** Returns expired leases to delivery; dead letters are journaled. */
  expire(): QueueDiagnostic[] {
    return this.queue.expire();
  }

  nextWakeAt(): number | undefined {
    return this.queue.nextWakeAt();
  }

  owed(sessionId?: string): OwedItem[] {
    return this.queue.owed(sessionId);
  }

  revokeAgent(agentId: string, reason: string) {
    return this.queue.revoke({ agentId }, reason);
  }

  takeInterrupt(agentId: string) {
    return this.queue.takeInterrupt(agentId);
  }

  private onQueueDiagnostic(d: QueueDiagnostic): void {
    this.report({ code: d.code, sessionId: d.sessionId, message: d.message });
    if (d.code !== 'dead_lettered') return;
    const live = this.sessions.get(d.sessionId);
    if (!live) return;
    void this.append(live, {
      eventId: deadLetterEventId(d.itemId),
      type: DEAD_LETTER_RECORD,
      data: { itemId: d.itemId, attempts: d.attempts },
    }).catch((e) =>
      this.report({ code: 'dead_letter_not_recorded', sessionId: d.sessionId, message: errMessage(e) }),
    );
  }

  /** Whether the machine would accept `event` now (no journal write): lets observers skip no-op events. */
  wouldAccept(sessionId: string, event: SessionEvent): boolean {
    const live = this.sessions.get(sessionId);
    return live !== undefined && decide(live.fold.snapshot, event).accepted;
  }

  // ---- reading ----

  /** The session's phase without building a view (hot path: every durable change asks it). */
  phase(sessionId: string): string | undefined {
    const live = this.sessions.get(sessionId);
    return live ? phaseOf(live.fold.snapshot) : undefined;
  }

  view(sessionId: string): SessionView | undefined {
    const live = this.sessions.get(sessionId);
    return live ? viewOf(live.fold, live.journal.byteLength) : undefined;
  }

  activeSessions(): SessionView[] {
    return [...this.sessions.values()].map((l) => viewOf(l.fold, l.journal.byteLength));
  }

  /** Ids of completed (archived) sessions; names only, their journals are not read. */
  archivedSessions(): string[] {
    return [...this.archived];
  }

  isArchived(sessionId: string): boolean {
    return this.archived.has(sessionId);
  }

  records(sessionId: string): readonly JournalRecord[] {
    return this.sessions.get(sessionId)?.journal.records ?? [];
  }

  /** Writes a snapshot of every active session and releases the journal lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const live of this.sessions.values()) {
      if (live.sinceSnapshot > 0 && !live.journal.latched) await this.writeSnapshot(live);
    }
    await Promise.allSettled([...this.archiving]);
    await this.dir.close();
  }
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
