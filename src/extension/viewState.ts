// The Live Sessions view's state, built from the status report. Pure: the view renders exactly this.
import type { SessionCard, ViewRole, ViewState } from '../../webview-ui/protocol';
import type { SessionStatus, StatusReport } from '../core/status';
import { fixesFor } from './nextActionFix';
import { actionTitle, currentSession, phaseLabel } from './sessionLabels';

export interface ViewStateInput {
  role: ViewRole;
  roleDetail: string;
  bridgeUrl: string | null;
  appliedBy: 'extension' | 'agent' | 'remote';
  report: StatusReport | undefined;
  /** Line of a session's markers from the editor's scans, when known. */
  lineOf(sessionId: string): number | null;
}

const CHOOSING = new Set(['variants_written', 'cycling']);
const DISCARDABLE = new Set([
  'configuring',
  'generating',
  'source_wrapped',
  'variants_written',
  'cycling',
  'failed',
]);

function effectivePhase(s: SessionStatus): string {
  return s.phase === 'stranded' && s.strandedFrom ? s.strandedFrom : s.phase;
}

/**
 * The branch a session was started on, for display: its name, `detached at <commit>` for a detached HEAD,
 * null when unknown. Read structurally: the status field is `{name, head}` or `{branch, head}` depending on
 * the bridge's version.
 */
export function branchLabel(branch: unknown): string | null {
  if (typeof branch !== 'object' || branch === null) return null;
  const b = branch as Record<string, unknown>;
  const name = typeof b.branch === 'string' ? b.branch : typeof b.name === 'string' ? b.name : null;
  if (name) return name.replace(/^refs\/heads\//, '');
  return typeof b.head === 'string' && b.head.length > 0 ? `detached at ${b.head.slice(0, 7)}` : null;
}

function choicesOf(s: SessionStatus): string[] {
  if (!CHOOSING.has(effectivePhase(s))) return [];
  const n = s.variantsFound ?? s.count ?? 0;
  return Array.from({ length: Math.min(n, 99) }, (_, i) => String(i + 1));
}

export function sessionCard(
  s: SessionStatus,
  input: Pick<ViewStateInput, 'appliedBy' | 'lineOf'>,
): SessionCard {
  const fix = fixesFor(s.nextAction, s, { appliedBy: input.appliedBy })[0];
  return {
    sessionId: s.sessionId,
    phase: s.phase,
    label: phaseLabel(s),
    file: s.file,
    line: input.lineOf(s.sessionId),
    variant: s.variant,
    params: s.paramValues,
    browserConnected: s.browserConnected,
    lastSeq: s.lastSeq,
    lastActivityAt: s.lastActivityAt,
    owed: s.owed.map((o) => ({ kind: o.kind, state: o.state, agentId: o.lease?.agentId ?? null })),
    next: {
      action: s.nextAction.action,
      title: actionTitle(s.nextAction.action),
      reason: s.nextAction.reason,
      command: s.nextAction.command ?? null,
      fix: fix?.label ?? null,
    },
    choices: choicesOf(s),
    canDiscard: DISCARDABLE.has(effectivePhase(s)),
    branch: branchLabel(s.branch),
  };
}

export function buildViewState(input: ViewStateInput): ViewState {
  const report = input.report;
  return {
    role: input.role,
    roleDetail: input.roleDetail,
    bridge: { running: input.bridgeUrl !== null, url: input.bridgeUrl },
    appliedBy: input.appliedBy,
    current: currentSession(report)?.sessionId ?? null,
    sessions: (report?.sessions ?? []).map((s) => sessionCard(s, input)),
    diagnostics: (report?.diagnostics ?? []).map((d) => ({
      code: d.code,
      message: d.message,
      file: d.file ?? null,
      line: d.line ?? null,
      sessionId: d.sessionId ?? null,
    })),
  };
}
