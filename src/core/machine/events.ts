// The session machine's event vocabulary. Each type is also the journal record type that carries it, and the
// record's `data` is the event without its `type`. Browser events and agent results arrive through the
// protocol layer; the rest are produced by the engine (source scans, rewrites, presence checks).

import * as v from 'valibot';
import type { AgentResult } from '../protocol/agentResults';
import { doneEntries, errorEntries, retryEntries } from '../protocol/agentResults';
import type { BrowserEvent } from '../protocol/browserEvents';
import {
  acceptEntries,
  checkpointEntries,
  generateDataSchema,
  paramsSchema,
} from '../protocol/browserEvents';
import { boolean, integerIn, isPlainObject, plainObject, text } from '../protocol/fields';
import { variantIdSchema } from '../protocol/ids';
import { LIMITS } from '../protocol/limits';

const fileEntry = { file: v.optional(text(LIMITS.file)) };

export const sessionEventDataSchemas = {
  /** The user asked for variants (or for new ones, replacing the current request). */
  'browser.generate': generateDataSchema,
  /** The page shows `variant` with `params`; `revision` is monotonic per `owner` (page/tab). */
  'browser.checkpoint': plainObject(checkpointEntries),
  'browser.accept': plainObject(acceptEntries),
  'browser.discard': plainObject({}),
  /** The user closed the live UI. */
  'browser.exit': plainObject({}),
  /** Agent results, one per acked lease. */
  'agent.done': plainObject(doneEntries),
  'agent.error': plainObject(errorEntries),
  'agent.complete': plainObject({}),
  'agent.discarded': plainObject({}),
  'agent.retry': plainObject(retryEntries),
  /** The scanner sees the wrapper with only the original block. */
  'source.wrapped': plainObject(fileEntry),
  /** The scanner sees `count` variant blocks. */
  'source.variants_seen': plainObject({ count: integerIn(1, LIMITS.variantMax), ...fileEntry }),
  /** The rewriter kept the accepted variant; `carbonize` when cleanup markers were left behind. */
  'accept.applied': plainObject({
    carbonize: boolean(),
    variant: variantIdSchema,
    params: v.optional(paramsSchema, () => ({})),
  }),
  /** The rewriter restored the original source. */
  'discard.applied': plainObject({}),
  /** No markers of the session remain; `synthetic` when the reconciler inferred it from a scan. */
  'cleanup.completed': plainObject({ synthetic: v.optional(boolean()) }),
  /** Work is owed but nobody can do it (bridge restart, expired lease and no agent, browser gone). */
  'session.strand': plainObject({ reason: text(LIMITS.reason) }),
  /** The interruption is over: return to exactly the state the session was stranded in. */
  'session.resume': plainObject({}),
} as const;

type Schemas = typeof sessionEventDataSchemas;
export type SessionEventType = keyof Schemas;
export const SESSION_EVENT_TYPES = Object.keys(sessionEventDataSchemas) as SessionEventType[];

export type SessionEventOf<K extends SessionEventType> = { type: K } & v.InferOutput<Schemas[K]>;
export type SessionEvent = { [K in SessionEventType]: SessionEventOf<K> }[SessionEventType];

/** A journal record as far as the machine cares: its type and its data. */
export interface EventRecord {
  type: string;
  data: Record<string, unknown>;
}

export function isSessionEventType(type: unknown): type is SessionEventType {
  return typeof type === 'string' && Object.hasOwn(sessionEventDataSchemas, type);
}

/**
 * The machine event a journal record carries, or undefined when the record is not a machine event (queue,
 * diagnostic or agent bookkeeping records) or its data does not validate. Never throws.
 */
export function eventFromRecord(record: { type: unknown; data: unknown }): SessionEvent | undefined {
  try {
    const { type, data } = record;
    if (!isSessionEventType(type) || !isPlainObject(data)) return undefined;
    const parsed = v.safeParse(sessionEventDataSchemas[type], data, { abortEarly: true });
    if (!parsed.success) return undefined;
    return { ...(parsed.output as object), type } as SessionEvent;
  } catch {
    return undefined;
  }
}

/** The journal record for a machine event: `{type, data}` with `data` free of undefined values. */
export function recordFromEvent(event: SessionEvent): EventRecord {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key !== 'type' && value !== undefined) data[key] = value;
  }
  return { type: event.type, data };
}

/** Strips the envelope (`sessionId`, `eventId` travel in the journal record, not in the event). */
export function sessionEventFromBrowser(event: BrowserEvent): SessionEvent {
  const { type, sessionId: _sessionId, eventId: _eventId, ...data } = event;
  return { ...data, type: `browser.${type}` } as SessionEvent;
}

export function sessionEventFromAgent(result: AgentResult): SessionEvent {
  const { type, ...data } = result;
  return { ...data, type: `agent.${type}` } as SessionEvent;
}
