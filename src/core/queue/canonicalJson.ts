// Canonical JSON of an agent's ack result (src/core/canonicalJson.ts, with the limits untrusted input needs),
// so two results that mean the same thing compare equal as strings: the idempotent re-ack check.
import { canonicalJson as canonicalText } from '../canonicalJson';
import { isLiveVariantsError, LiveVariantsError } from '../errors';
import type { JsonValue } from './types';

const MAX_DEPTH = 64;

export function canonicalJson(value: unknown, field = 'result'): string {
  try {
    return canonicalText(value, { maxDepth: MAX_DEPTH, plainObjectsOnly: true, root: field });
  } catch (e) {
    if (isLiveVariantsError(e) && e.code === 'not_json') {
      const path = e.field ?? field;
      throw new LiveVariantsError(
        'invalid_result',
        `${e.message.replace(/\.$/, '')}; an ack result must be plain JSON.`,
        field,
        { path },
      );
    }
    throw e;
  }
}

/** The canonical form as a value: what gets recorded and journaled. */
export function canonicalize(value: unknown, field = 'result'): { json: string; value: JsonValue } {
  const json = canonicalJson(value, field);
  return { json, value: JSON.parse(json) as JsonValue };
}
