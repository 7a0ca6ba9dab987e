// The handful of file-system operations the journal uses, behind one small interface so tests can inject
// EIO/ENOSPC on write and on sync, count fdatasyncs, or run the whole journal in memory. The default is
// backed by node:fs; every method rejects with a Node-style error carrying `code` (ENOENT, EEXIST, EIO…).
import { promises as fsp, readSync } from 'node:fs';

/** An open file. */
export interface JournalFileHandle {
  /**
   * Writes up to `length` bytes of `buffer` from `offset`; resolves to the count actually written. Files
   * opened with 'a' always append; others write at `position`, or at the current offset when it is omitted.
   */
  write(buffer: Uint8Array, offset: number, length: number, position?: number): Promise<number>;
  /** Reads up to `length` bytes at `position` into `buffer` from `offset`; resolves to the count (0 at EOF). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** The same, synchronously: a journal builds a record from its line where the caller reads it. */
  readSync(buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** The file's current length in bytes (fstat). */
  size(): Promise<number>;
  /** fdatasync: the data (and the size) is on disk. */
  datasync(): Promise<void>;
  /** fsync: data and metadata. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface JournalStat {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
}

/** Flags: 'a' append (create), 'wx' create exclusively, 'w' create or truncate, 'r' read only. */
export type JournalOpenFlags = 'a' | 'wx' | 'w' | 'r';

export interface JournalFs {
  open(path: string, flags: JournalOpenFlags): Promise<JournalFileHandle>;
  /** A new Buffer the caller owns. */
  readFile(path: string): Promise<Buffer>;
  rename(from: string, to: string): Promise<void>;
  /** Hard link: creates `newPath` atomically with the content of `existing`; EEXIST when it exists. */
  link(existing: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes a directory and its contents; no error when it is missing. */
  rmDir(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<JournalStat>;
  utimes(path: string, atime: Date, mtime: Date): Promise<void>;
  /** Makes renames and creations inside `dir` durable (fsync of the directory). */
  fsyncDir(dir: string): Promise<void>;
}

export function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function isMissing(e: unknown): boolean {
  return errnoCode(e) === 'ENOENT';
}

export const nodeJournalFs: JournalFs = {
  async open(path, flags) {
    const fh = await fsp.open(path, flags);
    return {
      write: async (buffer, offset, length, position) =>
        (await fh.write(buffer, offset, length, position ?? null)).bytesWritten,
      read: async (buffer, offset, length, position) =>
        (await fh.read(buffer, offset, length, position)).bytesRead,
      readSync: (buffer, offset, length, position) => readSync(fh.fd, buffer, offset, length, position),
      size: async () => (await fh.stat()).size,
      datasync: () => fh.datasync(),
      sync: () => fh.sync(),
      truncate: (length) => fh.truncate(length),
      close: () => fh.close(),
    };
  },
  readFile: (path) => fsp.readFile(path),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  unlink: (path) => fsp.unlink(path),
  rmDir: (path) => fsp.rm(path, { recursive: true, force: true }),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true });
  },
  readdir: (path) => fsp.readdir(path),
  async stat(path) {
    const s = await fsp.stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() };
  },
  utimes: (path, atime, mtime) => fsp.utimes(path, atime, mtime),
  async fsyncDir(dir) {
    // Windows cannot open a directory for fsync; there the rename is as durable as NTFS makes it.
    if (process.platform === 'win32') return;
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

/** Writes all of `bytes`, looping over short writes. */
export async function writeAll(handle: JournalFileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const n = await handle.write(bytes, done, bytes.length - done);
    if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += n;
  }
}
