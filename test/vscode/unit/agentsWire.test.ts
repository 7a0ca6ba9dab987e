import { describe, expect, it } from 'vitest';
import {
  parseAgents,
  parseAnswer,
  parseInterrupt,
  parseLogRecord,
  parseQuestions,
} from '../../../src/extension/agentsWire';

const agent = {
  agentId: 'term-3f2a9c01be',
  name: 'claude-code 01be',
  harness: 'claude-code',
  presence: 'online',
  firstSeenAt: '2026-01-01T09:00:00.000Z',
  lastSeenAt: '2026-01-01T10:00:00.000Z',
  quietMs: 1200,
  lastAction: { action: 'poll', at: '2026-01-01T10:00:00.000Z', detail: null },
  lease: { leaseId: 'a1-1@k.1', itemId: 'a1-1', sessionId: 'a1b2c3d4', kind: 'generate' },
  sessions: ['a1b2c3d4'],
  interrupt: null,
};

const question = {
  questionId: 'q-5c1e',
  text: 'Keep the gradient?',
  choices: ['yes', 'no'],
  sessionId: 'a1b2c3d4',
  agentId: 'A',
  askedAt: '2026-01-01T10:01:00.000Z',
  state: 'pending',
  answer: null,
};

describe('parseAgents', () => {
  it('reads the agents of GET /v1/agents as served', () => {
    expect(parseAgents({ agents: [agent] })).toEqual([agent]);
  });

  it('leaves out agents with a bad id, an unknown presence or no last action, keeping the rest', () => {
    const bad = [
      { ...agent, agentId: 'has space' },
      { ...agent, presence: 'away' },
      { ...agent, lastAction: null },
      'not an agent',
    ];
    expect(parseAgents({ agents: [...bad, { ...agent, agentId: 'B' }] }).map((a) => a.agentId)).toEqual([
      'B',
    ]);
  });

  it('fills what an older bridge leaves out: name from the id, unknown harness, no lease', () => {
    const { name: _n, harness: _h, lease: _l, sessions: _s, ...bare } = agent;
    expect(parseAgents({ agents: [bare] })[0]).toMatchObject({
      name: 'term-3f2a9c01be',
      harness: 'unknown',
      lease: null,
      sessions: [],
    });
  });

  it('refuses a body without an agents list', () => {
    expect(() => parseAgents({ error: 'x' })).toThrow(expect.objectContaining({ code: 'bad_response' }));
    expect(() => parseAgents([])).toThrow(/without a "agents" list/);
  });
});

describe('parseQuestions', () => {
  it('reads pending questions; an empty choice list means free text', () => {
    expect(
      parseQuestions({ questions: [question, { ...question, questionId: 'q-2', choices: [] }] }),
    ).toEqual([question, { ...question, questionId: 'q-2', choices: null }]);
  });

  it('leaves out questions with a bad id, no text, bad choices or an unknown state', () => {
    const bad = [
      { ...question, questionId: 'a/b' },
      { ...question, text: 7 },
      { ...question, choices: [1, 2] },
      { ...question, state: 'asked' },
    ];
    expect(parseQuestions({ questions: bad })).toEqual([]);
  });
});

describe('parseAnswer and parseInterrupt', () => {
  it('reads who won an answer', () => {
    expect(
      parseAnswer({
        accepted: false,
        questionId: 'q',
        answer: { value: 'no', by: 'browser', answeredAt: '2026-01-01T10:02:00.000Z' },
      }),
    ).toEqual({ accepted: false, value: 'no', by: 'browser' });
    expect(() => parseAnswer({ accepted: true })).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });

  it('counts the revoked leases of an interrupt', () => {
    expect(
      parseInterrupt({ agentId: 'A', reason: 'r', revoked: [{ leaseId: 'l', itemId: 'i' }], known: true }),
    ).toEqual({ revoked: 1, known: true });
    expect(parseInterrupt({ revoked: [], known: false })).toEqual({ revoked: 0, known: false });
    expect(() => parseInterrupt({})).toThrow(expect.objectContaining({ code: 'bad_response' }));
  });
});

describe('parseLogRecord', () => {
  it('turns a line record into a log entry', () => {
    expect(
      parseLogRecord({ type: 'line', agentId: 'A', seq: 4, at: '2026-01-01T10:00:00.000Z', text: 'hi' }),
    ).toEqual({ seq: 4, at: '2026-01-01T10:00:00.000Z', text: 'hi', gap: false });
  });

  it('turns a gap into a marked entry that says which lines were lost', () => {
    expect(parseLogRecord({ type: 'gap', fromSeq: 3, toSeq: 9 })).toEqual({
      seq: 9,
      at: '',
      text: 'lines 3–9 were lost (the bridge keeps the last lines only)',
      gap: true,
    });
    expect(parseLogRecord({ type: 'gap', fromSeq: 5, toSeq: 5 })?.text).toMatch(/^line 5 was lost/);
  });

  it('ignores pings, unknown records and malformed lines', () => {
    expect(parseLogRecord({ type: 'ping' })).toBeUndefined();
    expect(parseLogRecord({ type: 'line', seq: '4', text: 'x' })).toBeUndefined();
    expect(parseLogRecord({ type: 'line', seq: 1.5, text: 'x' })).toBeUndefined();
    expect(parseLogRecord(null)).toBeUndefined();
  });
});
