// The session engine: the one durable owner of live sessions. It validates events, lets the machine decide,
// appends to the session's journal (acknowledging only once the record is on disk), and keeps the work
// queue in step with the journal. Sessions in memory and on disk are the store's (sessionStore.ts), the write
// path is the writer's (sessionWriter.ts), and what each input journals is recordData.ts's.

import { randomBytes } from 'node:crypto';
import { LiveVariantsError } from '../errors';
import { type JournalDir, type JournalRecord, openJournalDir } from '../journal';
import {
  decide,
  eventFromRecord,
  phaseOf,
  type SessionEvent,
  sessionEventFromAgent,
  sessionEventFromBrowser,
} from '../machine';
import { type AgentResult, parseAgentResult, parseBrowserEvent } from '../protocol';
import {
  type AckPlan,
  type LeaseGrant,
  type LeaseRequest,
  type OwedItem,
  type QueueDiagnostic,
  type WorkKind,
  WorkQueue,
} from '../queue';
import { type BranchRead, CONTEXT_EVENT_ID, readBranchBounded } from './branchContext';
import { recordedEvent } from './fold';
import {
  acceptedEventData,
  ackRecord,
  refusalOf,
  requeueRecord,
  stripUndefined,
  submittedRecord,
} from './recordData';
import { ackEventId, DEAD_LETTER_RECORD, deadLetterEventId, SESSION_CONTEXT_RECORD } from './records';
import { errMessage, type LiveSession, SessionStore } from './sessionStore';
import { SessionWriter } from './sessionWriter';
import type {
  AcceptBy,
  AckResult,
  EngineDiagnostic,
  EngineOptions,
  SubmitOptions,
  SubmitResult,
} from './types';
import { type SessionView, viewOf } from './view';

const CREATING_EVENTS = new Set(['browser.generate']);

export class SessionEngine {
  readonly diagnostics: EngineDiagnostic[] = [];
  private readonly store: SessionStore;
  private queue!: WorkQueue;
  private writer!: SessionWriter;
  private closed = false;
  private readonly now: () => Date;
  private readonly acceptBy: AcceptBy;
  private readonly snapshotEvery: number;
  /** Acks being journaled, by item: a concurrent ack of the same item waits for it. */
  private readonly acking = new Map<string, Promise<AckResult>>();

  private constructor(
    dir: JournalDir,
    private readonly opts: EngineOptions,
  ) {
    this.store = new SessionStore(dir, (d) => this.report(d));
    this.now = opts.now ?? (() => new Date());
    this.acceptBy = opts.acceptBy ?? 'bridge';
    this.snapshotEvery = opts.snapshotEvery ?? 500;
  }

  /** Opens the journal directory (taking the writer lock) and recovers every active session. */
  static async open(opts: EngineOptions): Promise<SessionEngine> {
    const dir = await openJournalDir(opts.journalDir, { fs: opts.fs, now: opts.now });
    const engine = new SessionEngine(dir, opts);
    try {
      const work = await engine.store.recover();
      engine.queue = WorkQueue.restore(
        {
          now: opts.monotonic ?? (() => performance.now()),
          defaultLeaseMs: opts.leaseMs,
          maxAttempts: opts.maxAttempts,
          epoch: randomBytes(6)
            .toString('base64url')
            .replace(/[^A-Za-z0-9]/g, 'x'),
          onDiagnostic: (d) => engine.onQueueDiagnostic(d),
        },
        work,
      );
      engine.writer = new SessionWriter({
        store: engine.store,
        queue: engine.queue,
        now: engine.now,
        snapshotEvery: engine.snapshotEvery,
        report: (d) => engine.report(d),
        onChange: opts.onChange,
      });
    } catch (e) {
      await dir.close().catch(() => undefined);
      throw e;
    }
    return engine;
  }

  get journalDir(): string {
    return this.store.dir.dir;
  }

  private report(d: EngineDiagnostic): void {
    this.diagnostics.push(d);
    if (this.diagnostics.length > 1000) this.diagnostics.shift();
    this.opts.onDiagnostic?.(d);
  }

  /** The live session; whatever a reload from disk finds owed goes (back) into the queue (idempotent by id). */
  private get(id: string, create: boolean): Promise<LiveSession | undefined> {
    return this.store.get(id, create, (loaded) => {
      for (const item of loaded.fold.pending) this.queue.enqueue(item);
    });
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
   * accepted, as a diagnostic when refused) and answered once on disk. The event that creates a session is
   * followed, in the same write, by its `session.context` record (when the engine reads branches).
   */
  async submit(
    sessionId: string,
    eventId: string,
    event: SessionEvent,
    opts: SubmitOptions = {},
  ): Promise<SubmitResult> {
    this.ensureOpen();
    if (this.store.isArchived(sessionId)) return this.answerArchived(sessionId);
    const create = opts.create === true;
    // A new session's branch is read while its journal file is created: the two overlap.
    const branchRead = create ? this.startBranchRead(sessionId) : undefined;
    const live = await this.get(sessionId, create);
    if (!live) {
      throw new LiveVariantsError('session_not_found', `No active session ${sessionId}.`, 'sessionId');
    }
    const branch = branchRead === undefined ? undefined : await branchRead;
    const inflight = live.inflight.get(eventId);
    const seen = live.journal.hasEvent(eventId) ?? (inflight && (await inflight).seq);
    if (seen !== undefined) {
      return { sessionId, seq: seen, duplicate: true, accepted: true, phase: phaseOf(live.fold.snapshot) };
    }
    // From here to the append nothing awaits: the decision and the fold advance together.
    const { type, ...fields } = event;
    const eventData = stripUndefined(fields);
    const accepted = acceptedEventData(eventData, opts);
    // Decide the event exactly as replay will read it back from the record.
    const replayed = recordedEvent(type, accepted);
    const from = live.fold.snapshot;
    const decision = decide(from, replayed ?? event);
    const records = [submittedRecord(eventId, type, eventData, accepted, decision)];
    const creating = decision.accepted && live.fold.branch === null && from.context.generation === 0;
    if (branch !== undefined && creating && CREATING_EVENTS.has(type)) {
      records.push({ eventId: CONTEXT_EVENT_ID, type: SESSION_CONTEXT_RECORD, data: { ...branch.point } });
      if (branch.problem !== undefined) {
        this.report({
          code: 'branch_unreadable',
          sessionId,
          message: `The git branch of session ${sessionId} is recorded as unknown: ${branch.problem}.`,
        });
      }
    }
    const decided = decision.accepted && replayed !== undefined ? { from, next: decision.next } : undefined;
    const appended = await this.writer.append(live, records, decided);
    return {
      sessionId,
      seq: appended.seq,
      duplicate: appended.duplicate,
      accepted: decision.accepted,
      phase: phaseOf(live.fold.snapshot),
      ...refusalOf(decision),
    };
  }

  /** Starts reading the branch for a session not yet in memory (so possibly new); undefined otherwise. */
  private startBranchRead(sessionId: string): Promise<BranchRead> | undefined {
    const read = this.opts.readBranch;
    if (read === undefined || this.store.peek(sessionId) !== undefined) return undefined;
    return readBranchBounded(read);
  }

  private answerArchived(sessionId: string): SubmitResult {
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
    const running = this.acking.get(plan.itemId);
    if (running !== undefined && !plan.duplicate) {
      // An ack of this item is being journaled: once it is committed, this one is its duplicate or refused.
      await running.catch(() => undefined);
      return this.ack(leaseId, input);
    }
    const done = this.ackPlanned(plan, leaseId, parsed.value);
    if (plan.duplicate) return done;
    this.acking.set(plan.itemId, done);
    try {
      return await done;
    } finally {
      this.acking.delete(plan.itemId);
    }
  }

  private async ackPlanned(plan: AckPlan, leaseId: string, result: AgentResult): Promise<AckResult> {
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
    const event = sessionEventFromAgent(result);
    const { type, ...fields } = event;
    const data = stripUndefined(fields);
    // Decide the event exactly as replay will read it back from the ack record.
    const replayed = eventFromRecord({ type, data });
    const from = live.fold.snapshot;
    const decision = decide(from, replayed ?? event);
    // An agent that asks to retry a generate owes the generate again.
    const requeue = result.type === 'retry' && plan.kind === 'generate' && decision.accepted;
    const record = ackRecord(plan, leaseId, { type, data }, decision, requeue);
    const decided = decision.accepted && replayed !== undefined ? { from, next: decision.next } : undefined;
    const appended = await this.writer.append(live, [record], decided);
    this.queue.commitAck(plan);
    return {
      itemId: plan.itemId,
      sessionId: plan.sessionId,
      kind: plan.kind,
      seq: appended.seq,
      duplicate: appended.duplicate,
      accepted: decision.accepted,
      phase: phaseOf(live.fold.snapshot),
      ...refusalOf(decision),
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
    const record = requeueRecord(live.journal.records, kind, live.journal.lastSeq + 1);
    if (record === undefined) return undefined;
    const appended = await this.writer.append(live, [record]);
    return live.fold.pending.find((w) => w.id.endsWith(`-${appended.seq}`))?.id;
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
    const live = this.store.peek(d.sessionId);
    if (!live) return;
    const record = {
      eventId: deadLetterEventId(d.itemId),
      type: DEAD_LETTER_RECORD,
      data: { itemId: d.itemId, attempts: d.attempts },
    };
    void this.writer
      .append(live, [record])
      .catch((e) =>
        this.report({ code: 'dead_letter_not_recorded', sessionId: d.sessionId, message: errMessage(e) }),
      );
  }

  /** Whether the machine would accept `event` now (no journal write): lets observers skip no-op events. */
  wouldAccept(sessionId: string, event: SessionEvent): boolean {
    const live = this.store.peek(sessionId);
    return live !== undefined && decide(live.fold.snapshot, event).accepted;
  }

  // ---- reading ----

  /** The session's phase without building a view (hot path: every durable change asks it). */
  phase(sessionId: string): string | undefined {
    const live = this.store.peek(sessionId);
    return live ? phaseOf(live.fold.snapshot) : undefined;
  }

  view(sessionId: string): SessionView | undefined {
    const live = this.store.peek(sessionId);
    return live ? viewOf(live.fold, live.journal.byteLength) : undefined;
  }

  activeSessions(): SessionView[] {
    return [...this.store.all()].map((l) => viewOf(l.fold, l.journal.byteLength));
  }

  /** Ids of completed (archived) sessions; names only, their journals are not read. */
  archivedSessions(): string[] {
    return this.store.archivedIds();
  }

  isArchived(sessionId: string): boolean {
    return this.store.isArchived(sessionId);
  }

  records(sessionId: string): readonly JournalRecord[] {
    return this.store.peek(sessionId)?.journal.records ?? [];
  }

  /** Writes a snapshot of every active session and releases the journal lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.store.close();
  }
}
