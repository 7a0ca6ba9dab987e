// Interrupt fencing against the real session engine (journal in a temp dir): a revoked lease's ack is
// refused, the work is owed again, and the interrupt notice reaches the agent exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentRegistry, heartbeat, interruptAgent } from '../../../src/core/agents';
import { SessionEngine } from '../../../src/core/engine';
import { isLiveVariantsError } from '../../../src/core/errors';
import { FakeTime } from './fakeTime';

const SID = 'a1b2c3d4';
let dir: string;
let engine: SessionEngine;
let time: FakeTime;
let registry: AgentRegistry;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lv-interrupt-'));
  time = new FakeTime(Date.parse('2025-06-01T10:00:00.000Z'));
  engine = await SessionEngine.open({ journalDir: dir, monotonic: () => time.now, leaseMs: 60_000 });
  registry = new AgentRegistry({ now: time.clock, timers: null });
  await engine.submitBrowserEvent({
    type: 'generate',
    sessionId: SID,
    eventId: 'g1',
    mode: 'replace',
    count: 3,
    element: { tag: 'div', classes: ['hero'], pagePath: '/' },
  });
});
afterEach(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function leaseFor(agentId: string) {
  const grant = engine.lease({ agentId })!;
  registry.touch(agentId, {
    action: 'poll',
    lease: {
      leaseId: grant.lease.leaseId,
      itemId: grant.item.id,
      sessionId: grant.item.sessionId,
      kind: grant.item.kind,
    },
  });
  return grant;
}

describe('interruptAgent', () => {
  it('revokes the lease: its ack is refused as superseded and the work is owed again', async () => {
    const grant = leaseFor('agent-1');
    const result = interruptAgent(engine, registry, 'agent-1', 'Stop: wrong element');
    expect(result).toEqual({
      agentId: 'agent-1',
      reason: 'Stop: wrong element',
      revoked: [{ leaseId: grant.lease.leaseId, itemId: grant.item.id }],
      known: true,
    });
    const refused = await engine
      .ack(grant.lease.leaseId, { type: 'done', count: 3 })
      .catch((e: unknown) => e);
    expect(isLiveVariantsError(refused) && [refused.code, refused.field]).toEqual([
      'lease_superseded',
      'leaseId',
    ]);
    expect(engine.owed(SID).map((o) => [o.item.id, o.state])).toEqual([[grant.item.id, 'ready']]);
    expect(engine.records(SID).map((r) => r.type)).toEqual(['browser.generate']);

    const view = registry.get('agent-1')!;
    expect(view.lease).toBeNull();
    expect(view.interrupt).toEqual({
      reason: 'Stop: wrong element',
      at: new Date(time.now).toISOString(),
      revoked: 1,
      delivered: false,
    });

    // Another agent (or the same one after resuming) gets the work under a new lease and can ack it.
    const again = leaseFor('agent-2');
    expect(again.item.id).toBe(grant.item.id);
    expect(again.lease.leaseId).not.toBe(grant.lease.leaseId);
    expect((await engine.ack(again.lease.leaseId, { type: 'done', count: 3 })).accepted).toBe(true);
  });

  it('hands the interrupt notice to the next heartbeat, once; the next poll does not see it again', () => {
    leaseFor('agent-1');
    interruptAgent(engine, registry, 'agent-1', 'User pressed stop');
    time.advance(2_000);
    const beat = heartbeat(engine, registry, 'agent-1', { harness: 'claude-code' });
    expect(beat.interrupt).toEqual({ type: 'interrupt', reason: 'User pressed stop' });
    expect(beat.agent).toMatchObject({
      agentId: 'agent-1',
      harness: 'claude-code',
      presence: 'online',
      lastAction: { action: 'heartbeat' },
      interrupt: { reason: 'User pressed stop', delivered: true, revoked: 1 },
    });
    expect(heartbeat(engine, registry, 'agent-1').interrupt).toBeNull();
    expect(engine.takeInterrupt('agent-1')).toBeUndefined();
  });

  it('leaves a notice for an agent the registry has never seen, without inventing its presence', () => {
    const result = interruptAgent(engine, registry, 'ghost', 'hello?');
    expect(result).toEqual({ agentId: 'ghost', reason: 'hello?', revoked: [], known: false });
    expect(registry.get('ghost')).toBeUndefined();
    expect(engine.takeInterrupt('ghost')).toEqual({ type: 'interrupt', reason: 'hello?' });
  });

  it('refuses a bad agent id before touching the queue', () => {
    leaseFor('agent-1');
    let err: unknown;
    try {
      interruptAgent(engine, registry, 'not an id', 'x');
    } catch (e) {
      err = e;
    }
    expect(isLiveVariantsError(err) && [err.code, err.field]).toEqual(['invalid_agent_id', 'agentId']);
    expect(engine.owed(SID)[0].state).toBe('leased');
  });
});
