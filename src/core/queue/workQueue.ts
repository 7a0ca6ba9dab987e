// The in-memory, indexed work queue with leases (DESIGN.md §5, docs/queue.md). Every operation touches only
// the items it concerns: deliverable items sit in one heap per kind ordered by arrival, leases in a heap
// ordered by expiry, pending items are indexed by session and by lease holder, and acked items leave all of
// these for a cold map of recorded results that only re-acks read.
import { LiveVariantsError } from '../errors';
import { canonicalize, canonicalJson } from './canonicalJson';
import { expiryDiagnostic } from './diagnostics';
import { byArrival, byLeaseUntil, byPriority, type Entry, newEntry } from './entry';
import { IndexedHeap } from './indexedHeap';
import { formatLeaseId, type ParsedLeaseId, parseLeaseId } from './leaseId';
import { superseded, unknownLease } from './queueErrors';
import { SetIndex } from './setIndex';
import {
  type AckOutcome,
  type AckPlan,
  type DeadLetter,
  type EnqueueResult,
  type InterruptNotice,
  type ItemState,
  type Lease,
  type LeaseGrant,
  type LeaseRequest,
  type OwedItem,
  type QueueDiagnostic,
  type QueueStats,
  type RestoreState,
  type RevokeTarget,
  WORK_KINDS,
  type WorkItem,
  type WorkKind,
  type WorkQueueOptions,
} from './types';
import {
  resolveOptions,
  validateAgentId,
  validateDuration,
  validateKinds,
  validateReason,
  validateRestoreState,
  validateWorkItem,
} from './validate';

interface AckedInfo {
  sessionId: string;
  kind: WorkKind;
  json: string;
}

export class WorkQueue {
  readonly epoch: string;
  private readonly now: () => number;
  private readonly maxAttempts: number;
  private readonly defaultLeaseMs: number;
  private readonly maxLeaseMs: number;
  private readonly onDiagnostic: ((d: QueueDiagnostic) => void) | undefined;

  /** Every item not yet acked: ready, leased or dead-lettered. */
  private readonly entries = new Map<string, Entry>();
  private readonly acked = new Map<string, AckedInfo>();
  private readonly ready = Object.fromEntries(
    WORK_KINDS.map((k) => [k, new IndexedHeap<string, Entry>(byArrival)]),
  ) as Record<WorkKind, IndexedHeap<string, Entry>>;
  private readonly leases = new IndexedHeap<string, Entry>(byLeaseUntil);
  private readonly dead = new Map<string, Entry>();
  private readonly bySession = new SetIndex();
  private readonly byAgent = new SetIndex();
  private readonly interrupts = new Map<string, InterruptNotice>();
  private seq = 0;

  constructor(options: WorkQueueOptions) {
    const o = resolveOptions(options);
    this.now = o.now;
    this.maxAttempts = o.maxAttempts;
    this.defaultLeaseMs = o.defaultLeaseMs;
    this.maxLeaseMs = o.maxLeaseMs;
    this.epoch = o.epoch;
    this.onDiagnostic = options.onDiagnostic;
  }

  /**
   * Rebuilds a queue after a restart from what the journal holds. No lease survives: every pending item is
   * deliverable at once, keeping its recorded expiry count (capped so it gets at least one more delivery).
   * Acked items are only remembered for re-acks. Records are applied acked first, then dead letters, then
   * pending, each with enqueue/ack semantics (the first record for an id wins). `epoch` is required and
   * must differ from the previous life's, so that its lease ids are refused as superseded.
   */
  static restore(options: WorkQueueOptions & { epoch: string }, state: RestoreState): WorkQueue {
    if (typeof options.epoch !== 'string') {
      throw new LiveVariantsError('invalid_option', 'restore needs a fresh epoch.', 'epoch');
    }
    const q = new WorkQueue(options);
    const valid = validateRestoreState(state);
    for (const a of valid.acked) {
      if (!q.acked.has(a.itemId))
        q.acked.set(a.itemId, { sessionId: a.sessionId, kind: a.kind, json: a.json });
    }
    for (const r of [...valid.deadLettered, ...valid.pending]) {
      if (q.acked.has(r.item.id) || q.entries.has(r.item.id)) continue;
      const entry = q.insert(r.item);
      if (r.dead) {
        entry.expiries = r.attempts;
        q.toDead(entry);
      } else {
        entry.expiries = Math.min(r.attempts, q.maxAttempts - 1);
        q.ready[r.item.kind].push(r.item.id, entry);
      }
    }
    return q;
  }

  /** Idempotent by id: a known id (pending, leased, dead-lettered or acked) changes nothing. */
  enqueue(item: WorkItem): EnqueueResult {
    const valid = validateWorkItem(item);
    const known = this.stateOf(valid.id);
    if (known !== undefined) return { enqueued: false, state: known };
    const entry = this.insert(valid);
    this.ready[valid.kind].push(valid.id, entry);
    return { enqueued: true, state: 'ready' };
  }

  stateOf(itemId: string): ItemState | undefined {
    if (this.acked.has(itemId)) return 'acked';
    return this.entries.get(itemId)?.state;
  }

  /**
   * Leases the best deliverable item among the requested kinds (accept/discard, then carbonize_cleanup,
   * then answer, then generate; ties by arrival), after returning expired leases to delivery.
   */
  lease(request: LeaseRequest = {}): LeaseGrant | undefined {
    const kinds = validateKinds(request.kinds) ?? WORK_KINDS;
    const agentId = validateAgentId(request.agentId);
    const ms = validateDuration(request.leaseMs ?? this.defaultLeaseMs, this.maxLeaseMs, 'leaseMs');
    const t = this.now();
    this.expireAt(t);
    let best: Entry | undefined;
    for (const kind of kinds) {
      const top = this.ready[kind].peek();
      if (top !== undefined && (best === undefined || byPriority(top, best) < 0)) best = top;
    }
    if (best === undefined) return undefined;
    this.ready[best.item.kind].remove(best.item.id);
    best.state = 'leased';
    best.fence += 1;
    best.revoked = false;
    best.leaseUntil = t + ms;
    best.agentId = agentId;
    this.leases.push(best.item.id, best);
    if (agentId !== undefined) this.byAgent.add(agentId, best.item.id);
    return { lease: this.toLease(best), item: best.item };
  }

  /** Moves the current, unexpired lease's expiry to now + ms. */
  extend(leaseId: string, ms: number): Lease {
    const { entry } = this.current(leaseId, 'extend');
    const duration = validateDuration(ms, this.maxLeaseMs, 'ms');
    const t = this.now();
    if (entry.state !== 'leased' || t >= entry.leaseUntil) {
      throw new LiveVariantsError(
        'lease_expired',
        `Lease ${leaseId} has expired and cannot be extended; ack now or poll again.`,
        'leaseId',
      );
    }
    entry.leaseUntil = t + duration;
    this.leases.update(entry.item.id, entry);
    return this.toLease(entry);
  }

  /**
   * Validates an ack without changing anything and returns what would be recorded, so the caller can
   * journal it before answering. Accepted: the item's latest delivery, even when its lease expired, as long
   * as it was not redelivered, revoked, or acked. A superseded lease is refused unless the identical
   * (canonical) result is already recorded, which is an idempotent success (`duplicate: true`).
   */
  checkAck(leaseId: string, result: unknown): AckPlan {
    const parsed = parseLeaseId(leaseId);
    if (parsed === undefined) throw unknownLease(leaseId);
    const canonical = canonicalize(result);
    const recorded = this.acked.get(parsed.itemId);
    if (recorded !== undefined) {
      if (recorded.json !== canonical.json) {
        throw superseded(leaseId, `item ${parsed.itemId} was already acked with a different result`);
      }
      return {
        leaseId,
        itemId: parsed.itemId,
        sessionId: recorded.sessionId,
        kind: recorded.kind,
        result: canonical.value,
        duplicate: true,
      };
    }
    const { entry } = this.current(leaseId, 'ack', parsed);
    const { id, sessionId, kind } = entry.item;
    return { leaseId, itemId: id, sessionId, kind, result: canonical.value, duplicate: false };
  }

  /**
   * Applies a plan from `checkAck` once its journal record is durable. The journal is the truth, so a
   * recorded ack applies even if the lease was superseded meanwhile (a newer delivery then can no longer
   * ack); only a different result recorded first is refused, and the caller must not answer success.
   */
  commitAck(plan: AckPlan): AckOutcome {
    const json = canonicalJson(plan.result);
    const base = { itemId: plan.itemId, sessionId: plan.sessionId, kind: plan.kind, result: plan.result };
    const recorded = this.acked.get(plan.itemId);
    if (recorded !== undefined) {
      if (recorded.json !== json) {
        throw superseded(plan.leaseId, `item ${plan.itemId} was acked with a different result first`);
      }
      return { ...base, sessionId: recorded.sessionId, kind: recorded.kind, duplicate: true };
    }
    const entry = this.entries.get(plan.itemId);
    if (entry !== undefined) this.remove(entry);
    this.acked.set(plan.itemId, { sessionId: plan.sessionId, kind: plan.kind, json });
    return { ...base, duplicate: false };
  }

  /** checkAck + commitAck in one step, for callers that do not journal between them. */
  ack(leaseId: string, result: unknown): AckOutcome {
    return this.commitAck(this.checkAck(leaseId, result));
  }

  /**
   * Revokes an agent's leases (and leaves it an interrupt notice) or one lease (noticing its holder). The
   * items are deliverable again at once; a revocation is not an expiry and does not count as an attempt.
   * Returns the revoked leases in delivery priority order; a lease that is no longer current revokes nothing.
   */
  revoke(target: RevokeTarget, reason: string): Lease[] {
    const why = validateReason(reason);
    const victims: Entry[] = [];
    let noticed: string | undefined;
    if (typeof target === 'object' && target !== null && 'agentId' in target) {
      noticed = validateAgentId(target.agentId ?? '');
      for (const id of this.byAgent.get(noticed!)) victims.push(this.entries.get(id)!);
    } else {
      const leaseId = (target as { leaseId?: unknown } | null)?.leaseId;
      const parsed = parseLeaseId(leaseId);
      if (parsed === undefined) throw unknownLease(leaseId);
      const entry = this.entries.get(parsed.itemId);
      if (entry === undefined && !this.acked.has(parsed.itemId)) throw unknownLease(leaseId);
      if (entry !== undefined && parsed.epoch === this.epoch && parsed.fence > entry.fence) {
        throw unknownLease(leaseId);
      }
      if (entry?.state === 'leased' && parsed.epoch === this.epoch && parsed.fence === entry.fence) {
        victims.push(entry);
        noticed = entry.agentId;
      }
    }
    victims.sort(byPriority);
    const revoked = victims.map((e) => this.toLease(e));
    for (const e of victims) {
      this.release(e);
      e.revoked = true;
      e.state = 'ready';
      this.ready[e.item.kind].push(e.item.id, e);
    }
    if (noticed !== undefined) this.interrupts.set(noticed, { type: 'interrupt', reason: why });
    return revoked;
  }

  /** The agent's pending interrupt notice, once; the latest revocation's reason wins. */
  takeInterrupt(agentId: string): InterruptNotice | undefined {
    const notice = this.interrupts.get(agentId);
    this.interrupts.delete(agentId);
    return notice;
  }

  /** Drops an item that is no longer owed (pending, leased or dead-lettered); acked items stay acked. */
  cancel(itemId: string): WorkItem | undefined {
    const entry = this.entries.get(itemId);
    if (entry === undefined) return undefined;
    this.remove(entry);
    return entry.item;
  }

  /** Drops every unacked item of a session (completed or discarded), in delivery priority order. */
  cancelSession(sessionId: string): WorkItem[] {
    const victims = this.bySession
      .get(sessionId)
      .map((id) => this.entries.get(id)!)
      .sort(byPriority);
    for (const e of victims) this.remove(e);
    return victims.map((e) => e.item);
  }

  /** Returns expired leases to delivery (or dead-letters them) and reports each, in expiry order. */
  expire(): QueueDiagnostic[] {
    return this.expireAt(this.now());
  }

  /** The earliest lease expiry, so a poller can be woken exactly then. */
  nextWakeAt(): number | undefined {
    return this.leases.peek()?.leaseUntil;
  }

  /** Pending and leased items (of one session, or all), in delivery priority order. */
  owed(sessionId?: string): OwedItem[] {
    const source =
      sessionId === undefined
        ? this.entries.values()
        : this.bySession.get(sessionId).map((id) => this.entries.get(id)!);
    const list: Entry[] = [];
    for (const e of source) if (e.state !== 'dead') list.push(e);
    return list.sort(byPriority).map((e) => {
      const owed: OwedItem = { item: e.item, state: e.state as 'ready' | 'leased', attempts: e.expiries };
      if (e.state === 'leased') owed.lease = this.toLease(e);
      return owed;
    });
  }

  /** Dead-lettered items, oldest first. */
  deadLetters(): DeadLetter[] {
    return [...this.dead.values()].map((e) => ({ item: e.item, attempts: e.expiries }));
  }

  stats(): QueueStats {
    const readyByKind = Object.fromEntries(WORK_KINDS.map((k) => [k, this.ready[k].size])) as Record<
      WorkKind,
      number
    >;
    const stats: QueueStats = {
      ready: WORK_KINDS.reduce((n, k) => n + readyByKind[k], 0),
      leased: this.leases.size,
      acked: this.acked.size,
      deadLettered: this.dead.size,
      readyByKind,
    };
    const wake = this.nextWakeAt();
    if (wake !== undefined) stats.nextWakeAt = wake;
    return stats;
  }

  private insert(item: WorkItem): Entry {
    const entry = newEntry(item, this.seq++);
    this.entries.set(item.id, entry);
    this.bySession.add(item.sessionId, item.id);
    return entry;
  }

  /** Takes an entry out of every hot structure (ack or cancel). */
  private remove(e: Entry): void {
    if (e.state === 'ready') this.ready[e.item.kind].remove(e.item.id);
    else if (e.state === 'leased') this.release(e);
    else this.dead.delete(e.item.id);
    this.entries.delete(e.item.id);
    this.bySession.delete(e.item.sessionId, e.item.id);
  }

  /** Ends an active lease's bookkeeping (expiry heap, holder index); the caller sets the new state. */
  private release(e: Entry): void {
    this.leases.remove(e.item.id);
    if (e.agentId !== undefined) this.byAgent.delete(e.agentId, e.item.id);
  }

  private toDead(e: Entry): void {
    e.state = 'dead';
    this.dead.set(e.item.id, e);
  }

  private expireAt(t: number): QueueDiagnostic[] {
    const out: QueueDiagnostic[] = [];
    for (let top = this.leases.peek(); top !== undefined && top.leaseUntil <= t; top = this.leases.peek()) {
      const lease = this.toLease(top);
      this.release(top);
      top.expiries += 1;
      const dead = top.expiries >= this.maxAttempts;
      if (dead) this.toDead(top);
      else {
        top.state = 'ready';
        this.ready[top.item.kind].push(top.item.id, top);
      }
      const d = expiryDiagnostic(top, lease.leaseId, this.maxAttempts, dead);
      out.push(d);
      this.onDiagnostic?.(d);
    }
    return out;
  }

  /** The entry whose latest, unrevoked delivery `leaseId` names; otherwise the precise refusal. */
  private current(leaseId: string, verb: string, known?: ParsedLeaseId): { entry: Entry } {
    const parsed = known ?? parseLeaseId(leaseId);
    if (parsed === undefined) throw unknownLease(leaseId);
    const entry = this.entries.get(parsed.itemId);
    if (entry === undefined) {
      if (this.acked.has(parsed.itemId)) throw superseded(leaseId, `item ${parsed.itemId} is already acked`);
      throw unknownLease(leaseId);
    }
    if (parsed.epoch !== this.epoch) {
      throw superseded(leaseId, 'it was issued before the queue restarted; poll again', verb);
    }
    if (parsed.fence > entry.fence) throw unknownLease(leaseId);
    if (parsed.fence < entry.fence) {
      throw superseded(
        leaseId,
        `item ${entry.item.id} was delivered again since (fence ${entry.fence})`,
        verb,
      );
    }
    if (entry.revoked) throw superseded(leaseId, 'it was revoked (the agent was interrupted)', verb);
    return { entry };
  }

  private toLease(e: Entry): Lease {
    const lease: Lease = {
      leaseId: formatLeaseId(e.item.id, this.epoch, e.fence),
      itemId: e.item.id,
      fence: e.fence,
      leaseUntil: e.leaseUntil,
      attempt: e.expiries + 1,
    };
    if (e.agentId !== undefined) lease.agentId = e.agentId;
    return lease;
  }
}
