// The lock-free, read-only path (the CLI when the extension or the bridge is the writer, audits of
// archived sessions). It applies the same reading rules but never truncates, writes or creates anything:
// a torn last line is reported and left alone (it may be a line the writer is writing right now).
import { LiveVariantsError } from '../errors';
import { listJournalIds } from './archive';
import { errnoCode, isMissing, type JournalFs, nodeJournalFs } from './journalFs';
import { archiveDir, journalPath, snapshotPath, validateSessionId } from './paths';
import { recoverJournalFile } from './recoverFile';
import { matchSnapshot, type SnapshotRead } from './snapshot';
import type { JournalDiagnostic, JournalRecord } from './types';

export interface ReadOnlyOptions {
  fs?: JournalFs;
  /** Also read and check the snapshot (default false). */
  withSnapshot?: boolean;
}

export interface ReadOnlyJournal {
  sessionId: string;
  /** True when the session was found in `archive/`. */
  archived: boolean;
  records: JournalRecord[];
  diagnostics: JournalDiagnostic[];
  /** Bytes of the file that hold the records (the torn last line excluded). */
  byteLength: number;
  /** Present when `withSnapshot` was asked. */
  snapshot?: SnapshotRead<unknown>;
}

async function readOrUndefined(fs: JournalFs, path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Reads an active or archived session's journal. Throws session_not_found when it has neither. */
export async function readSessionJournal(
  dir: string,
  sessionId: string,
  opts: ReadOnlyOptions = {},
): Promise<ReadOnlyJournal> {
  const id = validateSessionId(sessionId);
  const fs = opts.fs ?? nodeJournalFs;
  try {
    let base = dir;
    let archived = false;
    let file = await recoverJournalFile(fs, journalPath(dir, id), id);
    if (file === undefined) {
      base = archiveDir(dir);
      archived = true;
      file = await recoverJournalFile(fs, journalPath(base, id), id);
    }
    if (file === undefined) {
      throw new LiveVariantsError('session_not_found', `There is no session ${id} in ${dir}.`, 'sessionId');
    }
    const recovered = file.recovered;
    for (const d of recovered.diagnostics) {
      if (d.code === 'torn_tail_truncated') d.message += ' Read-only: left in place.';
    }
    const result: ReadOnlyJournal = {
      sessionId: id,
      archived,
      records: recovered.records,
      diagnostics: recovered.diagnostics,
      byteLength: recovered.validLength,
    };
    if (opts.withSnapshot) {
      result.snapshot = matchSnapshot(await readOrUndefined(fs, snapshotPath(base, id)), {
        sessionId: id,
        records: recovered.recordList,
        byteLength: recovered.validLength,
        diagnostics: recovered.diagnostics,
      });
    }
    return result;
  } catch (e) {
    if (e instanceof LiveVariantsError) throw e;
    throw new LiveVariantsError(
      'journal_io_failed',
      `Could not read the journal of session ${id} (${errnoCode(e) ?? String(e)}).`,
      undefined,
      { errno: errnoCode(e) ?? null },
    );
  }
}

/** Session ids in the directory without taking the lock: active ones, or archived ones. */
export async function listSessionsReadOnly(
  dir: string,
  opts: { fs?: JournalFs; archived?: boolean } = {},
): Promise<string[]> {
  const fs = opts.fs ?? nodeJournalFs;
  try {
    return await listJournalIds(fs, opts.archived ? archiveDir(dir) : dir);
  } catch (e) {
    throw new LiveVariantsError(
      'journal_io_failed',
      `Could not list the sessions of ${dir} (${errnoCode(e) ?? String(e)}).`,
      undefined,
      { errno: errnoCode(e) ?? null },
    );
  }
}
