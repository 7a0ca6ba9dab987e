// Kill test over the wire: four concurrent posters, the bridge SIGKILLed at random points and restarted.
// Every event the bridge answered with an ack must be in the journal exactly once; every restart must work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSessionJournal } from '../../src/core/journal';
import { killBridge, type RunningBridge, startBridgeProcess } from '../helpers/bridgeClient';

const ROUNDS = Number(process.env.LV_KILL_ROUNDS ?? 200);
const SESSIONS = ['c0000001', 'c0000002', 'c0000003', 'c0000004', 'c0000005', 'c0000006'];
const root = mkdtempSync(join(tmpdir(), 'lv-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function rand(n: number): number {
  return Math.floor(Math.random() * n);
}

async function poster(b: RunningBridge, id: number, acked: Map<string, number>, stop: { v: boolean }) {
  let n = 0;
  while (!stop.v) {
    const sessionId = SESSIONS[rand(SESSIONS.length)];
    const eventId = `p${id}-${process.hrtime.bigint()}-${n++}`;
    const event = {
      type: 'generate',
      sessionId,
      eventId,
      mode: 'replace',
      count: 1 + rand(8),
      element: { tag: 'div', classes: ['x'], pagePath: '/' },
    };
    try {
      const res = await fetch(`${b.url}/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${b.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(event),
      });
      if (res.status === 202) {
        const body = (await res.json()) as { seq: number; sessionId: string };
        acked.set(`${sessionId}/${eventId}`, body.seq);
      } else {
        await res.text();
      }
    } catch {
      return; // the bridge died under us: this poster's round is over
    }
  }
}

describe('bridge kill test', () => {
  it(`every acknowledged event survives ${ROUNDS} SIGKILLs, once, and every restart succeeds`, async () => {
    const acked = new Map<string, number>();
    let failedStarts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let b: RunningBridge;
      try {
        b = await startBridgeProcess(root);
      } catch {
        failedStarts++;
        continue;
      }
      const stop = { v: false };
      const before = acked.size;
      const posters = [0, 1, 2, 3].map((i) => poster(b, i, acked, stop));
      // Kill at a random point after the round has produced at least one ack (so every round exercises
      // recovery of acked events), with posts still in flight.
      const deadline = Date.now() + 5000;
      while (acked.size === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, rand(40)));
      await killBridge(b);
      stop.v = true;
      await Promise.all(posters);
    }
    expect(failedStarts).toBe(0);
    expect(acked.size).toBeGreaterThanOrEqual(ROUNDS);

    const seen = new Map<string, number>();
    let duplicates = 0;
    for (const sid of SESSIONS) {
      const j = await readSessionJournal(join(root, '.live-variants', 'journal'), sid).catch(() => undefined);
      for (const r of j?.records ?? []) {
        const key = `${sid}/${r.eventId}`;
        if (seen.has(key)) duplicates++;
        seen.set(key, r.seq);
      }
    }
    const lost = [...acked.keys()].filter((k) => !seen.has(k));
    expect(lost).toEqual([]);
    expect(duplicates).toBe(0);
    for (const [k, seq] of acked) expect(seen.get(k)).toBe(seq);
  }, 600_000);
});
