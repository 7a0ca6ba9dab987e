// What a session remembers between events. Everything is JSON data (null, never undefined) so a snapshot file
// round-trips exactly and replay from a snapshot equals replay from the start.

import * as v from 'valibot';
import type { Params } from '../protocol/browserEvents';
import { paramsSchema } from '../protocol/browserEvents';
import { boolean, integerIn, list, oneOf, plainObject, text } from '../protocol/fields';
import { ownerIdSchema, sourceSessionIdSchema, variantIdSchema } from '../protocol/ids';
import { LIMITS } from '../protocol/limits';

/** The machine's states (DESIGN.md §3), flat: the state value is always one of these strings. */
export const PHASES = [
  'configuring',
  'generating',
  'source_wrapped',
  'variants_written',
  'cycling',
  'accept_pending',
  'discard_pending',
  'accepted_source_pending',
  'stranded',
  'failed',
  'complete',
] as const;
export type Phase = (typeof PHASES)[number];

/** States a session can be stranded in, and therefore resumed to. */
export const RESUMABLE_PHASES = [
  'generating',
  'source_wrapped',
  'variants_written',
  'cycling',
  'accept_pending',
  'discard_pending',
  'accepted_source_pending',
  'failed',
] as const;
export type ResumablePhase = (typeof RESUMABLE_PHASES)[number];

/** States in which the user's decision is made and only its completion may follow. */
export const DECIDED_PHASES = ['accept_pending', 'discard_pending', 'accepted_source_pending'] as const;

export type Outcome = 'accepted' | 'discarded';

/** How many browser owners keep a revision; beyond it the least recently advanced owner is forgotten. */
export const MAX_CHECKPOINT_OWNERS = 32;

export interface OwnerRevision {
  owner: string;
  revision: number;
}

export interface SessionContext {
  sessionId: string;
  /** Generate requests so far; the current request is number `generation`. */
  generation: number;
  mode: 'replace' | 'insert' | null;
  position: 'before' | 'after' | null;
  /** Variants requested. */
  count: number | null;
  action: string | null;
  fileHint: string | null;
  /** The file holding the variants, once an agent or a scan names it. */
  file: string | null;
  /** Variant blocks known to be in source (from a scan or the agent's `done`). */
  variantsSeen: number;
  /** Markers may be in source, so a discard owes a restore. */
  sourceTouched: boolean;
  visibleVariant: string | null;
  params: Params;
  /** Last revision per browser owner, least recently advanced first. */
  checkpoints: OwnerRevision[];
  acceptedVariant: string | null;
  acceptedParams: Params | null;
  /** The accept left carbonize markers (cleanup owed or done). */
  carbonized: boolean;
  outcome: Outcome | null;
  /** The completion was inferred from source markers rather than reported. */
  syntheticCompletion: boolean;
  strandedFrom: ResumablePhase | null;
  strandReason: string | null;
  /** The user closed the live UI; variants arriving now strand the session until it reopens. */
  browserClosed: boolean;
  /** Why the session is `failed`. */
  failure: string | null;
  /** The last error any agent reported, whatever the state. */
  lastError: string | null;
  retries: number;
}

export function initialContext(sessionId: string): SessionContext {
  return {
    sessionId,
    generation: 0,
    mode: null,
    position: null,
    count: null,
    action: null,
    fileHint: null,
    file: null,
    variantsSeen: 0,
    sourceTouched: false,
    visibleVariant: null,
    params: {},
    checkpoints: [],
    acceptedVariant: null,
    acceptedParams: null,
    carbonized: false,
    outcome: null,
    syntheticCompletion: false,
    strandedFrom: null,
    strandReason: null,
    browserClosed: false,
    failure: null,
    lastError: null,
    retries: 0,
  };
}

const count = integerIn(0, Number.MAX_SAFE_INTEGER);

/** Validates a context read back from a snapshot file (which may be stale, foreign or damaged). */
export const sessionContextSchema = plainObject({
  sessionId: sourceSessionIdSchema,
  generation: count,
  mode: v.nullable(oneOf(['replace', 'insert'])),
  position: v.nullable(oneOf(['before', 'after'])),
  count: v.nullable(integerIn(1, LIMITS.countMax)),
  action: v.nullable(text(LIMITS.action)),
  fileHint: v.nullable(text(LIMITS.fileHint)),
  file: v.nullable(text(LIMITS.file)),
  variantsSeen: integerIn(0, LIMITS.variantMax),
  sourceTouched: boolean(),
  visibleVariant: v.nullable(variantIdSchema),
  params: paramsSchema,
  checkpoints: list(plainObject({ owner: ownerIdSchema, revision: count }), MAX_CHECKPOINT_OWNERS),
  acceptedVariant: v.nullable(variantIdSchema),
  acceptedParams: v.nullable(paramsSchema),
  carbonized: boolean(),
  outcome: v.nullable(oneOf(['accepted', 'discarded'])),
  syntheticCompletion: boolean(),
  strandedFrom: v.nullable(oneOf(RESUMABLE_PHASES)),
  strandReason: v.nullable(text(LIMITS.reason)),
  browserClosed: boolean(),
  failure: v.nullable(text(LIMITS.errorMessage)),
  lastError: v.nullable(text(LIMITS.errorMessage)),
  retries: count,
});

/** Last checkpoint revision seen from `owner`, or undefined when the owner has not sent one. */
export function lastRevision(context: SessionContext, owner: string): number | undefined {
  return context.checkpoints.find((c) => c.owner === owner)?.revision;
}

/** Records `owner`'s new revision, moving it to the end and forgetting the oldest owner past the cap. */
export function withRevision(checkpoints: OwnerRevision[], owner: string, revision: number): OwnerRevision[] {
  const next = checkpoints.filter((c) => c.owner !== owner);
  next.push({ owner, revision });
  return next.length > MAX_CHECKPOINT_OWNERS ? next.slice(next.length - MAX_CHECKPOINT_OWNERS) : next;
}
