// Model-based test: @xstate/graph enumerates the machine's reachable (abstract) states with representative
// events; every path to a state, and every path extended by one more event (so every transition, accepted or
// rejected, is exercised), runs live through an actor, through journal records + replay, and through XState's
// bare pure `transition`. All three must end in the same snapshot, in the abstract state the graph predicts.

import { type AdjacencyMap, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  initialSessionSnapshot,
  lastRevision,
  PHASES,
  persistedJson,
  phaseOf,
  type SessionEvent,
  type SessionSnapshot,
  sessionMachine,
} from '../../src/core/machine';
import { ev, replayFromRecords, runLive, SESSION_ID } from '../unit/machine/fixtures';

/** The parts of a snapshot that change what the machine does next (counters and texts are left out). */
function abstractState(snapshot: SessionSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    phaseOf(snapshot),
    c.strandedFrom,
    c.browserClosed,
    c.sourceTouched,
    c.outcome,
    c.acceptedVariant,
    c.carbonized,
    c.failure !== null,
    c.checkpoints.length > 0,
  ]);
}

function eventsFor(snapshot: SessionSnapshot): SessionEvent[] {
  const last = lastRevision(snapshot.context, 'tab-1');
  const next = (last ?? 0) + 1;
  const events: SessionEvent[] = [
    ev.generate(2),
    {
      type: 'browser.generate',
      mode: 'insert',
      position: 'after',
      count: 1,
      prompt: '',
      element: { tag: 'p', classes: [] },
    },
    ev.checkpoint(next, '1'),
    ev.checkpoint(next, '2', 'tab-1', { size: 3 }),
    ev.accept('1'),
    ev.accept('2', { size: 5 }),
    ev.discard(),
    ev.exit(),
    ev.done(3),
    ev.done(),
    ev.error(),
    ev.complete(),
    ev.discarded(),
    ev.retry(),
    ev.wrapped(),
    ev.seen(3),
    ev.applied(snapshot.context.acceptedVariant ?? '1', true),
    ev.applied(snapshot.context.acceptedVariant ?? '1', false),
    ev.applied('3', false),
    ev.discardApplied(),
    ev.cleaned(true),
    ev.cleaned(),
    ev.strand('lease_expired'),
    ev.resume(),
  ];
  if (last !== undefined) events.push(ev.checkpoint(last, '1'));
  return events;
}

const options = {
  input: { sessionId: SESSION_ID },
  events: eventsFor,
  serializeState: abstractState,
};

/** The events of a graph path, without the synthetic `xstate.init` step it starts with. */
function eventsOf(path: { steps: { event: SessionEvent | { type: 'xstate.init' } }[] }): SessionEvent[] {
  return path.steps.map((s) => s.event).filter((e): e is SessionEvent => e.type !== 'xstate.init');
}

/** XState's own pure fold, without decide(): the third witness. */
function pureFold(events: SessionEvent[]): SessionSnapshot {
  return events.reduce(
    (snapshot, event) => transition(sessionMachine, snapshot, event)[0],
    initialSessionSnapshot(SESSION_ID),
  );
}

/** Live actor, journal records + replay, and the pure fold end in the same snapshot; returns it. */
function checkAgreement(events: SessionEvent[]): SessionSnapshot {
  const live = runLive(events);
  const replayed = replayFromRecords(events, initialSessionSnapshot(SESSION_ID)).snapshot;
  expect(persistedJson(replayed)).toBe(persistedJson(live));
  expect(persistedJson(replayed)).toBe(persistedJson(pureFold(events)));
  expect(replayed.status).toBe(live.status);
  return replayed;
}

describe('session machine model', () => {
  const paths = getShortestPaths(sessionMachine, options);

  it('reaches every state of the chart', () => {
    const reached = new Set(paths.map((p) => phaseOf(p.state)));
    expect([...reached].sort()).toEqual([...PHASES].sort());
  });

  it('live actor and journal replay agree on every shortest path', () => {
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) {
      // The graph keeps one representative snapshot per abstract state, so compare it abstractly.
      expect(abstractState(checkAgreement(eventsOf(path)))).toBe(abstractState(path.state));
    }
  });

  it('live actor and journal replay agree on every transition (shortest path + one event)', () => {
    const adjacency: AdjacencyMap<SessionSnapshot, SessionEvent> = getAdjacencyMap(sessionMachine, options);
    const toVertex = new Map(paths.map((p) => [abstractState(p.state), p]));
    let transitions = 0;
    for (const [key, vertex] of Object.entries(adjacency)) {
      const path = toVertex.get(key);
      expect(path, `no shortest path to ${key}`).toBeDefined();
      if (path === undefined) continue;
      const prefix = eventsOf(path);
      // Keys are branded strings, which Object.values cannot see through.
      const edges = Object.values(vertex.transitions) as { event: SessionEvent }[];
      for (const { event } of edges) {
        checkAgreement([...prefix, event]);
        transitions++;
      }
    }
    expect(transitions).toBeGreaterThan(500);
  });
});
