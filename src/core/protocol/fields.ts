// Building blocks for the wire schemas. Each one carries its own readable message (the part after the field
// name in `{field} {message}`), and each container checks "plain object"/"plain array" and its size cap
// *before* valibot walks it, so huge or exotic inputs are refused without being traversed.

import * as v from 'valibot';

/** Object literal or `Object.create(null)`; not an array, not null, not a class instance. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A real array (not a subclass, not an array-like). */
export function isPlainArray(x: unknown): x is unknown[] {
  return Array.isArray(x) && Object.getPrototypeOf(x) === Array.prototype;
}

/** Counts own enumerable keys, stopping as soon as the cap is passed (a huge map is not enumerated twice). */
function hasAtMostKeys(o: Record<string, unknown>, max: number): boolean {
  let n = 0;
  for (const k in o) {
    if (Object.hasOwn(o, k) && ++n > max) return false;
  }
  return true;
}

export function text(max: number) {
  return v.pipe(v.string('must be a string'), v.maxLength(max, `must be at most ${max} characters`));
}

/** A short identifier matching `pattern` (which must itself bound the length). */
export function token(max: number, pattern: RegExp, description: string) {
  return v.pipe(
    v.string('must be a string'),
    v.maxLength(max, `must be at most ${max} characters`),
    v.regex(pattern, `must be ${description}`),
  );
}

export function finiteNumber() {
  return v.pipe(v.number('must be a number'), v.finite('must be a finite number'));
}

export function nonNegativeNumber() {
  return v.pipe(
    v.number('must be a number'),
    v.finite('must be a finite number'),
    v.minValue(0, 'must not be negative'),
  );
}

export function integerIn(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

export function boolean() {
  return v.boolean('must be true or false');
}

export function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, `must be one of ${options.map((o) => `"${o}"`).join(', ')}`);
}

export function plainObject<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(v.custom<Record<string, unknown>>(isPlainObject, 'must be an object'), v.object(entries));
}

export function list<const S extends v.GenericSchema>(item: S, max: number) {
  return v.pipe(
    v.custom<unknown[]>(isPlainArray, 'must be an array'),
    v.check((a) => a.length <= max, `must have at most ${max} items`),
    v.array(item),
  );
}

export function pair<const S extends v.GenericSchema>(item: S) {
  return v.pipe(
    v.custom<unknown[]>(isPlainArray, 'must be an array of two numbers'),
    v.check((a) => a.length === 2, 'must be an array of two numbers'),
    v.tuple([item, item]),
  );
}

export function dict<const K extends v.GenericSchema<string, string>, const S extends v.GenericSchema>(
  key: K,
  value: S,
  maxKeys: number,
) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, 'must be an object'),
    v.check((o) => hasAtMostKeys(o, maxKeys), `must have at most ${maxKeys} keys`),
    v.record(key, value),
  );
}
