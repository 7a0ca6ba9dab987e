// One writer per journal directory (docs/journal-format.md "Writer lock"): `writer.lock`, created
// exclusively (hard link of a complete temp file, which fails with EEXIST like O_EXCL), holds
// {pid, hostname, startedAt, heartbeatAt, nonce}. A lock whose process is dead is stale and
// taken over; a live holder makes the open fail with journal_locked.
import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { LiveVariantsError } from '../errors';
import { errnoCode, isMissing, type JournalFileHandle, type JournalFs, writeAll } from './journalFs';
import { LOCK_FILE, lockPath } from './paths';
import type { JournalDiagnostic } from './types';

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  heartbeatAt: string;
  nonce: string;
}

export interface WriterLockOptions {
  fs: JournalFs;
  now: () => Date;
  pid: number;
  hostname?: string;
  /** Heartbeat period; the timer is unref'd so it never keeps the process alive. 0 disables it. */
  heartbeatMs: number;
  /**
   * A lock from another host (whose pid cannot be checked), or one that cannot be parsed, is stale once its
   * heartbeat (or file time) is older than this.
   */
  staleAfterMs: number;
  isPidAlive?: (pid: number) => boolean;
  /** Called once if the heartbeat finds the lock file no longer ours. */
  onLost?: (holder: LockInfo | undefined) => void;
}

/** `process.kill(pid, 0)`: ESRCH means no such process; EPERM means it exists under another user. */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) !== 'ESRCH';
  }
}

export function parseLockInfo(raw: Buffer): LockInfo | undefined {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, unknown>;
    if (!Number.isSafeInteger(o.pid) || (o.pid as number) <= 0) return undefined;
    const str = (x: unknown): string => (typeof x === 'string' ? x : '');
    return {
      pid: o.pid as number,
      hostname: str(o.hostname),
      startedAt: str(o.startedAt),
      heartbeatAt: str(o.heartbeatAt) || str(o.startedAt),
      nonce: str(o.nonce),
    };
  } catch {
    return undefined;
  }
}

export class WriterLock {
  readonly path: string;
  private info: LockInfo;
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  private beating = false;

  private constructor(
    dir: string,
    private readonly opts: WriterLockOptions,
    info: LockInfo,
    /** Open on the lock's inode: heartbeats write through it, never through the path (see L3). */
    private readonly handle: JournalFileHandle,
  ) {
    this.path = lockPath(dir);
    this.info = info;
    if (opts.heartbeatMs > 0) {
      this.timer = setInterval(() => void this.heartbeat(), opts.heartbeatMs);
      this.timer.unref();
    }
  }

  get holder(): LockInfo {
    return { ...this.info };
  }

  /** Takes the lock or throws journal_locked (live holder) / journal_io_failed. Diagnostics: stale takeovers. */
  static async acquire(
    dir: string,
    opts: WriterLockOptions,
  ): Promise<{ lock: WriterLock; diagnostics: JournalDiagnostic[] }> {
    const { fs, now } = opts;
    const path = lockPath(dir);
    const host = opts.hostname ?? osHostname();
    const alive = opts.isPidAlive ?? isPidAlive;
    const diagnostics: JournalDiagnostic[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const at = now().toISOString();
      const info: LockInfo = {
        pid: opts.pid,
        hostname: host,
        startedAt: at,
        heartbeatAt: at,
        nonce: randomUUID(),
      };
      // L1: the lock appears whole or not at all: its content is written to a temp file first, then hard-linked
      // to writer.lock (link fails with EEXIST like O_EXCL). A crash never leaves an empty lock behind.
      const temp = lockTempPath(dir, opts.pid, info.nonce);
      let handle: JournalFileHandle | undefined;
      let taken = false;
      try {
        handle = await fs.open(temp, 'w');
        await writeAll(handle, Buffer.from(lockText(info)));
        await handle.sync();
        await fs.link(temp, path);
        taken = true;
      } catch (e) {
        const code = errnoCode(e);
        if (code !== 'EEXIST' && code !== 'ENOENT') {
          await handle?.close().catch(() => undefined);
          await fs.unlink(temp).catch(() => undefined);
          throw lockIoError(dir, e);
        }
      }
      await fs.unlink(temp).catch(() => undefined);
      if (taken && handle !== undefined) {
        try {
          await fs.fsyncDir(dir);
        } catch (e) {
          await handle.close().catch(() => undefined);
          await fs.unlink(path).catch(() => undefined);
          throw lockIoError(dir, e);
        }
        await removeDeadTemps(fs, dir, alive);
        return { lock: new WriterLock(dir, opts, info, handle), diagnostics };
      }
      await handle?.close().catch(() => undefined);
      if (!taken && handle === undefined) continue;
      let raw: Buffer;
      try {
        raw = await fs.readFile(path);
      } catch (e) {
        if (isMissing(e)) continue; // released between our create and our read: try again
        throw lockIoError(dir, e);
      }
      const held = parseLockInfo(raw);
      const stale = await staleness(fs, path, held, { host, alive, now, staleAfterMs: opts.staleAfterMs });
      if (stale === undefined) {
        throw new LiveVariantsError(
          'journal_locked',
          `Another process (pid ${held?.pid ?? 'unknown'}${held && held.hostname !== host ? ` on ${held.hostname}` : ''}) is the writer of ${dir}; open it read-only or stop that process.`,
          undefined,
          { pid: held?.pid ?? null },
        );
      }
      // L2: remove the stale lock only if it is still the one we judged (another taker may have replaced it).
      try {
        const again = await fs.readFile(path);
        if (!again.equals(raw)) continue;
        await fs.unlink(path);
      } catch (e) {
        if (isMissing(e)) continue;
        throw lockIoError(dir, e);
      }
      diagnostics.push({
        code: 'stale_lock_taken',
        message: `Took over the writer lock of ${dir} from ${stale}.`,
      });
    }
    throw new LiveVariantsError(
      'journal_locked',
      `Could not take the writer lock of ${dir}: it kept changing.`,
      undefined,
      {
        pid: null,
      },
    );
  }

  /** Refreshes heartbeatAt; if the file is no longer ours, stops and reports the loss once. */
  async heartbeat(): Promise<void> {
    if (this.released || this.beating) return;
    this.beating = true;
    try {
      const current = parseLockInfo(await this.opts.fs.readFile(this.path).catch(() => Buffer.alloc(0)));
      if (current?.nonce !== this.info.nonce) {
        this.stop();
        this.released = true;
        await this.handle.close().catch(() => undefined);
        this.opts.onLost?.(current);
        return;
      }
      // L3: rewrite in place through the handle opened on our own inode. If another process replaced the
      // file since the check above, this writes to our orphaned inode and never clobbers its lock.
      this.info = { ...this.info, heartbeatAt: this.opts.now().toISOString() };
      const bytes = Buffer.from(lockText(this.info));
      let done = 0;
      while (done < bytes.length) done += await this.handle.write(bytes, done, bytes.length - done, done);
      await this.handle.truncate(bytes.length);
    } catch {
      // A missed heartbeat is harmless (staleness is judged by pid on this host); the next tick retries.
    } finally {
      this.beating = false;
    }
  }

  /** Stops the heartbeat and removes the lock file if it is still ours (L4). */
  async release(): Promise<void> {
    this.stop();
    if (this.released) return;
    this.released = true;
    while (this.beating) await new Promise((r) => setTimeout(r, 1));
    try {
      const current = parseLockInfo(await this.opts.fs.readFile(this.path));
      if (current?.nonce === this.info.nonce) await this.opts.fs.unlink(this.path);
    } catch {
      // Already gone: nothing to release.
    }
    await this.handle.close().catch(() => undefined);
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const TEMP_PREFIX = `${LOCK_FILE}.tmp-`;

function lockTempPath(dir: string, pid: number, tag: string): string {
  return join(dir, `${TEMP_PREFIX}${pid}-${tag}`);
}

function lockText(info: LockInfo): string {
  return `${JSON.stringify(info)}\n`;
}

/** Temp files of lock attempts whose process died mid-way (same host) are garbage. */
async function removeDeadTemps(fs: JournalFs, dir: string, alive: (pid: number) => boolean): Promise<void> {
  try {
    for (const name of await fs.readdir(dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const pid = Number.parseInt(name.slice(TEMP_PREFIX.length), 10);
      if (Number.isSafeInteger(pid) && pid > 0 && !alive(pid))
        await fs.unlink(join(dir, name)).catch(() => undefined);
    }
  } catch {
    // Cleaning up is best effort.
  }
}

function lockIoError(dir: string, e: unknown): LiveVariantsError {
  const errno = errnoCode(e);
  return new LiveVariantsError(
    'journal_io_failed',
    `Could not use the writer lock of ${dir} (${errno ?? String(e)}).`,
    undefined,
    { errno: errno ?? null },
  );
}

/** L2: why a held lock is stale (a phrase for the diagnostic), or undefined when its holder may be alive. */
async function staleness(
  fs: JournalFs,
  path: string,
  held: LockInfo | undefined,
  ctx: { host: string; alive: (pid: number) => boolean; now: () => Date; staleAfterMs: number },
): Promise<string | undefined> {
  const nowMs = ctx.now().getTime();
  if (held === undefined) {
    // Unparseable: a writer died between creating the file and writing it, or is doing so right now.
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(path)).mtimeMs;
    } catch {
      return 'a lock file that vanished';
    }
    return nowMs - mtimeMs > ctx.staleAfterMs ? 'an unreadable lock file' : undefined;
  }
  if (held.hostname === '' || held.hostname === ctx.host) {
    return ctx.alive(held.pid) ? undefined : `dead process ${held.pid}`;
  }
  const beat = Date.parse(held.heartbeatAt);
  if (Number.isNaN(beat) || nowMs - beat > ctx.staleAfterMs) {
    return `process ${held.pid} on ${held.hostname}, silent since ${held.heartbeatAt}`;
  }
  return undefined;
}
