// SIGKILL during repeated snapshot rewrites, 60 times: after every kill the snapshot on disk is the old one,
// the new one, or none — never unreadable, never a mismatch — and the journal always opens.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../src/core/journal/journalDir';
import { readSessionJournal } from '../../src/core/journal/readSessionJournal';
import { bundleForNode } from '../helpers/bundle';
import { cleanupTempDirs, makeTempDir } from '../unit/journal/testFs';

const KILLS = 60;

let script: string;
beforeAll(async () => {
  script = await bundleForNode('test/crash/journalChild.ts');
});
afterAll(cleanupTempDirs);

interface SnapState {
  count: number;
  last: number;
  pad: string;
}

function boot(dir: string): { child: ChildProcess; ready: Promise<boolean>; exit: Promise<unknown> } {
  const child = spawn(process.execPath, [script, 'snapshot', dir, 's'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LV_WAIT_GO: '1' },
  });
  child.stdin!.on('error', () => undefined);
  const exit = new Promise((r) => child.once('exit', r));
  const ready = new Promise<boolean>((resolve) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/^ready/m.test(out)) resolve(true);
      if (/^open-failed/m.test(out)) resolve(false);
    });
    void exit.then(() => resolve(false));
  });
  return { child, ready, exit };
}

describe('snapshot under SIGKILL', () => {
  it(`leaves the old snapshot, the new one, or none after each of ${KILLS} kills; the journal always opens`, async () => {
    const dir = makeTempDir('lv-snapcrash-');
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const problems: string[] = [];
    let snapshotsSeen = 0;
    let killedMidWrite = 0;
    let next = boot(dir);
    for (let k = 0; k < KILLS; k++) {
      const current = next;
      next = boot(dir);
      current.child.stdin!.write('go\n');
      if (!(await current.ready)) problems.push(`kill ${k}: the journal did not open`);
      await new Promise((r) => setTimeout(r, 5 + rand() * 60));
      current.child.kill('SIGKILL');
      await current.exit;

      if (existsSync(join(dir, 's.snapshot.json.tmp'))) killedMidWrite++;
      const view = await readSessionJournal(dir, 's', { withSnapshot: true });
      const read = view.snapshot!;
      if ('diagnostic' in read && read.diagnostic) problems.push(`kill ${k}: ${read.diagnostic.message}`);
      if (read.snapshot) {
        snapshotsSeen++;
        const state = read.snapshot.state as SnapState;
        // The state was computed from exactly the records up to its seq.
        const upTo = view.records.filter((r) => r.seq <= read.snapshot!.seq).length;
        if (state.count !== upTo || state.last !== read.snapshot.seq) {
          problems.push(
            `kill ${k}: snapshot state ${JSON.stringify({ ...state, pad: undefined })} vs ${upTo}`,
          );
        }
      }
    }
    next.child.kill('SIGKILL');
    await next.exit;
    expect(problems).toEqual([]);
    expect(snapshotsSeen).toBeGreaterThan(KILLS / 2);
    expect(killedMidWrite).toBeGreaterThan(0); // some kills did land between temp file and rename

    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const j = await jd.openSession('s');
    const final = await j.readSnapshot<SnapState>();
    expect(final.snapshot).toBeDefined();
    expect(jd.diagnostics.map((d) => d.code)).toEqual(['stale_lock_taken']);
    await jd.close();
  }, 120_000);
});
