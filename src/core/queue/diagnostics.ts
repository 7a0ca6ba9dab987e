// The diagnostics an expired delivery produces; the session engine journals them (and can count attempts
// from them for `restore`).
import type { Entry } from './entry';
import type { QueueDiagnostic } from './types';

/** Call after `entry.expiries` counts this expiry; `dead` says whether it was the last allowed one. */
export function expiryDiagnostic(
  entry: Entry,
  leaseId: string,
  maxAttempts: number,
  dead: boolean,
): QueueDiagnostic {
  const { id, kind, sessionId } = entry.item;
  const n = entry.expiries;
  const d: QueueDiagnostic = {
    code: dead ? 'dead_lettered' : 'lease_expired',
    itemId: id,
    sessionId,
    attempts: n,
    leaseId,
    message: dead
      ? `The ${kind} item ${id} of session ${sessionId} was dead-lettered: ${n} deliveries expired without an ack; it is no longer delivered.`
      : `Lease ${leaseId} on the ${kind} item ${id} expired (attempt ${n} of ${maxAttempts}); the item is deliverable again.`,
  };
  if (entry.agentId !== undefined) d.agentId = entry.agentId;
  return d;
}
