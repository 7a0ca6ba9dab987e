// computeStatus: journal sessions + owed work + source markers in, the status report out. Pure: no I/O,
// the clock and the browser/agent presence come in as data, so the same inputs give the same report.

import type { OwedItem } from '../queue/types';
import type { StatusEnv } from './env';
import { indexSource } from './evidence';
import { type SessionOutcome, sessionStatus } from './sessionAction';
import { type SourceSessionOutcome, safeCall, sourceSessions } from './sourceSessions';
import type {
  CompletedSessionStatus,
  NextAction,
  StatusDiagnostic,
  StatusEffect,
  StatusInputs,
  StatusReport,
} from './types';

function noActiveSession(diagnostics: StatusDiagnostic[]): NextAction {
  return {
    action: 'no_active_session',
    reason: 'No live variant session is active and no markers in source need work.',
    sessionId: null,
    phase: null,
    file: null,
    variant: null,
    paramValues: null,
    lease: null,
    branch: null,
    diagnostics,
  };
}

/** Most urgent first; ties go to the most recent activity, then the session id (stable output). */
function bySessionUrgency(a: SessionOutcome, b: SessionOutcome): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  const recency = cmp(b.status.lastActivityAt ?? '', a.status.lastActivityAt ?? '');
  if (recency !== 0) return recency;
  return cmp(a.status.sessionId, b.status.sessionId);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Report-wide findings first, then by file and line; otherwise in the order sessions were listed. */
function byPlace(diagnostics: StatusDiagnostic[]): StatusDiagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => cmp(a.d.file ?? '', b.d.file ?? '') || (a.d.line ?? 0) - (b.d.line ?? 0) || a.i - b.i)
    .map((e) => e.d);
}

function dedupe(diagnostics: StatusDiagnostic[]): StatusDiagnostic[] {
  const seen = new Set<string>();
  const out: StatusDiagnostic[] = [];
  for (const d of diagnostics) {
    // The session id is left out: a file diagnostic repeated on the session it concerns is one finding.
    const key = JSON.stringify([d.code, d.message, d.file ?? null, d.line ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function topAction(
  active: SessionOutcome[],
  source: SourceSessionOutcome[],
  global: StatusDiagnostic[],
): NextAction {
  const session = active[0];
  const candidate = source.filter((s) => s.eligible).sort((a, b) => a.rank - b.rank)[0];
  // On equal rank a journal session wins: its state is richer than markers alone.
  const chosen =
    session !== undefined && (candidate === undefined || session.rank <= candidate.rank)
      ? session.status.nextAction
      : candidate?.status.nextAction;
  if (chosen === undefined) return noActiveSession(global);
  // Report-wide findings (bridge down, unreadable files) matter to whoever acts next.
  return { ...chosen, diagnostics: dedupe([...chosen.diagnostics, ...global]) };
}

export function computeStatus(inputs: StatusInputs): StatusReport {
  const index = indexSource(inputs.files, inputs.root);
  const owedBySession = new Map<string, OwedItem[]>();
  for (const o of inputs.owed) {
    const list = owedBySession.get(o.item.sessionId);
    if (list === undefined) owedBySession.set(o.item.sessionId, [o]);
    else list.push(o);
  }
  const env: StatusEnv = {
    index,
    clock: { now: inputs.now, queueNow: inputs.queueClockNow ?? inputs.now.getTime() },
    owedBySession,
    browserConnected: (sid) => safeCall(inputs.browserConnected, sid),
    lastActivity: inputs.lastActivity ?? {},
    root: inputs.root,
    currentBranch: inputs.currentBranch ?? null,
    artifacts: inputs.artifacts ?? {},
  };

  const only = inputs.sessionId;
  const kept = (sid: string | undefined) => only === undefined || sid === undefined || sid === only;
  const completed: CompletedSessionStatus[] = [...(inputs.completed ?? [])];
  const active: SessionOutcome[] = [];
  const known = new Set<string>();
  for (const view of inputs.sessions) {
    if (known.has(view.sessionId)) continue;
    known.add(view.sessionId);
    if (view.phase === 'complete') {
      completed.push({
        sessionId: view.sessionId,
        outcome: view.context.outcome,
        completedAt: inputs.lastActivity?.[view.sessionId] ?? null,
      });
      continue;
    }
    if (kept(view.sessionId)) active.push(sessionStatus(view, env));
  }
  active.sort(bySessionUrgency);
  const completedIds = new Set(completed.map((c) => c.sessionId));
  const found = sourceSessions(index, known, completedIds, env.browserConnected);
  const source = {
    outcomes: found.outcomes.filter((o) => kept(o.status.sessionId)),
    diagnostics: found.diagnostics,
  };

  const global = [...(inputs.findings ?? []), ...index.fileDiagnostics, ...source.diagnostics].filter((d) =>
    kept(d.sessionId),
  );
  if (!inputs.bridge.running && (active.length > 0 || source.outcomes.length > 0)) {
    global.push({
      code: 'bridge_not_running',
      message:
        'The bridge is not running, so no browser events or leases flow: start it (VS Code "Live Variants: Start Bridge", or live-variants serve)',
    });
  }
  const effects: StatusEffect[] = [
    ...active.flatMap((a) => a.effects),
    ...source.outcomes.flatMap((s) => s.effects),
  ];
  const all = byPlace(
    dedupe([
      ...active.flatMap((a) => a.status.diagnostics),
      ...source.outcomes.flatMap((s) => s.status.diagnostics),
      ...[...index.problemDiagnostics.values()].flat().filter((d) => kept(d.sessionId)),
      ...global,
    ]),
  );

  return {
    v: 1,
    generatedAt: inputs.now.toISOString(),
    bridge: { running: inputs.bridge.running, url: inputs.bridge.url, agentsOnline: inputs.agentsOnline },
    nextAction: topAction(active, source.outcomes, dedupe(global)),
    sessions: active.map((a) => a.status),
    sourceSessions: source.outcomes.map((s) => s.status),
    completed: inputs.includeCompleted
      ? completed
          .filter((c) => kept(c.sessionId))
          .sort((a, b) => cmp(b.completedAt ?? '', a.completedAt ?? '') || cmp(a.sessionId, b.sessionId))
      : [],
    diagnostics: all,
    effects,
  };
}
