// The queue's per-item record while an item is not yet acked, and the three orders the queue keeps.
import { KIND_RANK, type WorkItem } from './types';

export interface Entry {
  readonly item: WorkItem;
  /** Enqueue order: breaks ties between equal arrivals. */
  readonly seq: number;
  readonly rank: number;
  state: 'ready' | 'leased' | 'dead';
  /** Fence of the latest delivery in this epoch; 0 = never delivered. */
  fence: number;
  /** The latest delivery was revoked: its lease can no longer ack. */
  revoked: boolean;
  /** Deliveries that expired without an ack. */
  expiries: number;
  leaseUntil: number;
  agentId: string | undefined;
}

export function newEntry(item: WorkItem, seq: number): Entry {
  return {
    item,
    seq,
    rank: KIND_RANK[item.kind],
    state: 'ready',
    fence: 0,
    revoked: false,
    expiries: 0,
    leaseUntil: 0,
    agentId: undefined,
  };
}

/** Within one kind's ready heap. */
export const byArrival = (a: Entry, b: Entry): boolean =>
  a.item.arrival < b.item.arrival || (a.item.arrival === b.item.arrival && a.seq < b.seq);

/** Delivery order across kinds (a comparator for sort). */
export const byPriority = (a: Entry, b: Entry): number =>
  a.rank - b.rank || a.item.arrival - b.item.arrival || a.seq - b.seq;

/** The expiry heap. */
export const byLeaseUntil = (a: Entry, b: Entry): boolean =>
  a.leaseUntil < b.leaseUntil || (a.leaseUntil === b.leaseUntil && a.seq < b.seq);
