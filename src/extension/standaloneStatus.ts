// Status while no bridge runs in this window (untrusted workspace, or the bridge was stopped): the same
// reconciler the bridge uses, fed from the in-process engine and the files VS Code knows hold markers. In an
// untrusted workspace git is never asked (a repository's config can run commands) and nothing is recorded.
import type { SessionEngine } from '../core/engine';
import { computeStatus, gatherStatusInputs, type StatusEffect, type StatusReport } from '../core/status';

export interface StandaloneStatusInput {
  engine: SessionEngine;
  root: string;
  trusted: boolean;
  markerFiles: string[];
}

/** The effects bridge/status.ts records, recorded the same way (idempotent event ids). */
async function recordEffect(engine: SessionEngine, effect: StatusEffect): Promise<void> {
  if (effect.type === 'record_synthetic_completion') {
    if (effect.resumeFirst && effect.resumeEventId) {
      await engine.submit(effect.sessionId, effect.resumeEventId, { type: 'session.resume' });
    }
    await engine.submit(effect.sessionId, effect.eventId, { type: 'cleanup.completed', synthetic: true });
    return;
  }
  if (engine.view(effect.sessionId) || engine.isArchived(effect.sessionId)) return;
  await engine.submit(
    effect.sessionId,
    effect.eventId,
    { type: 'source.variants_seen', count: effect.count, file: effect.file },
    { create: true },
  );
}

export async function standaloneStatus(input: StandaloneStatusInput): Promise<StatusReport> {
  const { engine } = input;
  const build = async (): Promise<StatusReport> => {
    const inputs = await gatherStatusInputs({
      root: input.root,
      sessions: engine.activeSessions(),
      completed: engine
        .archivedSessions()
        .map((sessionId) => ({ sessionId, outcome: null, completedAt: null })),
      owed: engine.owed(),
      bridge: { running: false, url: null },
      queueClockNow: performance.now(),
      scope: 'sessions',
      extraFiles: input.markerFiles,
      ...(input.trusted ? {} : { workspace: { isIgnored: () => false } }),
    });
    return computeStatus(inputs);
  };
  let report = await build();
  if (input.trusted && report.effects.length > 0) {
    for (const effect of report.effects) {
      try {
        await recordEffect(engine, effect);
      } catch {
        // A refused effect stays visible in the report; the next refresh tries again.
      }
    }
    report = await build();
  }
  return report;
}
