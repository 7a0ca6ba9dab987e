// Questions an agent asks the user (docs/agents.md "Questions"): their wire shapes, their journal records and
// the checks on untrusted input. Two record types, both in the questions journal:
//   question.asked    eventId `ask:<questionId>`    data {questionId, text, choices, sessionId, agentId}
//   question.answered eventId `answer:<questionId>` data {questionId, value, by}
// The record's `at` is when it was asked or answered.
import { createHash } from 'node:crypto';
import { LiveVariantsError } from '../errors';
import { isSessionId } from '../journal';
import { validateAgentId, validateQuestionId } from './ids';

export const ASKED_RECORD = 'question.asked';
export const ANSWERED_RECORD = 'question.answered';
export const askEventId = (questionId: string): string => `ask:${questionId}`;
export const answerEventId = (questionId: string): string => `answer:${questionId}`;

export const ANSWER_SOURCES = ['vscode', 'browser', 'cli'] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];

export const QUESTION_LIMITS = {
  text: 4_000,
  choices: 20,
  choice: 200,
  answer: 4_000,
  /** Longest single wait of one ask (24 h); an agent waits longer by asking again with the same id. */
  timeoutMs: 86_400_000,
} as const;

export interface StoredAnswer {
  value: string;
  by: AnswerSource;
  /** ISO time the answer was journaled. */
  answeredAt: string;
}

export interface QuestionView {
  questionId: string;
  text: string;
  /** The allowed answers; null = free text. */
  choices: string[] | null;
  sessionId: string | null;
  agentId: string;
  askedAt: string;
  state: 'pending' | 'answered';
  answer: StoredAnswer | null;
}

/** What an ask resolves to. `exit`: the store closed (the bridge is stopping); ask again later. */
export type AskOutcome =
  | ({ type: 'answer'; questionId: string } & StoredAnswer)
  | { type: 'timeout'; questionId: string }
  | { type: 'exit'; questionId: string };

export interface AnswerResult {
  /** True for the answer that won; false when another answer was recorded first (`answer` is that one). */
  accepted: boolean;
  questionId: string;
  answer: StoredAnswer;
}

export interface AskInput {
  questionId?: string;
  text: string;
  choices?: string[];
  sessionId?: string;
  agentId: string;
  /** How long this ask waits before resolving `{type:"timeout"}` (the question stays answerable). Omitted: until answered. */
  timeoutMs?: number;
}

export interface CheckedAsk {
  questionId: string | undefined;
  text: string;
  choices: string[] | null;
  sessionId: string | null;
  agentId: string;
  timeoutMs: number | undefined;
}

function bad(code: string, field: string, message: string): LiveVariantsError {
  return new LiveVariantsError(code, message, field);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks an ask from the wire; the first bad field throws a LiveVariantsError. */
export function checkAsk(input: unknown): CheckedAsk {
  if (!isObject(input))
    throw bad('invalid_question', 'body', 'An ask must be an object with text and agentId.');
  const questionId = input.questionId === undefined ? undefined : validateQuestionId(input.questionId);
  const text = input.text;
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > QUESTION_LIMITS.text) {
    throw bad(
      'invalid_question',
      'text',
      `text must be a non-empty string of at most ${QUESTION_LIMITS.text} characters.`,
    );
  }
  let choices: string[] | null = null;
  if (input.choices !== undefined && input.choices !== null) {
    const list = input.choices;
    if (!Array.isArray(list) || list.length > QUESTION_LIMITS.choices) {
      throw bad(
        'invalid_question',
        'choices',
        `choices must be a list of at most ${QUESTION_LIMITS.choices} strings.`,
      );
    }
    const seen = new Set<string>();
    list.forEach((c: unknown, i: number) => {
      if (typeof c !== 'string' || c.trim().length === 0 || c.length > QUESTION_LIMITS.choice) {
        throw bad(
          'invalid_question',
          `choices[${i}]`,
          `choices[${i}] must be a non-empty string of at most ${QUESTION_LIMITS.choice} characters.`,
        );
      }
      if (seen.has(c))
        throw bad('invalid_question', `choices[${i}]`, `choices[${i}] repeats ${JSON.stringify(c)}.`);
      seen.add(c);
    });
    choices = list.length > 0 ? [...(list as string[])] : null;
  }
  let sessionId: string | null = null;
  if (input.sessionId !== undefined && input.sessionId !== null) {
    if (typeof input.sessionId !== 'string' || !isSessionId(input.sessionId)) {
      throw bad(
        'invalid_question',
        'sessionId',
        'sessionId must be 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-".',
      );
    }
    sessionId = input.sessionId;
  }
  const agentId = validateAgentId(input.agentId);
  let timeoutMs: number | undefined;
  if (input.timeoutMs !== undefined) {
    const t = input.timeoutMs;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > QUESTION_LIMITS.timeoutMs) {
      throw bad(
        'invalid_question',
        'timeoutMs',
        `timeoutMs must be a number of milliseconds above 0 and at most ${QUESTION_LIMITS.timeoutMs}.`,
      );
    }
    timeoutMs = t;
  }
  return { questionId, text, choices, sessionId, agentId, timeoutMs };
}

export function checkAnswerSource(by: unknown): AnswerSource {
  if (!(ANSWER_SOURCES as readonly unknown[]).includes(by)) {
    throw bad('invalid_answer', 'by', `by must be one of ${ANSWER_SOURCES.join(', ')}.`);
  }
  return by as AnswerSource;
}

/** The answer's value: a string; with choices, exactly one of them. */
export function checkAnswerValue(value: unknown, choices: readonly string[] | null): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > QUESTION_LIMITS.answer) {
    throw bad(
      'invalid_answer',
      'value',
      `value must be a non-empty string of at most ${QUESTION_LIMITS.answer} characters.`,
    );
  }
  if (choices !== null && !choices.includes(value)) {
    throw bad(
      'invalid_answer',
      'value',
      `value must be one of the question's choices: ${choices.map((c) => JSON.stringify(c)).join(', ')}.`,
    );
  }
  return value;
}

/**
 * A question id derived from what is asked, for callers that do not name one (the CLI): the same agent
 * asking the same thing about the same session gets the same id, so an agent killed while waiting finds
 * the answer when it runs the same `ask` again. Pass an explicit id to ask the same text anew.
 */
export function deriveQuestionId(input: {
  agentId: string;
  text: string;
  choices?: readonly string[] | null;
  sessionId?: string | null;
}): string {
  const key = JSON.stringify([input.agentId, input.sessionId ?? null, input.text, input.choices ?? null]);
  return `q-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** A question.asked record's data, or undefined when it is not one this version can read. */
export function readAskedData(
  data: Record<string, unknown>,
):
  | { questionId: string; text: string; choices: string[] | null; sessionId: string | null; agentId: string }
  | undefined {
  try {
    const c = checkAsk(data);
    if (c.questionId === undefined) return undefined;
    return {
      questionId: c.questionId,
      text: c.text,
      choices: c.choices,
      sessionId: c.sessionId,
      agentId: c.agentId,
    };
  } catch {
    return undefined;
  }
}

export function readAnsweredData(
  data: Record<string, unknown>,
): { questionId: string; value: string; by: AnswerSource } | undefined {
  try {
    return {
      questionId: validateQuestionId(data.questionId),
      value: checkAnswerValue(data.value, null),
      by: checkAnswerSource(data.by),
    };
  } catch {
    return undefined;
  }
}
