// The agents registry's data (docs/agents.md "Presence and the registry"). Views are JSON: they are served by `GET /v1/agents`,
// shown by the VS Code view and the browser, so field names are a contract.
import type { Presence } from './presence';

/** What an agent did when it last reached the bridge. `status`, `resume`, `complete` and `command` cover CLI calls that are not work. */
export const CONTACT_ACTIONS = [
  'poll',
  'ack',
  'extend',
  'heartbeat',
  'log',
  'ask',
  'status',
  'resume',
  'complete',
  'command',
] as const;
export type ContactAction = (typeof CONTACT_ACTIONS)[number];

export interface AgentLease {
  leaseId: string;
  itemId: string;
  sessionId: string;
  kind: string;
}

export interface AgentContact {
  action: ContactAction;
  /** Display name (default: the agent id). Kept until a later contact names another. */
  name?: string;
  /** The harness driving the agent (`claude-code`, `codex`, `cursor`, `cli`…; default `unknown`). */
  harness?: string;
  /** A session the contact was about; joins the agent's `sessions` (most recent first). */
  sessionId?: string;
  /** The lease the agent holds from now on; `null` when it gave it up (ack); omitted: unchanged. */
  lease?: AgentLease | null;
  /** A short note for the view ("leased generate of a1b2c3d4"). */
  detail?: string;
}

export interface AgentInterrupt {
  reason: string;
  at: number;
  /** Leases the interrupt revoked. */
  revoked: number;
  /** True once the agent was told (its poll or heartbeat took the notice). */
  delivered: boolean;
}

/** One agent as kept in memory (times in epoch milliseconds). */
export interface AgentRecord {
  agentId: string;
  name: string;
  harness: string;
  firstSeenAt: number;
  lastSeenAt: number;
  lastAction: { action: ContactAction; at: number; detail: string | null };
  lease: AgentLease | null;
  /** Session ids the agent touched, most recent first (capped). */
  sessions: string[];
  interrupt: AgentInterrupt | null;
}

/** One agent as served (times ISO 8601). */
export interface AgentView {
  agentId: string;
  name: string;
  harness: string;
  presence: Presence;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Milliseconds since the last contact. */
  quietMs: number;
  lastAction: { action: ContactAction; at: string; detail: string | null };
  lease: AgentLease | null;
  sessions: string[];
  interrupt: { reason: string; at: string; revoked: number; delivered: boolean } | null;
}

/** Told to `onChange` listeners. `contact`: the agent reached the bridge; `presence`: time moved it on. */
export interface AgentEvent {
  agentId: string;
  kind: 'contact' | 'presence' | 'interrupt' | 'removed';
  presence: Presence;
  previous?: Presence;
}

/** Timer functions (injected so tests drive time); handles are opaque. */
export interface RegistryTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RegistryDiagnostic {
  code: 'agents_file_unreadable' | 'agents_file_entry_skipped' | 'agents_file_write_failed';
  message: string;
}
