// Knob definitions from a variant's `data-impeccable-params` JSON. Tolerant like the browser that
// reads them: a bad knob is dropped with a message, the good ones still count.
import type { Knob, RangeKnob, StepsKnob, ToggleKnob } from './types';

const KNOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function label(raw: Record<string, unknown>): { label?: string } {
  return typeof raw.label === 'string' ? { label: raw.label } : {};
}

function rangeKnob(id: string, raw: Record<string, unknown>): RangeKnob | string {
  const min = finite(raw.min);
  const max = finite(raw.max);
  if (min === undefined || max === undefined) return `range knob "${id}" needs numeric min and max`;
  if (min > max) return `range knob "${id}" has min ${min} above max ${max}`;
  const def = raw.default === undefined ? min : finite(raw.default);
  if (def === undefined || def < min || def > max)
    return `range knob "${id}" default must be a number within [${min}, ${max}]`;
  const knob: RangeKnob = { id, kind: 'range', ...label(raw), min, max, default: def };
  const step = finite(raw.step);
  if (step !== undefined && step > 0) knob.step = step;
  if (typeof raw.unit === 'string' && /^[A-Za-z%]{1,8}$/.test(raw.unit)) knob.unit = raw.unit;
  return knob;
}

function stepsKnob(id: string, raw: Record<string, unknown>): StepsKnob | string {
  if (!Array.isArray(raw.options) || raw.options.length === 0)
    return `steps knob "${id}" needs a non-empty options list`;
  const options: { value: string; label: string }[] = [];
  for (const o of raw.options) {
    if (typeof o === 'string' || typeof o === 'number') options.push({ value: String(o), label: String(o) });
    else if (isRecord(o) && (typeof o.value === 'string' || typeof o.value === 'number')) {
      const value = String(o.value);
      options.push({ value, label: typeof o.label === 'string' ? o.label : value });
    } else return `steps knob "${id}" has an option that is neither a string nor {value, label}`;
  }
  const values = new Set(options.map((o) => o.value));
  if (values.size !== options.length) return `steps knob "${id}" repeats an option value`;
  const def = raw.default === undefined ? options[0].value : String(raw.default);
  if (!values.has(def)) return `steps knob "${id}" default "${def}" is not one of its options`;
  return { id, kind: 'steps', ...label(raw), options, default: def };
}

function toggleKnob(id: string, raw: Record<string, unknown>): ToggleKnob | string {
  if (raw.default !== undefined && typeof raw.default !== 'boolean')
    return `toggle knob "${id}" default must be true or false`;
  return { id, kind: 'toggle', ...label(raw), default: raw.default === true };
}

/** Parses the attribute's JSON into knobs plus one message per knob (or per document) that was dropped. */
export function parseKnobs(json: string): { knobs: Knob[]; errors: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return { knobs: [], errors: [`data-impeccable-params is not valid JSON (${(e as Error).message})`] };
  }
  if (!Array.isArray(parsed))
    return { knobs: [], errors: ['data-impeccable-params must be a JSON array of knobs'] };
  const knobs: Knob[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const raw of parsed) {
    if (!isRecord(raw) || typeof raw.id !== 'string' || !KNOB_ID.test(raw.id)) {
      errors.push('a knob needs an "id" of letters, digits, "_" or "-"');
      continue;
    }
    if (seen.has(raw.id)) {
      errors.push(`knob "${raw.id}" is declared twice`);
      continue;
    }
    const result =
      raw.kind === 'range'
        ? rangeKnob(raw.id, raw)
        : raw.kind === 'steps'
          ? stepsKnob(raw.id, raw)
          : raw.kind === 'toggle'
            ? toggleKnob(raw.id, raw)
            : `knob "${raw.id}" has unknown kind ${JSON.stringify(raw.kind)} (range, steps or toggle)`;
    if (typeof result === 'string') errors.push(result);
    else {
      seen.add(raw.id);
      knobs.push(result);
    }
  }
  return { knobs, errors };
}
