// Words for sessions, shared by the status bar, the Live Sessions view and the notifications. Pure: no
// `vscode` import, so the wording is unit-tested.
import type { NextActionKind, SessionStatus, StatusReport } from '../core/status';

/** Codicon per phase (status bar `$(name)` syntax). */
export const PHASE_ICON: Readonly<Record<string, string>> = {
  configuring: 'gear',
  generating: 'sync~spin',
  source_wrapped: 'sync~spin',
  variants_written: 'eye',
  cycling: 'eye',
  accept_pending: 'check',
  discard_pending: 'discard',
  accepted_source_pending: 'tools',
  stranded: 'debug-disconnect',
  failed: 'error',
  complete: 'pass',
};

/** Variants requested, else found in source; null when neither is known. */
export function variantTotal(s: Pick<SessionStatus, 'count' | 'variantsFound'>): number | null {
  return s.count ?? s.variantsFound ?? null;
}

/** `cycling 2/3`, `accept pending`, `cleanup owed`, … (the phase a stranded session left is named). */
export function phaseLabel(
  s: Pick<SessionStatus, 'phase' | 'variant' | 'count' | 'variantsFound' | 'strandedFrom'>,
): string {
  const total = variantTotal(s);
  switch (s.phase) {
    case 'configuring':
      return 'configuring';
    case 'generating':
      return total ? `generating ${total} variants` : 'generating';
    case 'source_wrapped':
      return 'writing variants';
    case 'variants_written':
      return total ? `${total} variants ready` : 'variants ready';
    case 'cycling':
      return s.variant && total
        ? `cycling ${s.variant}/${total}`
        : s.variant
          ? `cycling ${s.variant}`
          : 'cycling';
    case 'accept_pending':
      return 'accept pending';
    case 'discard_pending':
      return 'discard pending';
    case 'accepted_source_pending':
      return 'cleanup owed';
    case 'stranded':
      return s.strandedFrom ? `stranded (${s.strandedFrom.replace(/_/g, ' ')})` : 'stranded';
    case 'failed':
      return 'failed';
    case 'complete':
      return 'complete';
    default:
      return s.phase.replace(/_/g, ' ');
  }
}

export const ACTION_TITLE: Readonly<Record<NextActionKind, string>> = {
  poll_for_pending_event: 'Work is queued for an agent',
  write_variants: 'An agent should write the variants',
  continue_writing_variants: 'An agent should finish writing the variants',
  run_accept_cleanup: 'Apply the accepted variant',
  run_carbonize_cleanup: 'Finish the accepted variant (carbonize cleanup)',
  acknowledge_completion: 'The session is complete',
  persist_fallback_to_true_source: 'Persist the result in the true source (the file is generated)',
  restore_discard: 'Restore the original source',
  ask_user_to_reopen_browser: 'Reopen the preview to choose a variant',
  no_active_session: 'No live session',
};

export function actionTitle(action: string): string {
  return (ACTION_TITLE as Record<string, string>)[action] ?? action.replace(/_/g, ' ');
}

/** The session the surface is about: the one the report's next action names, else the most recently active. */
export function currentSession(report: StatusReport | undefined): SessionStatus | undefined {
  if (!report || report.sessions.length === 0) return undefined;
  const named = report.sessions.find((s) => s.sessionId === report.nextAction.sessionId);
  if (named) return named;
  return [...report.sessions].sort((a, b) =>
    (b.lastActivityAt ?? '').localeCompare(a.lastActivityAt ?? ''),
  )[0];
}

/** Work is owed and nobody is doing it: queued but not leased, or the session is stranded or failed. */
export function workOwedUnattended(s: SessionStatus, agentsOnline: number): boolean {
  if (s.phase === 'stranded' || s.phase === 'failed') return true;
  const ready = s.owed.some((o) => o.state === 'ready');
  return ready && agentsOnline === 0;
}
