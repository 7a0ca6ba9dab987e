// Identifier rules shared by the wire, the journal and the CLI.

import * as v from 'valibot';
import { LIMITS } from './limits';

/** Sessions created by the browser: exactly 8 lowercase hex characters. */
export const BROWSER_SESSION_ID = /^[0-9a-f]{8}$/;
/** Session ids read from source markers or typed on the CLI (agents may have written other forms). */
export const SOURCE_SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Canonical variant id: "1" … "999", no leading zero. */
export const VARIANT_ID = /^[1-9][0-9]{0,2}$/;
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const OWNER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isBrowserSessionId(x: unknown): x is string {
  return typeof x === 'string' && BROWSER_SESSION_ID.test(x);
}

export function isSourceSessionId(x: unknown): x is string {
  return typeof x === 'string' && x.length <= 64 && SOURCE_SESSION_ID.test(x);
}

/**
 * Variant ids travel as strings ("1".."999"). Numbers 1..999 are accepted too because the page reads them
 * from `data-impeccable-variant` and some clients send them as numbers; they are normalised to the string
 * form so the journal, the machine and the rewriter only ever compare strings.
 */
export function normalizeVariantId(x: unknown): string | undefined {
  if (typeof x === 'string') return x.length <= 3 && VARIANT_ID.test(x) ? x : undefined;
  if (typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= LIMITS.variantMax) return String(x);
  return undefined;
}

const VARIANT_MESSAGE = `must be a variant id from "1" to "${LIMITS.variantMax}"`;

export const browserSessionIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(BROWSER_SESSION_ID, 'must be 8 lowercase hex characters'),
);

export const sourceSessionIdSchema = v.pipe(
  v.string('must be a string'),
  v.maxLength(64, 'must be at most 64 characters'),
  v.regex(SOURCE_SESSION_ID, 'must be 1 to 64 letters, digits, "_" or "-"'),
);

export const eventIdSchema = v.pipe(
  v.string('must be a string'),
  v.maxLength(LIMITS.eventId, `must be at most ${LIMITS.eventId} characters`),
  v.regex(EVENT_ID, `must be 1 to ${LIMITS.eventId} letters, digits, "_", ".", ":" or "-"`),
);

export const ownerIdSchema = v.pipe(
  v.string('must be a string'),
  v.maxLength(LIMITS.ownerId, `must be at most ${LIMITS.ownerId} characters`),
  v.regex(OWNER_ID, `must be 1 to ${LIMITS.ownerId} letters, digits, "_", ".", ":" or "-"`),
);

export const variantIdSchema = v.pipe(
  v.custom<string | number>((x) => normalizeVariantId(x) !== undefined, VARIANT_MESSAGE),
  v.transform((x): string => String(x)),
);
