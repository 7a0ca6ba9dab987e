import { describe, expect, it } from 'vitest';
import type { AgentView, QuestionView } from '../../../src/core/agents';
import { buildAgentsState, questionPrompt } from '../../../src/extension/agentCards';

function agent(agentId: string, overrides: Partial<AgentView> = {}): AgentView {
  return {
    agentId,
    name: agentId,
    harness: 'cli',
    presence: 'online',
    firstSeenAt: '2026-01-01T09:00:00.000Z',
    lastSeenAt: '2026-01-01T10:00:00.000Z',
    quietMs: 0,
    lastAction: { action: 'log', at: '2026-01-01T10:00:00.000Z', detail: null },
    lease: null,
    sessions: [],
    interrupt: null,
    ...overrides,
  };
}

function question(questionId: string, overrides: Partial<QuestionView> = {}): QuestionView {
  return {
    questionId,
    text: 'Keep it?',
    choices: ['x', 'y'],
    sessionId: null,
    agentId: 'A',
    askedAt: '2026-01-01T10:00:00.000Z',
    state: 'pending',
    answer: null,
    ...overrides,
  };
}

describe('buildAgentsState', () => {
  it('lists online agents first, then idle, then offline, by name within each', () => {
    const state = buildAgentsState({
      source: 'live',
      message: null,
      agents: [
        agent('z', { presence: 'offline' }),
        agent('b', { presence: 'idle' }),
        agent('c'),
        agent('a', { name: 'Zed' }),
      ],
      questions: [],
    });
    expect(state.agents.map((a) => [a.agentId, a.presence])).toEqual([
      ['c', 'online'],
      ['a', 'online'],
      ['b', 'idle'],
      ['z', 'offline'],
    ]);
  });

  it('shows the lease as kind and session, and the interrupt as reason and whether it was told', () => {
    const [card] = buildAgentsState({
      source: 'live',
      message: null,
      agents: [
        agent('A', {
          lease: { leaseId: 'l', itemId: 'i', sessionId: '5eed1234', kind: 'generate' },
          interrupt: { reason: 'stop', at: '2026-01-01T10:00:00.000Z', revoked: 1, delivered: false },
          sessions: ['1', '2', '3', '4', '5', '6'],
        }),
      ],
      questions: [],
    }).agents;
    expect(card).toEqual({
      agentId: 'A',
      name: 'A',
      harness: 'cli',
      presence: 'online',
      lastSeenAt: '2026-01-01T10:00:00.000Z',
      lastAction: { action: 'log', at: '2026-01-01T10:00:00.000Z', detail: null },
      lease: { kind: 'generate', sessionId: '5eed1234' },
      sessions: ['1', '2', '3', '4', '5'],
      interrupt: { reason: 'stop', at: '2026-01-01T10:00:00.000Z', delivered: false },
    });
  });

  it("lists pending questions oldest first under the asking agent's name", () => {
    const state = buildAgentsState({
      source: 'live',
      message: null,
      agents: [agent('A', { name: 'Claude' })],
      questions: [
        question('q2', { askedAt: '2026-01-01T10:05:00.000Z', agentId: 'B' }),
        question('q1'),
        question('q0', { state: 'answered' }),
      ],
    });
    expect(state.questions.map((q) => [q.questionId, q.agentName])).toEqual([
      ['q1', 'Claude'],
      ['q2', 'B'],
    ]);
  });
});

describe('questionPrompt', () => {
  it('names the agent and the session the question is about', () => {
    const [withSession, without] = buildAgentsState({
      source: 'live',
      message: null,
      agents: [agent('A', { name: 'Claude' })],
      questions: [
        question('q1', { sessionId: '5eed1234' }),
        question('q2', { askedAt: '2026-01-02T00:00:00.000Z' }),
      ],
    }).questions;
    expect(questionPrompt(withSession)).toBe('Claude asks (session 5eed1234): Keep it?');
    expect(questionPrompt(without)).toBe('Claude asks: Keep it?');
  });
});
