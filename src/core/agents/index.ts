// Agents: identity, presence, log streams, questions, interrupts (docs/agents.md). Plain Node, no vscode.
export {
  AGENTS_DIR,
  type AgentIdentity,
  agentIdForKey,
  detectHarness,
  type Env,
  linuxProcessStartTime,
  type MintedAgent,
  type MintOptions,
  mintAgentId,
  resolveAgentIdentity,
  type TerminalKey,
  type TerminalKeyOptions,
  terminalKey,
} from './agentIdentity';
export type { OwedLease } from './contact';
export { AGENT_ID_PATTERN, isAgentId, QUESTION_ID_PATTERN, validateAgentId, validateQuestionId } from './ids';
export {
  DEFAULT_INTERRUPT_REASON,
  type HeartbeatResult,
  heartbeat,
  type InterruptResult,
  type InterruptSource,
  interruptAgent,
  type Revoker,
} from './interrupt';
export {
  AgentLogs,
  type AgentLogsOptions,
  type AppendResult as LogAppendResult,
  type LogGap,
  type LogLine,
  type LogRead,
  type LogSubscription,
  type SubscribeOptions,
} from './logStreams';
export {
  DEFAULT_PRESENCE,
  nextPresenceChangeAt,
  type Presence,
  type PresenceThresholds,
  presenceAt,
} from './presence';
export {
  type AskOptions,
  QUESTIONS_SESSION_ID,
  type QuestionEvent,
  type QuestionFilter,
  type QuestionJournal,
  QuestionStore,
  type QuestionStoreDiagnostic,
  type QuestionStoreOptions,
} from './questionStore';
export {
  ANSWER_SOURCES,
  type AnswerResult,
  type AnswerSource,
  type AskInput,
  type AskOutcome,
  deriveQuestionId,
  QUESTION_LIMITS,
  type QuestionView,
  type StoredAnswer,
} from './questionTypes';
export { AgentRegistry, type AgentRegistryOptions } from './registry';
export { parseRegistry, REGISTRY_FILE_VERSION, serializeRegistry } from './registryFile';
export { sanitizeLogLine, splitLogText, truncationMark } from './sanitize';
export type * from './types';
export { CONTACT_ACTIONS } from './types';
