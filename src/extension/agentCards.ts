// The Agents panel's state, built from what the bridge reported. Pure: the view renders exactly this.

import type { AgentCard, AgentsState, QuestionCard } from '../../webview-ui/protocol';
import type { AgentView, QuestionView } from '../core/agents';
import type { AgentsSnapshot } from './agentsMonitor';

const PRESENCE_RANK: Record<AgentCard['presence'], number> = { online: 0, idle: 1, offline: 2 };

/** Present agents first; within a presence by name, so rows do not jump around as agents poll. */
function byPresenceThenName(a: AgentCard, b: AgentCard): number {
  return (
    PRESENCE_RANK[a.presence] - PRESENCE_RANK[b.presence] ||
    a.name.localeCompare(b.name) ||
    a.agentId.localeCompare(b.agentId)
  );
}

export function agentCard(a: AgentView): AgentCard {
  return {
    agentId: a.agentId,
    name: a.name,
    harness: a.harness,
    presence: a.presence,
    lastSeenAt: a.lastSeenAt,
    lastAction: { action: a.lastAction.action, at: a.lastAction.at, detail: a.lastAction.detail },
    lease: a.lease ? { kind: a.lease.kind, sessionId: a.lease.sessionId } : null,
    sessions: a.sessions.slice(0, 5),
    interrupt: a.interrupt
      ? { reason: a.interrupt.reason, at: a.interrupt.at, delivered: a.interrupt.delivered }
      : null,
  };
}

export function questionCard(q: QuestionView, nameOf: ReadonlyMap<string, string>): QuestionCard {
  return {
    questionId: q.questionId,
    text: q.text,
    choices: q.choices,
    agentId: q.agentId,
    agentName: nameOf.get(q.agentId) ?? q.agentId,
    sessionId: q.sessionId,
    askedAt: q.askedAt,
  };
}

export function buildAgentsState(s: AgentsSnapshot): AgentsState {
  const nameOf = new Map(s.agents.map((a) => [a.agentId, a.name]));
  return {
    source: s.source,
    message: s.message,
    agents: s.agents.map(agentCard).sort(byPresenceThenName),
    questions: s.questions
      .filter((q) => q.state === 'pending')
      .sort((a, b) => a.askedAt.localeCompare(b.askedAt))
      .map((q) => questionCard(q, nameOf)),
  };
}

/** `Agent A asks: …` (with the session when the question names one): the notification's text. */
export function questionPrompt(q: QuestionCard): string {
  return `${q.agentName} asks${q.sessionId ? ` (session ${q.sessionId})` : ''}: ${q.text}`;
}
