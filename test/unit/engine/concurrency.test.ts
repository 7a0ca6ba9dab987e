// Live equals replay while appends overlap: events decided while earlier ones are still being written get
// the seq the journal gives them, and a repeat of an append still in flight is answered, never folded twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayRecords, SessionEngine, viewOf } from '../../../src/core/engine';

const SID = 'abcdef12';
let dir: string;

const generate = (eventId: string, count = 3) => ({
  type: 'generate',
  sessionId: SID,
  eventId,
  mode: 'replace',
  count,
  element: { tag: 'div', classes: ['hero'], pagePath: '/' },
});

/** The live view must be exactly what replaying the journal's records gives. */
function expectLiveEqualsReplay(engine: SessionEngine): void {
  const live = engine.view(SID)!;
  expect(viewOf(replayRecords(SID, engine.records(SID)), live.journalBytes)).toEqual(live);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lv-engine-conc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SessionEngine under overlapping appends', () => {
  it('events submitted together fold with the seqs the journal gives them', async () => {
    const engine = await SessionEngine.open({ journalDir: dir });
    await engine.submitBrowserEvent(generate('g0'));
    const results = await Promise.all([2, 3, 4].map((n) => engine.submitBrowserEvent(generate(`g${n}`, n))));
    expect(results.map((r) => r.seq)).toEqual([2, 3, 4]);
    const view = engine.view(SID)!;
    expect(view.lastSeq).toBe(4);
    // The newest generate replaces the ones still owed; its item is named by its own record.
    expect(view.pending.map((w) => [w.id, (w.payload.data as { count: number }).count])).toEqual([
      [`${SID}-4`, 4],
    ]);
    expect(engine.lease()?.item.id).toBe(`${SID}-4`);
    expectLiveEqualsReplay(engine);
    await engine.close();
  });

  it('an eventId repeated while its first append is in flight is answered with its seq and folded once', async () => {
    const engine = await SessionEngine.open({ journalDir: dir });
    await engine.submitBrowserEvent(generate('g0'));
    const checkpoint = {
      type: 'checkpoint',
      sessionId: SID,
      eventId: 'cp1',
      owner: 'tab',
      revision: 1,
      variant: '1',
      params: {},
    };
    await engine.submit(SID, 'seen', { type: 'source.variants_seen', count: 3, file: 'index.html' });
    const [first, again] = await Promise.all([
      engine.submitBrowserEvent(checkpoint),
      engine.submitBrowserEvent(checkpoint),
    ]);
    expect(first).toMatchObject({ seq: 3, duplicate: false, accepted: true, phase: 'cycling' });
    expect(again).toMatchObject({ seq: 3, duplicate: true, accepted: true, phase: 'cycling' });
    expect(engine.records(SID).map((r) => r.eventId)).toEqual(['g0', 'seen', 'cp1']);
    expect(engine.view(SID)?.diagnostics).toEqual([]);
    expectLiveEqualsReplay(engine);
    await engine.close();
  });

  it('the same ack sent twice at once journals one ack; the repeat is answered as a duplicate', async () => {
    const engine = await SessionEngine.open({ journalDir: dir });
    await engine.submitBrowserEvent(generate('g0'));
    const grant = engine.lease({ agentId: 'agent-1' })!;
    const result = { type: 'done', file: 'index.html', count: 3 };
    const [a, b] = await Promise.all([
      engine.ack(grant.lease.leaseId, result),
      engine.ack(grant.lease.leaseId, result),
    ]);
    expect(a).toMatchObject({ seq: 2, duplicate: false, accepted: true, phase: 'variants_written' });
    expect(b).toMatchObject({ seq: 2, duplicate: true, accepted: true, phase: 'variants_written' });
    expect(engine.records(SID).map((r) => r.type)).toEqual(['browser.generate', 'work.acked']);
    expect(engine.view(SID)?.context.variantsSeen).toBe(3);
    expectLiveEqualsReplay(engine);
    await engine.close();
  });

  it('a different result for an ack in flight is refused once the first is recorded', async () => {
    const engine = await SessionEngine.open({ journalDir: dir });
    await engine.submitBrowserEvent(generate('g0'));
    const grant = engine.lease({ agentId: 'agent-1' })!;
    const [a, b] = await Promise.allSettled([
      engine.ack(grant.lease.leaseId, { type: 'done', count: 3 }),
      engine.ack(grant.lease.leaseId, { type: 'error', message: 'gave up' }),
    ]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { seq: 2, accepted: true } });
    expect(b).toMatchObject({ status: 'rejected', reason: { code: 'lease_superseded' } });
    expect(engine.records(SID).map((r) => r.type)).toEqual(['browser.generate', 'work.acked']);
    expectLiveEqualsReplay(engine);
    await engine.close();
  });
});
