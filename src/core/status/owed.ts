// A session's owed work as status shows it: the queue's view (leases) merged with what the journal fold
// owes, lease times turned into wall-clock ISO times, expired leases shown as ready again.

import type { SessionView } from '../engine/view';
import { KIND_RANK, type Lease, type OwedItem, type WorkItem } from '../queue/types';
import type { LeaseInfo, OwedStatus, StatusDiagnostic } from './types';

export interface LeaseClock {
  now: Date;
  /** The queue clock's reading at `now`. */
  queueNow: number;
}

export function leaseInfo(lease: Lease, kind: string, clock: LeaseClock): LeaseInfo {
  const ms = clock.now.getTime() + (lease.leaseUntil - clock.queueNow);
  const until = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms) : clock.now;
  return {
    leaseId: lease.leaseId,
    itemId: lease.itemId,
    kind,
    leaseUntil: until.toISOString(),
    ...(lease.agentId !== undefined ? { agentId: lease.agentId } : {}),
  };
}

function arrivedAt(item: WorkItem): string | null {
  const at = item.payload.at;
  return typeof at === 'string' ? at : null;
}

export function owedStatuses(
  view: SessionView,
  queued: readonly OwedItem[],
  clock: LeaseClock,
): { owed: OwedStatus[]; diagnostics: StatusDiagnostic[] } {
  const diagnostics: StatusDiagnostic[] = [];
  const byId = new Map<string, { item: WorkItem; status: OwedStatus }>();
  for (const o of queued) {
    if (o.item.sessionId !== view.sessionId || byId.has(o.item.id)) continue;
    let lease: LeaseInfo | null = null;
    if (o.state === 'leased' && o.lease !== undefined) {
      if (o.lease.leaseUntil <= clock.queueNow) {
        const expired = leaseInfo(o.lease, o.item.kind, clock);
        diagnostics.push({
          code: 'lease_expired',
          message: `Lease ${o.lease.leaseId} on ${o.item.kind} work ${o.item.id} expired at ${expired.leaseUntil}; the work will be handed out again`,
          sessionId: view.sessionId,
        });
      } else {
        lease = leaseInfo(o.lease, o.item.kind, clock);
      }
    }
    byId.set(o.item.id, {
      item: o.item,
      status: {
        itemId: o.item.id,
        kind: o.item.kind,
        state: lease === null ? 'ready' : 'leased',
        attempts: o.attempts,
        arrivedAt: arrivedAt(o.item),
        lease,
      },
    });
  }
  // Without a bridge there is no queue: what the journal owes is simply ready.
  for (const item of view.pending) {
    if (byId.has(item.id)) continue;
    byId.set(item.id, {
      item,
      status: {
        itemId: item.id,
        kind: item.kind,
        state: 'ready',
        attempts: 0,
        arrivedAt: arrivedAt(item),
        lease: null,
      },
    });
  }
  for (const item of view.deadLettered) {
    diagnostics.push({
      code: 'work_dead_lettered',
      message: `The ${item.kind} work ${item.id} expired too often without an ack and is no longer delivered; resume the session to owe it again`,
      sessionId: view.sessionId,
    });
  }
  const owed = [...byId.values()]
    .sort((a, b) => KIND_RANK[a.item.kind] - KIND_RANK[b.item.kind] || a.item.arrival - b.item.arrival)
    .map((e) => e.status);
  return { owed, diagnostics };
}
