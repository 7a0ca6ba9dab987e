// The socket's agent frames (src/bridge/socketAgents.ts): what a page is told about pending questions, agent
// presence and owed work, when it is told (coalesced, only on change), and how its answers are answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { createSocketHub } from '../../../src/bridge/socket';
import {
  AGENTS_FEED_DELAY_MS,
  AgentsFeed,
  type AgentsFeed as AgentsFeedType,
  type AgentsFrame,
  agentsFrame,
  answerFrame,
  MAX_FRAME_QUESTIONS,
  MAX_FRAME_WAITING,
  owedKinds,
  type QuestionsFrame,
  questionsFrame,
} from '../../../src/bridge/socketAgents';
import {
  AgentLogs,
  AgentRegistry,
  type QuestionJournal,
  QuestionStore,
  type QuestionView,
} from '../../../src/core/agents';
import { SessionEngine } from '../../../src/core/engine';
import type { AppendInput, JournalRecord } from '../../../src/core/journal';
import type { OwedItem } from '../../../src/core/queue';
import { generateEvent } from '../../helpers/bridgeClient';
import { FakeTime } from '../agents/fakeTime';

const T0 = Date.parse('2025-06-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function view(id: string, extra: Partial<QuestionView> = {}): QuestionView {
  return {
    questionId: id,
    text: `Question ${id}?`,
    choices: ['yes', 'no'],
    sessionId: 'a1b2c3d4',
    agentId: 'agent-1',
    askedAt: iso(T0),
    state: 'pending',
    answer: null,
    ...extra,
  };
}

const owed = (sessionId: string, kind: OwedItem['item']['kind'], n = 1): Pick<OwedItem, 'item'> => ({
  item: { id: `${sessionId}-${n}`, sessionId, kind, payload: {}, arrival: n },
});

/** An in-memory questions journal (the store's contract: durable once `append` resolves). */
function memoryJournal(): QuestionJournal {
  const records: JournalRecord[] = [];
  return {
    records,
    async append(input: AppendInput) {
      const seen = records.find((r) => r.eventId === input.eventId);
      if (seen) return { seq: seen.seq, duplicate: true };
      const seq = records.length + 1;
      records.push({
        v: 1,
        seq,
        eventId: input.eventId,
        type: input.type,
        at: input.at ?? '',
        data: input.data,
      });
      return { seq, duplicate: false };
    },
  };
}

/** The engine's owed work, by session, counting the reads the feed makes. */
class FakeEngine {
  readonly items = new Map<string, Pick<OwedItem, 'item'>[]>();
  reads: (string | undefined)[] = [];
  owed(sessionId?: string): Pick<OwedItem, 'item'>[] {
    this.reads.push(sessionId);
    if (sessionId !== undefined) return this.items.get(sessionId) ?? [];
    return [...this.items.values()].flat();
  }
}

interface Rig {
  time: FakeTime;
  engine: FakeEngine;
  registry: AgentRegistry;
  questions: QuestionStore;
  feed: AgentsFeedType;
  frames: (QuestionsFrame | AgentsFrame)[];
}

function rig(): Rig {
  const time = new FakeTime(T0);
  const engine = new FakeEngine();
  const registry = new AgentRegistry({ now: time.clock, timers: time });
  const questions = new QuestionStore({ journal: memoryJournal(), now: time.date, timers: time });
  const frames: (QuestionsFrame | AgentsFrame)[] = [];
  const feed = new AgentsFeed(
    { engine, registry, questions },
    { broadcast: (f) => frames.push(f), timers: time },
  );
  return { time, engine, registry, questions, feed, frames };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** Asks and waits until the question is durable (listed as pending). */
async function asked(r: Rig, input: Record<string, unknown>): Promise<void> {
  void r.questions.ask(input);
  while (r.questions.get(String(input.questionId)) === undefined) await settle();
}

describe('frame builders', () => {
  it('questionsFrame keeps the fields a page shows, names the agent, and caps the list with the total', () => {
    const pending = Array.from({ length: MAX_FRAME_QUESTIONS + 2 }, (_, i) => view(`q${i}`));
    const names: Record<string, string> = { 'agent-1': 'claude-code 01be' };
    const frame = questionsFrame(pending, (id) => names[id]);
    expect(frame.total).toBe(22);
    expect(frame.questions).toHaveLength(MAX_FRAME_QUESTIONS);
    expect(frame.questions[0]).toEqual({
      questionId: 'q0',
      text: 'Question q0?',
      choices: ['yes', 'no'],
      sessionId: 'a1b2c3d4',
      agentId: 'agent-1',
      agentName: 'claude-code 01be',
      askedAt: iso(T0),
    });
    const unknown = questionsFrame(
      [view('q9', { agentId: 'term-3f2a9c01be', choices: null, sessionId: null })],
      () => undefined,
    );
    expect(unknown).toEqual({
      type: 'questions',
      questions: [
        {
          questionId: 'q9',
          text: 'Question q9?',
          choices: null,
          sessionId: null,
          agentId: 'term-3f2a9c01be',
          agentName: 'term-3f2a9c01be',
          askedAt: iso(T0),
        },
      ],
      total: 1,
    });
  });

  it('agentsFrame counts online and idle agents (not offline ones) and lists waiting sessions by id, capped', () => {
    const waiting = new Map<string, string[]>();
    for (let i = MAX_FRAME_WAITING + 4; i >= 0; i--)
      waiting.set(`s${String(i).padStart(3, '0')}`, ['generate']);
    waiting.set('a0000000', ['accept', 'generate']);
    const frame = agentsFrame(
      [{ presence: 'online' }, { presence: 'idle' }, { presence: 'idle' }, { presence: 'offline' }],
      waiting,
    );
    expect(frame.online).toBe(1);
    expect(frame.idle).toBe(2);
    expect(frame.waitingSessions).toBe(MAX_FRAME_WAITING + 6);
    expect(frame.waiting).toHaveLength(MAX_FRAME_WAITING);
    expect(frame.waiting.slice(0, 3)).toEqual([
      { sessionId: 'a0000000', kinds: ['accept', 'generate'] },
      { sessionId: 's000', kinds: ['generate'] },
      { sessionId: 's001', kinds: ['generate'] },
    ]);
    expect(agentsFrame([], new Map())).toEqual({
      type: 'agents',
      online: 0,
      idle: 0,
      waiting: [],
      waitingSessions: 0,
    });
  });

  it('owedKinds lists each kind once, in the order owed() gives (delivery priority)', () => {
    expect(
      owedKinds([
        owed('s', 'accept', 1),
        owed('s', 'carbonize_cleanup', 2),
        owed('s', 'accept', 3),
        owed('s', 'generate', 4),
      ]),
    ).toEqual(['accept', 'carbonize_cleanup', 'generate']);
    expect(owedKinds([])).toEqual([]);
  });

  it('answerFrame: the winning answer is "answered"; a later one is already_answered carrying the winner', () => {
    const answer = { value: 'warm', by: 'vscode' as const, answeredAt: iso(T0) };
    expect(answerFrame({ accepted: true, questionId: 'q1', answer })).toEqual({
      type: 'answered',
      questionId: 'q1',
      answer,
    });
    expect(answerFrame({ accepted: false, questionId: 'q1', answer })).toEqual({
      type: 'error',
      error: 'already_answered',
      field: 'questionId',
      message: 'This question was already answered in VS Code: "warm".',
      questionId: 'q1',
      answer,
    });
  });
});

describe('AgentsFeed', () => {
  it('start() sends the current questions and agents once; nothing more while nothing changes', async () => {
    const r = rig();
    r.engine.items.set('a1b2c3d4', [owed('a1b2c3d4', 'generate')]);
    r.feed.start();
    expect(r.frames).toEqual([
      { type: 'questions', questions: [], total: 0 },
      {
        type: 'agents',
        online: 0,
        idle: 0,
        waiting: [{ sessionId: 'a1b2c3d4', kinds: ['generate'] }],
        waitingSessions: 1,
      },
    ]);
    expect(r.feed.current().agents.waitingSessions).toBe(1);
    r.time.advance(60_000);
    expect(r.frames).toHaveLength(2);
  });

  it('an agent polling makes it online; time makes it idle, then offline — one frame per change, none per repeat contact', () => {
    const r = rig();
    r.feed.start();
    r.frames.length = 0;
    r.registry.touch('agent-1', { action: 'poll' });
    r.time.advance(AGENTS_FEED_DELAY_MS);
    r.registry.touch('agent-1', { action: 'poll' });
    r.time.advance(AGENTS_FEED_DELAY_MS);
    expect(r.frames.map((f) => f.type === 'agents' && [f.online, f.idle])).toEqual([[1, 0]]);
    r.time.advance(10_000);
    r.time.advance(20_000);
    expect(r.frames.map((f) => f.type === 'agents' && [f.online, f.idle])).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  });

  it('a session change re-reads only that session, coalesced: a burst is one read and one frame', () => {
    const r = rig();
    r.feed.start();
    r.frames.length = 0;
    r.engine.reads = [];
    r.engine.items.set('s1', [owed('s1', 'generate')]);
    for (let i = 0; i < 50; i++) r.feed.sessionChanged('s1');
    expect(r.frames).toEqual([]);
    r.time.advance(AGENTS_FEED_DELAY_MS);
    expect(r.engine.reads).toEqual(['s1']);
    expect(r.frames).toEqual([
      {
        type: 'agents',
        online: 0,
        idle: 0,
        waiting: [{ sessionId: 's1', kinds: ['generate'] }],
        waitingSessions: 1,
      },
    ]);
    r.engine.items.set('s1', []);
    r.feed.sessionChanged('s1');
    r.time.advance(AGENTS_FEED_DELAY_MS);
    expect(r.frames[1]).toEqual({ type: 'agents', online: 0, idle: 0, waiting: [], waitingSessions: 0 });
  });

  it('pushes the pending questions when one is asked and again when it is answered (by anyone)', async () => {
    const r = rig();
    r.registry.touch('agent-1', { action: 'ask', name: 'claude-code 01be' });
    r.feed.start();
    r.frames.length = 0;
    await asked(r, {
      questionId: 'q1',
      text: 'Which palette?',
      choices: ['warm', 'cool'],
      agentId: 'agent-1',
    });
    r.time.advance(AGENTS_FEED_DELAY_MS);
    expect(r.frames).toEqual([
      {
        type: 'questions',
        questions: [
          {
            questionId: 'q1',
            text: 'Which palette?',
            choices: ['warm', 'cool'],
            sessionId: null,
            agentId: 'agent-1',
            agentName: 'claude-code 01be',
            askedAt: iso(T0),
          },
        ],
        total: 1,
      },
    ]);
    await r.questions.answer('q1', 'cool', { by: 'vscode' });
    r.time.advance(AGENTS_FEED_DELAY_MS);
    expect(r.frames[1]).toEqual({ type: 'questions', questions: [], total: 0 });
  });

  it('a renamed agent re-sends the questions it asked with the new name', async () => {
    const r = rig();
    r.feed.start();
    await asked(r, { questionId: 'q1', text: 'Which palette?', agentId: 'agent-1' });
    r.time.advance(AGENTS_FEED_DELAY_MS);
    r.frames.length = 0;
    r.registry.touch('agent-1', { action: 'log', name: 'Codex' });
    r.time.advance(AGENTS_FEED_DELAY_MS);
    const q = r.frames.find((f): f is QuestionsFrame => f.type === 'questions');
    expect(q?.questions.map((x) => x.agentName)).toEqual(['Codex']);
  });

  it('answer(): the first answer wins and says so; a second is already_answered with the winning answer', async () => {
    const r = rig();
    r.feed.start();
    await asked(r, {
      questionId: 'q1',
      text: 'Which palette?',
      choices: ['warm', 'cool'],
      agentId: 'agent-1',
    });
    const winner = { value: 'cool', by: 'browser', answeredAt: iso(T0) };
    expect(await r.feed.answer({ type: 'answer', questionId: 'q1', value: 'cool' })).toEqual({
      type: 'answered',
      questionId: 'q1',
      answer: winner,
    });
    expect(await r.feed.answer({ type: 'answer', questionId: 'q1', value: 'warm' })).toEqual({
      type: 'error',
      error: 'already_answered',
      field: 'questionId',
      message: 'This question was already answered in the browser: "cool".',
      questionId: 'q1',
      answer: winner,
    });
  });

  it('answer(): bad input is an error frame with code and field, never a throw; the page cannot claim another source', async () => {
    const r = rig();
    r.feed.start();
    await asked(r, {
      questionId: 'q1',
      text: 'Which palette?',
      choices: ['warm', 'cool'],
      agentId: 'agent-1',
    });
    const bad = await r.feed.answer({ type: 'answer', questionId: 'q1', value: 'purple' });
    expect(bad).toMatchObject({ type: 'error', error: 'invalid_answer', field: 'value', questionId: 'q1' });
    expect(await r.feed.answer({ type: 'answer', questionId: 'q-none', value: 'x' })).toMatchObject({
      type: 'error',
      error: 'question_not_found',
      field: 'questionId',
      questionId: 'q-none',
    });
    const noId = await r.feed.answer({ type: 'answer', value: 'x' });
    expect(noId).toMatchObject({ type: 'error', field: 'questionId' });
    expect('questionId' in noId).toBe(false);
    const ok = await r.feed.answer({ type: 'answer', questionId: 'q1', value: 'warm', by: 'vscode' });
    expect(ok).toMatchObject({ type: 'answered', answer: { value: 'warm', by: 'browser' } });
  });

  it('after stop() nothing is tracked or sent; start() rebuilds the owed work from the engine', () => {
    const r = rig();
    r.feed.start();
    r.feed.stop();
    r.frames.length = 0;
    r.engine.reads = [];
    r.feed.sessionChanged('s1');
    r.registry.touch('agent-1', { action: 'poll' });
    r.time.advance(60_000);
    expect(r.frames).toEqual([]);
    expect(r.engine.reads).toEqual([]);
    r.engine.items.set('s2', [owed('s2', 'accept'), owed('s2', 'generate', 2)]);
    r.feed.start();
    expect(r.engine.reads).toEqual([undefined]);
    expect(r.frames[1]).toEqual({
      type: 'agents',
      online: 0,
      idle: 0,
      waiting: [{ sessionId: 's2', kinds: ['accept', 'generate'] }],
      waitingSessions: 1,
    });
  });
});

/** A stand-in for a `ws` server-side socket: records what is sent, replays messages and closes. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: Record<string, unknown>[] = [];
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, fn: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
    for (const fn of this.listeners.get('close') ?? []) fn();
  }
  message(msg: unknown): void {
    for (const fn of this.listeners.get('message') ?? []) fn(Buffer.from(JSON.stringify(msg)), false);
  }
  types(): unknown[] {
    return this.sent.map((m) => m.type);
  }
}

describe('socket hub with agent services', () => {
  let dir: string;
  let engine: SessionEngine | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lv-socket-agents-'));
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The bridge's wiring: every durable session change is pushed to the hub. */
  async function hubRig() {
    let push: (sessionId: string) => void = () => {};
    const e = await SessionEngine.open({ journalDir: dir, leaseMs: 60_000, onChange: (id) => push(id) });
    engine = e;
    const time = new FakeTime(T0);
    const registry = new AgentRegistry({ now: time.clock, timers: time });
    const questions = new QuestionStore({ journal: memoryJournal(), now: time.date, timers: time });
    const hub = createSocketHub(e, async (event) => ({ ...(await e.submitBrowserEvent(event)) }));
    push = (id) => hub.push(id);
    hub.useAgents({ registry, questions, logs: new AgentLogs(), wake: () => {} }, { timers: time });
    const connect = () => {
      const ws = new FakeSocket();
      hub.attach(ws as unknown as WebSocket);
      return ws;
    };
    return { engine: e, time, registry, questions, hub, connect };
  }

  it('a page gets the questions and agents frames on connect, and each change while connected', async () => {
    const h = await hubRig();
    const ws = h.connect();
    expect(ws.sent).toEqual([
      { type: 'questions', questions: [], total: 0 },
      { type: 'agents', online: 0, idle: 0, waiting: [], waitingSessions: 0 },
    ]);
    ws.message({ type: 'event', event: generateEvent('a1b2c3d4') });
    while (!ws.types().includes('ack')) await settle();
    h.time.advance(AGENTS_FEED_DELAY_MS);
    expect(ws.sent.at(-1)).toEqual({
      type: 'agents',
      online: 0,
      idle: 0,
      waiting: [{ sessionId: 'a1b2c3d4', kinds: ['generate'] }],
      waitingSessions: 1,
    });
    // A second page connecting gets the current picture at once.
    const late = h.connect();
    expect(late.sent.map((m) => m.type)).toEqual(['questions', 'agents']);
    expect(late.sent[1]).toEqual(ws.sent.at(-1));
  });

  it('an answer message is answered on that socket; every page then loses the question', async () => {
    const h = await hubRig();
    const a = h.connect();
    const b = h.connect();
    await new Promise<void>((resolve) => {
      void h.questions.ask({
        questionId: 'q1',
        text: 'Which palette?',
        choices: ['warm', 'cool'],
        agentId: 'agent-1',
      });
      const off = h.questions.onChange(() => {
        off();
        resolve();
      });
    });
    h.time.advance(AGENTS_FEED_DELAY_MS);
    expect((b.sent.at(-1) as { questions: unknown[] }).questions).toHaveLength(1);
    a.message({ type: 'answer', questionId: 'q1', value: 'cool' });
    while (!a.types().includes('answered')) await settle();
    expect(a.sent.at(-1)).toEqual({
      type: 'answered',
      questionId: 'q1',
      answer: { value: 'cool', by: 'browser', answeredAt: iso(T0 + AGENTS_FEED_DELAY_MS) },
    });
    h.time.advance(AGENTS_FEED_DELAY_MS);
    expect(b.sent.at(-1)).toEqual({ type: 'questions', questions: [], total: 0 });
    b.message({ type: 'answer', questionId: 'q1', value: 'warm' });
    while (!b.types().includes('error')) await settle();
    expect(b.sent.at(-1)).toMatchObject({
      type: 'error',
      error: 'already_answered',
      answer: { value: 'cool' },
    });
  });

  it('once the last page has gone nothing is tracked; the next page to connect gets a fresh picture', async () => {
    const h = await hubRig();
    const ws = h.connect();
    ws.close();
    const owed = vi.spyOn(h.engine, 'owed');
    h.registry.touch('agent-1', { action: 'poll' });
    h.hub.push('a1b2c3d4');
    h.time.advance(AGENTS_FEED_DELAY_MS * 4);
    expect(owed).not.toHaveBeenCalled();
    expect(ws.sent).toHaveLength(2);
    const again = h.connect();
    expect(owed.mock.calls).toEqual([[]]);
    expect(again.sent[1]).toEqual({ type: 'agents', online: 1, idle: 0, waiting: [], waitingSessions: 0 });
  });
});
