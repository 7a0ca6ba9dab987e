// File systems for journal tests: an in-memory JournalFs (fast property tests over the real journal code)
// and a wrapper over any JournalFs that logs calls, counts fdatasyncs, gates them, and injects errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import type { JournalFileHandle, JournalFs, JournalOpenFlags } from '../../../src/core/journal/journalFs';

export function fsError(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

/** An inode: several names (hard links) and open handles may share one. */
interface Inode {
  data: Buffer;
  mtimeMs: number;
}

export interface MemoryFs extends JournalFs {
  /** Paths of all files, for assertions. */
  paths(): string[];
  /** Creates or replaces a file (test setup). */
  put(path: string, data: Buffer): void;
}

/** A POSIX-like file system in memory, with inodes (hard links, handles that outlive unlink). */
export function memoryFs(clock: () => number = Date.now): MemoryFs {
  const files = new Map<string, Inode>();
  const dirs = new Set<string>(['/']);
  const p = (path: string) => normalize(path);
  const needDir = (path: string) => {
    if (!dirs.has(dirname(path))) throw fsError('ENOENT', path);
  };
  const inodeOf = (path: string): Inode => {
    const node = files.get(path);
    if (node === undefined) throw fsError(dirs.has(path) ? 'EISDIR' : 'ENOENT', path);
    return node;
  };

  const fs: MemoryFs = {
    paths: () => [...files.keys()],
    put(path, data) {
      files.set(p(path), { data: Buffer.from(data), mtimeMs: clock() });
    },
    async open(rawPath: string, flags: JournalOpenFlags): Promise<JournalFileHandle> {
      const path = p(rawPath);
      needDir(path);
      if (dirs.has(path)) throw fsError('EISDIR', path);
      let node = files.get(path);
      if (flags === 'wx' && node) throw fsError('EEXIST', path);
      if (flags === 'r' && !node) throw fsError('ENOENT', path);
      if (!node || flags === 'w' || flags === 'wx') {
        node = { data: Buffer.alloc(0), mtimeMs: clock() };
        files.set(path, node);
      }
      const inode = node;
      let cursor = 0;
      let closed = false;
      const check = () => {
        if (closed) throw fsError('EBADF', path);
      };
      const readSync = (buffer: Uint8Array, offset: number, length: number, position: number) => {
        check();
        if (flags !== 'r') throw fsError('EBADF', path);
        const n = Math.max(0, Math.min(length, inode.data.length - position));
        inode.data.copy(buffer, offset, position, position + n);
        return n;
      };
      return {
        async write(buffer, offset, length, position) {
          check();
          const chunk = Buffer.from(buffer.subarray(offset, offset + length));
          const at = flags === 'a' ? inode.data.length : (position ?? cursor);
          const next = Buffer.alloc(Math.max(inode.data.length, at + length));
          inode.data.copy(next);
          chunk.copy(next, at);
          inode.data = next;
          inode.mtimeMs = clock();
          if (position === undefined) cursor = at + length;
          return length;
        },
        read: async (buffer, offset, length, position) => readSync(buffer, offset, length, position),
        readSync,
        async size() {
          check();
          return inode.data.length;
        },
        async datasync() {
          check();
        },
        async sync() {
          check();
        },
        async truncate(length) {
          check();
          inode.data = inode.data.subarray(0, length);
        },
        async close() {
          closed = true;
        },
      };
    },
    async readFile(rawPath) {
      return Buffer.from(inodeOf(p(rawPath)).data);
    },
    async rename(rawFrom, rawTo) {
      const from = p(rawFrom);
      const to = p(rawTo);
      const node = inodeOf(from);
      needDir(to);
      files.delete(from);
      files.set(to, node);
    },
    async link(rawFrom, rawTo) {
      const to = p(rawTo);
      const node = inodeOf(p(rawFrom));
      needDir(to);
      if (files.has(to)) throw fsError('EEXIST', to);
      files.set(to, node);
    },
    async unlink(rawPath) {
      const path = p(rawPath);
      if (!files.delete(path)) throw fsError('ENOENT', path);
    },
    async rmDir(rawPath) {
      const path = p(rawPath);
      for (const f of [...files.keys()]) if (f.startsWith(`${path}/`)) files.delete(f);
      for (const d of [...dirs]) if (d === path || d.startsWith(`${path}/`)) dirs.delete(d);
    },
    async mkdir(rawPath) {
      let path = p(rawPath);
      while (!dirs.has(path)) {
        if (files.has(path)) throw fsError('EEXIST', path);
        dirs.add(path);
        path = dirname(path);
      }
    },
    async readdir(rawPath) {
      const path = p(rawPath);
      if (!dirs.has(path)) throw fsError('ENOENT', path);
      const out = new Set<string>();
      for (const name of [...files.keys(), ...dirs]) {
        if (name !== path && dirname(name) === path) out.add(name.slice(path.length + 1));
      }
      return [...out];
    },
    async stat(rawPath) {
      const path = p(rawPath);
      if (dirs.has(path)) return { size: 0, mtimeMs: 0, isDirectory: true };
      const node = inodeOf(path);
      return { size: node.data.length, mtimeMs: node.mtimeMs, isDirectory: false };
    },
    async utimes(rawPath, _atime, mtime) {
      inodeOf(p(rawPath)).mtimeMs = mtime.getTime();
    },
    async fsyncDir(rawPath) {
      if (!dirs.has(p(rawPath))) throw fsError('ENOENT', rawPath);
    },
  };
  return fs;
}

export type FaultOp = 'write' | 'datasync' | 'read';

export interface Fault {
  op: FaultOp;
  code: string;
  /** For 'write' (and a synchronous 'read'): bytes written (read) before failing (default 0). */
  partial?: number;
}

export interface InstrumentedFs extends JournalFs {
  /** Every call as "op path". */
  calls: string[];
  datasyncs: number;
  writes: number;
  /** Faults consumed in order by the next matching operation. */
  faults: Fault[];
  /** When set, each datasync waits for this promise before it completes. */
  gate: (() => Promise<void>) | undefined;
}

/** Wraps `base`: logs every call, counts writes and fdatasyncs, injects queued faults. */
export function instrumentFs(base: JournalFs): InstrumentedFs {
  /** The next queued fault for `op`, taken off the queue. */
  const takeFault = (op: FaultOp): Fault | undefined => {
    const i = inst.faults.findIndex((f) => f.op === op);
    return i === -1 ? undefined : inst.faults.splice(i, 1)[0];
  };
  const inst: InstrumentedFs = {
    calls: [],
    datasyncs: 0,
    writes: 0,
    faults: [],
    gate: undefined,
    async open(path, flags) {
      inst.calls.push(`open ${path}`);
      const h = await base.open(path, flags);
      return {
        async write(buffer, offset, length, position) {
          inst.writes++;
          const i = inst.faults.findIndex((f) => f.op === 'write');
          if (i !== -1) {
            const [fault] = inst.faults.splice(i, 1);
            if (fault.partial) await h.write(buffer, offset, Math.min(fault.partial, length));
            throw fsError(fault.code, path);
          }
          return h.write(buffer, offset, length, position);
        },
        async datasync() {
          inst.datasyncs++;
          if (inst.gate) await inst.gate();
          const i = inst.faults.findIndex((f) => f.op === 'datasync');
          if (i !== -1) {
            const [fault] = inst.faults.splice(i, 1);
            throw fsError(fault.code, path);
          }
          return h.datasync();
        },
        async read(buffer, offset, length, position) {
          const fault = takeFault('read');
          if (fault) throw fsError(fault.code, path);
          return h.read(buffer, offset, length, position);
        },
        readSync(buffer, offset, length, position) {
          const fault = takeFault('read');
          if (fault) {
            // Some bytes arrive, then the error: the caller's buffer is partly overwritten.
            if (fault.partial) h.readSync(buffer, offset, Math.min(fault.partial, length), position);
            throw fsError(fault.code, path);
          }
          return h.readSync(buffer, offset, length, position);
        },
        size: () => h.size(),
        sync: () => h.sync(),
        truncate: (length) => h.truncate(length),
        close: () => h.close(),
      };
    },
    readFile: (path) => {
      inst.calls.push(`readFile ${path}`);
      return base.readFile(path);
    },
    rename: (from, to) => {
      inst.calls.push(`rename ${from} ${to}`);
      return base.rename(from, to);
    },
    link: (from, to) => {
      inst.calls.push(`link ${from} ${to}`);
      return base.link(from, to);
    },
    unlink: (path) => {
      inst.calls.push(`unlink ${path}`);
      return base.unlink(path);
    },
    rmDir: (path) => {
      inst.calls.push(`rmDir ${path}`);
      return base.rmDir(path);
    },
    mkdir: (path) => {
      inst.calls.push(`mkdir ${path}`);
      return base.mkdir(path);
    },
    readdir: (path) => {
      inst.calls.push(`readdir ${path}`);
      return base.readdir(path);
    },
    stat: (path) => {
      inst.calls.push(`stat ${path}`);
      return base.stat(path);
    },
    utimes: (path, a, m) => {
      inst.calls.push(`utimes ${path}`);
      return base.utimes(path, a, m);
    },
    fsyncDir: (path) => {
      inst.calls.push(`fsyncDir ${path}`);
      return base.fsyncDir(path);
    },
  };
  return inst;
}

/** A manual gate: `wait()` resolves once `open()` is called. */
export function manualGate(): { wait: () => Promise<void>; open: () => void } {
  let release!: () => void;
  const p = new Promise<void>((r) => {
    release = r;
  });
  return { wait: () => p, open: () => release() };
}

/** A fresh directory under the OS temp dir, removed by `cleanupTempDirs`. */
const made: string[] = [];
export function makeTempDir(prefix = 'lv-journal-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Polls `check` until it returns true (timers under a loaded CI machine fire late). */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** mulberry32: a small seeded PRNG, so a failing random test names a reproducible case. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
