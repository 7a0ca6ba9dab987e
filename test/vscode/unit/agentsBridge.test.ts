// The extension's agent plumbing (AgentsApi, AgentsMonitor, LogFollower, AgentLogRelay) against a real bridge
// in this process: the same routes the extension host uses as leader or follower.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bridge, startBridge } from '../../../src/bridge/server';
import type { QuestionView } from '../../../src/core/agents';
import { AgentLogRelay } from '../../../src/extension/agentLogRelay';
import { AgentsApi } from '../../../src/extension/agentsApi';
import { AgentsMonitor, type AgentsSnapshot } from '../../../src/extension/agentsMonitor';
import type { BridgeEndpoint } from '../../../src/extension/backend';
import { LogFollower } from '../../../src/extension/logFollower';
import type { HostMessage, LogEntry, LogStreamState } from '../../../webview-ui/protocol';
import { api, generateEvent } from '../../helpers/bridgeClient';

let root: string;
let bridge: Bridge;
let endpoint: BridgeEndpoint;

async function open(): Promise<void> {
  bridge = await startBridge({
    root,
    journalDir: join(root, '.live-variants', 'journal'),
    acceptBy: 'agent',
    log: () => {},
  });
  endpoint = { url: bridge.url, token: bridge.token };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lv-ext-agents-'));
  await open();
});

afterAll(async () => {
  await bridge?.close();
  rmSync(root, { recursive: true, force: true });
});

async function log(agentId: string, lines: string[]): Promise<void> {
  const r = await api(endpoint, 'POST', `/v1/agents/${agentId}/log`, { lines });
  expect(r.status).toBe(200);
}

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeout = 5000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const texts = (entries: LogEntry[]) => entries.map((e) => e.text);

describe('AgentsApi', () => {
  it('lists agents that logged, with presence and last action', async () => {
    await log('api-a', ['hello']);
    const agents = await new AgentsApi(endpoint).agents();
    expect(agents.find((a) => a.agentId === 'api-a')).toMatchObject({
      presence: 'online',
      lastAction: { action: 'log' },
      lease: null,
    });
  });

  it('answers a pending question once: the first answer wins, a later one is told the winner', async () => {
    const a = new AgentsApi(endpoint);
    const asking = api(endpoint, 'POST', '/v1/ask', {
      questionId: 'q-api-1',
      text: 'Keep the gradient?',
      choices: ['yes', 'no'],
      agentId: 'api-a',
      timeoutMs: 5000,
    });
    const pending = await until(async () => (await a.questions()).find((x) => x.questionId === 'q-api-1'));
    expect(pending).toMatchObject({ text: 'Keep the gradient?', choices: ['yes', 'no'], state: 'pending' });
    expect(await a.answer('q-api-1', 'no')).toEqual({ accepted: true, value: 'no', by: 'vscode' });
    expect((await asking).body).toMatchObject({ type: 'answer', value: 'no', by: 'vscode' });
    expect(await a.answer('q-api-1', 'yes')).toEqual({ accepted: false, value: 'no', by: 'vscode' });
    expect((await a.questions()).some((q) => q.questionId === 'q-api-1')).toBe(false);
    await expect(a.answer('q-unknown', 'x')).rejects.toMatchObject({ code: 'question_not_found' });
  });

  it('interrupts an agent: its lease is revoked and its next poll is told so', async () => {
    const a = new AgentsApi(endpoint);
    expect((await api(endpoint, 'POST', '/v1/events', generateEvent('1a2b3c4d'))).status).toBe(202);
    const work = await api(endpoint, 'GET', '/v1/poll?agent=api-w&types=generate&timeout=2000');
    expect(work.body.type).toBe('work');
    expect((await a.agents()).find((x) => x.agentId === 'api-w')?.lease).toMatchObject({
      kind: 'generate',
      sessionId: '1a2b3c4d',
    });
    expect(await a.interrupt('api-w', 'Interrupted from VS Code')).toEqual({ revoked: 1, known: true });
    const next = await api(endpoint, 'GET', '/v1/poll?agent=api-w&timeout=2000');
    expect(next.body).toMatchObject({ type: 'interrupt', reason: 'Interrupted from VS Code' });
    expect((await a.agents()).find((x) => x.agentId === 'api-w')?.interrupt).toMatchObject({
      delivered: true,
    });
  });
});

describe('AgentsMonitor', () => {
  it('reads questions every tick, agents only while wanted, and reports changes only', async () => {
    const changes: AgentsSnapshot[] = [];
    const reads: QuestionView[][] = [];
    const m = new AgentsMonitor({ intervalMs: 20 });
    m.onChange((s) => changes.push(s));
    m.onQuestions((q) => reads.push(q));
    try {
      await log('mon-a', ['x']);
      m.setEndpoint(endpoint);
      await until(() => (reads.length >= 3 ? true : undefined));
      // Questions were read, the agent list was not (nobody shows it).
      expect(m.snapshot.source).toBe('live');
      expect(m.snapshot.agents).toEqual([]);
      const before = changes.length;
      m.setAgentsWanted(true);
      await until(() => (m.snapshot.agents.some((a) => a.agentId === 'mon-a') ? true : undefined));
      const afterAgents = changes.length;
      expect(afterAgents).toBe(before + 1);
      // Time passing alone (quietMs grows on every read) is not a change.
      const n = reads.length;
      await until(() => (reads.length >= n + 5 ? true : undefined));
      expect(changes.length).toBe(afterAgents);
      await log('mon-b', ['y']);
      await until(() => (m.snapshot.agents.some((a) => a.agentId === 'mon-b') ? true : undefined));
      expect(changes.length).toBe(afterAgents + 1);
      m.setEndpoint(undefined);
      expect(m.snapshot).toEqual({ source: 'no_bridge', message: null, agents: [], questions: [] });
      expect(changes.at(-1)?.source).toBe('no_bridge');
    } finally {
      m.dispose();
    }
  });

  it('reports an error, keeping what it last read, when the bridge refuses its token', async () => {
    const changes: AgentsSnapshot[] = [];
    const m = new AgentsMonitor({ intervalMs: 20 });
    m.onChange((s) => changes.push(s));
    try {
      m.setEndpoint({ url: endpoint.url, token: 'wrong' });
      const s = await until(() => changes.find((c) => c.source === 'error'));
      expect(s.message).toMatch(/^unauthorized: /);
    } finally {
      m.dispose();
    }
  });
});

describe('LogFollower', () => {
  it('delivers the history, then live lines, in batches; from a given seq when asked', async () => {
    await log('fol-a', ['one', 'two', 'three']);
    const got: LogEntry[] = [];
    const states: LogStreamState[] = [];
    const f = new LogFollower({
      endpoint,
      agentId: 'fol-a',
      onEntries: (e) => got.push(...e),
      onState: (s) => states.push(s),
    });
    try {
      await until(() => (got.length === 3 ? true : undefined));
      await log('fol-a', ['four', 'five']);
      await until(() => (got.length === 5 ? true : undefined));
      expect(got.map((e) => [e.seq, e.text])).toEqual([
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
        [4, 'four'],
        [5, 'five'],
      ]);
      expect(states.slice(0, 2)).toEqual(['connecting', 'live']);
    } finally {
      f.close();
    }
    const tail: LogEntry[] = [];
    const g = new LogFollower({
      endpoint,
      agentId: 'fol-a',
      fromSeq: 4,
      onEntries: (e) => tail.push(...e),
      onState: () => {},
    });
    try {
      await until(() => (tail.length === 2 ? true : undefined));
      expect(texts(tail)).toEqual(['four', 'five']);
    } finally {
      g.close();
    }
  });

  it('reconnects after the bridge restarts and takes its new lines', async () => {
    await log('fol-r', ['before']);
    const got: LogEntry[] = [];
    const states: LogStreamState[] = [];
    const f = new LogFollower({
      endpoint,
      agentId: 'fol-r',
      retryMs: 50,
      onEntries: (e) => got.push(...e),
      onState: (s) => states.push(s),
    });
    try {
      await until(() => (got.length === 1 ? true : undefined));
      await bridge.close();
      await until(() => (states.includes('retrying') ? true : undefined));
      await open();
      await log('fol-r', ['after restart']);
      await until(() => (got.length === 3 ? true : undefined));
      // The restarted bridge numbers its lines from 1 again: the follower marks the restart and takes them all.
      expect(got.map((e) => [e.seq, e.text, e.gap])).toEqual([
        [1, 'before', false],
        [0, 'The bridge restarted; its log starts again.', true],
        [1, 'after restart', false],
      ]);
      expect(states.at(-1)).toBe('live');
    } finally {
      f.close();
    }
  });
});

describe('AgentLogRelay', () => {
  it('streams only the agent the view shows, tagged with its request, and resumes without repeats', async () => {
    await log('rel-a', ['a1', 'a2']);
    await log('rel-b', ['b1']);
    const posted: HostMessage[] = [];
    const relay = new AgentLogRelay({ endpoint: () => endpoint, post: (m) => posted.push(m) });
    const lines = (stream: number) =>
      posted.flatMap((m) => (m.type === 'log' && m.stream === stream ? texts(m.entries) : []));
    try {
      relay.follow('rel-a', 1);
      await until(() => (lines(1).length === 2 ? true : undefined));
      relay.follow('rel-b', 2);
      await until(() => (lines(2).length === 1 ? true : undefined));
      await log('rel-a', ['a3']);
      await log('rel-b', ['b2']);
      await until(() => (lines(2).length === 2 ? true : undefined));
      expect(lines(1)).toEqual(['a1', 'a2']);
      expect(lines(2)).toEqual(['b1', 'b2']);

      relay.setVisible(false);
      await log('rel-b', ['b3']);
      await new Promise((r) => setTimeout(r, 100));
      expect(lines(2)).toEqual(['b1', 'b2']);
      relay.setVisible(true);
      await until(() => (lines(2).length === 3 ? true : undefined));
      expect(lines(2)).toEqual(['b1', 'b2', 'b3']);

      relay.follow(null, 3);
      expect(posted.at(-1)).toEqual({ type: 'logState', stream: 3, state: 'stopped', message: null });
    } finally {
      relay.dispose();
    }
  });
});
