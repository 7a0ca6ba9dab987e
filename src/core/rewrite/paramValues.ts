// Param values chosen in the browser, checked against the accepted variant's knobs, and how they are
// applied to the accepted content: range → `--p-<id>: v<unit>`, steps → `data-p-<id>="v"`, toggle →
// `--p-<id>: 1|0` plus `data-p-<id>="on"` when on — what the browser set while the user looked at it.
import { LiveVariantsError } from '../errors';
import type { Flavour, Knob, ParamValue } from '../markers/types';

function invalid(id: string, message: string): LiveVariantsError {
  return new LiveVariantsError('invalid_input', message, `params.${id}`);
}

function rangeValue(knob: Extract<Knob, { kind: 'range' }>, raw: unknown): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw invalid(knob.id, `param ${knob.id} must be a number`);
  if (n < knob.min || n > knob.max)
    throw invalid(knob.id, `param ${knob.id} must be within [${knob.min}, ${knob.max}]`);
  return n;
}

function stepsValue(knob: Extract<Knob, { kind: 'steps' }>, raw: unknown): string {
  const v = typeof raw === 'number' ? String(raw) : raw;
  if (typeof v !== 'string' || !knob.options.some((o) => o.value === v)) {
    throw invalid(
      knob.id,
      `param ${knob.id} must be one of ${knob.options.map((o) => JSON.stringify(o.value)).join(', ')}`,
    );
  }
  return v;
}

function toggleValue(knob: Extract<Knob, { kind: 'toggle' }>, raw: unknown): boolean {
  if (raw === true || raw === 1 || raw === 'true' || raw === 'on' || raw === '1') return true;
  if (raw === false || raw === 0 || raw === 'false' || raw === 'off' || raw === '0') return false;
  throw invalid(knob.id, `param ${knob.id} must be true or false`);
}

/** One value per knob, in declaration order: the given one (checked), else the knob's default. */
export function resolveParamValues(knobs: readonly Knob[], params: unknown): Record<string, ParamValue> {
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
    throw new LiveVariantsError('invalid_input', 'params must be an object of knob id → value', 'params');
  }
  const given = (params ?? {}) as Record<string, unknown>;
  const out: Record<string, ParamValue> = {};
  for (const knob of knobs) {
    const raw = Object.hasOwn(given, knob.id) ? given[knob.id] : undefined;
    if (raw === undefined || raw === null) out[knob.id] = knob.default;
    else if (knob.kind === 'range') out[knob.id] = rangeValue(knob, raw);
    else if (knob.kind === 'steps') out[knob.id] = stepsValue(knob, raw);
    else out[knob.id] = toggleValue(knob, raw);
  }
  return out;
}

function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function cssNumber(n: number): string {
  return String(n);
}

/**
 * The accepted variant div's opening tag in the carbonize form, with param values applied as the
 * browser applied them.
 */
export function carbonizedVariantTag(
  flavour: Flavour,
  key: number,
  knobs: readonly Knob[],
  values: Readonly<Record<string, ParamValue>>,
): string {
  const attrs: string[] = [];
  const vars: [string, string][] = [];
  for (const knob of knobs) {
    const v = values[knob.id];
    if (knob.kind === 'range') vars.push([`--p-${knob.id}`, `${cssNumber(v as number)}${knob.unit ?? ''}`]);
    else if (knob.kind === 'steps') attrs.push(` data-p-${knob.id}="${escapeAttr(String(v))}"`);
    else {
      vars.push([`--p-${knob.id}`, v ? '1' : '0']);
      if (v) attrs.push(` data-p-${knob.id}="on"`);
    }
  }
  const style =
    flavour === 'jsx'
      ? `style={{ display: "contents"${vars.map(([k, v]) => `, "${k}": "${v}"`).join('')} }}`
      : `style="display: contents${vars.map(([k, v]) => `; ${k}: ${v}`).join('')}"`;
  return `<div data-impeccable-variant="${key}"${attrs.join('')} ${style}>`;
}
