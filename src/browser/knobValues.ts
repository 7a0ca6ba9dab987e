// Knob values and what they do to a variant (DESIGN.md §2, docs/markers.md "Knobs"): range → CSS variable
// `--p-<id>` (with its unit), steps → attribute `data-p-<id>`, toggle → both (`--p-<id>: 1|0`, `data-p-<id>="on"`).
// Exactly what the accept rewrite bakes in, so the page looks the same before and after the accept.
import type { Knob, RangeKnob } from '../core/markers/types';
import type { Params, ParamValue } from './types';

export interface KnobEffects {
  /** CSS custom properties to set (value) or remove (null). */
  vars: [string, string | null][];
  /** Attributes to set (value) or remove (null). */
  attrs: [string, string | null][];
}

function decimals(n: number): number {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot === -1 ? 0 : s.length - dot - 1;
}

/** Clamps to [min, max] and snaps to the knob's step (without float noise such as 0.30000000000000004). */
export function snapRange(knob: RangeKnob, value: number): number {
  let v = Math.min(knob.max, Math.max(knob.min, value));
  if (knob.step !== undefined && knob.step > 0) {
    const steps = Math.round((v - knob.min) / knob.step);
    const places = Math.max(decimals(knob.step), decimals(knob.min));
    v = Number((knob.min + steps * knob.step).toFixed(places));
    if (v > knob.max) v = Number((v - knob.step).toFixed(places));
  }
  return v;
}

/** The value a knob takes for `raw` (from the page, the bridge or storage); invalid input gives the default. */
export function coerceParam(knob: Knob, raw: unknown): ParamValue {
  switch (knob.kind) {
    case 'range': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : Number.NaN;
      return Number.isFinite(n) ? snapRange(knob, n) : knob.default;
    }
    case 'steps': {
      const s = typeof raw === 'number' ? String(raw) : raw;
      return typeof s === 'string' && knob.options.some((o) => o.value === s) ? s : knob.default;
    }
    case 'toggle':
      if (raw === true || raw === 'on' || raw === 1 || raw === '1' || raw === 'true') return true;
      if (raw === false || raw === 'off' || raw === 0 || raw === '0' || raw === 'false') return false;
      return knob.default;
  }
}

/** One value per knob, in declaration order: the given value when valid, else the default. */
export function paramsFor(knobs: readonly Knob[], values: Params | undefined): Params {
  const out: Params = {};
  for (const k of knobs) out[k.id] = coerceParam(k, values?.[k.id]);
  return out;
}

export function knobEffects(knobs: readonly Knob[], params: Params): KnobEffects {
  const effects: KnobEffects = { vars: [], attrs: [] };
  for (const k of knobs) {
    const v = coerceParam(k, params[k.id]);
    if (k.kind === 'range') effects.vars.push([`--p-${k.id}`, `${v}${k.unit ?? ''}`]);
    else if (k.kind === 'steps') effects.attrs.push([`data-p-${k.id}`, String(v)]);
    else {
      effects.vars.push([`--p-${k.id}`, v ? '1' : '0']);
      effects.attrs.push([`data-p-${k.id}`, v ? 'on' : null]);
    }
  }
  return effects;
}

/** The value as the knob's label shows it. */
export function formatParam(knob: Knob, value: ParamValue): string {
  if (knob.kind === 'range') return `${value}${knob.unit ?? ''}`;
  if (knob.kind === 'toggle') return value ? 'on' : 'off';
  return knob.options.find((o) => o.value === value)?.label ?? String(value);
}
