// A read-only picture of one session for status, the bridge's state pushes and the VS Code surface.

import type { BranchPoint } from '../git';
import type { SessionContext } from '../machine';
import { phaseOf } from '../machine';
import type { WorkItem } from '../queue';
import type { FoldDiagnostic, SessionFold } from './fold';

export interface SessionView {
  sessionId: string;
  phase: string;
  context: SessionContext;
  lastSeq: number;
  journalBytes: number;
  pending: WorkItem[];
  deadLettered: WorkItem[];
  diagnostics: FoldDiagnostic[];
  /** The git branch and HEAD the session was created on; null when it recorded none (docs/engine.md). */
  branch: BranchPoint | null;
}

export function viewOf(fold: SessionFold, journalBytes: number): SessionView {
  return {
    sessionId: fold.sessionId,
    phase: phaseOf(fold.snapshot),
    context: fold.snapshot.context,
    lastSeq: fold.lastSeq,
    journalBytes,
    pending: [...fold.pending],
    deadLettered: [...fold.dead],
    diagnostics: [...fold.diagnostics],
    branch: fold.branch === null ? null : { ...fold.branch },
  };
}
