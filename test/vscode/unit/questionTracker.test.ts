import { describe, expect, it } from 'vitest';
import type { QuestionView } from '../../../src/core/agents';
import { QuestionTracker } from '../../../src/extension/questionTracker';

function q(questionId: string, state: QuestionView['state'] = 'pending'): QuestionView {
  return {
    questionId,
    text: `question ${questionId}`,
    choices: null,
    sessionId: null,
    agentId: 'A',
    askedAt: '2026-01-01T10:00:00.000Z',
    state,
    answer: null,
  };
}

describe('QuestionTracker', () => {
  it('announces each pending question once, however often it is listed', () => {
    const t = new QuestionTracker();
    expect(t.update([q('q1')]).map((x) => x.questionId)).toEqual(['q1']);
    expect(t.update([q('q1')])).toEqual([]);
    expect(t.update([q('q1'), q('q2')]).map((x) => x.questionId)).toEqual(['q2']);
    expect(t.has('q1')).toBe(true);
  });

  it('forgets a question once it is no longer pending', () => {
    const t = new QuestionTracker();
    t.update([q('q1'), q('q2')]);
    expect(t.update([q('q2')])).toEqual([]);
    expect(t.has('q1')).toBe(false);
    expect(t.has('q2')).toBe(true);
  });

  it('never announces an answered question', () => {
    expect(new QuestionTracker().update([q('q1', 'answered')])).toEqual([]);
  });
});
