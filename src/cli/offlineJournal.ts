// Reading the journal without a bridge and without the writer lock (the extension or a bridge may be writing
// it right now): every active session replayed through the same fold the engine uses, plus the ids of the
// archived (completed) ones. A torn last line is reported and left alone, never repaired from here.

import { existsSync } from 'node:fs';
import { replayRecords, type SessionView, viewOf } from '../core/engine';
import { LiveVariantsError } from '../core/errors';
import { listSessionsReadOnly, readSessionJournal } from '../core/journal';
import type { CompletedSessionStatus, StatusDiagnostic } from '../core/status';

export interface OfflineJournal {
  /** False when the journal folder does not exist (nothing was ever journaled here). */
  exists: boolean;
  sessions: SessionView[];
  completed: CompletedSessionStatus[];
  /** ISO time of each active session's last record. */
  lastActivity: Record<string, string>;
  /** Torn tails, corrupt lines and unreadable sessions, as status diagnostics. */
  diagnostics: StatusDiagnostic[];
}

export async function readJournalOffline(journalDir: string): Promise<OfflineJournal> {
  const out: OfflineJournal = {
    exists: false,
    sessions: [],
    completed: [],
    lastActivity: {},
    diagnostics: [],
  };
  if (!existsSync(journalDir)) return out;
  out.exists = true;
  for (const id of await listSessionsReadOnly(journalDir)) {
    try {
      const journal = await readSessionJournal(journalDir, id);
      for (const d of journal.diagnostics) {
        out.diagnostics.push({ code: d.code, message: d.message, sessionId: id });
      }
      const fold = replayRecords(id, journal.records);
      out.sessions.push(viewOf(fold, journal.byteLength));
      const last = journal.records[journal.records.length - 1];
      if (last !== undefined) out.lastActivity[id] = last.at;
    } catch (err) {
      // One unreadable session must not hide the others.
      if (!(err instanceof LiveVariantsError)) throw err;
      out.diagnostics.push({ code: err.code, message: err.message, sessionId: id });
    }
  }
  for (const id of await listSessionsReadOnly(journalDir, { archived: true })) {
    out.completed.push({ sessionId: id, outcome: null, completedAt: null });
  }
  return out;
}
