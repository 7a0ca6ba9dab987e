// The action a journal session's phase calls for, given what its journal owes and what its source shows.
// Source markers are truth: a decided session whose file holds none of its markers is complete (a synthetic
// completion the caller records), and markers in a generated file always mean "persist to the true source".
// The exception is a workspace on another branch than the session's: there, missing markers prove nothing.

import type { SessionView } from '../engine/view';
import type { CarbonizeBlock, VariantBlock } from '../markers/types';
import { completionFindings } from '../rewrite/completion';
import { commands } from './commands';
import { type ActionDraft, plural, RANK } from './env';
import { blockingProblems, type FileEvidence, hasMarkers, type ReadFile } from './evidence';
import type { LeaseInfo, OwedStatus, ParamValues, StatusEffect } from './types';

/** Everything one session's action depends on. */
export interface Facts {
  view: SessionView;
  sid: string;
  /** The phase the action follows: a stranded session's is the one it left (it resumes there). */
  phase: string;
  /** Workspace-relative: where the session's markers are, else the file the journal names or hints. */
  file: string | null;
  entry: ReadFile | undefined;
  evidence: FileEvidence[];
  block: VariantBlock | undefined;
  carbon: CarbonizeBlock | undefined;
  paramValues: ParamValues | null;
  owed: OwedStatus[];
  browser: boolean;
  /** The workspace left the session's branch (or it cannot be read): missing markers prove nothing. */
  holdCompletion: boolean;
}

function where(file: string | null): string {
  return file ?? 'source (no file is known yet)';
}

/** The lease, the command and a note for the work item an action is about. */
function workStep(
  item: OwedStatus | undefined,
  whenLeased: (lease: LeaseInfo) => string,
  otherwise: string,
): { lease: LeaseInfo | null; command: string; note: string } {
  if (item?.lease) {
    const by = item.lease.agentId !== undefined ? ` to ${item.lease.agentId}` : '';
    return {
      lease: item.lease,
      command: whenLeased(item.lease),
      note: ` The ${item.kind} work is leased${by} until ${item.lease.leaseUntil}.`,
    };
  }
  if (item)
    return {
      lease: null,
      command: commands.poll(),
      note: ` Poll to lease the queued ${item.kind} work first.`,
    };
  return { lease: null, command: otherwise, note: '' };
}

function firstOwed(f: Facts, ...kinds: string[]): OwedStatus | undefined {
  for (const k of kinds) {
    const item = f.owed.find((o) => o.kind === k);
    if (item) return item;
  }
  return undefined;
}

/** True when the source proves the session clean, false when it shows leftovers, null when it cannot tell. */
function sourceIsClean(f: Facts): boolean | null {
  if (f.evidence.some(hasMarkers)) return false;
  const text = f.entry?.file.text;
  if (f.file === null || f.entry === undefined || f.entry.file.error !== undefined || text === undefined)
    return null;
  const ctx = f.view.context;
  const knobIds = [...Object.keys(ctx.acceptedParams ?? {}), ...Object.keys(ctx.params)];
  try {
    return completionFindings(text, f.sid, { path: f.file, knobIds }).length === 0;
  } catch {
    return null;
  }
}

function isGeneratedFile(entry: ReadFile | undefined): boolean {
  return entry !== undefined && (entry.file.generated || entry.scan?.generated === true);
}

function persistFallback(f: Facts, file: string, reason: string): ActionDraft {
  const ctx = f.view.context;
  return {
    action: 'persist_fallback_to_true_source',
    rank: RANK.persist,
    file,
    variant: ctx.acceptedVariant,
    paramValues: ctx.acceptedParams,
    reason,
  };
}

function decided(f: Facts, effects: StatusEffect[]): ActionDraft {
  const ctx = f.view.context;
  const clean = f.holdCompletion ? null : sourceIsClean(f);
  const discard = f.phase === 'discard_pending';
  if (clean === true && (discard || !isGeneratedFile(f.entry))) {
    const stranded = f.view.phase === 'stranded';
    effects.push({
      type: 'record_synthetic_completion',
      sessionId: f.sid,
      eventId: `synthetic-complete:${f.sid}`,
      resumeFirst: stranded,
      resumeEventId: stranded ? `synthetic-resume:${f.sid}:${f.view.lastSeq}` : null,
    });
    return {
      action: 'acknowledge_completion',
      rank: RANK.acknowledge,
      variant: discard ? null : ctx.acceptedVariant,
      paramValues: discard ? null : ctx.acceptedParams,
      command: commands.status(),
      reason: `The cleanup is already done: ${f.file} holds no markers of session ${f.sid}. The completion is recorded from the source (synthetic).`,
    };
  }
  if (clean === true && f.file !== null) {
    return persistFallback(
      f,
      f.file,
      `${f.file} is generated and no markers of session ${f.sid} remain there: make sure variant ${ctx.acceptedVariant} is in the true source.`,
    );
  }
  const malformed =
    blockingProblems(f.evidence).length > 0
      ? ' The markers are malformed; fix them by hand first (see diagnostics).'
      : '';
  if (discard) {
    const step = workStep(
      firstOwed(f, 'discard'),
      (l) => commands.ackDiscarded(l.leaseId),
      commands.complete(f.sid),
    );
    return {
      action: 'restore_discard',
      rank: RANK.decision,
      lease: step.lease,
      command: step.command,
      reason: `The user discarded the variants: restore the original content in ${where(f.file)} and remove the markers.${malformed}${step.note}`,
    };
  }
  if (f.phase === 'accepted_source_pending' || (f.carbon !== undefined && f.block === undefined)) {
    const step = workStep(
      firstOwed(f, 'carbonize_cleanup', 'accept'),
      (l) => commands.ackComplete(l.leaseId),
      commands.complete(f.sid),
    );
    const key = f.carbon?.accepted?.key;
    const variant = ctx.acceptedVariant ?? (key !== undefined ? String(key) : null);
    return {
      action: 'run_carbonize_cleanup',
      rank: RANK.carbonize,
      variant,
      paramValues: f.paramValues ?? ctx.acceptedParams,
      lease: step.lease,
      command: step.command,
      reason: `Variant ${variant ?? '?'} is kept in ${where(f.file)} but its carbonize markers remain: bake the param values into permanent CSS and remove the markers.${malformed}${step.note}`,
    };
  }
  const step = workStep(
    firstOwed(f, 'accept'),
    (l) => commands.ackComplete(l.leaseId),
    commands.complete(f.sid),
  );
  return {
    action: 'run_accept_cleanup',
    rank: RANK.decision,
    variant: ctx.acceptedVariant,
    paramValues: ctx.acceptedParams,
    lease: step.lease,
    command: step.command,
    reason: `The user accepted variant ${ctx.acceptedVariant} in ${where(f.file)}: keep it with its param values and remove the other variants and the markers.${malformed}${step.note}`,
  };
}

function generating(f: Facts): ActionDraft {
  const ctx = f.view.context;
  const gen = firstOwed(f, 'generate');
  const b = f.block;
  const declared = b?.declaredCount ?? ctx.count;
  if (b === undefined && gen?.state === 'ready') {
    const hint = ctx.fileHint !== null ? ` (the page suggests ${ctx.fileHint})` : '';
    return {
      action: 'poll_for_pending_event',
      rank: RANK.write,
      command: commands.poll(),
      reason: `A generate event waits in the queue: ${plural(ctx.count ?? 1, 'variant')} requested${hint}. Poll to lease it.`,
    };
  }
  const step = workStep(gen, (l) => commands.ackDone(l.leaseId, f.file, declared), commands.resume(f.sid));
  const lost =
    gen === undefined ? ' No generate work is owed any more; resume the session to owe it again.' : '';
  if (b === undefined) {
    return {
      action: 'write_variants',
      rank: RANK.write,
      lease: step.lease,
      command: step.command,
      reason: `No wrapper for session ${f.sid} is in source yet: wrap the element and write ${plural(declared ?? 1, 'variant')}.${lost}${step.note}`,
    };
  }
  const found = b.foundCount;
  const shape = b.mode === 'insert' ? 'with no variants yet' : 'with the original only';
  let action: ActionDraft['action'] = 'continue_writing_variants';
  let reason: string;
  if (found === 0) {
    action = 'write_variants';
    reason = `The wrapper is in ${where(f.file)} ${shape}: write the ${plural(declared ?? 1, 'declared variant')}.`;
  } else if (declared !== null && found < declared) {
    reason = `Variants partly written in ${where(f.file)}: found ${found} of ${declared} declared.`;
  } else {
    reason = `All ${plural(found, 'variant')} are in ${where(f.file)}, but the generate work is not reported done.`;
  }
  return {
    action,
    rank: RANK.write,
    lease: step.lease,
    command: step.command,
    reason: reason + lost + step.note,
  };
}

function waitingForUser(f: Facts, what: string, person: string): ActionDraft {
  const ctx = f.view.context;
  const shown = { variant: ctx.visibleVariant, paramValues: ctx.visibleVariant !== null ? ctx.params : null };
  if (f.browser) {
    return {
      action: 'poll_for_pending_event',
      rank: RANK.waiting,
      command: commands.poll(),
      reason: what,
      ...shown,
    };
  }
  return { action: 'ask_user_to_reopen_browser', rank: RANK.reopen, reason: person, ...shown };
}

function choosing(f: Facts): ActionDraft {
  const ctx = f.view.context;
  const n = f.block?.foundCount ?? (ctx.variantsSeen > 0 ? ctx.variantsSeen : (ctx.count ?? 0));
  const showing = ctx.visibleVariant !== null ? ` (showing variant ${ctx.visibleVariant})` : '';
  return waitingForUser(
    f,
    `The user is choosing among ${plural(n, 'variant')} in the browser${showing}; poll for their accept or discard.`,
    `${plural(n, 'variant')} ${n === 1 ? 'is' : 'are'} in ${where(f.file)} but no browser page holds session ${f.sid}: ask the user to reopen the preview to choose one, or accept or discard it from VS Code.`,
  );
}

export function actionFor(f: Facts, effects: StatusEffect[]): ActionDraft {
  const ctx = f.view.context;
  const generated = f.evidence.find((e) => e.generated && hasMarkers(e));
  if (generated !== undefined) {
    return persistFallback(
      f,
      generated.path,
      `The markers of session ${f.sid} are in ${generated.path}, which is generated (${generated.generatedReason ?? 'generated'}): a rewrite there is lost on the next build, so make the change in the true source.`,
    );
  }
  switch (f.phase) {
    case 'accept_pending':
    case 'accepted_source_pending':
    case 'discard_pending':
      return decided(f, effects);
    case 'generating':
    case 'source_wrapped':
      return generating(f);
    case 'variants_written':
    case 'cycling':
      return choosing(f);
    case 'failed':
      return waitingForUser(
        f,
        `The agent's work failed (${ctx.failure ?? 'no message'}); poll for the user's retry or discard.`,
        `The agent's work failed (${ctx.failure ?? 'no message'}) and no browser page holds session ${f.sid}: ask the user to reopen the preview to retry or discard.`,
      );
    default:
      return waitingForUser(
        f,
        'The user is setting up the request in the browser; poll for it.',
        `No browser page holds session ${f.sid}, which has no request yet: ask the user to reopen the preview.`,
      );
  }
}
