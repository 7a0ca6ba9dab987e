// Every file name the journal uses, in one place (docs/journal-format.md "Directory layout").
import { join } from 'node:path';
import { LiveVariantsError } from '../errors';

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const JOURNAL_EXT = '.jsonl';
export const ARCHIVE_DIR = 'archive';
export const LOCK_FILE = 'writer.lock';

/** Session ids become file names: only `[A-Za-z0-9_-]{1,64}` is accepted. */
export function validateSessionId(id: unknown): string {
  if (typeof id !== 'string' || !SESSION_ID.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : typeof id;
    throw new LiveVariantsError(
      'invalid_session_id',
      `Session id ${shown} is not valid: use 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-".`,
      'sessionId',
    );
  }
  return id;
}

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

/** The session id a directory entry names, when it is a journal file (`<id>.jsonl`). */
export function sessionIdOfJournalFile(name: string): string | undefined {
  if (!name.endsWith(JOURNAL_EXT)) return undefined;
  const id = name.slice(0, -JOURNAL_EXT.length);
  return SESSION_ID.test(id) ? id : undefined;
}

export const journalPath = (dir: string, id: string): string => join(dir, `${id}${JOURNAL_EXT}`);
export const snapshotPath = (dir: string, id: string): string => join(dir, `${id}.snapshot.json`);
export const snapshotTempPath = (dir: string, id: string): string => join(dir, `${id}.snapshot.json.tmp`);
export const tornSidecarPath = (dir: string, id: string, offset: number): string =>
  join(dir, `${id}${JOURNAL_EXT}.torn-${offset}`);
export const artifactsDir = (dir: string, id: string): string => join(dir, `${id}.artifacts`);
export const archiveDir = (dir: string): string => join(dir, ARCHIVE_DIR);
export const lockPath = (dir: string): string => join(dir, LOCK_FILE);
