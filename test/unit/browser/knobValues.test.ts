import { describe, expect, it } from 'vitest';
import { coerceParam, formatParam, knobEffects, paramsFor, snapRange } from '../../../src/browser/knobValues';
import type { Knob, RangeKnob } from '../../../src/core/markers/types';

const pad: RangeKnob = { id: 'pad', kind: 'range', min: 0, max: 48, step: 4, default: 16, unit: 'px' };
const opacity: RangeKnob = { id: 'o', kind: 'range', min: 0, max: 1, step: 0.1, default: 1 };
const tone: Knob = {
  id: 'tone',
  kind: 'steps',
  options: [
    { value: 'cool', label: 'Cool' },
    { value: 'warm', label: 'Warm' },
  ],
  default: 'cool',
};
const shadow: Knob = { id: 'shadow', kind: 'toggle', default: false };

describe('knob values', () => {
  it('snaps ranges to their step within [min, max], without float noise', () => {
    expect(snapRange(pad, 17)).toBe(16);
    expect(snapRange(pad, 19)).toBe(20);
    expect(snapRange(pad, 99)).toBe(48);
    expect(snapRange(pad, -5)).toBe(0);
    expect(snapRange(opacity, 0.30000000000000004)).toBe(0.3);
    expect(snapRange({ ...pad, step: undefined }, 17.5)).toBe(17.5);
  });

  it('coerces values from the page, the bridge or storage; anything invalid is the default', () => {
    expect(coerceParam(pad, '24')).toBe(24);
    expect(coerceParam(pad, 'wide')).toBe(16);
    expect(coerceParam(tone, 'warm')).toBe('warm');
    expect(coerceParam(tone, 'hot')).toBe('cool');
    expect(coerceParam(shadow, 'on')).toBe(true);
    expect(coerceParam(shadow, 0)).toBe(false);
    expect(coerceParam(shadow, 'maybe')).toBe(false);
    expect(paramsFor([pad, tone, shadow], { pad: 30, stray: 1 })).toEqual({
      pad: 32,
      tone: 'cool',
      shadow: false,
    });
  });

  it('range → --p-<id> with unit, steps → data-p-<id>, toggle → both (data-p-<id> only when on)', () => {
    expect(knobEffects([pad, tone, shadow], { pad: 24, tone: 'warm', shadow: true })).toEqual({
      vars: [
        ['--p-pad', '24px'],
        ['--p-shadow', '1'],
      ],
      attrs: [
        ['data-p-tone', 'warm'],
        ['data-p-shadow', 'on'],
      ],
    });
    expect(knobEffects([shadow], { shadow: false })).toEqual({
      vars: [['--p-shadow', '0']],
      attrs: [['data-p-shadow', null]],
    });
  });

  it('formats values for the knob labels', () => {
    expect(formatParam(pad, 24)).toBe('24px');
    expect(formatParam(tone, 'warm')).toBe('Warm');
    expect(formatParam(shadow, true)).toBe('on');
  });
});
