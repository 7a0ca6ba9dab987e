// The status report's data (DESIGN.md §6, docs/cli.md "Status report"). Everything here is JSON: the
// report is printed by `live-variants status --json` and served by `GET /v1/status`, so field names are a
// contract and never change silently.

import type { SessionView } from '../engine/view';
import type { ScanResult } from '../markers/types';
import type { OwedItem, WorkKind } from '../queue/types';

export type NextActionKind =
  | 'poll_for_pending_event'
  | 'write_variants'
  | 'continue_writing_variants'
  | 'run_accept_cleanup'
  | 'run_carbonize_cleanup'
  | 'acknowledge_completion'
  | 'persist_fallback_to_true_source'
  | 'restore_discard'
  | 'ask_user_to_reopen_browser'
  | 'no_active_session';

export type ParamValues = Record<string, number | string | boolean>;

export interface LeaseInfo {
  leaseId: string;
  itemId: string;
  kind: string;
  /** ISO time at which the lease runs out and the item is handed out again. */
  leaseUntil: string;
  agentId?: string;
}

/** The git branch and commit a session was created on (its `session.context` record), or the workspace's now. */
export interface BranchInfo {
  /** null: HEAD was detached. */
  branch: string | null;
  /** null: no commit yet (unborn branch), or unknown. */
  head: string | null;
}

/** A file the page stored for the session (the annotated screenshot), as status sees it now. */
export interface ArtifactStatus {
  name: string;
  /** The recorded size; for a file stored without a record, its size now. */
  bytes: number;
  /** Absent for a file stored without a record (a crash between the file and its record, or an older bridge). */
  sha256?: string;
  contentType?: string;
  /** ISO time it was stored (for a file without a record, its modification time). */
  storedAt: string;
  /** The file is there with the recorded size and hash. */
  present: boolean;
}

export interface StatusDiagnostic {
  code: string;
  message: string;
  sessionId?: string;
  /** Workspace-relative, `/`-separated. */
  file?: string;
  /** 1-based. */
  line?: number;
}

export interface NextAction {
  action: NextActionKind;
  reason: string;
  sessionId: string | null;
  /** The journal phase; null for a source session (markers without a journal) and for no session. */
  phase: string | null;
  file: string | null;
  variant: string | null;
  paramValues: ParamValues | null;
  lease: LeaseInfo | null;
  /** The branch the session was created on; null for sessions that did not record one. */
  branch: BranchInfo | null;
  diagnostics: StatusDiagnostic[];
  /** The exact `live-variants` command to run next; absent when the next step is a person's. */
  command?: string;
}

export interface OwedStatus {
  itemId: string;
  kind: WorkKind;
  /** `ready` also covers a lease that ran out but was not yet handed out again. */
  state: 'ready' | 'leased';
  attempts: number;
  /** When the event that owes the work was journaled. */
  arrivedAt: string | null;
  lease: LeaseInfo | null;
}

export interface SessionStatus {
  sessionId: string;
  phase: string;
  /** The phase a stranded session left (it resumes there), else null. */
  strandedFrom: string | null;
  file: string | null;
  variant: string | null;
  paramValues: ParamValues | null;
  lease: LeaseInfo | null;
  branch: BranchInfo | null;
  diagnostics: StatusDiagnostic[];
  /** Files the page stored for the session, by name. */
  artifacts: ArtifactStatus[];
  /** Variants requested. */
  count: number | null;
  /** Numbered variants the scan found in the session's block, or null when no block was found. */
  variantsFound: number | null;
  browserConnected: boolean;
  lastSeq: number;
  lastActivityAt: string | null;
  owed: OwedStatus[];
  nextAction: NextAction;
}

/** Markers in source whose session id has no journal session. */
export interface SourceSessionStatus {
  sessionId: string;
  file: string;
  line: number;
  kind: 'variants' | 'carbonize' | 'param_values';
  mode: 'replace' | 'insert' | null;
  declaredCount: number | null;
  foundCount: number | null;
  generated: boolean;
  /** Well formed and outside generated files: the session can be adopted into the journal. */
  recoverable: boolean;
  nextAction: NextAction;
  diagnostics: StatusDiagnostic[];
}

export interface CompletedSessionStatus {
  sessionId: string;
  outcome: string | null;
  completedAt: string | null;
}

export interface BridgeStatus {
  running: boolean;
  url: string | null;
  agentsOnline: number;
}

/** What the caller records (idempotently: a repeated eventId is a journal no-op) after computing status. */
export type StatusEffect =
  | {
      type: 'record_synthetic_completion';
      sessionId: string;
      eventId: string;
      /** The session is stranded: submit `session.resume` (eventId `resumeEventId`) before the completion. */
      resumeFirst: boolean;
      resumeEventId: string | null;
    }
  | {
      type: 'adopt_source_session';
      sessionId: string;
      eventId: string;
      file: string;
      count: number;
      phase: 'variants_written' | 'accepted_source_pending';
    };

export interface StatusReport {
  v: 1;
  generatedAt: string;
  bridge: BridgeStatus;
  nextAction: NextAction;
  sessions: SessionStatus[];
  sourceSessions: SourceSessionStatus[];
  /** Completed sessions; empty unless `includeCompleted`. */
  completed: CompletedSessionStatus[];
  /** Every diagnostic in the report (sessions', source sessions' and files'), each once. */
  diagnostics: StatusDiagnostic[];
  effects: StatusEffect[];
}

export interface StatusFile {
  /** Workspace-relative, `/`-separated. */
  path: string;
  /** The scan of `text`; computed here from `text` when absent. */
  scan?: ScanResult;
  /** The file's text, needed for the completion check. */
  text?: string;
  /** The caller's generated verdict (git ignores it); the header test is the scan's. */
  generated: boolean;
  error?: { code: string; message: string };
}

export interface StatusInputs {
  now: Date;
  /** Active sessions (a `complete` one here counts as completed). */
  sessions: SessionView[];
  /** Completed sessions. Pass them even without `includeCompleted`: their leftover markers are not adopted. */
  completed?: CompletedSessionStatus[];
  includeCompleted: boolean;
  /** Owed work from the queue (pending and leased). Items a view owes that are missing here count as ready. */
  owed: OwedItem[];
  files: StatusFile[];
  browserConnected: (sessionId: string) => boolean;
  agentsOnline: number;
  bridge: { running: boolean; url: string | null };
  /** The queue clock's reading at `now` (leases run on it); default `now.getTime()`. */
  queueClockNow?: number;
  /** ISO time of each session's last journal record, for ordering ties by most recent activity. */
  lastActivity?: Record<string, string>;
  /** Workspace root, to make absolute file names in session contexts workspace-relative. */
  root?: string;
  /** Report on this session only (`GET /v1/status?sessionId=`): other sessions, their effects and diagnostics drop out. */
  sessionId?: string;
  /**
   * The workspace's branch now: null when it is not in a git work tree; `unreadable` when it could not be
   * read (then no session with a recorded branch is taken as complete from its markers).
   */
  currentBranch?: BranchInfo | null | 'unreadable';
  /** Each session's artifacts and the diagnostics about them (gathered from the artifact folder). */
  artifacts?: Record<string, { artifacts: ArtifactStatus[]; diagnostics: StatusDiagnostic[] }>;
  /** Report-wide findings of the gathering itself (a branch that could not be read). */
  findings?: StatusDiagnostic[];
}
