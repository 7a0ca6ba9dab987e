// The agent routes' bodies as the extension reads them (docs/bridge-routes.md, "Agents"). The bridge may be
// another process (a follower window, `live-variants serve`, another version), so nothing is taken on trust:
// a malformed agent or question is dropped, never shown half-read, and a malformed body is an error.

import { isAgentId, type LogEntry, type Presence } from '../../webview-ui/protocol';
import type { AgentView, QuestionView } from '../core/agents';
import { LiveVariantsError } from '../core/errors';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, max = 4000): string | undefined {
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

function nullableStr(v: unknown, max = 4000): string | null | undefined {
  return v === null || v === undefined ? null : str(v, max);
}

function strings(v: unknown, maxItems: number): string[] | undefined {
  if (!Array.isArray(v) || v.length > maxItems) return undefined;
  return v.every((x) => typeof x === 'string' && x.length <= 200) ? [...(v as string[])] : undefined;
}

const PRESENCE: readonly Presence[] = ['online', 'idle', 'offline'];

function listOf(body: unknown, key: string, route: string): unknown[] {
  if (!isObj(body) || !Array.isArray(body[key])) {
    throw new LiveVariantsError('bad_response', `The bridge answered ${route} without a "${key}" list.`);
  }
  return body[key] as unknown[];
}

function agentOf(v: unknown): AgentView | undefined {
  if (!isObj(v) || !isAgentId(v.agentId)) return undefined;
  const presence = PRESENCE.find((p) => p === v.presence);
  const lastSeenAt = str(v.lastSeenAt, 40);
  const a = v.lastAction;
  if (!presence || !lastSeenAt || !isObj(a)) return undefined;
  const action = str(a.action, 40);
  const at = str(a.at, 40);
  const detail = nullableStr(a.detail, 500);
  if (!action || !at || detail === undefined) return undefined;
  let lease: AgentView['lease'] = null;
  if (isObj(v.lease)) {
    const { leaseId, itemId, sessionId, kind } = v.lease;
    if (typeof leaseId === 'string' && typeof itemId === 'string' && typeof sessionId === 'string')
      lease = { leaseId, itemId, sessionId, kind: typeof kind === 'string' ? kind : 'work' };
  }
  let interrupt: AgentView['interrupt'] = null;
  if (isObj(v.interrupt)) {
    const i = v.interrupt;
    interrupt = {
      reason: str(i.reason, 500) ?? '',
      at: str(i.at, 40) ?? '',
      revoked: typeof i.revoked === 'number' ? i.revoked : 0,
      delivered: i.delivered === true,
    };
  }
  return {
    agentId: v.agentId,
    name: str(v.name, 200) ?? v.agentId,
    harness: str(v.harness, 64) ?? 'unknown',
    presence,
    firstSeenAt: str(v.firstSeenAt, 40) ?? lastSeenAt,
    lastSeenAt,
    quietMs: typeof v.quietMs === 'number' ? v.quietMs : 0,
    lastAction: { action: action as AgentView['lastAction']['action'], at, detail },
    lease,
    sessions: strings(v.sessions, 100) ?? [],
    interrupt,
  };
}

/** `GET /v1/agents` → its agents (malformed entries left out). */
export function parseAgents(body: unknown): AgentView[] {
  return listOf(body, 'agents', 'GET /v1/agents')
    .map(agentOf)
    .filter((a): a is AgentView => a !== undefined);
}

function questionOf(v: unknown): QuestionView | undefined {
  if (!isObj(v) || !isAgentId(v.questionId) || !isAgentId(v.agentId)) return undefined;
  const text = str(v.text);
  const askedAt = str(v.askedAt, 40);
  const sessionId = nullableStr(v.sessionId, 64);
  const choices = v.choices === null || v.choices === undefined ? null : strings(v.choices, 20);
  if (!text || !askedAt || sessionId === undefined || choices === undefined) return undefined;
  if (v.state !== 'pending' && v.state !== 'answered') return undefined;
  return {
    questionId: v.questionId,
    text,
    choices: choices && choices.length > 0 ? choices : null,
    sessionId,
    agentId: v.agentId,
    askedAt,
    state: v.state,
    answer: null,
  };
}

/** `GET /v1/questions` → its questions (malformed entries left out). */
export function parseQuestions(body: unknown): QuestionView[] {
  return listOf(body, 'questions', 'GET /v1/questions')
    .map(questionOf)
    .filter((q): q is QuestionView => q !== undefined);
}

export interface AnswerOutcome {
  /** False: another answer was recorded first; `value`/`by` are that answer. */
  accepted: boolean;
  value: string;
  by: string;
}

/** `POST /v1/questions/:id/answer` → who won. */
export function parseAnswer(body: unknown): AnswerOutcome {
  if (isObj(body) && typeof body.accepted === 'boolean' && isObj(body.answer)) {
    const value = str(body.answer.value);
    const by = str(body.answer.by, 40);
    if (value !== undefined && by !== undefined) return { accepted: body.accepted, value, by };
  }
  throw new LiveVariantsError('bad_response', 'The bridge answered the answer without the answer it kept.');
}

export interface InterruptOutcome {
  revoked: number;
  /** False: the bridge never heard of the agent (the notice still waits for it). */
  known: boolean;
}

/** `POST /v1/agents/:id/interrupt` → what it revoked. */
export function parseInterrupt(body: unknown): InterruptOutcome {
  if (!isObj(body) || !Array.isArray(body.revoked)) {
    throw new LiveVariantsError(
      'bad_response',
      'The bridge answered the interrupt without its revoked leases.',
    );
  }
  return { revoked: body.revoked.length, known: body.known !== false };
}

/** One record of the `follow=1` NDJSON log stream: a line, a gap (lines lost), or nothing shown (ping, junk). */
export function parseLogRecord(raw: unknown): LogEntry | undefined {
  if (!isObj(raw)) return undefined;
  if (raw.type === 'line' && Number.isSafeInteger(raw.seq) && typeof raw.text === 'string') {
    return { seq: raw.seq as number, at: str(raw.at, 40) ?? '', text: raw.text, gap: false };
  }
  if (raw.type === 'gap' && Number.isSafeInteger(raw.fromSeq) && Number.isSafeInteger(raw.toSeq)) {
    const from = raw.fromSeq as number;
    const to = raw.toSeq as number;
    const what = from === to ? `line ${from} was` : `lines ${from}–${to} were`;
    return { seq: to, at: '', text: `${what} lost (the bridge keeps the last lines only)`, gap: true };
  }
  return undefined;
}
