// What the page knows of the agents (docs/browser.md "Agent questions and presence"): the questions waiting for
// the user, whether any agent is there, and which work waits for one. Frames come from the bridge (socket
// pushes, or the HTTP fallback) and are read defensively; everything here is pure, so it is tested in Node.
import type { AgentsFrame, QuestionItem, WaitingWork } from '../bridge/socketAgents';

export type { QuestionItem, WaitingWork };

/** Presence and owed work as the last `agents` frame said; null while unknown (socket down). */
export type AgentsPresence = Omit<AgentsFrame, 'type'>;

export interface StoredAnswerView {
  value: string;
  by: string;
  answeredAt: string;
}

/** What became of an answer this page sent. */
export type AnswerStatus =
  | { state: 'sending'; value: string }
  | { state: 'answered'; value: string }
  | { state: 'refused'; value: string; message: string };

/** The bridge's reply to one answer (socket frame or HTTP answer, made alike). */
export type AnswerReply =
  | { type: 'answered'; questionId: string; answer: StoredAnswerView }
  | { type: 'refused'; questionId: string; error: string; message: string; answer?: StoredAnswerView };

/** Questions shown at once; the rest are counted. */
export const VISIBLE_QUESTIONS = 3;
/** Sessions named in the "no agent" notice; the rest are counted. */
export const NOTICE_SESSIONS = 2;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const str = (x: unknown, max: number): string | undefined =>
  typeof x === 'string' && x.length > 0 && x.length <= max ? x : undefined;

const count = (x: unknown): number => (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 ? x : 0);

function readQuestion(x: unknown): QuestionItem | undefined {
  if (!isObject(x)) return undefined;
  const questionId = str(x.questionId, 128);
  const text = str(x.text, 4_000);
  const agentId = str(x.agentId, 64);
  if (!questionId || !text || !agentId) return undefined;
  let choices: string[] | null = null;
  if (Array.isArray(x.choices) && x.choices.length > 0) {
    const list = x.choices.map((c) => str(c, 200));
    if (list.some((c) => c === undefined)) return undefined;
    choices = list as string[];
  }
  return {
    questionId,
    text,
    choices,
    sessionId: str(x.sessionId, 64) ?? null,
    agentId,
    agentName: str(x.agentName, 200) ?? agentId,
    askedAt: str(x.askedAt, 64) ?? '',
  };
}

/**
 * The pending questions of a `questions` frame, or of `GET /v1/questions` (whose items are full QuestionViews:
 * answered ones are left out). Null when the message is not one.
 */
export function readQuestions(msg: unknown): { questions: QuestionItem[]; total: number } | null {
  if (!isObject(msg) || !Array.isArray(msg.questions)) return null;
  const questions: QuestionItem[] = [];
  for (const raw of msg.questions) {
    if (isObject(raw) && raw.state !== undefined && raw.state !== 'pending') continue;
    const q = readQuestion(raw);
    if (q) questions.push(q);
  }
  return { questions, total: Math.max(count(msg.total), questions.length) };
}

export function readAgents(msg: unknown): AgentsPresence | null {
  if (!isObject(msg) || msg.type !== 'agents' || !Array.isArray(msg.waiting)) return null;
  const waiting: WaitingWork[] = [];
  for (const w of msg.waiting) {
    if (!isObject(w) || !Array.isArray(w.kinds)) continue;
    const sessionId = str(w.sessionId, 64);
    const kinds = w.kinds.filter((k): k is string => typeof k === 'string' && k.length <= 64);
    if (sessionId && kinds.length > 0) waiting.push({ sessionId, kinds });
  }
  return {
    online: count(msg.online),
    idle: count(msg.idle),
    waiting,
    waitingSessions: Math.max(count(msg.waitingSessions), waiting.length),
  };
}

function readAnswer(x: unknown): StoredAnswerView | undefined {
  if (!isObject(x) || typeof x.value !== 'string') return undefined;
  return {
    value: x.value,
    by: typeof x.by === 'string' ? x.by : '',
    answeredAt: typeof x.answeredAt === 'string' ? x.answeredAt : '',
  };
}

/** A socket `answered` frame or an `error` frame about a question; null for anything else. */
export function readAnswerReply(msg: unknown): AnswerReply | null {
  if (!isObject(msg)) return null;
  const questionId = str(msg.questionId, 128);
  if (!questionId) return null;
  if (msg.type === 'answered') {
    const answer = readAnswer(msg.answer);
    return answer ? { type: 'answered', questionId, answer } : null;
  }
  if (msg.type !== 'error') return null;
  const answer = readAnswer(msg.answer);
  return {
    type: 'refused',
    questionId,
    error: typeof msg.error === 'string' ? msg.error : 'error',
    message: typeof msg.message === 'string' ? msg.message : 'The bridge refused the answer.',
    ...(answer ? { answer } : {}),
  };
}

const SOURCE_LABEL: Record<string, string> = {
  vscode: 'in VS Code',
  browser: 'in the browser',
  cli: 'from the CLI',
};

/**
 * `POST /v1/questions/:id/answer` (the fallback while the socket is down) as the socket would have said it:
 * accepted → answered; `accepted: false` → refused with `already_answered` and the winning answer.
 */
export function replyFromHttp(questionId: string, status: number, body: unknown): AnswerReply {
  const b = isObject(body) ? body : {};
  const answer = readAnswer(b.answer);
  if (status === 200 && answer && b.accepted === true) return { type: 'answered', questionId, answer };
  if (status === 200 && answer) {
    return {
      type: 'refused',
      questionId,
      error: 'already_answered',
      message: `This question was already answered ${SOURCE_LABEL[answer.by] ?? 'elsewhere'}: ${JSON.stringify(answer.value)}.`,
      answer,
    };
  }
  return {
    type: 'refused',
    questionId,
    error: typeof b.error === 'string' ? b.error : `http_${status}`,
    message: typeof b.message === 'string' ? b.message : `The bridge answered ${status}.`,
  };
}

/** The status of an answer after the bridge's reply. */
export function statusAfterReply(reply: AnswerReply, sent: string): AnswerStatus {
  if (reply.type === 'answered') return { state: 'answered', value: reply.answer.value };
  return { state: 'refused', value: sent, message: reply.message };
}

const KIND_LABEL: Record<string, string> = { carbonize_cleanup: 'cleanup' };

/**
 * "No agent is online — work is waiting (generate for session a1b2c3d4)." when work is owed and no agent is
 * online or idle; null otherwise (and while presence is unknown). The page's own session is named first.
 */
export function noticeText(presence: AgentsPresence | null, ownSessionId: string | null): string | null {
  if (!presence || presence.online + presence.idle > 0 || presence.waiting.length === 0) return null;
  const own = presence.waiting.filter((w) => w.sessionId === ownSessionId);
  const ordered = [...own, ...presence.waiting.filter((w) => w.sessionId !== ownSessionId)];
  const named = ordered
    .slice(0, NOTICE_SESSIONS)
    .map((w) => `${w.kinds.map((k) => KIND_LABEL[k] ?? k).join(', ')} for session ${w.sessionId}`);
  const more = Math.max(presence.waitingSessions, ordered.length) - named.length;
  const tail = more > 0 ? `; ${more} more session${more === 1 ? '' : 's'}` : '';
  return `No agent is online — work is waiting (${named.join('; ')}${tail}).`;
}

export interface QuestionCardView {
  questionId: string;
  /** "claude-code 01be asks · session a1b2c3d4" */
  asker: string;
  text: string;
  choices: string[] | null;
  status: AnswerStatus | null;
}

export interface QuestionsView {
  items: QuestionCardView[];
  /** Pending questions not shown. */
  more: number;
  /** A refusal whose question is gone already (answered elsewhere first). */
  flash: string | null;
}

/** The questions card: the page's own session's questions first, then the others, oldest first. */
export function questionsView(
  questions: readonly QuestionItem[],
  total: number,
  answers: ReadonlyMap<string, AnswerStatus>,
  ownSessionId: string | null,
  flash: string | null,
): QuestionsView {
  const ordered = [
    ...questions.filter((q) => ownSessionId !== null && q.sessionId === ownSessionId),
    ...questions.filter((q) => ownSessionId === null || q.sessionId !== ownSessionId),
  ];
  const items = ordered.slice(0, VISIBLE_QUESTIONS).map((q) => ({
    questionId: q.questionId,
    asker: `${q.agentName} asks${q.sessionId ? ` · session ${q.sessionId}` : ''}`,
    text: q.text,
    choices: q.choices,
    status: answers.get(q.questionId) ?? null,
  }));
  return { items, more: Math.max(total, questions.length) - items.length, flash };
}
