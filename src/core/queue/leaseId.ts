// Lease ids are fencing tokens: `<itemId>@<epoch>.<fence>`. The suffix after the last "@" never contains
// "@" (epoch and fence have fixed alphabets), so any item id round-trips, and an old delivery's id differs
// from the current one's even for the same item.

export const EPOCH_PATTERN = /^[A-Za-z0-9_-]{1,24}$/;
const SUFFIX = /^([A-Za-z0-9_-]{1,24})\.([1-9][0-9]{0,14})$/;
/** Longer strings are not lease ids this queue could have issued (item ids are at most 256 characters). */
const MAX_LEASE_ID_LENGTH = 300;

export interface ParsedLeaseId {
  itemId: string;
  epoch: string;
  fence: number;
}

export function formatLeaseId(itemId: string, epoch: string, fence: number): string {
  return `${itemId}@${epoch}.${fence}`;
}

/** Undefined for anything that is not a well-formed lease id (including non-strings). */
export function parseLeaseId(leaseId: unknown): ParsedLeaseId | undefined {
  if (typeof leaseId !== 'string' || leaseId.length > MAX_LEASE_ID_LENGTH) return undefined;
  const at = leaseId.lastIndexOf('@');
  if (at <= 0) return undefined;
  const m = SUFFIX.exec(leaseId.slice(at + 1));
  if (m === null) return undefined;
  return { itemId: leaseId.slice(0, at), epoch: m[1], fence: Number(m[2]) };
}
