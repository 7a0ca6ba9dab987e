// Whether the bridge (or the extension's editor applier) must hold off acting on a session's source because the
// workspace is on another branch than the session began on (docs/agents.md "Branch context"): there, missing
// markers prove nothing, so an accept/discard would be journaled as "already applied" and the session would
// complete without the user's choice ever reaching its branch.

import type { SessionView } from '../engine';
import { readBranch } from '../git/readBranch';
import { type BranchCheck, checkBranch, isKnownBranch } from './branch';

export async function branchHold(
  root: string,
  view: Pick<SessionView, 'sessionId' | 'branch'>,
): Promise<BranchCheck> {
  if (!isKnownBranch(view.branch)) return { diagnostic: null, holdCompletion: false };
  let current: Parameters<typeof checkBranch>[2];
  try {
    const state = await readBranch(root);
    current = state === null ? null : { branch: state.branch, head: state.head };
  } catch {
    current = 'unreadable';
  }
  return checkBranch(view.sessionId, view.branch, current);
}
