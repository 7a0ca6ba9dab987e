// Canonical JSON of an agent's ack result: object keys sorted, undefined object members dropped, so two
// results that mean the same thing compare equal as strings (the idempotent re-ack check).
import { LiveVariantsError } from '../errors';
import type { JsonValue } from './types';

const MAX_DEPTH = 64;

export function canonicalJson(value: unknown, field = 'result'): string {
  const parts: string[] = [];
  try {
    write(value, field, 0, new Set<object>(), parts);
  } catch (e) {
    if (e instanceof BadValue) {
      throw new LiveVariantsError(
        'invalid_result',
        `${e.path} ${e.message}; an ack result must be plain JSON.`,
        field,
        { path: e.path },
      );
    }
    throw e;
  }
  return parts.join('');
}

/** The canonical form as a value: what gets recorded and journaled. */
export function canonicalize(value: unknown, field = 'result'): { json: string; value: JsonValue } {
  const json = canonicalJson(value, field);
  return { json, value: JSON.parse(json) as JsonValue };
}

function write(v: unknown, path: string, depth: number, ancestors: Set<object>, out: string[]): void {
  if (v === null) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(v));
      return;
    case 'number':
      if (!Number.isFinite(v)) throw invalid(path, 'is not a finite number');
      out.push(JSON.stringify(v));
      return;
    case 'object':
      break;
    default:
      throw invalid(path, `is ${typeof v}, which JSON cannot carry`);
  }
  const obj = v as object;
  if (depth >= MAX_DEPTH) throw invalid(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (ancestors.has(obj)) throw invalid(path, 'contains a cycle');
  ancestors.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out.push(',');
      write(obj[i], `${path}[${i}]`, depth + 1, ancestors, out);
    }
    out.push(']');
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) throw invalid(path, 'is not a plain object');
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      if (rec[key] === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(rec[key], `${path}.${key}`, depth + 1, ancestors, out);
    }
    out.push('}');
  }
  ancestors.delete(obj);
}

class BadValue extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(why);
  }
}

function invalid(path: string, why: string): BadValue {
  return new BadValue(path, why);
}
