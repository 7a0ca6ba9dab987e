// The page's model of agent questions and presence (src/browser/agentsModel.ts): reading the bridge's frames
// defensively, the "no agent online" notice, the questions card's view and the answer replies.
import { describe, expect, it } from 'vitest';
import {
  type AgentsPresence,
  type AnswerStatus,
  noticeText,
  type QuestionItem,
  questionsView,
  readAgents,
  readAnswerReply,
  readQuestions,
  replyFromHttp,
  statusAfterReply,
  VISIBLE_QUESTIONS,
} from '../../../src/browser/agentsModel';

const AT = '2025-06-01T10:00:00.000Z';

const question = (id: string, over: Partial<QuestionItem> = {}): QuestionItem => ({
  questionId: id,
  text: `Question ${id}?`,
  choices: ['warm', 'cool'],
  sessionId: null,
  agentId: 'agent-1',
  agentName: 'claude-code 01be',
  askedAt: AT,
  ...over,
});

const presence = (over: Partial<AgentsPresence> = {}): AgentsPresence => ({
  online: 0,
  idle: 0,
  waiting: [{ sessionId: 'a1b2c3d4', kinds: ['generate'] }],
  waitingSessions: 1,
  ...over,
});

describe('reading frames', () => {
  it('reads a questions frame, dropping malformed items and keeping the total', () => {
    const frame = {
      type: 'questions',
      questions: [
        question('q1'),
        { ...question('q2'), choices: [] },
        { questionId: 'q3', text: '', agentId: 'a' },
        { ...question('q4'), choices: ['ok', 7] },
        'nonsense',
        { questionId: 'q5', text: 'Free?', agentId: 'agent-2' },
      ],
      total: 30,
    };
    expect(readQuestions(frame)).toEqual({
      questions: [
        question('q1'),
        question('q2', { choices: null }),
        {
          questionId: 'q5',
          text: 'Free?',
          choices: null,
          sessionId: null,
          agentId: 'agent-2',
          agentName: 'agent-2',
          askedAt: '',
        },
      ],
      total: 30,
    });
    expect(readQuestions({ type: 'questions' })).toBeNull();
    expect(readQuestions(null)).toBeNull();
  });

  it('reads GET /v1/questions (full QuestionViews): answered ones are left out', () => {
    const pending = { ...question('q1'), state: 'pending', answer: null };
    const answered = {
      ...question('q2'),
      state: 'answered',
      answer: { value: 'warm', by: 'cli', answeredAt: AT },
    };
    expect(readQuestions({ questions: [answered, pending] })).toEqual({
      questions: [question('q1')],
      total: 1,
    });
  });

  it('reads an agents frame; bad counts read as 0 and sessions without kinds are dropped', () => {
    expect(
      readAgents({
        type: 'agents',
        online: 2,
        idle: -1,
        waiting: [
          { sessionId: 'a1b2c3d4', kinds: ['accept', 'generate'] },
          { sessionId: 'b', kinds: [] },
          { kinds: ['generate'] },
        ],
        waitingSessions: 5,
      }),
    ).toEqual({
      online: 2,
      idle: 0,
      waiting: [{ sessionId: 'a1b2c3d4', kinds: ['accept', 'generate'] }],
      waitingSessions: 5,
    });
    expect(readAgents({ type: 'questions', waiting: [] })).toBeNull();
  });

  it('reads answer replies: answered, already_answered with the winner, other refusals; ignores event errors', () => {
    const answer = { value: 'cool', by: 'browser', answeredAt: AT };
    expect(readAnswerReply({ type: 'answered', questionId: 'q1', answer })).toEqual({
      type: 'answered',
      questionId: 'q1',
      answer,
    });
    expect(
      readAnswerReply({
        type: 'error',
        error: 'already_answered',
        field: 'questionId',
        message: 'This question was already answered in VS Code: "warm".',
        questionId: 'q1',
        answer: { value: 'warm', by: 'vscode', answeredAt: AT },
      }),
    ).toEqual({
      type: 'refused',
      questionId: 'q1',
      error: 'already_answered',
      message: 'This question was already answered in VS Code: "warm".',
      answer: { value: 'warm', by: 'vscode', answeredAt: AT },
    });
    expect(readAnswerReply({ type: 'error', error: 'invalid_answer', questionId: 'q1' })).toEqual({
      type: 'refused',
      questionId: 'q1',
      error: 'invalid_answer',
      message: 'The bridge refused the answer.',
    });
    expect(
      readAnswerReply({ type: 'error', error: 'invalid_event', eventId: 'e1', message: 'x' }),
    ).toBeNull();
    expect(readAnswerReply({ type: 'answered', questionId: 'q1' })).toBeNull();
  });

  it('makes the HTTP answer route reply like the socket', () => {
    const answer = { value: 'cool', by: 'browser', answeredAt: AT };
    expect(replyFromHttp('q1', 200, { accepted: true, questionId: 'q1', answer })).toEqual({
      type: 'answered',
      questionId: 'q1',
      answer,
    });
    expect(
      replyFromHttp('q1', 200, {
        accepted: false,
        questionId: 'q1',
        answer: { ...answer, by: 'cli', value: 'warm' },
      }),
    ).toEqual({
      type: 'refused',
      questionId: 'q1',
      error: 'already_answered',
      message: 'This question was already answered from the CLI: "warm".',
      answer: { ...answer, by: 'cli', value: 'warm' },
    });
    expect(
      replyFromHttp('q1', 404, {
        error: 'question_not_found',
        field: 'questionId',
        message: 'There is no question q1.',
      }),
    ).toEqual({
      type: 'refused',
      questionId: 'q1',
      error: 'question_not_found',
      message: 'There is no question q1.',
    });
    expect(replyFromHttp('q1', 502, 'not json')).toEqual({
      type: 'refused',
      questionId: 'q1',
      error: 'http_502',
      message: 'The bridge answered 502.',
    });
  });

  it('statusAfterReply: answered keeps the winning value; a refusal keeps what was sent and says why', () => {
    expect(
      statusAfterReply(
        { type: 'answered', questionId: 'q1', answer: { value: 'cool', by: 'browser', answeredAt: AT } },
        'cool',
      ),
    ).toEqual({
      state: 'answered',
      value: 'cool',
    });
    expect(
      statusAfterReply(
        { type: 'refused', questionId: 'q1', error: 'invalid_answer', message: 'value must be one of…' },
        'x',
      ),
    ).toEqual({ state: 'refused', value: 'x', message: 'value must be one of…' });
  });
});

describe('the "no agent online" notice', () => {
  it('names the owed work and its session when no agent is online or idle', () => {
    expect(noticeText(presence(), null)).toBe(
      'No agent is online — work is waiting (generate for session a1b2c3d4).',
    );
  });

  it('is not shown while an agent is online or idle, without owed work, or while presence is unknown', () => {
    expect(noticeText(presence({ online: 1 }), null)).toBeNull();
    expect(noticeText(presence({ idle: 1 }), null)).toBeNull();
    expect(noticeText(presence({ waiting: [], waitingSessions: 0 }), null)).toBeNull();
    expect(noticeText(null, 'a1b2c3d4')).toBeNull();
  });

  it("names the page's own session first, at most two sessions, and counts the rest", () => {
    const p = presence({
      waiting: [
        { sessionId: 'a0000001', kinds: ['carbonize_cleanup'] },
        { sessionId: 'b0000002', kinds: ['accept', 'generate'] },
        { sessionId: 'c0000003', kinds: ['generate'] },
      ],
      waitingSessions: 24,
    });
    expect(noticeText(p, 'c0000003')).toBe(
      'No agent is online — work is waiting (generate for session c0000003; cleanup for session a0000001; 22 more sessions).',
    );
    expect(noticeText({ ...p, waiting: p.waiting.slice(0, 2), waitingSessions: 3 }, null)).toBe(
      'No agent is online — work is waiting (cleanup for session a0000001; accept, generate for session b0000002; 1 more session).',
    );
  });
});

describe('the questions card view', () => {
  it('says who asks about which session, shows the own session first, and counts what is not shown', () => {
    const qs = [
      question('q1'),
      question('q2', { sessionId: 'a1b2c3d4', agentName: 'Codex' }),
      question('q3', { choices: null }),
      question('q4'),
      question('q5'),
    ];
    const answers = new Map<string, AnswerStatus>([['q1', { state: 'sending', value: 'cool' }]]);
    const v = questionsView(qs, 7, answers, 'a1b2c3d4', null);
    expect(v.items.map((i) => i.questionId)).toEqual(['q2', 'q1', 'q3']);
    expect(v.items).toHaveLength(VISIBLE_QUESTIONS);
    expect(v.items[0]).toEqual({
      questionId: 'q2',
      asker: 'Codex asks · session a1b2c3d4',
      text: 'Question q2?',
      choices: ['warm', 'cool'],
      status: null,
    });
    expect(v.items[1].asker).toBe('claude-code 01be asks');
    expect(v.items[1].status).toEqual({ state: 'sending', value: 'cool' });
    expect(v.more).toBe(4);
    expect(v.flash).toBeNull();
  });

  it('is empty with nothing pending, and carries a refusal to show on its own', () => {
    expect(questionsView([], 0, new Map(), null, 'Already answered in VS Code: "warm".')).toEqual({
      items: [],
      more: 0,
      flash: 'Already answered in VS Code: "warm".',
    });
  });
});
