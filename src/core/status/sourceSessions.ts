// Markers in source whose session id the journal does not know ("source sessions"): an agent wrote them in
// another tool, or the journal was lost. Well-formed ones outside generated files are adopted into the
// journal (an effect the caller records); every one gets the action its markers call for.

import { commands } from './commands';
import { plural, RANK } from './env';
import { blockingProblems, type FileEvidence, firstLine, hasMarkers, type SourceIndex } from './evidence';
import type { NextAction, SourceSessionStatus, StatusDiagnostic, StatusEffect } from './types';

export interface SourceSessionOutcome {
  status: SourceSessionStatus;
  rank: number;
  /** Malformed sessions do not compete for the top-level action; their diagnostics say what to fix. */
  eligible: boolean;
  effects: StatusEffect[];
}

type Draft = Pick<NextAction, 'action' | 'reason' | 'variant' | 'paramValues'> & {
  rank: number;
  command?: string;
};

function draftFor(sid: string, ev: FileEvidence, line: number, browser: boolean): Draft {
  const at = `${ev.path} (line ${line})`;
  const block = ev.blocks[0];
  const carbon = ev.carbonize[0];
  const key = carbon?.accepted?.key;
  const variant = key !== undefined ? String(key) : null;
  if (ev.generated) {
    return {
      action: 'persist_fallback_to_true_source',
      rank: RANK.persist,
      variant,
      paramValues: null,
      reason: `Markers of session ${sid} are in ${at}, which is generated (${ev.generatedReason ?? 'generated'}) and has no live session: make the change in the true source.`,
    };
  }
  if (block === undefined) {
    const comment = carbon?.paramValues ?? ev.paramValues[0];
    const paramValues = comment?.values ?? null;
    if (carbon !== undefined) {
      return {
        action: 'run_carbonize_cleanup',
        rank: RANK.carbonize,
        variant,
        paramValues,
        command: commands.complete(sid),
        reason: `Carbonize markers of session ${sid} are in ${at} with no live session: bake the param values into permanent CSS and remove the markers.`,
      };
    }
    return {
      action: 'run_carbonize_cleanup',
      rank: RANK.carbonize,
      variant: null,
      paramValues,
      reason: `A param-values comment of session ${sid} is left in ${at}: bake the values into permanent CSS and remove it.`,
    };
  }
  const found = block.foundCount;
  const declared = block.declaredCount;
  if (found === 0) {
    return {
      action: 'write_variants',
      rank: RANK.write,
      variant: null,
      paramValues: null,
      reason: `The wrapper of session ${sid} in ${at} has no variants and no live session: write the ${plural(declared ?? 1, 'declared variant')}, or remove the wrapper.`,
    };
  }
  if (declared !== null && found < declared) {
    return {
      action: 'continue_writing_variants',
      rank: RANK.write,
      variant: null,
      paramValues: null,
      reason: `Variants partly written in ${at} with no live session: found ${found} of ${declared} declared.`,
    };
  }
  const visible = block.visible !== null ? String(block.visible) : null;
  if (browser) {
    return {
      action: 'poll_for_pending_event',
      rank: RANK.waiting,
      variant: visible,
      paramValues: null,
      command: commands.poll(),
      reason: `A browser page shows the ${plural(found, 'variant')} of session ${sid} in ${at}; poll for the user's accept or discard.`,
    };
  }
  return {
    action: 'ask_user_to_reopen_browser',
    rank: RANK.reopen,
    variant: visible,
    paramValues: null,
    reason: `${plural(found, 'variant')} of session ${sid} ${found === 1 ? 'is' : 'are'} in ${at} with no live session: ask the user to reopen the preview to choose one, or accept or discard it from VS Code.`,
  };
}

function adoption(sid: string, ev: FileEvidence): StatusEffect | null {
  const block = ev.blocks[0];
  const carbon = ev.carbonize[0];
  if (block !== undefined && block.foundCount > 0) {
    return {
      type: 'adopt_source_session',
      sessionId: sid,
      eventId: `adopt-source:${sid}`,
      file: ev.path,
      count: block.foundCount,
      phase: 'variants_written',
    };
  }
  if (block === undefined && carbon !== undefined) {
    // How many variants there were is gone with the block; the accepted one's number is a lower bound.
    const key = carbon.accepted?.key;
    return {
      type: 'adopt_source_session',
      sessionId: sid,
      eventId: `adopt-source:${sid}`,
      file: ev.path,
      count: typeof key === 'number' ? key : 1,
      phase: 'accepted_source_pending',
    };
  }
  return null;
}

export function sourceSessions(
  index: SourceIndex,
  known: ReadonlySet<string>,
  completed: ReadonlySet<string>,
  browserConnected: (sessionId: string) => boolean,
): { outcomes: SourceSessionOutcome[]; diagnostics: StatusDiagnostic[] } {
  const outcomes: SourceSessionOutcome[] = [];
  const diagnostics: StatusDiagnostic[] = [];
  for (const [sid, evidence] of index.bySession) {
    if (known.has(sid)) continue;
    const withMarkers = evidence.filter(hasMarkers);
    const primary = withMarkers[0];
    if (primary === undefined) continue;
    const line = firstLine(primary) ?? 1;
    if (completed.has(sid)) {
      diagnostics.push({
        code: 'markers_of_completed_session',
        message: `Session ${sid} is complete, but its markers remain in ${primary.path}; remove them by hand`,
        sessionId: sid,
        file: primary.path,
        line,
      });
      continue;
    }
    const diags: StatusDiagnostic[] = [...(index.problemDiagnostics.get(sid) ?? [])];
    if (withMarkers.length > 1) {
      diags.push({
        code: 'markers_in_several_files',
        message: `Session ${sid} has markers in ${withMarkers.length} files (${withMarkers.map((e) => e.path).join(', ')}); status uses ${primary.path}`,
        sessionId: sid,
      });
    }
    const conflicting = primary.blocks.length > 0 && primary.carbonize.length > 0;
    if (conflicting) {
      diags.push({
        code: 'conflicting_markers',
        message: `Session ${sid} has both a variant block and a carbonize block in ${primary.path}; remove the stale one`,
        sessionId: sid,
        file: primary.path,
        line,
      });
    }
    const malformed = conflicting || blockingProblems(evidence).length > 0;
    const effect = primary.generated || malformed ? null : adoption(sid, primary);
    const draft = draftFor(sid, primary, line, safeCall(browserConnected, sid));
    const reason = malformed
      ? `${draft.reason} The markers are malformed; fix them by hand first (see diagnostics).`
      : draft.reason;
    const block = primary.blocks[0];
    outcomes.push({
      rank: draft.rank,
      eligible: !malformed,
      effects: effect !== null ? [effect] : [],
      status: {
        sessionId: sid,
        file: primary.path,
        line,
        kind: block !== undefined ? 'variants' : primary.carbonize.length > 0 ? 'carbonize' : 'param_values',
        mode: block?.mode ?? null,
        declaredCount: block?.declaredCount ?? null,
        foundCount: block?.foundCount ?? null,
        generated: primary.generated,
        recoverable: effect !== null,
        diagnostics: diags,
        nextAction: {
          action: draft.action,
          reason,
          sessionId: sid,
          phase: null,
          file: primary.path,
          variant: draft.variant,
          paramValues: draft.paramValues,
          lease: null,
          branch: null,
          diagnostics: diags,
          ...(draft.command !== undefined ? { command: draft.command } : {}),
        },
      },
    });
  }
  outcomes.sort((a, b) => cmp(a.status.file, b.status.file) || a.status.line - b.status.line);
  return { outcomes, diagnostics };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function safeCall(f: (sessionId: string) => boolean, sid: string): boolean {
  try {
    return f(sid) === true;
  } catch {
    return false;
  }
}
