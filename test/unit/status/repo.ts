// Real git repositories and real session journals for the branch and artifact tests: git runs with a
// neutral configuration, and journals are written through the journal API as the engine writes them.
import { execFileSync } from 'node:child_process';
import { openJournalDir } from '../../../src/core/journal';
import type { Journal } from './helpers';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** `git init -b main` with a first commit of whatever is in `dir`. */
export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
}

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
