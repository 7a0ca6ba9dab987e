// The session engine's public shapes: options, results and diagnostics (docs/engine.md).

import type { BranchPoint } from '../git';
import type { JournalFs } from '../journal';
import type { WorkKind } from '../queue';

export type AcceptBy = 'bridge' | 'agent';

export interface EngineOptions {
  journalDir: string;
  now?: () => Date;
  /** Monotonic milliseconds for leases. */
  monotonic?: () => number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Records appended to a session between snapshot rewrites. */
  snapshotEvery?: number;
  /** Who rewrites source on accept/discard: the bridge itself, or an agent through leased work. */
  acceptBy?: AcceptBy;
  fs?: JournalFs;
  /** Every session change after it is durable (state pushes, parked polls). */
  onChange?: (sessionId: string) => void;
  /**
   * Reads the workspace's git branch and HEAD (null: not a repository). When given, the event that creates a
   * session is journaled together with a `session.context` record of them; without it none is written.
   */
  readBranch?: () => Promise<BranchPoint | null>;
  /** Engine diagnostics worth logging (recovery, dead letters, snapshot failures). */
  onDiagnostic?: (d: EngineDiagnostic) => void;
}

export interface EngineDiagnostic {
  code: string;
  message: string;
  sessionId?: string;
  line?: number;
  offset?: number;
}

export interface SubmitResult {
  sessionId: string;
  seq: number;
  duplicate: boolean;
  /** False when the machine refused the event: it was journaled as a diagnostic and changed nothing. */
  accepted: boolean;
  phase: string;
  diagnostic?: { code: string; message: string };
}

export interface SubmitOptions {
  /** Create the session when it does not exist (browser generate and source-marker sessions do). */
  create?: boolean;
  /** Work the event owes when the machine accepts it. */
  enqueue?: WorkKind;
  /** Extra record data the machine ignores (for example the edit an accept made). */
  extra?: Record<string, unknown>;
}

export interface AckResult {
  itemId: string;
  sessionId: string;
  kind: WorkKind;
  seq: number;
  duplicate: boolean;
  accepted: boolean;
  phase: string;
  diagnostic?: { code: string; message: string };
}
