// The journal's public surface (docs/journal-format.md describes the files it reads and writes).
export {
  copyJsonObject,
  copyJsonValue,
  MAX_DATA_DEPTH,
  MAX_EVENT_ID_LENGTH,
  MAX_TYPE_LENGTH,
} from './appendInput';
export { MAX_ARTIFACT_BYTES, MAX_ARTIFACT_NAME, validateArtifactName } from './artifacts';
export { JournalDir, type JournalDirOptions, openJournalDir, type PruneOptions } from './journalDir';
export {
  errnoCode,
  type JournalFileHandle,
  type JournalFs,
  type JournalOpenFlags,
  type JournalStat,
  nodeJournalFs,
} from './journalFs';
export { isSessionId, validateSessionId } from './paths';
export {
  listSessionsReadOnly,
  type ReadOnlyJournal,
  type ReadOnlyOptions,
  readSessionJournal,
} from './readSessionJournal';
export { crcHex, decodeRecord, encodeRecord } from './recordCodec';
export type { RecordList } from './recordList';
export { type RecoveredJournal, type RecoverOptions, recoverJournal } from './recover';
export { type RecoveredFile, recoverJournalFile } from './recoverFile';
export { MAX_RECORD_BYTES, SessionJournal } from './sessionJournal';
export { matchSnapshot, type SnapshotRead, snapshotHint } from './snapshot';
export type * from './types';
export { isPidAlive, type LockInfo } from './writerLock';
