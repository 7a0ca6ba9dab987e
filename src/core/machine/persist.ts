// Snapshot files: a canonical JSON form of a session snapshot (sorted keys, only the state and the context),
// and the way back. A snapshot file is a cache: anything that does not validate is refused with a
// LiveVariantsError so the caller rebuilds it from the journal.

import { LiveVariantsError } from '../errors';
import { isPlainObject } from '../protocol/fields';
import { parseWithSchema } from '../protocol/parse';
import { PHASES, type Phase, type SessionContext, sessionContextSchema } from './context';
import { sessionMachine } from './sessionMachine';
import { phaseOf, type SessionSnapshot } from './snapshot';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const PERSISTED_SNAPSHOT_VERSION = 1;

/** Sorted keys, -0 as 0, undefined members dropped: equal snapshots give byte-equal JSON. */
function canonical(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value)) return value.map(canonical);
  const out: JsonObject = {};
  for (const key of Object.keys(value as object).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = canonical(member);
  }
  return out;
}

export function toPersisted(snapshot: SessionSnapshot): JsonObject {
  return canonical({
    v: PERSISTED_SNAPSHOT_VERSION,
    state: phaseOf(snapshot),
    context: snapshot.context,
  }) as JsonObject;
}

/** `JSON.stringify(toPersisted(snapshot))`: the canonical text, handy for comparing snapshots. */
export function persistedJson(snapshot: SessionSnapshot): string {
  return JSON.stringify(toPersisted(snapshot));
}

function invalid(message: string, field?: string): LiveVariantsError {
  return new LiveVariantsError('snapshot_invalid', `session snapshot: ${message}`, field);
}

export function fromPersisted(json: unknown): SessionSnapshot {
  if (!isPlainObject(json)) throw invalid('must be a JSON object');
  if (json.v !== PERSISTED_SNAPSHOT_VERSION) {
    throw invalid(`version must be ${PERSISTED_SNAPSHOT_VERSION}`, 'v');
  }
  const state = json.state;
  if (typeof state !== 'string' || !(PHASES as readonly string[]).includes(state)) {
    throw invalid('state must be one of the session states', 'state');
  }
  const parsed = parseWithSchema<SessionContext>(sessionContextSchema, 'session snapshot', json.context);
  if (!parsed.ok) {
    const field = parsed.error.field === undefined ? 'context' : `context.${parsed.error.field}`;
    throw new LiveVariantsError('snapshot_invalid', parsed.error.message, field);
  }
  const context = parsed.value;
  if ((state === 'stranded') !== (context.strandedFrom !== null)) {
    throw invalid('strandedFrom must be set exactly when the state is stranded', 'context.strandedFrom');
  }
  if ((state === 'complete') !== (context.outcome !== null)) {
    throw invalid('outcome must be set exactly when the state is complete', 'context.outcome');
  }
  return sessionMachine.resolveState({ value: state as Phase, context });
}
