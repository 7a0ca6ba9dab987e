// Model-based test through the real store: @xstate/graph enumerates shortest paths through the session machine;
// each path is submitted live to a SessionEngine over a real journal directory, then a fresh engine instance
// recovers it from disk. The recovered snapshot must equal what a live XState actor reaches on the same events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getShortestPaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { replayRecords, SessionEngine } from '../../src/core/engine';
import { readSessionJournal } from '../../src/core/journal';
import { fromPersisted, persistedJson, type SessionEvent, sessionMachine } from '../../src/core/machine';
import { ev, runLive, SESSION_ID } from '../unit/machine/fixtures';

function eventsOf(path: { steps: { event: SessionEvent | { type: 'xstate.init' } }[] }): SessionEvent[] {
  return path.steps.map((s) => s.event).filter((e): e is SessionEvent => e.type !== 'xstate.init');
}

const persistedOf = (phase: string, context: unknown) =>
  persistedJson(fromPersisted({ v: 1, state: phase, context }));

describe('engine model: live through the store equals recovery in a fresh store', () => {
  const paths = getShortestPaths(sessionMachine, {
    input: { sessionId: SESSION_ID },
    events: (s) => [
      ev.generate(2),
      ev.checkpoint((s.context.checkpoints.at(-1)?.revision ?? 0) + 1, '2'),
      ev.accept('2'),
      ev.discard(),
      ev.exit(),
      ev.done(3),
      ev.error(),
      ev.complete(),
      ev.retry(),
      ev.wrapped(),
      ev.seen(3),
      ev.applied(s.context.acceptedVariant ?? '2', true),
      ev.applied(s.context.acceptedVariant ?? '2', false),
      ev.discardApplied(),
      ev.cleaned(),
      ev.strand('bridge_restart'),
      ev.resume(),
    ],
    serializeState: (s) =>
      JSON.stringify([s.value, s.context.strandedFrom, s.context.sourceTouched, s.context.browserClosed]),
  });

  it('covers the chart', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it('every shortest path: a fresh store recovers exactly the live snapshot', async () => {
    for (const path of paths) {
      const events = eventsOf(path);
      if (events.length === 0) continue; // the initial state: no session exists until an event arrives
      const dir = mkdtempSync(join(tmpdir(), 'lv-model-'));
      try {
        const live = runLive(events);
        let engine = await SessionEngine.open({ journalDir: dir, snapshotEvery: 3 });
        for (const [i, event] of events.entries()) {
          await engine.submit(SESSION_ID, `e${i}`, event, { create: true });
        }
        await engine.close();
        engine = await SessionEngine.open({ journalDir: dir });
        const view = engine.view(SESSION_ID);
        if (view) {
          expect(persistedOf(view.phase, view.context)).toBe(persistedJson(live));
        } else {
          // Completed sessions are archived: replay the archived journal.
          expect(engine.isArchived(SESSION_ID)).toBe(true);
          const j = await readSessionJournal(dir, SESSION_ID);
          const fold = replayRecords(SESSION_ID, j.records);
          expect(persistedJson(fold.snapshot)).toBe(persistedJson(live));
        }
        await engine.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
