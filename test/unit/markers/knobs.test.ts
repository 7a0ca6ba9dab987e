import { describe, expect, it } from 'vitest';
import { parseKnobs } from '../../../src/core/markers/knobs';

describe('parseKnobs', () => {
  it('reads range, steps (strings or {value,label}) and toggle knobs', () => {
    const { knobs, errors } = parseKnobs(
      JSON.stringify([
        { id: 'radius', kind: 'range', min: 0, max: 24, step: 2, default: 8, unit: 'px', label: 'Radius' },
        { id: 'tone', kind: 'steps', options: ['warm', 'cool'], default: 'cool' },
        { id: 'density', kind: 'steps', options: [{ value: 'airy', label: 'Airy' }, { value: 'snug' }] },
        { id: 'serif', kind: 'toggle', default: true },
      ]),
    );
    expect(errors).toEqual([]);
    expect(knobs).toEqual([
      { id: 'radius', kind: 'range', label: 'Radius', min: 0, max: 24, default: 8, step: 2, unit: 'px' },
      {
        id: 'tone',
        kind: 'steps',
        options: [
          { value: 'warm', label: 'warm' },
          { value: 'cool', label: 'cool' },
        ],
        default: 'cool',
      },
      {
        id: 'density',
        kind: 'steps',
        options: [
          { value: 'airy', label: 'Airy' },
          { value: 'snug', label: 'snug' },
        ],
        default: 'airy',
      },
      { id: 'serif', kind: 'toggle', default: true },
    ]);
  });

  it('defaults a missing range default to min and a missing toggle default to false', () => {
    expect(
      parseKnobs('[{"id":"a","kind":"range","min":2,"max":3},{"id":"t","kind":"toggle"}]').knobs,
    ).toEqual([
      { id: 'a', kind: 'range', min: 2, max: 3, default: 2 },
      { id: 't', kind: 'toggle', default: false },
    ]);
  });

  it('drops bad knobs with a message each and keeps the good ones', () => {
    const { knobs, errors } = parseKnobs(
      JSON.stringify([
        { id: 'ok', kind: 'toggle' },
        { id: 'ok', kind: 'toggle' },
        { kind: 'range', min: 0, max: 1 },
        { id: 'r', kind: 'range', min: 5, max: 1 },
        { id: 'd', kind: 'range', min: 0, max: 1, default: 3 },
        { id: 's', kind: 'steps', options: [] },
        { id: 's2', kind: 'steps', options: ['a'], default: 'b' },
        { id: 'w', kind: 'wheel' },
        { id: 'bad id', kind: 'toggle' },
      ]),
    );
    expect(knobs.map((k) => k.id)).toEqual(['ok']);
    expect(errors).toHaveLength(8);
    expect(errors[0]).toBe('knob "ok" is declared twice');
  });

  it('reports JSON that is not an array of knobs', () => {
    expect(parseKnobs('{').errors[0]).toMatch(/^data-impeccable-params is not valid JSON/);
    expect(parseKnobs('{"id":"a"}').errors).toEqual(['data-impeccable-params must be a JSON array of knobs']);
  });
});
