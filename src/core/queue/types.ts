// The work queue's public contract (see docs/queue.md). Pure data: the queue itself holds no I/O, the clock
// is injected, and durability is the caller's (it journals enqueues and acks and restores after a restart).

export const WORK_KINDS = ['accept', 'discard', 'carbonize_cleanup', 'answer', 'generate'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** Lower rank is delivered first; accept and discard share the top rank and tie by arrival. */
export const KIND_RANK: Readonly<Record<WorkKind, number>> = {
  accept: 0,
  discard: 0,
  carbonize_cleanup: 1,
  answer: 2,
  generate: 3,
};

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface WorkItem {
  id: string;
  sessionId: string;
  kind: WorkKind;
  payload: Record<string, unknown>;
  /** Caller-supplied monotone order (journal seq or a counter); equal values tie by enqueue order. */
  arrival: number;
}

/** Where an item is: deliverable, out on a lease, dead-lettered, or done. */
export type ItemState = 'ready' | 'leased' | 'dead' | 'acked';

export interface Lease {
  /** `<itemId>@<epoch>.<fence>`: names one delivery of one item (a fencing token). */
  leaseId: string;
  itemId: string;
  /** Strictly increasing per item per delivery within one queue epoch. */
  fence: number;
  /** Clock time at which the lease expires (expiry happens when `now() >= leaseUntil`). */
  leaseUntil: number;
  /** 1 + the number of earlier deliveries of this item that expired without an ack. */
  attempt: number;
  agentId?: string;
}

export interface LeaseGrant {
  lease: Lease;
  item: WorkItem;
}

export interface LeaseRequest {
  /** Only these kinds (at least one); omitted = every kind. */
  kinds?: readonly WorkKind[];
  agentId?: string;
  /** Defaults to the queue's `defaultLeaseMs`. */
  leaseMs?: number;
}

export interface EnqueueResult {
  /** False when the id was already known: the call changed nothing. */
  enqueued: boolean;
  /** The item's state after the call. */
  state: ItemState;
}

/** What an ack records, and what `restore` takes back: enough to answer re-acks idempotently. */
export interface AckRecord {
  itemId: string;
  sessionId: string;
  kind: WorkKind;
  /** Canonical form of the agent's result (object keys sorted, undefined members dropped). */
  result: JsonValue;
}

/** Returned by `checkAck`: what `commitAck` will record. Journal it (unless `duplicate`), then commit. */
export interface AckPlan extends AckRecord {
  leaseId: string;
  /** The identical result is already recorded: nothing to journal, answer success. */
  duplicate: boolean;
}

export interface AckOutcome extends AckRecord {
  duplicate: boolean;
}

export type QueueDiagnosticCode = 'lease_expired' | 'dead_lettered';

export interface QueueDiagnostic {
  code: QueueDiagnosticCode;
  itemId: string;
  sessionId: string;
  /** Expired deliveries so far, this one included. */
  attempts: number;
  leaseId: string;
  agentId?: string;
  message: string;
}

export interface InterruptNotice {
  type: 'interrupt';
  reason: string;
}

export type RevokeTarget = { agentId: string } | { leaseId: string };

export interface OwedItem {
  item: WorkItem;
  state: 'ready' | 'leased';
  /** Expired deliveries so far. */
  attempts: number;
  /** Present while the item is out on a lease. */
  lease?: Lease;
}

export interface DeadLetter {
  item: WorkItem;
  attempts: number;
}

export interface QueueStats {
  ready: number;
  leased: number;
  acked: number;
  deadLettered: number;
  readyByKind: Record<WorkKind, number>;
  nextWakeAt?: number;
}

export interface RestoredItem {
  item: WorkItem;
  /** Expired deliveries recorded before the restart; default 0. */
  attempts?: number;
}

/** What a journal holds about the queue: restore builds a queue from it after a restart. */
export interface RestoreState {
  pending: readonly RestoredItem[];
  acked: readonly AckRecord[];
  deadLettered?: readonly RestoredItem[];
}

export interface WorkQueueOptions {
  /** Monotonic milliseconds (production: `performance.now`-based). */
  now: () => number;
  /** Deliveries that may expire unacked before the item is dead-lettered; default 5. */
  maxAttempts?: number;
  /** Lease length when a request names none; default 60,000. */
  defaultLeaseMs?: number;
  /** Upper bound for a requested lease or extension; default 3,600,000. */
  maxLeaseMs?: number;
  /**
   * Distinguishes this queue's lease ids from those of an earlier process life ([A-Za-z0-9_-]{1,24};
   * default "0"). Fences restart after a restore, so a restored queue must get a fresh epoch.
   */
  epoch?: string;
  /** Receives every expiry and dead-letter diagnostic, whichever call triggered it. */
  onDiagnostic?: (diagnostic: QueueDiagnostic) => void;
}
