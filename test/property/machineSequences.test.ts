// Property test: random event sequences (duplicates, late, out-of-order and conflicting events, stale
// checkpoints, and garbage that first goes through the protocol parser or the record mapping) never break the
// machine's rules, and every way of computing the end state agrees.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DECIDED_PHASES,
  decide,
  eventFromRecord,
  fromPersisted,
  initialSessionSnapshot,
  lastRevision,
  PHASES,
  persistedJson,
  phaseOf,
  replay,
  SESSION_EVENT_TYPES,
  type SessionEvent,
  type SessionSnapshot,
  sessionEventFromAgent,
  sessionEventFromBrowser,
  toPersisted,
} from '../../src/core/machine';
import { parseAgentResult, parseBrowserEvent } from '../../src/core/protocol';
import { PATH_TO, replayFromRecords, runLive, SESSION_ID } from '../unit/machine/fixtures';

const variant = fc.constantFrom('1', '2', '3', '4');
const owner = fc.constantFrom('tab-1', 'tab-2');
const params = fc.dictionary(
  fc.constantFrom('size', 'tone', 'on'),
  fc.oneof(fc.integer(), fc.boolean(), fc.string()),
  {
    maxKeys: 2,
  },
);
const element = fc.record({
  tag: fc.constantFrom('div', 'section'),
  classes: fc.array(fc.string(), { maxLength: 2 }),
});

const w = (weight: number, arbitrary: fc.Arbitrary<SessionEvent>) => ({ weight, arbitrary });

// Weighted towards the events that move a session forward, so most runs get past generation into decisions.
const wellFormed: fc.Arbitrary<SessionEvent> = fc.oneof(
  w(
    3,
    fc.record({
      type: fc.constant('browser.generate' as const),
      mode: fc.constant('replace' as const),
      count: fc.integer({ min: 1, max: 8 }),
      prompt: fc.string(),
      element,
    }),
  ),
  w(
    1,
    fc.record({
      type: fc.constant('browser.generate' as const),
      mode: fc.constant('insert' as const),
      position: fc.constantFrom('before' as const, 'after' as const),
      count: fc.integer({ min: 1, max: 8 }),
      prompt: fc.string(),
      element,
    }),
  ),
  w(
    5,
    fc.record({
      type: fc.constant('browser.checkpoint' as const),
      owner,
      revision: fc.integer({ min: 0, max: 8 }),
      variant,
      params,
    }),
  ),
  w(
    3,
    fc.record(
      { type: fc.constant('browser.accept' as const), variant, params },
      { requiredKeys: ['type', 'variant'] },
    ),
  ),
  w(1, fc.constant<SessionEvent>({ type: 'browser.discard' })),
  w(1, fc.constant<SessionEvent>({ type: 'browser.exit' })),
  w(
    3,
    fc.constantFrom<SessionEvent>(
      { type: 'agent.complete' },
      { type: 'agent.discarded' },
      { type: 'discard.applied' },
      { type: 'session.resume' },
    ),
  ),
  w(
    3,
    fc.record(
      { type: fc.constant('agent.done' as const), count: fc.integer({ min: 1, max: 8 }) },
      { requiredKeys: ['type'] },
    ),
  ),
  w(1, fc.record({ type: fc.constant('agent.error' as const), message: fc.string() })),
  w(
    1,
    fc.record({ type: fc.constant('agent.retry' as const), reason: fc.string() }, { requiredKeys: ['type'] }),
  ),
  w(1, fc.record({ type: fc.constant('source.wrapped' as const) })),
  w(
    2,
    fc.record({ type: fc.constant('source.variants_seen' as const), count: fc.integer({ min: 1, max: 5 }) }),
  ),
  w(2, fc.record({ type: fc.constant('accept.applied' as const), carbonize: fc.boolean(), variant, params })),
  w(
    2,
    fc.record(
      { type: fc.constant('cleanup.completed' as const), synthetic: fc.boolean() },
      { requiredKeys: ['type'] },
    ),
  ),
  w(
    1,
    fc.record({
      type: fc.constant('session.strand' as const),
      reason: fc.constantFrom('bridge_restart', 'lease_expired'),
    }),
  ),
);

/** Garbage and near-misses pushed through the untrusted-input paths; only what they accept reaches the machine. */
const throughParsers: fc.Arbitrary<SessionEvent | undefined> = fc.oneof(
  fc
    .record(
      {
        type: fc.constantFrom('generate', 'checkpoint', 'accept', 'discard', 'exit', 'nope'),
        sessionId: fc.constantFrom('0a1b2c3d', 'BAD'),
        eventId: fc.constantFrom('e1', ''),
        mode: fc.oneof(fc.constantFrom('replace', 'insert'), fc.anything()),
        count: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.anything()),
        element: fc.oneof(element, fc.anything()),
        owner,
        revision: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.anything()),
        variant: fc.oneof(variant, fc.integer({ min: 0, max: 5 }), fc.anything()),
        params: fc.oneof(params, fc.anything()),
      },
      { requiredKeys: ['type', 'sessionId', 'eventId'] },
    )
    .map((input) => {
      const parsed = parseBrowserEvent(input);
      return parsed.ok ? sessionEventFromBrowser(parsed.value) : undefined;
    }),
  fc.anything().map((input) => {
    const parsed = parseAgentResult(input);
    return parsed.ok ? sessionEventFromAgent(parsed.value) : undefined;
  }),
  fc
    .record({ type: fc.constantFrom(...SESSION_EVENT_TYPES, 'queue.acked'), data: fc.anything() })
    .map((record) => eventFromRecord(record)),
);

type Step = { kind: 'event'; event: SessionEvent | undefined } | { kind: 'repeat'; back: number };

// Half of the runs start from a known path into some state, so every state sees plenty of random traffic.
const prefix = fc.oneof(fc.constant<SessionEvent[]>([]), fc.constantFrom(...Object.values(PATH_TO)));

const sequence: fc.Arbitrary<SessionEvent[]> = fc
  .tuple(
    prefix,
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: wellFormed.map((event): Step => ({ kind: 'event', event })) },
        { weight: 1, arbitrary: throughParsers.map((event): Step => ({ kind: 'event', event })) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 1, max: 5 }).map((back): Step => ({ kind: 'repeat', back })),
        },
      ),
      { minLength: 1, maxLength: 40, size: 'max' },
    ),
  )
  .map(([start, steps]) => {
    const events: SessionEvent[] = [...start];
    for (const step of steps) {
      if (step.kind === 'repeat') {
        const earlier = events[events.length - step.back];
        if (earlier !== undefined) events.push(earlier);
      } else if (step.event !== undefined) {
        events.push(step.event);
      }
    }
    return events;
  });

const DECIDED = new Set<string>(DECIDED_PHASES);

/** accept | discard once decided (looking through stranded to the state it holds), else null. */
function decisionOf(s: SessionSnapshot): 'accept' | 'discard' | null {
  const phase = phaseOf(s);
  if (phase === 'complete') return s.context.outcome === 'accepted' ? 'accept' : 'discard';
  const held = phase === 'stranded' ? s.context.strandedFrom : phase;
  if (held === null || !DECIDED.has(held)) return null;
  return held === 'discard_pending' ? 'discard' : 'accept';
}

describe('session machine under random event sequences', () => {
  it('keeps its rules, and live, replay and snapshot+tail agree', () => {
    fc.assert(
      fc.property(sequence, fc.nat(), (events, cutSeed) => {
        let snapshot = initialSessionSnapshot(SESSION_ID);
        let decision: 'accept' | 'discard' | null = null;
        let accepted: string | null = null;
        for (const event of events) {
          const before = snapshot;
          const result = decide(before, event);
          if (result.accepted) snapshot = result.next;
          else expect(persistedJson(before)).toBe(persistedJson(snapshot));

          const phase = phaseOf(snapshot);
          expect(PHASES).toContain(phase);
          expect(snapshot.status).toBe(phase === 'complete' ? 'done' : 'active');

          // Checkpoints: never accepted unless newer than the owner's last revision; stale ones say so.
          if (event.type === 'browser.checkpoint') {
            const last = lastRevision(before.context, event.owner);
            const stale = last !== undefined && event.revision <= last;
            if (result.accepted) expect(stale).toBe(false);
            else if (result.diagnostic.code === 'stale_checkpoint') expect(stale).toBe(true);
          }

          // A decision, once made, is never undone or changed; only its completion follows.
          const now = decisionOf(snapshot);
          if (decision !== null) {
            expect(now).toBe(decision);
            if (decision === 'accept') expect(snapshot.context.acceptedVariant).toBe(accepted);
          }
          if (decision === null && now !== null) {
            decision = now;
            accepted = snapshot.context.acceptedVariant;
          }
          if (phaseOf(before) === 'complete') expect(result.accepted).toBe(false);
        }

        // Live actor = journal replay (records through JSON text).
        const full = replayFromRecords(events);
        expect(persistedJson(full.snapshot)).toBe(persistedJson(snapshot));
        expect(persistedJson(runLive(events))).toBe(persistedJson(snapshot));

        // Snapshot file at a random cut + the tail = full replay, diagnostics included.
        const cut = events.length === 0 ? 0 : cutSeed % (events.length + 1);
        const head = replay(events.slice(0, cut), SESSION_ID);
        const restored = fromPersisted(JSON.parse(JSON.stringify(toPersisted(head.snapshot))));
        const tail = replay(events.slice(cut), restored);
        expect(persistedJson(tail.snapshot)).toBe(persistedJson(full.snapshot));
        const shifted = tail.diagnostics.map((d) => ({ ...d, index: d.index + cut }));
        expect([...head.diagnostics, ...shifted]).toEqual(full.diagnostics);
      }),
      { numRuns: 1_000 },
    );
  });
});
