// Git context of a workspace (branch, HEAD) read without spawning git where possible (docs/agents.md "Branch context").
export {
  type BranchDiagnostic,
  type BranchPoint,
  branchDiagnostic,
  describeBranchPoint,
  type SessionBranch,
  shellQuote,
} from './branchDiagnostic';
export { findGitDir, GitLayoutError, type GitLocation } from './gitDir';
export { type BranchState, type GitRunner, type ReadBranchOptions, readBranch } from './readBranch';
export { findPackedRef, isObjectId, isSafeRefName, parseRefContent, resolveRef } from './refs';
