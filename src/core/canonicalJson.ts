// Canonical JSON text: object keys sorted by UTF-16 code units (as JSON Canonicalization Scheme, RFC 8785,
// orders them), no whitespace, numbers and strings as JSON.stringify writes them, properties whose value
// is undefined omitted. Two values that mean the same JSON give byte-equal text, so states and ack results
// can be compared as strings (replay equivalence, snapshot checks, the idempotent re-ack check).
import { LiveVariantsError } from './errors';

export interface CanonicalJsonOptions {
  /** Deeper nesting is refused (untrusted input); default unlimited. */
  maxDepth?: number;
  /** Refuse objects whose prototype is not Object.prototype or null (class instances, Dates…). */
  plainObjectsOnly?: boolean;
  /** Name of the root in error paths; default `$`. */
  root?: string;
}

/** Throws `LiveVariantsError('not_json', …)` with the path of the offending member as `field`. */
export function canonicalJson(value: unknown, opts: CanonicalJsonOptions = {}): string {
  const out: string[] = [];
  write(value, opts.root ?? '$', 0, new Set(), out, opts);
  return out.join('');
}

function write(
  value: unknown,
  path: string,
  depth: number,
  seen: Set<object>,
  out: string[],
  opts: CanonicalJsonOptions,
): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, `is ${value}, which JSON cannot represent`);
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw notJson(path, `is a ${typeof value}, which JSON cannot represent`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (opts.maxDepth !== undefined && depth >= opts.maxDepth) {
    throw notJson(path, `nests deeper than ${opts.maxDepth} levels`);
  }
  if (seen.has(value)) throw notJson(path, 'refers back to itself');
  seen.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      // As JSON.stringify does: a hole or undefined in an array is null.
      if (value[i] === undefined) out.push('null');
      else write(value[i], `${path}[${i}]`, depth + 1, seen, out, opts);
    }
    out.push(']');
  } else {
    if (opts.plainObjectsOnly) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw notJson(path, 'is not a plain object');
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      if (obj[key] === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(obj[key], `${path}.${key}`, depth + 1, seen, out, opts);
    }
    out.push('}');
  }
  seen.delete(value);
}

function notJson(path: string, why: string): LiveVariantsError {
  return new LiveVariantsError('not_json', `${path} ${why}.`, path);
}
