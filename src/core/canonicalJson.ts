// Canonical JSON text: object keys sorted by UTF-16 code units (as JSON Canonicalization Scheme, RFC 8785,
// orders them), no whitespace, numbers and strings as JSON.stringify writes them, properties whose value
// is undefined omitted. Two values that mean the same JSON give byte-equal text, so states can be compared
// as strings (replay equivalence, snapshot checks).
import { LiveVariantsError } from './errors';

export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new LiveVariantsError('not_json', `${path} is ${value}, which JSON cannot represent.`, path);
      }
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (seen.has(value)) throw new LiveVariantsError('not_json', `${path} refers back to itself.`, path);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((item, i) => (item === undefined ? 'null' : write(item, `${path}[${i}]`, seen))).join(',')}]`;
      } else {
        const obj = value as Record<string, unknown>;
        const keys = Object.keys(obj)
          .filter((k) => obj[k] !== undefined)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k], `${path}.${k}`, seen)}`).join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new LiveVariantsError(
        'not_json',
        `${path} is a ${typeof value}, which JSON cannot represent.`,
        path,
      );
  }
}
