// Branch context in status (DESIGN.md §5, docs/agents.md "Branch context"): the branch a session was created
// on (its `session.context` record, which the engine's fold exposes as `SessionView.branch`) against the
// workspace's branch now. While they differ, the session's markers may be missing only because this branch
// never had them, so nothing about its source is taken as proof of completion.

import { type BranchDiagnostic, branchDiagnostic } from '../git/branchDiagnostic';
import type { BranchInfo } from './types';

export interface BranchCheck {
  /** `branch_changed` when the workspace left the session's branch. */
  diagnostic: BranchDiagnostic | null;
  /** True when missing markers prove nothing: the branch differs, or it could not be read. */
  holdCompletion: boolean;
}

/** Whether a session recorded where it began (a record of `{branch: null, head: null}` says nothing). */
export function isKnownBranch(b: BranchInfo | null): b is BranchInfo {
  return b !== null && (b.branch !== null || b.head !== null);
}

export function checkBranch(
  sessionId: string,
  recorded: BranchInfo | null,
  current: BranchInfo | null | 'unreadable',
): BranchCheck {
  if (!isKnownBranch(recorded)) return { diagnostic: null, holdCompletion: false };
  if (current === 'unreadable') return { diagnostic: null, holdCompletion: true };
  const diagnostic = branchDiagnostic({ sessionId, ...recorded }, current);
  return { diagnostic, holdCompletion: diagnostic !== null };
}
