// Agent questions and presence for the browser socket (docs/bridge-routes.md "Socket"). The page learns of
// pending questions and of "work waiting, no agent online" without polling: the bridge pushes a `questions`
// frame and an `agents` frame when a client connects and again whenever what they say changes. Changes are
// coalesced (one short timer) and a frame is sent only when it differs from the last one, so an agent polling
// in a loop or a burst of browser events costs a comparison, not a message per client.
//
// Owed work is tracked per session: the engine reports every durable change of a session (enqueue, ack,
// dead letter, archive all go through it), and `engine.owed(sessionId)` is indexed, so a change re-reads only
// its own session. Nothing is tracked while no page is connected; the first connection rebuilds from
// `engine.owed()` once.
import type { AgentEvent, AnswerResult, AnswerSource, QuestionEvent, QuestionView } from '../core/agents';
import { nodeTimers } from '../core/agents/timers';
import type { RegistryTimers } from '../core/agents/types';
import type { OwedItem } from '../core/queue';
import { errorResponse } from './httpIo';

/** Questions carried by one frame (oldest first); `total` tells how many are pending in all. */
export const MAX_FRAME_QUESTIONS = 20;
/** Sessions with owed work carried by one frame; `waitingSessions` tells how many there are in all. */
export const MAX_FRAME_WAITING = 20;
/** How long changes are gathered before frames are compared and sent. */
export const AGENTS_FEED_DELAY_MS = 25;

export interface QuestionItem {
  questionId: string;
  text: string;
  choices: string[] | null;
  sessionId: string | null;
  agentId: string;
  /** The agent's display name (its id when the registry does not know it). */
  agentName: string;
  askedAt: string;
}

export interface QuestionsFrame {
  type: 'questions';
  questions: QuestionItem[];
  total: number;
}

export interface WaitingWork {
  sessionId: string;
  /** Distinct owed kinds, in delivery priority order. */
  kinds: string[];
}

export interface AgentsFrame {
  type: 'agents';
  online: number;
  idle: number;
  /** Sessions with owed work (ready or leased), by session id. */
  waiting: WaitingWork[];
  waitingSessions: number;
}

export type AnswerFrame =
  | { type: 'answered'; questionId: string; answer: AnswerResult['answer'] }
  | {
      type: 'error';
      error: string;
      field?: string;
      message: string;
      questionId?: string;
      answer?: AnswerResult['answer'];
    };

export function questionsFrame(
  pending: readonly QuestionView[],
  nameOf: (agentId: string) => string | undefined,
): QuestionsFrame {
  return {
    type: 'questions',
    questions: pending.slice(0, MAX_FRAME_QUESTIONS).map((q) => ({
      questionId: q.questionId,
      text: q.text,
      choices: q.choices && [...q.choices],
      sessionId: q.sessionId,
      agentId: q.agentId,
      agentName: nameOf(q.agentId) ?? q.agentId,
      askedAt: q.askedAt,
    })),
    total: pending.length,
  };
}

export function agentsFrame(
  agents: readonly { presence: string }[],
  waiting: ReadonlyMap<string, readonly string[]>,
): AgentsFrame {
  let online = 0;
  let idle = 0;
  for (const a of agents) {
    if (a.presence === 'online') online++;
    else if (a.presence === 'idle') idle++;
  }
  const ids = [...waiting.keys()].sort();
  return {
    type: 'agents',
    online,
    idle,
    waiting: ids.slice(0, MAX_FRAME_WAITING).map((sessionId) => ({
      sessionId,
      kinds: [...(waiting.get(sessionId) ?? [])],
    })),
    waitingSessions: ids.length,
  };
}

/** The distinct kinds of a session's owed items (which `owed()` lists in delivery priority order). */
export function owedKinds(owed: readonly Pick<OwedItem, 'item'>[]): string[] {
  const kinds: string[] = [];
  for (const o of owed) if (!kinds.includes(o.item.kind)) kinds.push(o.item.kind);
  return kinds;
}

const SOURCE_LABEL: Record<AnswerSource, string> = {
  vscode: 'in VS Code',
  browser: 'in the browser',
  cli: 'from the CLI',
};

/** The socket's answer to an `answer` message: the winner, or a refusal that carries the winning answer. */
export function answerFrame(r: AnswerResult): AnswerFrame {
  if (r.accepted) return { type: 'answered', questionId: r.questionId, answer: { ...r.answer } };
  return {
    type: 'error',
    error: 'already_answered',
    field: 'questionId',
    message: `This question was already answered ${SOURCE_LABEL[r.answer.by]}: ${JSON.stringify(r.answer.value)}.`,
    questionId: r.questionId,
    answer: { ...r.answer },
  };
}

/** What the feed needs of the bridge's services (the real ones, or fakes in tests). */
export interface AgentsFeedSources {
  engine: { owed(sessionId?: string): readonly Pick<OwedItem, 'item'>[] };
  registry: {
    list(): readonly { presence: string }[];
    get(agentId: string): { name: string } | undefined;
    onChange(listener: (e: AgentEvent) => void): () => void;
  };
  questions: {
    pending(): QuestionView[];
    onChange(listener: (e: QuestionEvent) => void): () => void;
    answer(questionId: unknown, value: unknown, opts: { by: unknown }): Promise<AnswerResult>;
  };
}

export interface AgentsFeedOptions {
  /** Sends a frame to every connected page. */
  broadcast(frame: QuestionsFrame | AgentsFrame): void;
  timers?: RegistryTimers;
  delayMs?: number;
}

export class AgentsFeed {
  private active = false;
  private readonly waiting = new Map<string, string[]>();
  private readonly dirtySessions = new Set<string>();
  private questionsDirty = false;
  private agentsDirty = false;
  private timer: unknown;
  private lastQuestions: QuestionsFrame | undefined;
  private lastAgents: AgentsFrame | undefined;
  private lastQuestionsJson = '';
  private lastAgentsJson = '';
  private readonly unsubscribe: (() => void)[];
  private readonly timers: RegistryTimers;
  private readonly delayMs: number;

  constructor(
    private readonly sources: AgentsFeedSources,
    private readonly opts: AgentsFeedOptions,
  ) {
    this.timers = opts.timers ?? nodeTimers;
    this.delayMs = opts.delayMs ?? AGENTS_FEED_DELAY_MS;
    this.unsubscribe = [
      sources.registry.onChange((e) => {
        this.mark('agents');
        if (this.renamed(e.agentId)) this.mark('questions');
      }),
      sources.questions.onChange(() => this.mark('questions')),
    ];
  }

  /** A first page connected: rebuild the owed-work index and start following changes. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.waiting.clear();
    this.dirtySessions.clear();
    for (const o of this.sources.engine.owed()) {
      const kinds = this.waiting.get(o.item.sessionId);
      if (kinds === undefined) this.waiting.set(o.item.sessionId, [o.item.kind]);
      else if (!kinds.includes(o.item.kind)) kinds.push(o.item.kind);
    }
    this.questionsDirty = true;
    this.agentsDirty = true;
    this.flush();
  }

  /** No page is connected: stop tracking (start() rebuilds). */
  stop(): void {
    this.active = false;
    this.cancelTimer();
    this.waiting.clear();
    this.dirtySessions.clear();
    this.lastQuestions = undefined;
    this.lastAgents = undefined;
    this.lastQuestionsJson = '';
    this.lastAgentsJson = '';
  }

  /** The engine recorded a change of this session (its owed work may have changed). */
  sessionChanged(sessionId: string): void {
    if (!this.active) return;
    this.dirtySessions.add(sessionId);
    this.mark('agents');
  }

  /**
   * Sends what changed to the connected pages now and returns the current frames (for a page that just
   * connected, which the broadcast did not reach yet).
   */
  current(): { questions: QuestionsFrame; agents: AgentsFrame } {
    if (this.active) this.flush();
    else this.start();
    return { questions: this.lastQuestions!, agents: this.lastAgents! };
  }

  /** A page's `{type:"answer", questionId, value}`: first answer wins; bad input is an error frame. */
  async answer(msg: Record<string, unknown>): Promise<AnswerFrame> {
    const questionId = typeof msg.questionId === 'string' ? msg.questionId : undefined;
    try {
      // The page always answers as the browser, whichever token opened the socket.
      return answerFrame(await this.sources.questions.answer(msg.questionId, msg.value, { by: 'browser' }));
    } catch (e) {
      return { type: 'error', ...(questionId ? { questionId } : {}), ...errorResponse(e).body };
    }
  }

  dispose(): void {
    this.stop();
    for (const off of this.unsubscribe) off();
  }

  private mark(which: 'agents' | 'questions'): void {
    if (!this.active) return;
    if (which === 'agents') this.agentsDirty = true;
    else this.questionsDirty = true;
    if (this.timer === undefined) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.delayMs);
    }
  }

  /** A question on the pages names this agent under another name than the registry's now. */
  private renamed(agentId: string): boolean {
    const name = this.sources.registry.get(agentId)?.name ?? agentId;
    return this.lastQuestions?.questions.some((q) => q.agentId === agentId && q.agentName !== name) ?? false;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.cancelTimer();
    if (!this.active) return;
    for (const id of this.dirtySessions) {
      const kinds = owedKinds(this.sources.engine.owed(id));
      if (kinds.length === 0) this.waiting.delete(id);
      else this.waiting.set(id, kinds);
    }
    this.dirtySessions.clear();
    if (this.questionsDirty) {
      this.questionsDirty = false;
      const frame = questionsFrame(
        this.sources.questions.pending(),
        (id) => this.sources.registry.get(id)?.name,
      );
      const json = JSON.stringify(frame);
      this.lastQuestions = frame;
      if (json !== this.lastQuestionsJson) {
        this.lastQuestionsJson = json;
        this.opts.broadcast(frame);
      }
    }
    if (this.agentsDirty) {
      this.agentsDirty = false;
      const frame = agentsFrame(this.sources.registry.list(), this.waiting);
      const json = JSON.stringify(frame);
      this.lastAgents = frame;
      if (json !== this.lastAgentsJson) {
        this.lastAgentsJson = json;
        this.opts.broadcast(frame);
      }
    }
  }
}
