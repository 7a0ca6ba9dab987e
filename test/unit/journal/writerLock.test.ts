import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { isPidAlive } from '../../../src/core/journal/writerLock';
import { bundleForNode } from '../../helpers/bundle';
import { cleanupTempDirs, makeTempDir, waitFor } from './testFs';

afterEach(cleanupTempDirs);

let childScript: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  childScript = await bundleForNode('test/crash/journalChild.ts');
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function waitForLine(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const found = buffered.split('\n').find((l) => l.startsWith(prefix));
      if (found !== undefined) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before "${prefix}": ${buffered}`)));
  });
}

describe('writer lock', () => {
  it('writes {pid, startedAt, heartbeatAt} to writer.lock and a second open fails with journal_locked', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0, now: () => new Date('2025-05-05T00:00:00.000Z') });
    const lock = JSON.parse(readFileSync(join(dir, 'writer.lock'), 'utf8'));
    expect(lock).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      startedAt: '2025-05-05T00:00:00.000Z',
      heartbeatAt: '2025-05-05T00:00:00.000Z',
    });
    await expect(openJournalDir(dir, { heartbeatMs: 0 })).rejects.toMatchObject({
      code: 'journal_locked',
      detail: { pid: process.pid },
    });
    await jd.close();
    const again = await openJournalDir(dir, { heartbeatMs: 0 });
    expect(again.diagnostics).toEqual([]);
    await again.close();
  });

  it('refuses while another live process holds the lock, naming its pid', async () => {
    const dir = makeTempDir();
    const child = spawn(process.execPath, [childScript, 'hold', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await waitForLine(child, 'ready');
    await expect(openJournalDir(dir, { heartbeatMs: 0 })).rejects.toMatchObject({
      code: 'journal_locked',
      detail: { pid: child.pid },
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    expect(jd.diagnostics.map((d) => d.code)).toEqual(['stale_lock_taken']);
    expect(jd.diagnostics[0].message).toContain(`dead process ${child.pid}`);
    await jd.close();
  });

  it('takes over a lock whose pid is dead, with one stale_lock_taken diagnostic', async () => {
    const dir = makeTempDir();
    const pid = await deadPid();
    expect(isPidAlive(pid)).toBe(false);
    const stale = {
      pid,
      hostname: hostname(),
      startedAt: '2020-01-01T00:00:00.000Z',
      heartbeatAt: '2020-01-01T00:00:00.000Z',
      nonce: 'old',
    };
    writeFileSync(join(dir, 'writer.lock'), JSON.stringify(stale));
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    expect(jd.diagnostics).toEqual([
      { code: 'stale_lock_taken', message: `Took over the writer lock of ${dir} from dead process ${pid}.` },
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'writer.lock'), 'utf8')).pid).toBe(process.pid);
    await jd.close();
  });

  it('creates the lock whole from a temp file, and removes temp files left by dead processes', async () => {
    const dir = makeTempDir();
    const pid = await deadPid();
    writeFileSync(join(dir, `writer.lock.tmp-${pid}-abc`), '{"pid":');
    writeFileSync(join(dir, `writer.lock.tmp-${process.pid}-live`), '{}');
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    expect(readdirSync(dir).sort()).toEqual(['writer.lock', `writer.lock.tmp-${process.pid}-live`]);
    await jd.close();
    expect(readdirSync(dir)).toEqual([`writer.lock.tmp-${process.pid}-live`]);
  });

  it('judges an unreadable lock file by its age, and a lock from another host by its heartbeat', async () => {
    const dir = makeTempDir();
    const lockFile = join(dir, 'writer.lock');
    writeFileSync(lockFile, '');
    await expect(openJournalDir(dir, { heartbeatMs: 0, staleLockMs: 60_000 })).rejects.toMatchObject({
      code: 'journal_locked',
    });
    utimesSync(lockFile, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const jd = await openJournalDir(dir, { heartbeatMs: 0, staleLockMs: 60_000 });
    expect(jd.diagnostics.map((d) => d.message)).toEqual([
      `Took over the writer lock of ${dir} from an unreadable lock file.`,
    ]);
    await jd.close();

    const fresh = new Date().toISOString();
    const old = new Date(Date.now() - 120_000).toISOString();
    const other = { pid: process.pid, hostname: 'elsewhere', startedAt: old, heartbeatAt: fresh, nonce: 'n' };
    writeFileSync(lockFile, JSON.stringify(other));
    await expect(openJournalDir(dir, { heartbeatMs: 0 })).rejects.toMatchObject({ code: 'journal_locked' });
    writeFileSync(lockFile, JSON.stringify({ ...other, heartbeatAt: old }));
    const jd2 = await openJournalDir(dir, { heartbeatMs: 0 });
    expect(jd2.diagnostics.map((d) => d.code)).toEqual(['stale_lock_taken']);
    await jd2.close();
  });

  it('refreshes heartbeatAt periodically', async () => {
    const dir = makeTempDir();
    let t = Date.parse('2025-01-01T00:00:00.000Z');
    const tick = () => {
      t += 1000;
      return new Date(t);
    };
    const jd = await openJournalDir(dir, { heartbeatMs: 10, now: tick });
    const read = () => JSON.parse(readFileSync(join(dir, 'writer.lock'), 'utf8'));
    const first = read();
    await waitFor(() => read().heartbeatAt !== first.heartbeatAt);
    const later = read();
    expect(later.startedAt).toBe(first.startedAt);
    expect(later.nonce).toBe(first.nonce);
    expect(Date.parse(later.heartbeatAt)).toBeGreaterThan(Date.parse(first.heartbeatAt));
    await jd.close();
  });

  it('stops writing when the heartbeat finds its lock taken by another process', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 10 });
    const j = await jd.openSession('s1');
    await j.append({ eventId: 'e1', type: 't', data: {} });
    // A real taker removes the stale lock and links a new file: a new inode replaces the path atomically.
    const thief = { pid: 4242, hostname: hostname(), startedAt: 'x', heartbeatAt: 'x', nonce: 'thief' };
    writeFileSync(join(dir, 'thief.tmp'), JSON.stringify(thief));
    renameSync(join(dir, 'thief.tmp'), join(dir, 'writer.lock'));
    await waitFor(() => jd.diagnostics.length > 0);
    expect(jd.diagnostics.map((d) => d.code)).toEqual(['lock_lost']);
    await waitFor(() => j.latched);
    await expect(j.append({ eventId: 'e2', type: 't', data: {} })).rejects.toMatchObject({
      code: 'journal_latched',
      detail: { pid: 4242 },
    });
    await expect(jd.openSession('s2')).rejects.toMatchObject({
      code: 'journal_locked',
      detail: { pid: 4242 },
    });
    await jd.close();
    // close does not remove a lock that is no longer ours
    expect(JSON.parse(readFileSync(join(dir, 'writer.lock'), 'utf8')).nonce).toBe('thief');
  });
});
