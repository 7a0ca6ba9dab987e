// Where a record list reads the lines it keeps as bytes: the buffer a journal was recovered from, or the
// journal file itself. A long journal's records are not all held in memory: recovery keeps an index (seq,
// crc, offsets, eventId) and a record is built from its line when read, or streamed past by a replay.
import { LiveVariantsError } from '../errors';
import { errnoCode, type JournalFileHandle } from './journalFs';

export interface LineWindow {
  /** Holds journal bytes [start, end) of the request: journal byte i is buf[i - delta]. */
  buf: Buffer;
  delta: number;
}

export interface LineSource {
  /**
   * Bytes [start, end) of the journal; when it has to read, it reads `ahead` bytes from `start` (at least
   * the range) so that the next lines usually need no read. Throws LiveVariantsError when it cannot.
   */
  window(start: number, end: number, ahead: number): LineWindow;
  /** Whether the bytes may differ from what recovery checked (a file): lines are then CRC-checked again. */
  readonly mutable: boolean;
  close(): Promise<void>;
}

/** The buffer a journal was recovered from; the caller must not change it. */
export function bufferSource(buf: Buffer): LineSource {
  const whole: LineWindow = { buf, delta: 0 };
  return { window: () => whole, mutable: false, close: async () => undefined };
}

/**
 * The journal file through an open handle (synchronous reads: records are read where the caller needs them
 * now); `length` is how much of it belongs to the journal (bytes this process appends later are built
 * records, never read back). Reads reuse one window buffer.
 */
export function fileSource(handle: JournalFileHandle, length: number, describe: string): LineSource {
  let storage = Buffer.alloc(0);
  let window: LineWindow = { buf: storage, delta: 0 };
  let closed = false;
  return {
    mutable: true,
    window(start, end, ahead) {
      const { buf, delta } = window;
      if (start >= delta && end <= delta + buf.length) return window;
      if (closed) throw new LiveVariantsError('journal_closed', `The journal ${describe} is closed.`);
      const want = Math.min(Math.max(ahead, end - start), length - start);
      if (storage.length < want) storage = Buffer.allocUnsafe(want);
      const target = storage;
      // The read overwrites the bytes the current window shows: it shows nothing until the read succeeds.
      window = { buf: Buffer.alloc(0), delta: 0 };
      let done = 0;
      try {
        while (done < want) {
          const n = handle.readSync(target, done, want - done, start + done);
          if (n <= 0) break;
          done += n;
        }
      } catch (e) {
        const errno = errnoCode(e);
        throw new LiveVariantsError(
          'journal_io_failed',
          `Could not read back the journal ${describe} (${errno ?? String(e)}).`,
          undefined,
          { errno: errno ?? null },
        );
      }
      if (done < end - start) {
        throw new LiveVariantsError(
          'journal_changed',
          `The journal ${describe} is shorter than when it was opened (byte ${start + done}); reopen it.`,
        );
      }
      window = { buf: target.subarray(0, done), delta: start };
      return window;
    },
    async close() {
      if (closed) return;
      closed = true;
      storage = Buffer.alloc(0);
      window = { buf: storage, delta: 0 };
      await handle.close();
    },
  };
}
