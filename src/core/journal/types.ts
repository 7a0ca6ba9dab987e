// The journal's public contract (see docs/journal-format.md). The journal is generic: it stores records,
// it does not know what they mean. The session engine gives them meaning by replaying them through the
// session machine.

/** One line of `<sessionId>.jsonl`, as written and as read back (crc verified). */
export interface JournalRecord {
  v: 1;
  seq: number; // 1-based, dense, per session
  eventId: string; // idempotency key; a second append with the same id is a no-op
  type: string; // e.g. "browser.generate", "agent.done", "queue.acked", "diagnostic"
  at: string; // ISO 8601 time of the append
  data: Record<string, unknown>;
}

/**
 * Replays a journal while it is recovered: `visit` sees every accepted record whose line ends after byte
 * `from` (0: all; a snapshot's journalBytes: its tail), once, in seq order. Records it saw are not kept in
 * memory (they are read again from disk if asked for later).
 */
export interface ReplayVisitor {
  from: number;
  visit(record: JournalRecord): void;
}

export interface AppendInput {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  /** Defaults to the journal's clock. */
  at?: string;
}

export interface AppendResult {
  seq: number;
  /** True when this eventId was already in the journal: `seq` is the original record's. */
  duplicate: boolean;
}

export type JournalDiagnosticCode =
  | 'torn_tail_truncated'
  | 'corrupt_line_skipped'
  | 'snapshot_mismatch'
  | 'snapshot_unreadable'
  | 'journal_latched'
  | 'stale_lock_taken'
  | 'artifact_missing'
  | 'session_pruned'
  | 'lock_lost';

export interface JournalDiagnostic {
  code: JournalDiagnosticCode;
  sessionId?: string;
  message: string;
  /** 1-based line number and byte offset of the bad line, where there is one. */
  line?: number;
  offset?: number;
  /** Where torn bytes were kept (sidecar file), for torn_tail_truncated. */
  sidecar?: string;
}

/** A rebuildable cache of the state a journal prefix replays to. */
export interface SnapshotFile<S> {
  v: 1;
  sessionId: string;
  /** Byte length of the journal prefix this state describes. */
  journalBytes: number;
  /** Last seq included. */
  seq: number;
  /** crc of the record at `seq` (its line's crc field): ties the snapshot to that exact record. */
  lastCrc?: string;
  state: S;
}
