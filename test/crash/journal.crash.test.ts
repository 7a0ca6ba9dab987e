// Crash test: a real child process runs the real journal and acknowledges an event only after append
// resolved; the parent SIGKILLs it at random points (during open and recovery, with appends in flight)
// and restarts it, 300 times. Then every acknowledged eventId must be in the journal exactly once, with
// the seq it was acknowledged with, and no open may have failed. The same checker must catch a broken
// variant that acknowledges before writing.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionJournal } from '../../src/core/journal/readSessionJournal';
import { bundleForNode } from '../helpers/bundle';
import { cleanupTempDirs, makeTempDir, seededRandom } from '../unit/journal/testFs';

const KILLS = 300;
const LANES = 2; // independent journals side by side, KILLS / LANES restarts each, to keep the run short

let goodChild: string;
let brokenChild: string;
beforeAll(async () => {
  goodChild = await bundleForNode('test/crash/journalChild.ts');
  brokenChild = await bundleForNode('test/crash/journalChild.ts', {
    'process.env.LV_ACK_BEFORE_WRITE': '"1"',
  });
});
afterAll(cleanupTempDirs);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LaneResult {
  /** eventId → seq from every "ack" line the children printed. */
  acked: Map<string, number>;
  /** An eventId acknowledged twice with different seqs. */
  conflictingAcks: string[];
  openFailures: string[];
  kills: number;
}

/** A child process started ahead of its round: it boots, then waits for "go" before opening the journal. */
interface Booted {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  readySince: () => number;
  exited: () => boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function boot(script: string, dir: string): Booted {
  const child = spawn(process.execPath, [script, 'append', dir, 's'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LV_WAIT_GO: '1' },
  });
  child.stdin!.on('error', () => undefined); // writes after the kill hit a closed pipe
  let out = '';
  let err = '';
  let readySince = 0;
  let exited = false;
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    if (readySince === 0 && /^ready/m.test(out)) readySince = Date.now();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  return { child, out: () => out, err: () => err, readySince: () => readySince, exited: () => exited, exit };
}

/** One round: tell the booted child to go, feed it events, kill it at a random moment, collect its acks. */
async function round(booted: Booted, rand: () => number, state: LaneResult, n: number): Promise<void> {
  const { child } = booted;
  child.stdin!.write('go\n');
  // One round in five is killed a random 0–40 ms after "go" (often mid-open or mid-recovery: lock
  // takeover, torn-tail truncation); the others a random 0–30 ms after the journal is open, with appends
  // in flight.
  const early = rand() < 0.2;
  const startedAt = Date.now();
  const killAfter = early ? rand() * 40 : rand() * 30;
  const unacked: string[] = [];
  let next = 0;
  while (!booted.exited()) {
    const elapsed = Date.now() - startedAt;
    if (early && elapsed >= killAfter) break;
    const readySince = booted.readySince();
    if (readySince === 0) {
      if (elapsed > 10_000) break;
      await sleep(1);
      continue;
    }
    if (!early && Date.now() - readySince >= killAfter) break;
    const burst = 1 + Math.floor(rand() * 5);
    let text = '';
    for (let b = 0; b < burst; b++) {
      // Mostly new events; sometimes a retry of an earlier one (acknowledged or not), as a client would.
      const retry = rand() < 0.15 && unacked.length + state.acked.size > 0;
      const eventId = retry ? pickRetry(rand, unacked, state) : `r${n}-${next++}`;
      unacked.push(eventId);
      text += `${JSON.stringify({ eventId })}\n`;
    }
    child.stdin!.write(text);
    await sleep(1 + rand() * 4);
  }
  child.kill('SIGKILL');
  const { code, signal } = await booted.exit;
  state.kills++;
  for (const line of booted.out().split('\n')) {
    const m = /^ack (\S+) (\d+)$/.exec(line);
    if (m) {
      const seq = Number(m[2]);
      const before = state.acked.get(m[1]);
      if (before !== undefined && before !== seq && seq !== 0) state.conflictingAcks.push(m[1]);
      if (before === undefined || before === 0) state.acked.set(m[1], seq);
    }
    if (line.startsWith('open-failed') || line.startsWith('fail '))
      state.openFailures.push(`round ${n}: ${line}`);
  }
  if (signal !== 'SIGKILL' || code !== null) {
    state.openFailures.push(`round ${n}: exited ${code} ${signal} ${booted.err()}`);
  }
}

function pickRetry(rand: () => number, unacked: string[], state: LaneResult): string {
  if (unacked.length > 0 && rand() < 0.5) return unacked[Math.floor(rand() * unacked.length)];
  const ids = [...state.acked.keys()];
  return ids[Math.floor(rand() * ids.length)] ?? unacked[0];
}

interface Verdict {
  lostAcks: string[];
  wrongSeq: string[];
  duplicateLines: string[];
  corruptLines: number;
  records: number;
}

/** The checker: compares what was acknowledged with what the journal holds, line by line. */
async function check(dir: string, acked: Map<string, number>): Promise<Verdict> {
  const view = await readSessionJournal(dir, 's');
  const seqOf = new Map(view.records.map((r) => [r.eventId, r.seq]));
  const perEvent = new Map<string, number>();
  for (const line of readFileSync(join(dir, 's.jsonl'), 'utf8').split('\n')) {
    try {
      const id = (JSON.parse(line) as { eventId: string }).eventId;
      perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    } catch {
      // the torn tail of the last kill, if any
    }
  }
  const lostAcks = [...acked.keys()].filter((id) => !seqOf.has(id));
  return {
    lostAcks,
    wrongSeq: [...acked]
      .filter(([id, seq]) => seqOf.has(id) && seq !== 0 && seqOf.get(id) !== seq)
      .map(([id]) => id),
    duplicateLines: [...perEvent].filter(([, n]) => n > 1).map(([id]) => id),
    corruptLines: view.diagnostics.filter((d) => d.code === 'corrupt_line_skipped').length,
    records: view.records.length,
  };
}

async function lane(
  script: string,
  rounds: number,
  seed: number,
): Promise<{ dir: string; state: LaneResult }> {
  const dir = makeTempDir('lv-crash-');
  const rand = seededRandom(seed);
  const state: LaneResult = { acked: new Map(), conflictingAcks: [], openFailures: [], kills: 0 };
  let booted = boot(script, dir);
  for (let n = 0; n < rounds; n++) {
    // The next process boots while this round runs; it opens the journal only after this one is dead.
    const following = n + 1 < rounds ? boot(script, dir) : undefined;
    await round(booted, rand, state, n);
    if (following) booted = following;
  }
  return { dir, state };
}

describe('journal under SIGKILL', () => {
  it(`loses no acknowledged event and duplicates none across ${KILLS} kills and restarts`, async () => {
    const lanes = await Promise.all(
      Array.from({ length: LANES }, (_, i) => lane(goodChild, KILLS / LANES, 1000 + i)),
    );
    let totalAcks = 0;
    let kills = 0;
    for (const { dir, state } of lanes) {
      const verdict = await check(dir, state.acked);
      expect(state.openFailures).toEqual([]);
      expect(state.conflictingAcks).toEqual([]);
      expect(verdict.lostAcks).toEqual([]);
      expect(verdict.wrongSeq).toEqual([]);
      expect(verdict.duplicateLines).toEqual([]);
      expect(verdict.corruptLines).toBe(0);
      totalAcks += state.acked.size;
      kills += state.kills;
    }
    expect(kills).toBe(KILLS);
    expect(totalAcks).toBeGreaterThan(KILLS); // the run really acknowledged events between kills
  }, 120_000);

  it('catches the broken variant that acknowledges before writing (lost acks reported)', async () => {
    const { dir, state } = await lane(brokenChild, 12, 77);
    const verdict = await check(dir, state.acked);
    expect(state.openFailures).toEqual([]);
    expect(verdict.lostAcks.length).toBeGreaterThan(0);
  }, 60_000);
});
