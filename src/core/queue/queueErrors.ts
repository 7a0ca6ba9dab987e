// The two refusals an agent sees for a lease id (HTTP 404-ish and 409 at the bridge).
import { LiveVariantsError } from '../errors';

export function unknownLease(leaseId: unknown): LiveVariantsError {
  const shown = typeof leaseId === 'string' ? JSON.stringify(leaseId.slice(0, 80)) : 'the given value';
  return new LiveVariantsError(
    'unknown_lease',
    `No lease ${shown} was issued for work that is still owed (it may have been cancelled); poll for work.`,
    'leaseId',
  );
}

export function superseded(leaseId: string, why: string, verb = 'ack'): LiveVariantsError {
  return new LiveVariantsError(
    'lease_superseded',
    `Cannot ${verb} with lease ${leaseId}: ${why}.`,
    'leaseId',
  );
}
