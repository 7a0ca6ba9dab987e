// What the VS Code surface asks of the live session system, whichever window owns the journal. The leader
// (this window holds the journal lock) answers in-process; a follower (another window or a headless bridge
// holds it) forwards to that bridge over HTTP. UI code only ever sees this interface.
import type { JournalRecord } from '../core/journal';
import type { StatusReport } from '../core/status';
import type { AcceptAppliedBy } from './settings';

export interface BridgeEndpoint {
  url: string;
  token: string;
}

/** Where a block was seen in an editor: enough to adopt a session known only from its markers. */
export interface BlockHint {
  /** Workspace-relative, `/`-separated. */
  file: string;
  /** Numbered variants in the block (0 for a carbonize block). */
  count: number;
}

export interface SessionRequest {
  sessionId: string;
  hint?: BlockHint;
}

export interface AcceptRequest extends SessionRequest {
  /** Variant id as the protocol spells it: "1" … "999". */
  variant: string;
}

export type ActionOutcome =
  /** The extension rewrote the source (a WorkspaceEdit) and journaled it. */
  | { kind: 'applied'; sessionId: string; phase: string; file: string | null; carbonize: boolean }
  /** Journaled; an agent (or the owning window) applies it. */
  | { kind: 'queued'; sessionId: string; phase: string }
  /** Refused by the rewriter (malformed markers, generated file, conflict); the session still owes it. */
  | { kind: 'refused'; sessionId: string; phase: string; code: string; message: string };

export interface TimelinePage {
  sessionId: string;
  total: number;
  start: number;
  records: JournalRecord[];
}

export interface LiveBackend {
  readonly role: 'leader' | 'follower';
  readonly journalDir: string;
  /** The bridge terminals and the preview talk to; undefined while none runs. */
  readonly bridge: BridgeEndpoint | undefined;
  /** Who rewrites source on accept: this window's setting, or `remote` when another process owns the journal. */
  readonly appliedBy: AcceptAppliedBy | 'remote';
  status(): Promise<StatusReport>;
  /** True when the session completed (its journal is archived); undefined when this backend cannot tell. */
  isArchived(sessionId: string): boolean | undefined;
  timeline(sessionId: string, start: number, count: number): Promise<TimelinePage>;
  accept(req: AcceptRequest): Promise<ActionOutcome>;
  discard(req: SessionRequest): Promise<ActionOutcome>;
  /** Records the completion; refuses with `not_clean` (detail.findings) unless `force`. */
  complete(sessionId: string, force: boolean): Promise<Record<string, unknown>>;
  /** Resumes stranded sessions and owes their lost work again. */
  resume(sessionId?: string): Promise<Record<string, unknown>>;
  /** A file with markers changed on disk: lets the journal owner record what the scanner now sees. */
  observe(absPath: string): Promise<void>;
  /** Does what is owed to this window (apply pending accepts); called after every change. */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}
