// One journal session's status: what it owes, what the source shows for it, and the action that follows
// (decided in phaseAction.ts).

import type { SessionView } from '../engine/view';
import { type BranchDiagnostic, describeBranchPoint } from '../git/branchDiagnostic';
import { checkBranch } from './branch';
import { commands } from './commands';
import { RANK, type StatusEnv } from './env';
import { hasMarkers, normalizePath, unreadableDiagnostic } from './evidence';
import { owedStatuses } from './owed';
import { actionFor, type Facts } from './phaseAction';
import type { SessionStatus, StatusDiagnostic, StatusEffect } from './types';

/** Fold diagnostics worth an agent's attention (stale checkpoints and duplicates are routine). */
const SHOWN_FOLD_CODES = new Set(['rejected_transition', 'unreadable_event']);
const SHOWN_FOLD_MAX = 3;

function switchBackReason(sid: string, d: BranchDiagnostic): string {
  return (
    `Session ${sid} was created on ${describeBranchPoint(d.expected)}, but the workspace is now on ` +
    `${describeBranchPoint(d.current)}: switch back with \`${d.suggestedAction}\`, then run \`${commands.status()}\` again. ` +
    'Until then do not write, accept or clean up anything for this session; its markers may be missing here only ' +
    'because this branch never had them, so nothing is treated as complete.'
  );
}

export interface SessionOutcome {
  status: SessionStatus;
  rank: number;
  effects: StatusEffect[];
}

/** The session's file and what its markers there say; diagnostics about where they are go to `diagnostics`. */
function sourceFacts(view: SessionView, env: StatusEnv, diagnostics: StatusDiagnostic[]) {
  const sid = view.sessionId;
  const ctx = view.context;
  const evidence = env.index.bySession.get(sid) ?? [];
  const withMarkers = evidence.filter(hasMarkers);
  const named = ctx.file !== null ? normalizePath(ctx.file, env.root) : null;
  const primary = withMarkers.find((e) => e.path === named) ?? withMarkers[0];
  const hint = ctx.fileHint !== null ? normalizePath(ctx.fileHint, env.root) : null;
  const file = primary?.path ?? named ?? hint;
  if (withMarkers.length > 1) {
    diagnostics.push({
      code: 'markers_in_several_files',
      message: `Session ${sid} has markers in ${withMarkers.length} files (${withMarkers.map((e) => e.path).join(', ')}); status uses ${primary.path}`,
      sessionId: sid,
    });
  }
  if (named !== null && primary !== undefined && primary.path !== named) {
    diagnostics.push({
      code: 'markers_outside_session_file',
      message: `The journal names ${named} for session ${sid}, but its markers are in ${primary.path}`,
      sessionId: sid,
      file: primary.path,
    });
  }
  const entry = file !== null ? env.index.files.get(file) : undefined;
  if (entry?.file.error !== undefined && file !== null) {
    diagnostics.push({ ...unreadableDiagnostic(file, entry.file.error), sessionId: sid });
  }
  diagnostics.push(...(env.index.problemDiagnostics.get(sid) ?? []));
  const carbon = primary?.carbonize[0];
  const comment = carbon?.paramValues ?? primary?.paramValues[0];
  return {
    file,
    entry,
    evidence,
    block: primary?.blocks[0],
    carbon,
    paramValues: comment?.values ?? null,
  };
}

export function sessionStatus(view: SessionView, env: StatusEnv): SessionOutcome {
  const sid = view.sessionId;
  const ctx = view.context;
  const diagnostics: StatusDiagnostic[] = [];
  const { owed, diagnostics: owedDiags } = owedStatuses(view, env.owedBySession.get(sid) ?? [], env.clock);
  const source = sourceFacts(view, env, diagnostics);
  diagnostics.push(...owedDiags);
  const stranded = view.phase === 'stranded';
  if (stranded) {
    diagnostics.push({
      code: 'session_stranded',
      message: `Session ${sid} is stranded (${ctx.strandReason ?? 'interrupted'}) in ${ctx.strandedFrom ?? 'an unknown phase'}; resume it to continue`,
      sessionId: sid,
    });
  }
  if (view.phase === 'failed' && ctx.failure !== null) {
    diagnostics.push({
      code: 'session_failed',
      message: `The agent reported an error: ${ctx.failure}`,
      sessionId: sid,
    });
  }
  const shownFold = view.diagnostics.filter((d) => SHOWN_FOLD_CODES.has(d.code)).slice(-SHOWN_FOLD_MAX);
  for (const d of shownFold)
    diagnostics.push({ code: d.code, message: `Journal record ${d.seq}: ${d.message}`, sessionId: sid });
  const branch = view.branch === null ? null : { branch: view.branch.branch, head: view.branch.head };
  const onBranch = checkBranch(sid, branch, env.currentBranch);
  if (onBranch.diagnostic !== null) diagnostics.push(onBranch.diagnostic);
  const stored = env.artifacts[sid];
  if (stored !== undefined) diagnostics.push(...stored.diagnostics);

  const facts: Facts = {
    view,
    sid,
    phase: stranded ? (ctx.strandedFrom ?? 'stranded') : view.phase,
    owed,
    browser: env.browserConnected(sid),
    holdCompletion: onBranch.holdCompletion,
    ...source,
  };
  const effects: StatusEffect[] = [];
  const draft = actionFor(facts, effects);
  let { command, reason, rank } = draft;
  if (onBranch.diagnostic !== null) {
    // The action keeps the kind the journal calls for, but nothing may happen before the switch back.
    command = onBranch.diagnostic.suggestedAction;
    reason = switchBackReason(sid, onBranch.diagnostic);
    rank = RANK.branch;
  } else if (stranded && draft.action !== 'acknowledge_completion') {
    command = commands.resume(sid);
    reason = `Session ${sid} is stranded (${ctx.strandReason ?? 'interrupted'}): resume it first. ${reason}`;
  }
  const file = draft.file !== undefined ? draft.file : source.file;
  const shownVariant = ctx.acceptedVariant ?? ctx.visibleVariant;
  const shownParams = ctx.acceptedParams ?? (ctx.visibleVariant !== null ? ctx.params : null);
  const lease = owed.find((o) => o.lease !== null)?.lease ?? null;
  const lastActivityAt = env.lastActivity[sid] ?? latest(owed.map((o) => o.arrivedAt));
  return {
    rank,
    effects,
    status: {
      sessionId: sid,
      phase: view.phase,
      strandedFrom: ctx.strandedFrom,
      file: source.file,
      variant: shownVariant,
      paramValues: shownParams,
      lease,
      branch,
      diagnostics,
      artifacts: stored?.artifacts ?? [],
      count: ctx.count,
      variantsFound: source.block?.foundCount ?? null,
      browserConnected: facts.browser,
      lastSeq: view.lastSeq,
      lastActivityAt,
      owed,
      nextAction: {
        action: draft.action,
        reason,
        sessionId: sid,
        phase: view.phase,
        file,
        variant: draft.variant ?? null,
        paramValues: draft.paramValues ?? null,
        lease: draft.lease ?? null,
        branch,
        diagnostics,
        ...(command !== undefined ? { command } : {}),
      },
    },
  };
}

function latest(times: (string | null)[]): string | null {
  let best: string | null = null;
  for (const t of times) if (t !== null && (best === null || t > best)) best = t;
  return best;
}
