import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionEngine } from '../../../src/core/engine';
import { isLiveVariantsError } from '../../../src/core/errors';
import { persistedJson } from '../../../src/core/machine';

const SID = 'a1b2c3d4';
let dir: string;
let clock = 0;
const open = (extra: Partial<Parameters<typeof SessionEngine.open>[0]> = {}) =>
  SessionEngine.open({ journalDir: dir, monotonic: () => clock, leaseMs: 1000, ...extra });

const generate = (eventId = 'g1', sessionId = SID) => ({
  type: 'generate',
  sessionId,
  eventId,
  mode: 'replace',
  count: 3,
  element: { tag: 'div', classes: ['hero'], pagePath: '/' },
});

/** A generate answered with 3 variants, then `count` checkpoints of the tab: a session with some history. */
async function generatedWithCheckpoints(engine: SessionEngine, count: number): Promise<void> {
  await engine.submitBrowserEvent(generate());
  const g = engine.lease()!;
  await engine.ack(g.lease.leaseId, { type: 'done', count: 3 });
  for (let i = 1; i <= count; i++) {
    await engine.submitBrowserEvent({
      type: 'checkpoint',
      sessionId: SID,
      eventId: `c${i}`,
      owner: 'tab',
      revision: i,
      variant: String((i % 3) + 1),
      params: { r: i },
    });
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lv-engine-'));
  clock = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SessionEngine', () => {
  it('journals a generate, owes a generate work item, and answers with the durable seq', async () => {
    const engine = await open();
    const r = await engine.submitBrowserEvent(generate());
    expect(r).toEqual({ sessionId: SID, seq: 1, duplicate: false, accepted: true, phase: 'generating' });
    const grant = engine.lease({ agentId: 'agent-1' });
    expect(grant?.item.kind).toBe('generate');
    expect(grant?.item.sessionId).toBe(SID);
    expect((grant!.item.payload.data as Record<string, unknown>).count).toBe(3);
    await engine.close();
  });

  it('answers a repeated eventId with the original seq and duplicate: true', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate('g1'));
    const again = await engine.submitBrowserEvent(generate('g1'));
    expect(again.seq).toBe(1);
    expect(again.duplicate).toBe(true);
    expect(engine.records(SID)).toHaveLength(1);
    await engine.close();
  });

  it('refuses invalid browser events with {error, field} and journals nothing', async () => {
    const engine = await open();
    const err = await engine.submitBrowserEvent({ ...generate(), count: 9 }).catch((e) => e);
    expect(isLiveVariantsError(err)).toBe(true);
    expect(err.field).toBe('count');
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    await engine.close();
  });

  it('journals a rejected transition as a diagnostic and leaves the state alone', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate());
    const r = await engine.submitBrowserEvent({
      type: 'accept',
      sessionId: SID,
      eventId: 'a1',
      variant: '1',
    });
    expect(r.accepted).toBe(false);
    expect(r.phase).toBe('generating');
    expect(r.diagnostic?.code).toBe('rejected_transition');
    expect(engine.records(SID).map((x) => x.type)).toEqual(['browser.generate', 'diagnostic']);
    await engine.close();
  });

  it('refuses events for a session that does not exist', async () => {
    const engine = await open();
    const err = await engine
      .submitBrowserEvent({ type: 'discard', sessionId: 'deadbeef', eventId: 'd1' })
      .catch((e) => e);
    expect(err.code).toBe('session_not_found');
    await engine.close();
  });

  it('after a restart every unacked item is deliverable at once and acked items never again', async () => {
    let engine = await open();
    await engine.submitBrowserEvent(generate('g1', 'aaaaaaa1'));
    await engine.submitBrowserEvent(generate('g2', 'aaaaaaa2'));
    const first = engine.lease({ agentId: 'x' });
    expect(first).toBeDefined();
    const ack = await engine.ack(first!.lease.leaseId, { type: 'done', count: 3 });
    expect(ack.accepted).toBe(true);
    expect(ack.phase).toBe('variants_written');
    const second = engine.lease({ agentId: 'x' });
    expect(second).toBeDefined(); // leased, never acked
    await engine.close();

    engine = await open();
    const again = engine.lease({ agentId: 'y' });
    expect(again?.item.id).toBe(second!.item.id);
    expect(engine.lease({ agentId: 'y' })).toBeUndefined();
    // The old lease belongs to a previous process life: refused.
    const stale = await engine.ack(second!.lease.leaseId, { type: 'done' }).catch((e) => e);
    expect(stale.code).toBe('lease_superseded');
    expect(engine.view(first!.item.sessionId)?.phase).toBe('variants_written');
    await engine.close();
  });

  it('redelivers an expired lease with a higher fence', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate());
    const a = engine.lease({ agentId: 'a' })!;
    clock += 1001;
    const b = engine.lease({ agentId: 'b' })!;
    expect(b.item.id).toBe(a.item.id);
    expect(b.lease.fence).toBeGreaterThan(a.lease.fence);
    const refused = await engine.ack(a.lease.leaseId, { type: 'done' }).catch((e) => e);
    expect(refused.code).toBe('lease_superseded');
    await engine.close();
  });

  it('a newer generate replaces the generate still owed', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate('g1'));
    await engine.submitBrowserEvent({ ...generate('g2'), count: 2 });
    const owed = engine.owed(SID);
    expect(owed).toHaveLength(1);
    expect((owed[0].item.payload.data as Record<string, unknown>).count).toBe(2);
    await engine.close();
  });

  it('archives a session when it completes and answers later events with session_complete', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate());
    const d = await engine.submitBrowserEvent({ type: 'discard', sessionId: SID, eventId: 'd1' });
    expect(d.phase).toBe('discard_pending');
    const r = await engine.submit(SID, 'applied', { type: 'discard.applied' });
    expect(r.phase).toBe('complete');
    await new Promise((res) => setTimeout(res, 50));
    expect(engine.isArchived(SID)).toBe(true);
    expect(engine.activeSessions()).toEqual([]);
    expect(readdirSync(join(dir, 'archive')).some((f) => f.startsWith(SID))).toBe(true);
    const late = await engine.submitBrowserEvent({
      type: 'accept',
      sessionId: SID,
      eventId: 'a9',
      variant: '2',
    });
    expect(late.diagnostic?.code).toBe('session_complete');
    await engine.close();
  });

  it('agent mode owes accept work ahead of generate work', async () => {
    const engine = await open({ acceptBy: 'agent' });
    await engine.submitBrowserEvent(generate('g1', 'bbbbbbb1'));
    const g = engine.lease()!;
    await engine.ack(g.lease.leaseId, { type: 'done', count: 3 });
    await engine.submit('bbbbbbb1', 'cp', {
      type: 'browser.checkpoint',
      owner: 'tab1',
      revision: 1,
      variant: '2',
      params: {},
    });
    await engine.submitBrowserEvent(generate('g2', 'bbbbbbb2'));
    await engine.submitBrowserEvent({ type: 'accept', sessionId: 'bbbbbbb1', eventId: 'a1', variant: '2' });
    expect(engine.lease()?.item.kind).toBe('accept');
    expect(engine.lease()?.item.kind).toBe('generate');
    await engine.close();
  });

  it('a reopened engine rebuilds the same session state from snapshot + tail as from the full journal', async () => {
    let engine = await open({ snapshotEvery: 3 });
    await generatedWithCheckpoints(engine, 7);
    const live = engine.view(SID)!;
    await engine.close();
    engine = await open();
    const reopened = engine.view(SID)!;
    expect(reopened.phase).toBe(live.phase);
    expect(reopened.context).toEqual(live.context);
    await engine.close();
    // Without the snapshot file: full replay gives the same.
    rmSync(join(dir, `${SID}.snapshot.json`), { force: true });
    engine = await open();
    expect(engine.view(SID)!.context).toEqual(live.context);
    await engine.close();
    void persistedJson;
  });

  it('a snapshot that does not hold is reported and the whole journal is replayed instead', async () => {
    let engine = await open({ snapshotEvery: 3 });
    await generatedWithCheckpoints(engine, 5);
    const live = engine.view(SID)!;
    await engine.close();
    const path = join(dir, `${SID}.snapshot.json`);
    const snapshot = JSON.parse(readFileSync(path, 'utf8'));

    // Names another record's crc: the journal was not the one it describes.
    writeFileSync(path, JSON.stringify({ ...snapshot, lastCrc: '00000000' }));
    engine = await open();
    expect(engine.view(SID)!.context).toEqual(live.context);
    expect(engine.diagnostics.map((d) => d.code)).toContain('snapshot_mismatch');
    await engine.close();

    // Matches the journal but its state does not restore.
    writeFileSync(path, JSON.stringify({ ...snapshot, state: { machine: {} } }));
    engine = await open();
    expect(engine.view(SID)!.context).toEqual(live.context);
    expect(engine.diagnostics.map((d) => d.code)).toContain('snapshot_unusable');
    await engine.close();

    // A good snapshot again: no diagnostic, same state.
    writeFileSync(path, JSON.stringify(snapshot));
    engine = await open();
    expect(engine.view(SID)!.context).toEqual(live.context);
    expect(engine.diagnostics.filter((d) => d.code.startsWith('snapshot'))).toEqual([]);
    await engine.close();
  });

  it('an agent that acks a generate with retry owes the same generate again, with its element and count', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate());
    const first = engine.lease()!;
    const r = await engine.ack(first.lease.leaseId, { type: 'retry', reason: 'rate limited' });
    expect(r.accepted).toBe(true);
    const again = engine.lease()!;
    expect(again.item.id).not.toBe(first.item.id);
    expect(again.item.kind).toBe('generate');
    expect(again.item.payload.type).toBe('browser.generate');
    expect(again.item.payload.data).toEqual(first.item.payload.data);
    await engine.close();
  });
});
