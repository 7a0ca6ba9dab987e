// The work queue's public surface (docs/queue.md).
export { canonicalize, canonicalJson } from './canonicalJson';
export { formatLeaseId, type ParsedLeaseId, parseLeaseId } from './leaseId';
export * from './types';
export { WorkQueue } from './workQueue';
