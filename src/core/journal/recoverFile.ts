// Recovering a journal file without holding it in memory: the file streams through one reused chunk.
// Canonical lines up to `lazyUpTo` stay on disk as index entries (RecordList builds them from the file
// when read, through the handle this keeps open); the others are built as they are read. Same outcome as
// recoverJournal over the whole file: tests compare the two. (Fresh memory is costly: on a small VM,
// touching a new page costs more than checking the bytes on it, so a long journal opens faster through a
// reused chunk than through readFile, and holds a fraction of the memory.)
import type { JournalFileHandle, JournalFs } from './journalFs';
import { isMissing } from './journalFs';
import { fileSource } from './lineSource';
import { JournalRecovery, type RecoveredJournal, type RecoverOptions } from './recover';

/** The chunk the stream reuses; grown (doubled) only for a line longer than it. */
export const RECOVERY_CHUNK_BYTES = 1024 * 1024;
/**
 * Journals from this size on keep records on disk (lazy or replayed lines become index entries, and the
 * file stays open for them); smaller ones keep every record in memory and close the file: most sessions
 * are small, and an open file per session would add up.
 */
export const RECORDS_ON_DISK_MIN_BYTES = 1024 * 1024;

export interface RecoverFileOptions extends RecoverOptions {
  /** Read only the first `limit` bytes as the journal (the rest is cut, like a torn tail). */
  limit?: number;
  /** Also return the bytes from the first cut byte (torn line or limit) to the end, for a sidecar. */
  withCutBytes?: boolean;
  /** Size of the reused chunk (default RECOVERY_CHUNK_BYTES); tests use tiny ones to cut lines anywhere. */
  chunkBytes?: number;
  /** Records stay on disk only in journals of at least this many bytes (default RECORDS_ON_DISK_MIN_BYTES). */
  onDiskFromBytes?: number;
}

export interface RecoveredFile {
  /** Its record list holds the file open while records kept on disk are unread: close() it when done. */
  recovered: RecoveredJournal;
  /** The file's length when it was opened. */
  size: number;
  /** With withCutBytes, when bytes are cut: where the cut starts and every byte from there to `size`. */
  cut?: { offset: number; bytes: Buffer };
}

/** Recovers the journal file at `path`; undefined when there is none. Rejects on an I/O error. */
export async function recoverJournalFile(
  fs: JournalFs,
  path: string,
  sessionId: string | undefined,
  opts: RecoverFileOptions = {},
): Promise<RecoveredFile | undefined> {
  let handle: JournalFileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  let recovered: RecoveredJournal | undefined;
  let onDisk = false;
  try {
    // The open file's size, not the path's: the file may be renamed (archived) meanwhile.
    const size = await handle.size();
    const total = Math.min(size, opts.limit ?? size);
    // Records kept as index entries (lazy or replayed) are read back from the file: it stays open for them.
    onDisk =
      ((opts.lazyUpTo ?? 0) > 0 || opts.replay !== undefined) &&
      !opts.reference &&
      total >= (opts.onDiskFromBytes ?? RECORDS_ON_DISK_MIN_BYTES);
    const recovery = new JournalRecovery(
      sessionId,
      total,
      onDisk ? fileSource(handle, total, path) : undefined,
      opts,
    );
    // `base` is the journal offset of chunk[0]; chunk[0, filled) holds bytes not read as lines yet.
    let base = 0;
    let filled = 0;
    let chunk = Buffer.allocUnsafe(Math.max(1, Math.min(opts.chunkBytes ?? RECOVERY_CHUNK_BYTES, total)));
    while (base + filled < total) {
      if (filled === chunk.length) {
        const bigger = Buffer.allocUnsafe(Math.min(chunk.length * 2, total - base));
        chunk.copy(bigger, 0, 0, filled);
        chunk = bigger;
      }
      const want = Math.min(chunk.length - filled, total - base - filled);
      await readExactly(handle, chunk, filled, want, base + filled);
      filled += want;
      const used = recovery.lines(chunk, 0, filled, base);
      chunk.copyWithin(0, used, filled);
      filled -= used;
      base += used;
    }
    recovered = recovery.finish(base);
    const result: RecoveredFile = { recovered, size };
    const cutAt = recovered.torn?.offset ?? total;
    if (opts.withCutBytes && cutAt < size) {
      const bytes = Buffer.allocUnsafe(size - cutAt);
      await readExactly(handle, bytes, 0, bytes.length, cutAt);
      result.cut = { offset: cutAt, bytes };
    }
    // From here the record list owns the handle when it keeps records on disk.
    if (onDisk) recovered.recordList.releaseIfAllBuilt();
    else await handle.close();
    return result;
  } catch (e) {
    // Once recovered, a record list keeping records on disk owns the handle: close it once, through it.
    if (onDisk && recovered !== undefined) await recovered.recordList.close().catch(() => undefined);
    else await handle.close().catch(() => undefined);
    throw e;
  }
}

/** Reads exactly `length` bytes at `position`; a file that ends sooner changed under the reader. */
async function readExactly(
  handle: JournalFileHandle,
  buf: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const n = await handle.read(buf, offset + done, length - done, position + done);
    if (n <= 0) {
      throw Object.assign(new Error(`the file ended at byte ${position + done} while it was read`), {
        code: 'EIO',
      });
    }
    done += n;
  }
}
