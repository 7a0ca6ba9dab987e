// Messages between the Live Sessions view and the extension host. Both sides validate what they receive:
// the host treats the webview as untrusted input (it renders content from journals and source files), and
// the view ignores anything malformed rather than rendering it. No dependencies: this ships in the webview.

export type ViewRole = 'dormant' | 'starting' | 'leader' | 'follower' | 'waiting' | 'failed';

export interface OwedRow {
  kind: string;
  state: string;
  agentId: string | null;
}

export interface SessionCard {
  sessionId: string;
  phase: string;
  /** `cycling 2/3`, `cleanup owed`, … */
  label: string;
  file: string | null;
  /** 1-based line of the session's markers, when known. */
  line: number | null;
  variant: string | null;
  params: Record<string, string | number | boolean> | null;
  browserConnected: boolean;
  lastSeq: number;
  lastActivityAt: string | null;
  owed: OwedRow[];
  next: { action: string; title: string; reason: string; command: string | null; fix: string | null };
  /** Variants the user can accept now (the session awaits a choice); empty otherwise. */
  choices: string[];
  canDiscard: boolean;
  /** The git branch the session was started on (`detached at abc1234` for a detached HEAD); null: unknown. */
  branch: string | null;
}

export interface DiagnosticRow {
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  sessionId: string | null;
}

export interface ViewState {
  role: ViewRole;
  roleDetail: string;
  bridge: { running: boolean; url: string | null };
  appliedBy: string;
  current: string | null;
  sessions: SessionCard[];
  diagnostics: DiagnosticRow[];
}

export interface TimelineRow {
  seq: number;
  at: string;
  type: string;
  summary: string;
  problem: boolean;
}

export type Presence = 'online' | 'idle' | 'offline';

export interface AgentCard {
  agentId: string;
  name: string;
  harness: string;
  presence: Presence;
  lastSeenAt: string;
  lastAction: { action: string; at: string; detail: string | null };
  /** The work item the agent holds now. */
  lease: { kind: string; sessionId: string } | null;
  /** Sessions it touched, most recent first. */
  sessions: string[];
  interrupt: { reason: string; at: string; delivered: boolean } | null;
}

export interface QuestionCard {
  questionId: string;
  text: string;
  /** Null: free text. */
  choices: string[] | null;
  agentId: string;
  agentName: string;
  sessionId: string | null;
  askedAt: string;
}

export interface AgentsState {
  /** `live`: read from the bridge; `no_bridge`: none runs; `error`: the last read failed (`message`). */
  source: 'live' | 'no_bridge' | 'error';
  message: string | null;
  agents: AgentCard[];
  /** Pending questions, oldest first. */
  questions: QuestionCard[];
}

/** One line of an agent's log; `gap` marks lines the bridge could no longer deliver. */
export interface LogEntry {
  seq: number;
  at: string;
  text: string;
  gap: boolean;
}

export type LogStreamState = 'connecting' | 'live' | 'retrying' | 'stopped';

export type HostMessage =
  | { type: 'state'; state: ViewState }
  | { type: 'timeline'; sessionId: string; total: number; start: number; rows: TimelineRow[] }
  | { type: 'busy'; sessionId: string; busy: boolean }
  | { type: 'agents'; agents: AgentsState }
  /** `stream` echoes the view's followLog request, so lines of a stream it left are ignored. */
  | { type: 'log'; stream: number; entries: LogEntry[] }
  | { type: 'logState'; stream: number; state: LogStreamState; message: string | null };

export const VIEW_COMMANDS = [
  'startBridge',
  'openPreview',
  'showStatus',
  'copyInstructions',
  'resume',
] as const;
export type ViewCommand = (typeof VIEW_COMMANDS)[number];

export type ViewMessage =
  | { type: 'ready' }
  | { type: 'accept'; sessionId: string; variant: string }
  | { type: 'discard'; sessionId: string }
  | { type: 'open'; sessionId: string }
  | { type: 'openLocation'; file: string; line: number }
  | { type: 'fix'; sessionId: string }
  | { type: 'timeline'; sessionId: string; start: number; count: number }
  | { type: 'command'; command: ViewCommand }
  /** Show this agent's log (null: none); `stream` numbers the request. */
  | { type: 'followLog'; agentId: string | null; stream: number }
  | { type: 'interrupt'; agentId: string }
  | { type: 'answer'; questionId: string; value: string }
  | { type: 'resumeWork' };

/** Largest timeline page one request may ask for. */
export const MAX_TIMELINE_PAGE = 200;

/** Longest free-text answer (the bridge's limit). */
export const MAX_ANSWER_CHARS = 4000;

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const VARIANT_ID = /^[1-9][0-9]{0,2}$/;
/** Agent and question ids (docs/agents.md). */
const AGENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isAgentId(v: unknown): v is string {
  return typeof v === 'string' && AGENT_ID.test(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSessionId(v: unknown): v is string {
  return typeof v === 'string' && SESSION_ID.test(v);
}

function isIndex(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/** A message from the webview, or undefined when it is not one we understand (it is then ignored). */
export function parseViewMessage(raw: unknown): ViewMessage | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'accept':
      return isSessionId(raw.sessionId) && typeof raw.variant === 'string' && VARIANT_ID.test(raw.variant)
        ? { type: 'accept', sessionId: raw.sessionId, variant: raw.variant }
        : undefined;
    case 'discard':
    case 'open':
    case 'fix':
      return isSessionId(raw.sessionId) ? { type: raw.type, sessionId: raw.sessionId } : undefined;
    case 'openLocation':
      return typeof raw.file === 'string' &&
        raw.file.length > 0 &&
        raw.file.length <= 4096 &&
        isIndex(raw.line, 1e9)
        ? { type: 'openLocation', file: raw.file, line: raw.line }
        : undefined;
    case 'timeline':
      return isSessionId(raw.sessionId) && isIndex(raw.start, 1e9) && isIndex(raw.count, MAX_TIMELINE_PAGE)
        ? { type: 'timeline', sessionId: raw.sessionId, start: raw.start, count: raw.count }
        : undefined;
    case 'command':
      return (VIEW_COMMANDS as readonly unknown[]).includes(raw.command)
        ? { type: 'command', command: raw.command as ViewCommand }
        : undefined;
    case 'followLog':
      return (raw.agentId === null || isAgentId(raw.agentId)) && isIndex(raw.stream, 1e9)
        ? { type: 'followLog', agentId: raw.agentId, stream: raw.stream }
        : undefined;
    case 'interrupt':
      return isAgentId(raw.agentId) ? { type: 'interrupt', agentId: raw.agentId } : undefined;
    case 'answer':
      return isAgentId(raw.questionId) &&
        typeof raw.value === 'string' &&
        raw.value.trim().length > 0 &&
        raw.value.length <= MAX_ANSWER_CHARS
        ? { type: 'answer', questionId: raw.questionId, value: raw.value }
        : undefined;
    case 'resumeWork':
      return { type: 'resumeWork' };
    default:
      return undefined;
  }
}

/** A message from the host, checked at the top level (the host is trusted; this guards against mix-ups). */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isObject(raw)) return undefined;
  if (raw.type === 'state' && isObject(raw.state) && Array.isArray(raw.state.sessions)) {
    return raw as unknown as HostMessage;
  }
  if (
    raw.type === 'timeline' &&
    isSessionId(raw.sessionId) &&
    Array.isArray(raw.rows) &&
    isIndex(raw.start, 1e9)
  ) {
    return raw as unknown as HostMessage;
  }
  if (raw.type === 'busy' && isSessionId(raw.sessionId) && typeof raw.busy === 'boolean') {
    return raw as unknown as HostMessage;
  }
  if (
    raw.type === 'agents' &&
    isObject(raw.agents) &&
    Array.isArray(raw.agents.agents) &&
    Array.isArray(raw.agents.questions)
  ) {
    return raw as unknown as HostMessage;
  }
  if (raw.type === 'log' && isIndex(raw.stream, 1e9) && Array.isArray(raw.entries)) {
    return raw as unknown as HostMessage;
  }
  if (raw.type === 'logState' && isIndex(raw.stream, 1e9) && typeof raw.state === 'string') {
    return raw as unknown as HostMessage;
  }
  return undefined;
}
