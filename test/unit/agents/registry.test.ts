import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AgentEvent, AgentRegistry, type AgentRegistryOptions } from '../../../src/core/agents';
import { isLiveVariantsError } from '../../../src/core/errors';
import { FakeTime } from './fakeTime';

const T0 = Date.parse('2025-06-01T10:00:00.000Z');
let time: FakeTime;
let dir: string;

beforeEach(() => {
  time = new FakeTime(T0);
  dir = mkdtempSync(join(tmpdir(), 'lv-agents-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const make = (opts: AgentRegistryOptions = {}) =>
  new AgentRegistry({ now: time.clock, timers: time, ...opts });

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('presence timing', () => {
  it('is online until 10 s of silence, idle from exactly 10 s, offline from exactly 30 s', () => {
    const r = make();
    r.touch('agent-1', { action: 'poll' });
    expect(r.presence('agent-1')).toBe('online');
    time.now = T0 + 9_999;
    expect(r.presence('agent-1')).toBe('online');
    time.now = T0 + 10_000;
    expect(r.presence('agent-1')).toBe('idle');
    time.now = T0 + 29_999;
    expect(r.presence('agent-1')).toBe('idle');
    time.now = T0 + 30_000;
    expect(r.presence('agent-1')).toBe('offline');
    expect(r.get('agent-1')?.quietMs).toBe(30_000);
  });

  it('honours configured thresholds at their exact boundaries', () => {
    const r = make({ idleAfterMs: 2_000, offlineAfterMs: 5_000 });
    r.touch('a', { action: 'heartbeat' });
    time.now = T0 + 1_999;
    expect(r.presence('a')).toBe('online');
    time.now = T0 + 2_000;
    expect(r.presence('a')).toBe('idle');
    time.now = T0 + 4_999;
    expect(r.presence('a')).toBe('idle');
    time.now = T0 + 5_000;
    expect(r.presence('a')).toBe('offline');
  });

  it('refuses thresholds where idle comes after offline', () => {
    const e = catchError(() => make({ idleAfterMs: 40_000 }));
    expect(isLiveVariantsError(e) && e.field).toBe('idleAfterMs');
  });

  it('tells listeners of each transition at the moment it happens, then disarms', () => {
    const r = make();
    const seen: (AgentEvent & { at: number })[] = [];
    r.onChange((e) => seen.push({ ...e, at: time.now }));
    r.touch('agent-1', { action: 'poll' });
    expect(seen).toEqual([{ agentId: 'agent-1', kind: 'contact', presence: 'online', at: T0 }]);
    time.advance(9_999);
    expect(seen).toHaveLength(1);
    time.advance(1);
    expect(seen[1]).toEqual({
      agentId: 'agent-1',
      kind: 'presence',
      presence: 'idle',
      previous: 'online',
      at: T0 + 10_000,
    });
    time.advance(19_999);
    expect(seen).toHaveLength(2);
    time.advance(1);
    expect(seen[2]).toEqual({
      agentId: 'agent-1',
      kind: 'presence',
      presence: 'offline',
      previous: 'idle',
      at: T0 + 30_000,
    });
    expect(time.armed()).toEqual([]);
  });

  it('a contact while idle brings the agent back online and pushes its next change out', () => {
    const r = make();
    const seen: AgentEvent[] = [];
    r.onChange((e) => seen.push(e));
    r.touch('a', { action: 'poll' });
    time.advance(12_000);
    r.touch('a', { action: 'log' });
    expect(seen.at(-1)).toEqual({ agentId: 'a', kind: 'contact', presence: 'online', previous: 'idle' });
    time.advance(9_999);
    expect(r.presence('a')).toBe('online');
    expect(seen.at(-1)?.kind).toBe('contact');
    time.advance(1);
    expect(seen.at(-1)).toEqual({ agentId: 'a', kind: 'presence', presence: 'idle', previous: 'online' });
  });

  it('an early timer (the agent was heard from since it was armed) reports nothing', () => {
    const r = make();
    const seen: AgentEvent[] = [];
    r.touch('a', { action: 'poll' });
    r.onChange((e) => seen.push(e));
    time.advance(5_000);
    r.touch('a', { action: 'ack' });
    seen.length = 0;
    time.advance(5_000); // the timer armed for T0+10 s fires; a is still online
    expect(seen).toEqual([]);
    expect(r.nextChangeAt()).toBe(T0 + 15_000);
    time.advance(5_000);
    expect(seen).toEqual([{ agentId: 'a', kind: 'presence', presence: 'idle', previous: 'online' }]);
  });

  it('counts agents that are not offline', () => {
    const r = make();
    r.touch('a', { action: 'poll' });
    time.advance(20_000);
    r.touch('b', { action: 'poll' });
    expect(r.countPresent()).toBe(2);
    time.advance(10_000);
    expect(r.countPresent()).toBe(1);
  });
});

describe('what the registry shows', () => {
  it('keeps name, harness, last action and the sessions touched, most recent first', () => {
    const r = make({ maxSessions: 3 });
    r.touch('agent-1', { action: 'poll', name: 'Claude\u0000 in\n iTerm', harness: 'claude-code' });
    time.advance(1_000);
    r.touch('agent-1', { action: 'log', sessionId: 's1' });
    r.touch('agent-1', { action: 'log', sessionId: 's2' });
    r.touch('agent-1', { action: 'log', sessionId: 's1' });
    r.touch('agent-1', { action: 'ack', sessionId: 's3', detail: 'done with s3' });
    r.touch('agent-1', { action: 'status', sessionId: 's4' });
    const v = r.get('agent-1')!;
    expect(v.name).toBe('Claude in iTerm');
    expect(v.harness).toBe('claude-code');
    expect(v.sessions).toEqual(['s4', 's3', 's1']);
    expect(v.lastAction).toEqual({ action: 'status', at: new Date(T0 + 1_000).toISOString(), detail: null });
    expect(v.firstSeenAt).toBe(new Date(T0).toISOString());
    expect(v.lastSeenAt).toBe(new Date(T0 + 1_000).toISOString());
  });

  it('records the lease a poll got and clears it on ack; the queue view wins when given', () => {
    const r = make();
    const lease = { leaseId: 'it-1@e.1', itemId: 'it-1', sessionId: 'a1b2c3d4', kind: 'generate' };
    r.touch('agent-1', { action: 'poll', lease });
    expect(r.get('agent-1')?.lease).toEqual(lease);
    expect(r.get('agent-1')?.sessions).toEqual(['a1b2c3d4']);
    expect(r.get('agent-1', [])?.lease).toBeNull();
    const owed = [
      {
        item: { id: 'it-9', sessionId: 'ffff0000', kind: 'accept' },
        lease: { leaseId: 'it-9@e.2', agentId: 'agent-1' },
      },
    ];
    expect(r.list(owed)[0].lease).toEqual({
      leaseId: 'it-9@e.2',
      itemId: 'it-9',
      sessionId: 'ffff0000',
      kind: 'accept',
    });
    r.touch('agent-1', { action: 'ack', lease: null });
    expect(r.get('agent-1')?.lease).toBeNull();
  });

  it('lists the most recently heard agent first', () => {
    const r = make();
    r.touch('a', { action: 'poll' });
    time.advance(10);
    r.touch('b', { action: 'poll' });
    time.advance(10);
    r.touch('c', { action: 'poll' });
    time.advance(10);
    r.touch('a', { action: 'poll' });
    expect(r.list().map((v) => v.agentId)).toEqual(['a', 'c', 'b']);
  });

  it('drops the agent heard from least recently beyond maxAgents', () => {
    const r = make({ maxAgents: 2 });
    const removed: string[] = [];
    r.onChange((e) => e.kind === 'removed' && removed.push(e.agentId));
    r.touch('a', { action: 'poll' });
    time.advance(1);
    r.touch('b', { action: 'poll' });
    time.advance(1);
    r.touch('a', { action: 'poll' });
    time.advance(1);
    r.touch('c', { action: 'poll' });
    expect(r.list().map((v) => v.agentId)).toEqual(['c', 'a']);
    expect(removed).toEqual(['b']);
  });

  it('refuses bad agent ids, actions and session ids with the field at fault', () => {
    const r = make();
    const cases: [() => unknown, string, string][] = [
      [() => r.touch('no spaces', { action: 'poll' }), 'invalid_agent_id', 'agentId'],
      [() => r.touch('x'.repeat(65), { action: 'poll' }), 'invalid_agent_id', 'agentId'],
      [() => r.touch('a', { action: 'dance' as 'poll' }), 'invalid_input', 'action'],
      [() => r.touch('a', { action: 'poll', sessionId: '../x' }), 'invalid_input', 'sessionId'],
      [() => r.touch('a', { action: 'poll', name: 7 as unknown as string }), 'invalid_input', 'name'],
    ];
    for (const [fn, code, field] of cases) {
      const e = catchError(fn);
      expect(isLiveVariantsError(e) && [e.code, e.field]).toEqual([code, field]);
    }
    expect(r.list()).toEqual([]);
  });
});

describe('the registry file', () => {
  it('saves at once, then at most every everyMs, and on close; a reload shows the agents without leases', async () => {
    const path = join(dir, 'agents.json');
    const r = await AgentRegistry.load(path, { now: time.clock, timers: time, everyMs: 5_000 });
    r.touch('agent-1', {
      action: 'poll',
      name: 'One',
      harness: 'codex',
      lease: { leaseId: 'l@e.1', itemId: 'l', sessionId: 's1', kind: 'generate' },
    });
    expect(time.armed()).toContain(T0); // first save due now
    time.advance(0);
    await r.flush();
    const first = JSON.parse(readFileSync(path, 'utf8'));
    expect(first.agents.map((a: { agentId: string }) => a.agentId)).toEqual(['agent-1']);
    time.advance(1_000);
    r.touch('agent-2', { action: 'heartbeat' });
    expect(time.armed()).toContain(T0 + 5_000); // throttled to everyMs after the last save
    time.advance(3_999);
    await r.flush(); // flush() writes now regardless of the throttle
    expect(JSON.parse(readFileSync(path, 'utf8')).agents).toHaveLength(2);
    time.advance(60_000);
    r.touch('agent-2', { action: 'log', sessionId: 'abc' });
    await r.close();
    expect(readdirSync(dir)).toEqual(['agents.json']); // no temp file left behind

    time.advance(60_000);
    const again = await AgentRegistry.load(path, { now: time.clock, timers: time });
    const views = again.list();
    expect(views.map((v) => v.agentId)).toEqual(['agent-2', 'agent-1']);
    expect(views[1]).toMatchObject({ name: 'One', harness: 'codex', presence: 'offline', lease: null });
    expect(views[1].sessions).toEqual(['s1']);
    expect(views[0].sessions).toEqual(['abc']);
    expect(again.diagnostics).toEqual([]);
    await again.close();
  });

  it('starts empty with a diagnostic when the file is not JSON, and rewrites it', async () => {
    const path = join(dir, 'agents.json');
    writeFileSync(path, '{"v":1,"agents":[');
    const r = await AgentRegistry.load(path, { now: time.clock, timers: null });
    expect(r.list()).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['agents_file_unreadable']);
    r.touch('a', { action: 'poll' });
    await r.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).v).toBe(1);
  });

  it('skips bad entries and agents older than retainMs', async () => {
    const path = join(dir, 'agents.json');
    const at = (ms: number) => new Date(ms).toISOString();
    const agent = (agentId: string, seen: number) => ({
      agentId,
      name: agentId,
      harness: 'cli',
      firstSeenAt: at(seen),
      lastSeenAt: at(seen),
      lastAction: { action: 'poll', at: at(seen), detail: null },
      sessions: ['s1', '../bad'],
      interrupt: null,
    });
    writeFileSync(
      path,
      JSON.stringify({
        v: 1,
        savedAt: at(T0),
        agents: [agent('fresh', T0 - 1_000), agent('old', T0 - 3_600_001), { agentId: 'bad id' }],
      }),
    );
    const r = await AgentRegistry.load(path, { now: time.clock, timers: null, retainMs: 3_600_000 });
    expect(r.list().map((v) => [v.agentId, v.sessions])).toEqual([['fresh', ['s1']]]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['agents_file_entry_skipped']);
    await r.close();
  });
});
