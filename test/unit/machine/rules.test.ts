import { describe, expect, it } from 'vitest';
import { LiveVariantsError } from '../../../src/core/errors';
import {
  decide,
  initialSessionSnapshot,
  MAX_CHECKPOINT_OWNERS,
  persistedJson,
  phaseOf,
  RESUMABLE_PHASES,
  replay,
  SESSION_EVENT_TYPES,
  type SessionEvent,
  type SessionSnapshot,
} from '../../../src/core/machine';
import { ev, PATH_TO, REPRESENTATIVE, reach, SESSION_ID } from './fixtures';

function apply(snapshot: SessionSnapshot, event: SessionEvent): SessionSnapshot {
  const decision = decide(snapshot, event);
  if (!decision.accepted) throw new Error(`rejected: ${decision.diagnostic.message}`);
  return decision.next;
}

describe('initial snapshot', () => {
  it('starts in configuring with an empty context for the session', () => {
    const s = initialSessionSnapshot(SESSION_ID);
    expect(phaseOf(s)).toBe('configuring');
    expect(s.status).toBe('active');
    expect(s.context).toMatchObject({ sessionId: SESSION_ID, generation: 0, outcome: null, checkpoints: [] });
  });

  it('accepts source-style ids and refuses malformed ones with a LiveVariantsError', () => {
    expect(initialSessionSnapshot('Hero_Variants-1').context.sessionId).toBe('Hero_Variants-1');
    try {
      initialSessionSnapshot('../etc');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LiveVariantsError);
      expect((e as LiveVariantsError).code).toBe('invalid_session_id');
      expect((e as LiveVariantsError).field).toBe('sessionId');
    }
  });
});

describe('requests and variants', () => {
  it('records the request and the variants the agent reports', () => {
    const s = reach([ev.generate(4), ev.done(4)]);
    expect(s.context).toMatchObject({
      generation: 1,
      mode: 'replace',
      position: null,
      count: 4,
      variantsSeen: 4,
      file: 'src/Hero.tsx',
      sourceTouched: true,
    });
  });

  it('a done without a count assumes the requested count', () => {
    expect(reach([ev.generate(5), ev.done()]).context.variantsSeen).toBe(5);
  });

  it('records an insert request with its position', () => {
    const s = reach([
      {
        type: 'browser.generate',
        mode: 'insert',
        position: 'before',
        count: 2,
        prompt: '',
        element: { tag: 'p', classes: [] },
        action: 'add-cta',
        fileHint: 'index.html',
      },
    ]);
    expect(s.context).toMatchObject({
      mode: 'insert',
      position: 'before',
      action: 'add-cta',
      fileHint: 'index.html',
    });
  });

  it('a new generate while cycling starts over: new generation, no visible variant, same owners', () => {
    const s = apply(reach(PATH_TO.cycling), ev.generate(2));
    expect(phaseOf(s)).toBe('generating');
    expect(s.context).toMatchObject({
      generation: 2,
      count: 2,
      variantsSeen: 0,
      visibleVariant: null,
      params: {},
    });
    expect(s.context.checkpoints).toEqual([{ owner: 'tab-1', revision: 1 }]);
  });

  it('does not mutate the snapshot it decides from', () => {
    const s = reach(PATH_TO.cycling);
    const before = persistedJson(s);
    apply(s, ev.checkpoint(2, '3'));
    apply(s, ev.accept('1'));
    expect(persistedJson(s)).toBe(before);
  });
});

describe('checkpoints', () => {
  it('a newer revision moves the visible variant and params', () => {
    const s = apply(reach(PATH_TO.cycling), ev.checkpoint(5, '3', 'tab-1', { size: 9 }));
    expect(s.context).toMatchObject({ visibleVariant: '3', params: { size: 9 } });
    expect(s.context.checkpoints).toEqual([{ owner: 'tab-1', revision: 5 }]);
  });

  it('an equal or older revision from the same owner is stale_checkpoint and changes nothing', () => {
    const s = reach([...PATH_TO.cycling, ev.checkpoint(7, '3')]);
    for (const revision of [7, 6, 0]) {
      const decision = decide(s, ev.checkpoint(revision, '1'));
      expect(decision).toEqual({
        accepted: false,
        diagnostic: {
          code: 'stale_checkpoint',
          message: `checkpoint revision ${revision} from tab-1 is not newer than its revision 7; ignored`,
          event: 'browser.checkpoint',
          state: 'cycling',
        },
      });
    }
  });

  it('revisions are per owner: another tab starts its own sequence', () => {
    const s = apply(reach([...PATH_TO.cycling, ev.checkpoint(7, '3')]), ev.checkpoint(1, '2', 'tab-2'));
    expect(s.context.visibleVariant).toBe('2');
    expect(s.context.checkpoints).toEqual([
      { owner: 'tab-1', revision: 7 },
      { owner: 'tab-2', revision: 1 },
    ]);
  });

  it('a stale first checkpoint keeps the session in variants_written', () => {
    const s = reach([ev.generate(), ev.done(3), ev.checkpoint(3), ev.generate(), ev.done(3)]);
    expect(phaseOf(s)).toBe('variants_written');
    expect(decide(s, ev.checkpoint(3))).toMatchObject({
      accepted: false,
      diagnostic: { code: 'stale_checkpoint' },
    });
    expect(phaseOf(apply(s, ev.checkpoint(4)))).toBe('cycling');
  });

  it(`keeps revisions for at most ${MAX_CHECKPOINT_OWNERS} owners, forgetting the least recently advanced`, () => {
    let s = reach(PATH_TO.cycling);
    for (let i = 0; i < MAX_CHECKPOINT_OWNERS + 3; i++) s = apply(s, ev.checkpoint(1, '1', `owner-${i}`));
    const owners = s.context.checkpoints.map((c) => c.owner);
    expect(owners).toHaveLength(MAX_CHECKPOINT_OWNERS);
    expect(owners[0]).toBe('owner-3');
    expect(owners.at(-1)).toBe(`owner-${MAX_CHECKPOINT_OWNERS + 2}`);
  });
});

describe('accept and discard', () => {
  it('an accept without params keeps the params last shown for that variant', () => {
    const s = apply(reach([...PATH_TO.cycling, ev.checkpoint(2, '3', 'tab-1', { size: 4 })]), ev.accept('3'));
    expect(s.context).toMatchObject({ acceptedVariant: '3', acceptedParams: { size: 4 } });
  });

  it('an accept of another variant than the visible one without params keeps no params', () => {
    const s = apply(reach(PATH_TO.cycling), ev.accept('1'));
    expect(s.context).toMatchObject({ acceptedVariant: '1', acceptedParams: {} });
  });

  it('explicit accept params win', () => {
    const s = apply(reach(PATH_TO.cycling), ev.accept('2', { size: 7, on: true }));
    expect(s.context.acceptedParams).toEqual({ size: 7, on: true });
  });

  it('a duplicate accept of the same variant is a harmless no-op', () => {
    const s = reach(PATH_TO.accept_pending);
    expect(decide(s, ev.accept('2', { size: 1 }))).toMatchObject({
      accepted: false,
      diagnostic: { code: 'duplicate_event', state: 'accept_pending' },
    });
  });

  it('a conflicting accept or a discard after an accept is refused', () => {
    const s = reach(PATH_TO.accept_pending);
    expect(decide(s, ev.accept('3'))).toEqual({
      accepted: false,
      diagnostic: {
        code: 'rejected_transition',
        message: 'accepting variant 3 conflicts with the accepted variant 2; refused',
        event: 'browser.accept',
        state: 'accept_pending',
      },
    });
    expect(decide(s, ev.discard())).toMatchObject({
      accepted: false,
      diagnostic: {
        code: 'rejected_transition',
        message: 'discard conflicts with the accept already made; refused',
      },
    });
    expect(decide(reach(PATH_TO.discard_pending), ev.accept('1'))).toMatchObject({
      accepted: false,
      diagnostic: {
        code: 'rejected_transition',
        message: 'accept conflicts with the discard already made; refused',
      },
    });
  });

  it('the rewriter applying another variant than the accepted one is refused', () => {
    expect(decide(reach(PATH_TO.accept_pending), ev.applied('1'))).toMatchObject({
      accepted: false,
      diagnostic: { code: 'rejected_transition', event: 'accept.applied' },
    });
  });

  it('an accept applied with carbonize markers owes cleanup before completing', () => {
    const pending = apply(reach(PATH_TO.accept_pending), ev.applied('2', true));
    expect(phaseOf(pending)).toBe('accepted_source_pending');
    expect(pending.context.carbonized).toBe(true);
    const done = apply(pending, ev.cleaned(true));
    expect(phaseOf(done)).toBe('complete');
    expect(done.status).toBe('done');
    expect(done.context).toMatchObject({ outcome: 'accepted', syntheticCompletion: true, carbonized: true });
  });

  it('an accept applied cleanly completes as accepted', () => {
    const done = apply(reach(PATH_TO.accept_pending), ev.applied('2', false));
    expect(done.context).toMatchObject({
      outcome: 'accepted',
      carbonized: false,
      syntheticCompletion: false,
    });
  });

  it('a discard completes as discarded once the source is restored', () => {
    for (const completion of [ev.discardApplied(), ev.discarded(), ev.complete(), ev.cleaned(true)]) {
      const done = apply(reach(PATH_TO.discard_pending), completion);
      expect(phaseOf(done)).toBe('complete');
      expect(done.context.outcome).toBe('discarded');
      expect(done.context.syntheticCompletion).toBe(completion.type === 'cleanup.completed');
    }
  });

  it('a discard before anything was generated completes at once', () => {
    const done = reach([ev.discard()]);
    expect(phaseOf(done)).toBe('complete');
    expect(done.context.outcome).toBe('discarded');
  });
});

describe('never regress out of a decision', () => {
  const allowed: Record<string, string[]> = {
    accept_pending: ['accept_pending', 'accepted_source_pending', 'complete', 'stranded'],
    accepted_source_pending: ['accepted_source_pending', 'complete', 'stranded'],
    discard_pending: ['discard_pending', 'complete', 'stranded'],
  };
  for (const state of ['accept_pending', 'accepted_source_pending', 'discard_pending'] as const) {
    it(`from ${state} every event either stays, completes, or strands with the decision kept`, () => {
      const start = reach(PATH_TO[state]);
      const events: SessionEvent[] = [
        ...SESSION_EVENT_TYPES.map((t) => REPRESENTATIVE[t]),
        ev.accept('1'),
        ev.accept('3'),
        ev.applied('1', true),
        ev.checkpoint(100, '1'),
        ev.generate(8),
      ];
      for (const event of events) {
        const decision = decide(start, event);
        if (!decision.accepted) continue;
        const next = phaseOf(decision.next);
        expect(allowed[state]).toContain(next);
        expect(decision.next.context.acceptedVariant).toBe(start.context.acceptedVariant);
        if (next === 'complete') {
          expect(decision.next.context.outcome).toBe(state === 'discard_pending' ? 'discarded' : 'accepted');
        }
        if (next === 'stranded') expect(decision.next.context.strandedFrom).toBe(state);
      }
    });
  }

  it('late generation events after an accept are recorded as late_event', () => {
    const s = reach(PATH_TO.accept_pending);
    for (const event of [ev.generate(), ev.checkpoint(50), ev.done(2), ev.wrapped(), ev.seen(4), ev.exit()]) {
      expect(decide(s, event)).toMatchObject({
        accepted: false,
        diagnostic: {
          code: 'late_event',
          message: `${event.type} arrived after the session was accepted; recorded and ignored`,
        },
      });
    }
  });

  it('a stranded decision can only resume to itself', () => {
    const stranded = reach([...PATH_TO.accept_pending, ev.strand('lease_expired')]);
    expect(decide(stranded, ev.discard())).toMatchObject({
      accepted: false,
      diagnostic: { code: 'rejected_transition' },
    });
    expect(decide(stranded, ev.generate())).toMatchObject({
      accepted: false,
      diagnostic: { code: 'late_event' },
    });
    expect(decide(stranded, ev.accept('2'))).toMatchObject({
      accepted: false,
      diagnostic: { code: 'duplicate_event' },
    });
    expect(phaseOf(apply(stranded, ev.resume()))).toBe('accept_pending');
  });
});

describe('stranded and resume', () => {
  for (const state of RESUMABLE_PHASES) {
    it(`resume returns a session stranded in ${state} to exactly that state`, () => {
      const before = reach(PATH_TO[state]);
      const stranded = apply(before, ev.strand('bridge_restart'));
      expect(phaseOf(stranded)).toBe('stranded');
      expect(stranded.context).toMatchObject({ strandedFrom: state, strandReason: 'bridge_restart' });
      const resumed = apply(stranded, ev.resume());
      expect(persistedJson(resumed)).toBe(persistedJson(before));
    });
  }

  it('configuring owes nothing, so it cannot be stranded', () => {
    expect(decide(initialSessionSnapshot(SESSION_ID), ev.strand())).toMatchObject({
      accepted: false,
      diagnostic: { code: 'rejected_transition', state: 'configuring' },
    });
  });

  it('a second strand while stranded is a duplicate and keeps the first reason', () => {
    const s = reach([...PATH_TO.generating, ev.strand('lease_expired')]);
    expect(decide(s, ev.strand('bridge_restart'))).toMatchObject({
      accepted: false,
      diagnostic: { code: 'duplicate_event' },
    });
  });

  it('closing the live UI while variants are owed a decision strands with reason browser_exit', () => {
    for (const state of ['variants_written', 'cycling'] as const) {
      const s = apply(reach(PATH_TO[state]), ev.exit());
      expect(phaseOf(s)).toBe('stranded');
      expect(s.context).toMatchObject({ strandedFrom: state, strandReason: 'browser_exit' });
    }
  });

  it('closing the live UI during generation strands only when the variants arrive', () => {
    const closed = reach([ev.generate(), ev.wrapped(), ev.exit()]);
    expect(phaseOf(closed)).toBe('source_wrapped');
    expect(closed.context.browserClosed).toBe(true);
    for (const arrival of [ev.done(3), ev.seen(3)]) {
      const s = apply(closed, arrival);
      expect(phaseOf(s)).toBe('stranded');
      expect(s.context).toMatchObject({
        strandedFrom: 'variants_written',
        strandReason: 'browser_exit',
        variantsSeen: 3,
      });
      const resumed = apply(s, ev.resume());
      expect(phaseOf(resumed)).toBe('variants_written');
      expect(resumed.context.browserClosed).toBe(false);
    }
  });

  it('a browser event after exit during generation means the page is back', () => {
    const s = reach([ev.generate(), ev.exit(), ev.generate(2), ev.done(2)]);
    expect(phaseOf(s)).toBe('variants_written');
  });

  it('the user can give up while stranded before deciding', () => {
    for (const state of ['generating', 'source_wrapped', 'variants_written', 'cycling'] as const) {
      const s = apply(reach([...PATH_TO[state], ev.strand()]), ev.discard());
      expect(phaseOf(s)).toBe('discard_pending');
      expect(s.context.strandedFrom).toBeNull();
    }
  });
});

describe('failed', () => {
  it('records the failure and recovers by agent retry', () => {
    const failed = reach(PATH_TO.failed);
    expect(failed.context).toMatchObject({ failure: 'agent crashed', lastError: 'agent crashed' });
    const retried = apply(failed, ev.retry());
    expect(phaseOf(retried)).toBe('generating');
    expect(retried.context).toMatchObject({ failure: null, retries: 1 });
  });

  it('recovers by a new generate', () => {
    const s = apply(reach(PATH_TO.failed), ev.generate(2));
    expect(phaseOf(s)).toBe('generating');
    expect(s.context).toMatchObject({ failure: null, lastError: null, generation: 2 });
  });

  it('a discard completes at once when nothing reached the source', () => {
    const s = apply(reach(PATH_TO.failed), ev.discard());
    expect(phaseOf(s)).toBe('complete');
    expect(s.context.outcome).toBe('discarded');
  });

  it('a discard owes a restore when markers reached the source before the failure', () => {
    expect(phaseOf(reach([ev.generate(), ev.wrapped(), ev.error(), ev.discard()]))).toBe('discard_pending');
    expect(phaseOf(reach([ev.generate(), ev.error(), ev.seen(2), ev.discard()]))).toBe('discard_pending');
    expect(phaseOf(reach([ev.generate(), ev.error(), ev.strand(), ev.discard()]))).toBe('complete');
    expect(phaseOf(reach([ev.generate(), ev.wrapped(), ev.error(), ev.strand(), ev.discard()]))).toBe(
      'discard_pending',
    );
  });

  it('an agent error after variants exist keeps the variants and notes the error', () => {
    const s = apply(reach(PATH_TO.cycling), ev.error('lint failed'));
    expect(phaseOf(s)).toBe('cycling');
    expect(s.context).toMatchObject({ lastError: 'lint failed', failure: null });
  });
});

describe('replay', () => {
  it('reports each rejected event with its index and keeps going', () => {
    const { snapshot, diagnostics } = replay(
      [
        ev.generate(),
        ev.accept('1'),
        ev.done(3),
        ev.checkpoint(1),
        ev.checkpoint(1),
        ev.discard(),
        ev.done(3),
      ],
      SESSION_ID,
    );
    expect(phaseOf(snapshot)).toBe('discard_pending');
    expect(diagnostics.map((d) => [d.index, d.code, d.state])).toEqual([
      [1, 'rejected_transition', 'generating'],
      [4, 'stale_checkpoint', 'cycling'],
      [6, 'late_event', 'discard_pending'],
    ]);
  });

  it('continues from a given snapshot', () => {
    const mid = reach(PATH_TO.cycling);
    const { snapshot } = replay([ev.accept('2'), ev.complete()], mid);
    expect(snapshot.context.outcome).toBe('accepted');
  });
});
