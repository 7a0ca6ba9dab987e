// Checks what a caller asks the journal to append, before anything is queued: bounded strings, plain JSON
// data (copied, so a caller mutating its object later cannot change the record in memory), and the secret
// guard. Everything refused here is a LiveVariantsError with the field at fault; nothing reaches the disk.
import { LiveVariantsError } from '../errors';
import type { AppendInput } from './types';

export const MAX_EVENT_ID_LENGTH = 256;
export const MAX_TYPE_LENGTH = 128;
export const MAX_DATA_DEPTH = 64;

/** Key names that mean a credential. Refused at any depth, compared case-insensitively. */
const SECRET_KEYS = new Set(['token', 'authorization']);

export interface CheckedInput {
  eventId: string;
  type: string;
  at: string | undefined;
  data: Record<string, unknown>;
}

function bad(code: string, field: string, message: string): LiveVariantsError {
  return new LiveVariantsError(code, message, field);
}

function checkString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw bad(
      'journal_bad_input',
      field,
      `${field} must be a non-empty string of at most ${max} characters.`,
    );
  }
  return value;
}

export function checkAppendInput(input: AppendInput): CheckedInput {
  if (typeof input !== 'object' || input === null) {
    throw bad('journal_bad_input', 'input', 'An append takes an object {eventId, type, data}.');
  }
  const eventId = checkString(input.eventId, 'eventId', MAX_EVENT_ID_LENGTH);
  const type = checkString(input.type, 'type', MAX_TYPE_LENGTH);
  let at: string | undefined;
  if (input.at !== undefined) {
    at = checkString(input.at, 'at', 64);
    if (Number.isNaN(Date.parse(at))) throw bad('journal_bad_input', 'at', 'at must be an ISO 8601 time.');
  }
  const data = copyJsonObject(input.data, 'data');
  return { eventId, type, at, data };
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies plain JSON: objects, arrays, strings, finite numbers, booleans, null. Object properties whose
 * value is `undefined` are dropped (as JSON.stringify would); anything else that JSON cannot carry exactly is
 * refused. Refuses keys named like a credential (see SECRET_KEYS) at any depth.
 */
export function copyJsonObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) {
    throw bad('journal_bad_input', field, `${field} must be a plain JSON object.`);
  }
  return copyValue(value, field, 0) as Record<string, unknown>;
}

/** Deep-copies any JSON value (see copyJsonObject); `undefined` at the top is refused. */
export function copyJsonValue(value: unknown, field: string): unknown {
  if (value === undefined) throw bad('journal_bad_input', field, `${field} is undefined.`);
  return copyValue(value, field, 0);
}

function copyValue(value: unknown, path: string, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw bad('journal_bad_input', path, `${path} is not a finite number.`);
      return value === 0 ? 0 : value; // -0 would come back from JSON as 0
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DATA_DEPTH) {
        throw bad('journal_bad_input', path, `${path} nests deeper than ${MAX_DATA_DEPTH} levels.`);
      }
      if (Array.isArray(value)) {
        return value.map((item, i) => {
          if (item === undefined)
            throw bad('journal_bad_input', `${path}[${i}]`, `${path}[${i}] is undefined.`);
          return copyValue(item, `${path}[${i}]`, depth + 1);
        });
      }
      if (!isPlainObject(value)) {
        throw bad(
          'journal_bad_input',
          path,
          `${path} is not a plain JSON object (class instances are refused).`,
        );
      }
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const itemPath = `${path}.${key}`;
        if (SECRET_KEYS.has(key.toLowerCase())) {
          throw bad(
            'journal_secret_refused',
            itemPath,
            `${itemPath}: the journal never stores credentials; remove the "${key}" key before appending.`,
          );
        }
        if (item === undefined) continue;
        const copied = copyValue(item, itemPath, depth + 1);
        // A plain assignment to "__proto__" would set the prototype instead of storing the key.
        if (key === '__proto__') {
          Object.defineProperty(out, key, {
            value: copied,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[key] = copied;
        }
      }
      return out;
    }
    default:
      throw bad('journal_bad_input', path, `${path} is a ${typeof value}, which JSON cannot store.`);
  }
}
