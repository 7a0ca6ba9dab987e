// The git branch and HEAD a session was created on (DESIGN.md §5). The engine journals them as one
// `session.context` record in the same write and fdatasync as the event that creates the session, so a
// crash keeps both or neither; status compares them with the workspace's branch now (`branch_changed`).

import type { BranchPoint } from '../git';

/** Reads the workspace's branch; null when the workspace is not in a git repository. */
export type ReadBranch = () => Promise<BranchPoint | null>;

/**
 * The journal event id of a session's context record: one per session, and `#` is outside every client
 * event id's alphabet, so no browser or agent event can take it.
 */
export const CONTEXT_EVENT_ID = '#session.context';

/** A git read that has not answered by then is recorded as unknown: creating a session never waits on git. */
export const BRANCH_READ_TIMEOUT_MS = 2_000;

export interface BranchRead {
  /** `{branch: null, head: null}` when there is no repository or it could not be read. */
  point: BranchPoint;
  /** Why the branch is unknown although a repository may exist (a failed or slow read). */
  problem?: string;
}

const UNKNOWN: BranchPoint = { branch: null, head: null };

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The record's data from whatever the reader returned (it may carry more than branch and head). */
export function branchPointOf(value: unknown): BranchPoint {
  if (typeof value !== 'object' || value === null) return { ...UNKNOWN };
  const v = value as Record<string, unknown>;
  return { branch: text(v.branch), head: text(v.head) };
}

/** Runs `read` with a time bound; never rejects. */
export function readBranchBounded(read: ReadBranch, timeoutMs = BRANCH_READ_TIMEOUT_MS): Promise<BranchRead> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ point: { ...UNKNOWN }, problem: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    timer.unref?.();
    const settle = (r: BranchRead) => {
      clearTimeout(timer);
      resolve(r);
    };
    let pending: Promise<BranchPoint | null>;
    try {
      pending = read();
    } catch (e) {
      pending = Promise.reject(e);
    }
    pending.then(
      (point) => settle({ point: branchPointOf(point) }),
      (e: unknown) => settle({ point: { ...UNKNOWN }, problem: e instanceof Error ? e.message : String(e) }),
    );
  });
}
