// The agent routes of the bridge this window runs or follows, over HTTP with the window's token (the same
// routes the CLI and the browser use, so the leader and a follower window behave alike).

import { BridgeClient, type FetchLike } from '../cli/client';
import type { AgentView, QuestionView } from '../core/agents';
import {
  type AnswerOutcome,
  type InterruptOutcome,
  parseAgents,
  parseAnswer,
  parseInterrupt,
  parseQuestions,
} from './agentsWire';
import type { BridgeEndpoint } from './backend';

/** Short: these run every second and must never pile up behind a bridge that stopped answering. */
const READ_TIMEOUT_MS = 5000;

export class AgentsApi {
  private readonly client: BridgeClient;

  constructor(
    readonly endpoint: BridgeEndpoint,
    fetchImpl?: FetchLike,
  ) {
    this.client = new BridgeClient({ ...endpoint, source: 'discovery' }, fetchImpl);
  }

  async agents(): Promise<AgentView[]> {
    return parseAgents(await this.client.get('/v1/agents', { timeoutMs: READ_TIMEOUT_MS }));
  }

  /** The pending questions. */
  async questions(): Promise<QuestionView[]> {
    return parseQuestions(await this.client.get('/v1/questions', { timeoutMs: READ_TIMEOUT_MS }));
  }

  async answer(questionId: string, value: string): Promise<AnswerOutcome> {
    return parseAnswer(
      await this.client.post(`/v1/questions/${encodeURIComponent(questionId)}/answer`, {
        value,
        by: 'vscode',
      }),
    );
  }

  async interrupt(agentId: string, reason: string): Promise<InterruptOutcome> {
    return parseInterrupt(
      await this.client.post(`/v1/agents/${encodeURIComponent(agentId)}/interrupt`, { reason }),
    );
  }
}
