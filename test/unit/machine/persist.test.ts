import { describe, expect, it } from 'vitest';
import { LiveVariantsError } from '../../../src/core/errors';
import {
  decide,
  fromPersisted,
  type JsonObject,
  PHASES,
  persistedJson,
  phaseOf,
  toPersisted,
} from '../../../src/core/machine';
import { ev, PATH_TO, REPRESENTATIVE, reach } from './fixtures';

function refusal(json: unknown): { code: string; field: string | undefined } {
  try {
    fromPersisted(json);
  } catch (e) {
    expect(e).toBeInstanceOf(LiveVariantsError);
    return { code: (e as LiveVariantsError).code, field: (e as LiveVariantsError).field };
  }
  throw new Error('expected fromPersisted to refuse');
}

describe('toPersisted / fromPersisted', () => {
  it('writes canonical JSON: version, state and context with sorted keys', () => {
    const json = toPersisted(reach(PATH_TO.cycling));
    expect(Object.keys(json)).toEqual(['context', 'state', 'v']);
    expect(json.v).toBe(1);
    expect(json.state).toBe('cycling');
    const context = json.context as JsonObject;
    expect(Object.keys(context)).toEqual([...Object.keys(context)].sort());
    expect(context).toMatchObject({ visibleVariant: '2', params: { size: 2 }, sessionId: '0a1b2c3d' });
  });

  for (const state of PHASES) {
    it(`round-trips a ${state} snapshot through JSON text, and the restored one behaves the same`, () => {
      const original = reach(PATH_TO[state]);
      const restored = fromPersisted(JSON.parse(JSON.stringify(toPersisted(original))));
      expect(persistedJson(restored)).toBe(persistedJson(original));
      expect(phaseOf(restored)).toBe(state);
      expect(restored.status).toBe(state === 'complete' ? 'done' : 'active');
      for (const event of Object.values(REPRESENTATIVE)) {
        const a = decide(original, event);
        const b = decide(restored, event);
        expect(b.accepted).toBe(a.accepted);
        if (a.accepted && b.accepted) expect(persistedJson(b.next)).toBe(persistedJson(a.next));
        if (!a.accepted && !b.accepted) expect(b.diagnostic).toEqual(a.diagnostic);
      }
    });
  }

  it('keeps the stranded origin so resume works after a restore', () => {
    const stranded = reach([...PATH_TO.discard_pending, ev.strand('bridge_restart')]);
    const restored = fromPersisted(JSON.parse(persistedJson(stranded)));
    const resumed = decide(restored, ev.resume());
    expect(resumed.accepted && phaseOf(resumed.next)).toBe('discard_pending');
  });

  it('refuses snapshot files that do not describe a session', () => {
    const good = toPersisted(reach(PATH_TO.cycling));
    const context = good.context as JsonObject;
    expect(refusal(null)).toEqual({ code: 'snapshot_invalid', field: undefined });
    expect(refusal([])).toEqual({ code: 'snapshot_invalid', field: undefined });
    expect(refusal({ ...good, v: 2 })).toEqual({ code: 'snapshot_invalid', field: 'v' });
    expect(refusal({ ...good, state: 'dancing' })).toEqual({ code: 'snapshot_invalid', field: 'state' });
    expect(refusal({ ...good, state: 'toString' })).toEqual({ code: 'snapshot_invalid', field: 'state' });
    expect(refusal({ ...good, context: 'x' })).toEqual({ code: 'snapshot_invalid', field: 'context' });
    expect(refusal({ ...good, context: { ...context, generation: -1 } })).toEqual({
      code: 'snapshot_invalid',
      field: 'context.generation',
    });
    expect(
      refusal({ ...good, context: { ...context, checkpoints: [{ owner: 'a', revision: 'x' }] } }),
    ).toEqual({
      code: 'snapshot_invalid',
      field: 'context.checkpoints.0.revision',
    });
    const { mode: _mode, ...withoutMode } = context;
    expect(refusal({ ...good, context: withoutMode })).toEqual({
      code: 'snapshot_invalid',
      field: 'context.mode',
    });
  });

  it('refuses a state that contradicts its context', () => {
    const cycling = toPersisted(reach(PATH_TO.cycling));
    expect(refusal({ ...cycling, state: 'stranded' })).toEqual({
      code: 'snapshot_invalid',
      field: 'context.strandedFrom',
    });
    expect(refusal({ ...cycling, state: 'complete' })).toEqual({
      code: 'snapshot_invalid',
      field: 'context.outcome',
    });
  });
});
