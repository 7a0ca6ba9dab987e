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

export type HostMessage =
  | { type: 'state'; state: ViewState }
  | { type: 'timeline'; sessionId: string; total: number; start: number; rows: TimelineRow[] }
  | { type: 'busy'; sessionId: string; busy: boolean };

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
  | { type: 'command'; command: ViewCommand };

/** Largest timeline page one request may ask for. */
export const MAX_TIMELINE_PAGE = 200;

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const VARIANT_ID = /^[1-9][0-9]{0,2}$/;

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
  return undefined;
}
