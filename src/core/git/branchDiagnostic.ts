// Every session records the branch and HEAD it was created on (DESIGN.md §5). When the workspace is on
// another branch now, the session's markers may be missing from the files simply because this branch never
// had them: status must show this diagnostic and suggest switching back, and the reconciler must NOT take
// missing markers as proof that cleanup happened (no synthetic completion while this diagnostic stands).
import type { StatusDiagnostic } from '../status/types';

export interface BranchPoint {
  /** null: HEAD was detached. */
  branch: string | null;
  /** null: unborn branch, or unknown. */
  head: string | null;
}

export interface SessionBranch extends BranchPoint {
  sessionId: string;
}

export interface BranchDiagnostic extends StatusDiagnostic {
  code: 'branch_changed';
  sessionId: string;
  /** The command that returns the workspace to the session's branch (or commit). */
  suggestedAction: string;
  expected: BranchPoint;
  current: BranchPoint;
}

const SHELL_SAFE = /^[A-Za-z0-9._/@+,=:-]+$/;

/** Quotes a branch name for a POSIX shell when it holds anything beyond the usual ref characters. */
export function shellQuote(s: string): string {
  return SHELL_SAFE.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function short(oid: string | null): string {
  return oid === null ? 'no commit' : oid.slice(0, 7);
}

/** `branch "main"` or `a detached HEAD at 1a2b3c4`, for messages. */
export function describeBranchPoint(p: BranchPoint): string {
  return p.branch !== null ? `branch ${JSON.stringify(p.branch)}` : `a detached HEAD at ${short(p.head)}`;
}

/**
 * A `branch_changed` diagnostic when the workspace left the session's branch; null when it did not, or when
 * either side is unknown (no repository then or now). New commits on the same branch are not a change. A
 * session started on a detached HEAD is compared by commit.
 */
export function branchDiagnostic(
  session: SessionBranch,
  current: BranchPoint | null,
): BranchDiagnostic | null {
  if (current === null) return null;
  if (session.branch === null && session.head === null) return null;
  let suggestedAction: string;
  if (session.branch !== null) {
    if (current.branch === session.branch) return null;
    suggestedAction = `git switch ${shellQuote(session.branch)}`;
  } else {
    if (current.head === session.head) return null;
    suggestedAction = `git switch --detach ${session.head}`;
  }
  const expected = { branch: session.branch, head: session.head };
  return {
    code: 'branch_changed',
    sessionId: session.sessionId,
    message:
      `Session ${session.sessionId} was started on ${describeBranchPoint(expected)}, but the workspace is now on ` +
      `${describeBranchPoint(current)}. Its markers may be missing here only because this branch never had them: ` +
      `run \`${suggestedAction}\` before writing, accepting or cleaning up; nothing is treated as complete meanwhile.`,
    suggestedAction,
    expected,
    current: { branch: current.branch, head: current.head },
  };
}
