// Representative machine events and the event lists that lead to each state, shared by the machine tests.

import { createActor } from 'xstate';
import type { Phase, SessionEvent, SessionEventType } from '../../../src/core/machine';
import {
  eventFromRecord,
  recordFromEvent,
  replay,
  type SessionSnapshot,
  sessionMachine,
} from '../../../src/core/machine';

export const SESSION_ID = '0a1b2c3d';

export const ev = {
  generate: (count = 3): SessionEvent => ({
    type: 'browser.generate',
    mode: 'replace',
    count,
    prompt: 'bolder',
    element: { tag: 'section', classes: ['hero'] },
  }),
  checkpoint: (revision: number, variant = '2', owner = 'tab-1', params = { size: 2 }): SessionEvent => ({
    type: 'browser.checkpoint',
    owner,
    revision,
    variant,
    params,
  }),
  accept: (variant = '2', params?: Record<string, number | string | boolean>): SessionEvent =>
    params === undefined ? { type: 'browser.accept', variant } : { type: 'browser.accept', variant, params },
  discard: (): SessionEvent => ({ type: 'browser.discard' }),
  exit: (): SessionEvent => ({ type: 'browser.exit' }),
  done: (count?: number): SessionEvent =>
    count === undefined ? { type: 'agent.done' } : { type: 'agent.done', count, file: 'src/Hero.tsx' },
  error: (message = 'agent crashed'): SessionEvent => ({ type: 'agent.error', message }),
  complete: (): SessionEvent => ({ type: 'agent.complete' }),
  discarded: (): SessionEvent => ({ type: 'agent.discarded' }),
  retry: (): SessionEvent => ({ type: 'agent.retry', reason: 'busy' }),
  wrapped: (): SessionEvent => ({ type: 'source.wrapped', file: 'src/Hero.tsx' }),
  seen: (count = 3): SessionEvent => ({ type: 'source.variants_seen', count }),
  applied: (variant = '2', carbonize = false): SessionEvent => ({
    type: 'accept.applied',
    carbonize,
    variant,
    params: {},
  }),
  discardApplied: (): SessionEvent => ({ type: 'discard.applied' }),
  cleaned: (synthetic?: boolean): SessionEvent =>
    synthetic === undefined ? { type: 'cleanup.completed' } : { type: 'cleanup.completed', synthetic },
  strand: (reason = 'bridge_restart'): SessionEvent => ({ type: 'session.strand', reason }),
  resume: (): SessionEvent => ({ type: 'session.resume' }),
};

/** One representative event per type, used to sweep every state. */
export const REPRESENTATIVE: Record<SessionEventType, SessionEvent> = {
  'browser.generate': ev.generate(2),
  'browser.checkpoint': ev.checkpoint(99, '1'),
  'browser.accept': ev.accept('2'),
  'browser.discard': ev.discard(),
  'browser.exit': ev.exit(),
  'agent.done': ev.done(3),
  'agent.error': ev.error('boom'),
  'agent.complete': ev.complete(),
  'agent.discarded': ev.discarded(),
  'agent.retry': ev.retry(),
  'source.wrapped': ev.wrapped(),
  'source.variants_seen': ev.seen(3),
  'accept.applied': ev.applied('2'),
  'discard.applied': ev.discardApplied(),
  'cleanup.completed': ev.cleaned(),
  'session.strand': ev.strand(),
  'session.resume': ev.resume(),
};

const cycling = [ev.generate(), ev.done(3), ev.checkpoint(1)];

/** A path to each state (the stranded one is stranded from cycling; complete is accepted). */
export const PATH_TO: Record<Phase, SessionEvent[]> = {
  configuring: [],
  generating: [ev.generate()],
  source_wrapped: [ev.generate(), ev.wrapped()],
  variants_written: [ev.generate(), ev.done(3)],
  cycling,
  accept_pending: [...cycling, ev.accept('2')],
  accepted_source_pending: [...cycling, ev.accept('2'), ev.applied('2', true)],
  discard_pending: [...cycling, ev.discard()],
  stranded: [...cycling, ev.strand()],
  failed: [ev.generate(), ev.error()],
  complete: [...cycling, ev.accept('2'), ev.complete()],
};

/** Replays `events` from a fresh session and insists every one was accepted. */
export function reach(events: readonly SessionEvent[]): SessionSnapshot {
  const { snapshot, diagnostics } = replay(events, SESSION_ID);
  if (diagnostics.length > 0) throw new Error(`setup event rejected: ${JSON.stringify(diagnostics[0])}`);
  return snapshot;
}

/** Runs `events` through a live actor, as the engine would at run time (events after the end are dropped). */
export function runLive(events: readonly SessionEvent[], sessionId = SESSION_ID): SessionSnapshot {
  const actor = createActor(sessionMachine, { input: { sessionId } });
  actor.start();
  for (const event of events) {
    if (actor.getSnapshot().status !== 'active') break;
    actor.send(event);
  }
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

/** Writes `events` as journal records (JSON text, like a .jsonl line), reads them back and replays them. */
export function replayFromRecords(
  events: readonly SessionEvent[],
  from: SessionSnapshot | string = SESSION_ID,
) {
  const lines = events.map((event) => JSON.stringify(recordFromEvent(event)));
  const read = lines.map((line) => {
    const event = eventFromRecord(JSON.parse(line));
    if (event === undefined) throw new Error(`record did not map back to an event: ${line}`);
    return event;
  });
  return replay(read, from);
}
