// The snapshot cache (docs/journal-format.md "Snapshot"): whether a snapshot file describes a prefix of the
// journal as it now reads, and how one is written so a crash leaves the old file, the new one, or none.
import { LiveVariantsError } from '../errors';
import { copyJsonValue } from './appendInput';
import type { RecordList } from './recordList';
import type { JournalDiagnostic, JournalRecord, SnapshotFile } from './types';

/** What the snapshot is checked against: a recovered journal. */
export interface JournalView {
  sessionId: string;
  records: RecordList;
  byteLength: number;
  diagnostics: readonly JournalDiagnostic[];
}

export type SnapshotRead<S> =
  | { snapshot: SnapshotFile<S>; readonly tail: JournalRecord[] }
  | { snapshot: undefined; readonly tail: JournalRecord[]; diagnostic?: JournalDiagnostic };

const SAFE_COUNT = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Applies the snapshot rules to the bytes of a snapshot file (undefined when there is none). A snapshot
 * that fails a rule is ignored: the caller replays the whole journal and the diagnostic says why.
 */
export function matchSnapshot<S>(raw: Buffer | undefined, journal: JournalView): SnapshotRead<S> {
  if (raw === undefined) return withoutSnapshot(journal);
  const sid = journal.sessionId;
  const reject = (code: 'snapshot_unreadable' | 'snapshot_mismatch', why: string): SnapshotRead<S> =>
    withoutSnapshot(journal, {
      code,
      sessionId: sid,
      message: `Snapshot of session ${sid} ignored: ${why}.`,
    });

  // S1: readable — JSON, the fields of SnapshotFile with their types.
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return reject('snapshot_unreadable', 'it is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject('snapshot_unreadable', 'it is not a JSON object');
  }
  const s = parsed as Record<string, unknown>;
  if (s.v !== 1 || typeof s.sessionId !== 'string' || !SAFE_COUNT(s.journalBytes) || !SAFE_COUNT(s.seq)) {
    return reject('snapshot_unreadable', 'v, sessionId, journalBytes or seq is missing or malformed');
  }
  if (!('state' in s) || (s.lastCrc !== undefined && typeof s.lastCrc !== 'string')) {
    return reject('snapshot_unreadable', 'state is missing or lastCrc is malformed');
  }
  const snap = s as unknown as SnapshotFile<S>;

  // S2: same session.
  if (snap.sessionId !== sid) return reject('snapshot_mismatch', `it belongs to session ${snap.sessionId}`);
  // S3: the journal is at least as long as the prefix the snapshot describes.
  if (snap.journalBytes > journal.byteLength) {
    return reject(
      'snapshot_mismatch',
      `it describes ${snap.journalBytes} bytes, the journal has ${journal.byteLength}`,
    );
  }
  // S4: the record at `seq` ends exactly at `journalBytes` (seq 0: the empty prefix).
  let index = -1;
  if (snap.seq === 0) {
    if (snap.journalBytes !== 0) return reject('snapshot_mismatch', 'seq 0 must describe 0 bytes');
  } else {
    index = journal.records.indexOfSeq(snap.seq);
    if (index === -1) return reject('snapshot_mismatch', `the journal has no record with seq ${snap.seq}`);
    if (journal.records.endAt(index) !== snap.journalBytes) {
      return reject('snapshot_mismatch', `record ${snap.seq} does not end at byte ${snap.journalBytes}`);
    }
    // S5: and it is the same record (its crc), when the snapshot names one.
    const crc = journal.records.crcAt(index);
    if (snap.lastCrc !== undefined && crc !== snap.lastCrc) {
      return reject('snapshot_mismatch', `record ${snap.seq} has crc ${crc}, not ${snap.lastCrc}`);
    }
  }
  // S6: no line inside the prefix was skipped as corrupt (the state may include what it held).
  const damaged = journal.diagnostics.find(
    (d) => d.code === 'corrupt_line_skipped' && d.offset !== undefined && d.offset < snap.journalBytes,
  );
  if (damaged !== undefined) {
    return reject('snapshot_mismatch', `its prefix has a skipped corrupt line (line ${damaged.line})`);
  }
  // Only the tail is built, and only if read: the records the snapshot covers stay on disk.
  let tail: JournalRecord[] | undefined;
  return {
    snapshot: snap,
    get tail() {
      tail ??= journal.records.slice(index + 1);
      return tail;
    },
  };
}

/**
 * What a snapshot file says before it is checked against the journal (S1 only): the prefix it covers and
 * its state. A session replays from it while its journal is recovered, then checks it (matchSnapshot).
 */
export function snapshotHint(raw: Buffer | undefined): { journalBytes: number; state: unknown } | undefined {
  if (raw === undefined) return undefined;
  try {
    const s = JSON.parse(raw.toString('utf8')) as Record<string, unknown> | null;
    if (typeof s !== 'object' || s === null || !SAFE_COUNT(s.journalBytes) || !('state' in s))
      return undefined;
    return { journalBytes: s.journalBytes, state: s.state };
  } catch {
    return undefined;
  }
}

/**
 * No usable snapshot: the tail is every record. It is built (and kept) only if read: a caller replaying a
 * long journal streams it instead (SessionJournal.replay).
 */
export function withoutSnapshot<S>(journal: JournalView, diagnostic?: JournalDiagnostic): SnapshotRead<S> {
  let tail: JournalRecord[] | undefined;
  return {
    snapshot: undefined,
    get tail() {
      tail ??= journal.records.all().slice();
      return tail;
    },
    ...(diagnostic === undefined ? {} : { diagnostic }),
  };
}

/** The snapshot describing the journal up to and including `upToSeq` (0: the empty prefix). */
export function buildSnapshot<S>(journal: JournalView, state: S, upToSeq: number): SnapshotFile<S> {
  if (!SAFE_COUNT(upToSeq)) {
    throw new LiveVariantsError('journal_bad_input', 'upToSeq must be a non-negative integer.', 'upToSeq');
  }
  // The state is copied through the same JSON and secret checks as record data.
  const safeState = copyJsonValue(state, 'state') as S;
  if (upToSeq === 0) return { v: 1, sessionId: journal.sessionId, journalBytes: 0, seq: 0, state: safeState };
  const index = journal.records.indexOfSeq(upToSeq);
  if (index === -1) {
    throw new LiveVariantsError(
      'journal_bad_input',
      `Session ${journal.sessionId} has no committed record with seq ${upToSeq}.`,
      'upToSeq',
    );
  }
  return {
    v: 1,
    sessionId: journal.sessionId,
    journalBytes: journal.records.endAt(index),
    seq: upToSeq,
    lastCrc: journal.records.crcAt(index),
    state: safeState,
  };
}
