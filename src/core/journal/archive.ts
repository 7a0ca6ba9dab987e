// Completed sessions leave the active directory (docs/journal-format.md "Archive"): their journal,
// snapshot and torn-tail sidecars move to `<dir>/archive/`, their artifacts are deleted, and the archived
// journal's mtime is set to the archive time, which is what retention (prune) reads after any restart.
import { join } from 'node:path';
import { LiveVariantsError } from '../errors';
import { isMissing, type JournalFs } from './journalFs';
import {
  archiveDir,
  artifactsDir,
  JOURNAL_EXT,
  journalPath,
  sessionIdOfJournalFile,
  snapshotPath,
  snapshotTempPath,
} from './paths';

const TORN_MARK = `${JOURNAL_EXT}.torn-`;

async function exists(fs: JournalFs, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

async function readdirOrEmpty(fs: JournalFs, dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

async function unlinkIfPresent(fs: JournalFs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

/** Session ids with a journal file directly in `dir` (one readdir; no file is opened). */
export async function listJournalIds(fs: JournalFs, dir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of await readdirOrEmpty(fs, dir)) {
    const id = sessionIdOfJournalFile(name);
    if (id !== undefined) ids.push(id);
  }
  return ids.sort();
}

export async function isArchived(fs: JournalFs, dir: string, id: string): Promise<boolean> {
  return exists(fs, journalPath(archiveDir(dir), id));
}

/**
 * Moves a session out of the active directory. The journal moves last, so a crash part-way leaves an
 * active session that a second archiveSession finishes. Archiving an archived session does nothing.
 */
export async function archiveSessionFiles(fs: JournalFs, dir: string, id: string, now: Date): Promise<void> {
  const active = journalPath(dir, id);
  const aDir = archiveDir(dir);
  const archived = journalPath(aDir, id);
  const activeExists = await exists(fs, active);
  const archivedExists = await exists(fs, archived);
  if (!activeExists) {
    if (archivedExists) return;
    throw new LiveVariantsError('session_not_found', `There is no session ${id} in ${dir}.`, 'sessionId');
  }
  if (archivedExists) {
    throw new LiveVariantsError(
      'session_archived',
      `Session ${id} is already in the archive; the active journal with the same id was left in place.`,
      'sessionId',
    );
  }
  await fs.mkdir(aDir);
  // Artifacts are kept only until the session completes.
  await fs.rmDir(artifactsDir(dir, id));
  await unlinkIfPresent(fs, snapshotTempPath(dir, id));
  try {
    await fs.rename(snapshotPath(dir, id), snapshotPath(aDir, id));
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  const sidecarPrefix = `${id}${TORN_MARK}`;
  for (const name of await fs.readdir(dir)) {
    if (name.startsWith(sidecarPrefix)) await fs.rename(join(dir, name), join(aDir, name));
  }
  await fs.utimes(active, now, now);
  await fs.rename(active, archived);
  await fs.fsyncDir(aDir);
  await fs.fsyncDir(dir);
}

/**
 * Deletes archived sessions archived more than `olderThanMs` before `now` (by the archived journal's
 * mtime). The journal is deleted last so a crash part-way leaves a session the next prune finishes.
 */
export async function pruneArchive(
  fs: JournalFs,
  dir: string,
  opts: { olderThanMs: number; now: Date },
): Promise<string[]> {
  const aDir = archiveDir(dir);
  const names = await readdirOrEmpty(fs, aDir);
  const sidecars = new Map<string, string[]>();
  for (const name of names) {
    const at = name.indexOf(TORN_MARK);
    if (at <= 0) continue;
    const id = name.slice(0, at);
    sidecars.set(id, [...(sidecars.get(id) ?? []), name]);
  }
  const pruned: string[] = [];
  for (const name of names) {
    const id = sessionIdOfJournalFile(name);
    if (id === undefined) continue;
    const path = join(aDir, name);
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(path)).mtimeMs;
    } catch (e) {
      if (isMissing(e)) continue;
      throw e;
    }
    if (opts.now.getTime() - mtimeMs <= opts.olderThanMs) continue;
    for (const sidecar of sidecars.get(id) ?? []) await unlinkIfPresent(fs, join(aDir, sidecar));
    await unlinkIfPresent(fs, snapshotPath(aDir, id));
    await unlinkIfPresent(fs, path);
    pruned.push(id);
  }
  if (pruned.length > 0) await fs.fsyncDir(aDir);
  return pruned.sort();
}
