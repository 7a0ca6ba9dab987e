// `GET /v1/status`: gathers the evidence (active sessions, owed work, marker files, each session's recorded
// branch and artifacts, the workspace's branch) for the pure reconciler, then records the effects it asks
// for (synthetic completions, adopted source sessions) idempotently.

import { computeStatus, gatherStatusInputs, type StatusEffect, type StatusReport } from '../core/status';
import type { OpsDeps } from './operations';

async function recordEffect(deps: OpsDeps, effect: StatusEffect): Promise<void> {
  const { engine } = deps;
  if (effect.type === 'record_synthetic_completion') {
    if (effect.resumeFirst && effect.resumeEventId) {
      await engine.submit(effect.sessionId, effect.resumeEventId, { type: 'session.resume' });
    }
    await engine.submit(effect.sessionId, effect.eventId, { type: 'cleanup.completed', synthetic: true });
    return;
  }
  // A session found only in source markers becomes a journaled session the user can continue.
  if (engine.view(effect.sessionId) || engine.isArchived(effect.sessionId)) return;
  // Carbonize markers without a journal: status already says to clean them up; nothing to adopt.
  if (effect.phase !== 'variants_written') return;
  await engine.submit(
    effect.sessionId,
    effect.eventId,
    { type: 'source.variants_seen', count: effect.count, file: effect.file },
    { create: true },
  );
}

export async function reportStatus(
  deps: OpsDeps,
  q: { all: boolean; sessionId?: string },
): Promise<Record<string, unknown>> {
  const { engine, root } = deps;
  const build = async (): Promise<StatusReport> => {
    const sessions = engine.activeSessions();
    const connected = deps.connectedSessions();
    const inputs = await gatherStatusInputs({
      root,
      sessions,
      includeCompleted: q.all,
      completed: engine
        .archivedSessions()
        .map((sessionId) => ({ sessionId, outcome: null, completedAt: null })),
      owed: engine.owed(),
      browserConnected: (id) => connected.has(id),
      agentsOnline: deps.agentsOnline?.() ?? 0,
      bridge: { running: true, url: deps.bridgeUrl() },
      queueClockNow: performance.now(),
      journalDir: engine.journalDir,
    });
    return computeStatus({ ...inputs, sessionId: q.sessionId });
  };
  let report = await build();
  if (report.effects.length > 0) {
    for (const effect of report.effects) {
      try {
        await recordEffect(deps, effect);
      } catch {
        // A refused effect stays visible in the report; the next status tries again.
      }
    }
    report = await build();
  }
  return report as unknown as Record<string, unknown>;
}
