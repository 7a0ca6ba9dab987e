// Real git repositories and real session journals for the branch and artifact tests: git runs with a
// neutral configuration, and journals are written through the journal API as the engine writes them.
import { openJournalDir } from '../../../src/core/journal';
import type { Journal } from './helpers';

export { git, initRepo } from '../../helpers/git';

/** Appends the test journal's records to `<journalDir>/<id>.jsonl` through the journal API, then lets go. */
export async function writeJournal(journalDir: string, ...journals: Journal[]): Promise<void> {
  const dir = await openJournalDir(journalDir, { heartbeatMs: 0 });
  try {
    for (const j of journals) {
      const session = await dir.openSession(j.sessionId);
      for (const r of j.records) {
        await session.append({ eventId: r.eventId, type: r.type, data: r.data, at: r.at });
      }
    }
  } finally {
    await dir.close();
  }
}
