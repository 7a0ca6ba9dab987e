// Identifier and short-text rules for agents and questions. Agent ids arrive from the CLI, the environment
// and HTTP paths (untrusted), so every public entry point checks them here and refuses with a field name.
import { LiveVariantsError } from '../errors';

/** The CLI's rule (`--agent`, LIVE_VARIANTS_AGENT): 1–64 of `A–Z a–z 0–9 _ . : -`. */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Question ids share the agent id alphabet so they fit in journal event ids and URLs unescaped. */
export const QUESTION_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isAgentId(v: unknown): v is string {
  return typeof v === 'string' && AGENT_ID_PATTERN.test(v);
}

function shown(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 80)) : typeof v;
}

export function validateAgentId(v: unknown, field = 'agentId'): string {
  if (!isAgentId(v)) {
    throw new LiveVariantsError(
      'invalid_agent_id',
      `${field} must be 1 to 64 letters, digits, "_", ".", ":" or "-", not ${shown(v)}.`,
      field,
    );
  }
  return v;
}

export function validateQuestionId(v: unknown, field = 'questionId'): string {
  if (typeof v !== 'string' || !QUESTION_ID_PATTERN.test(v)) {
    throw new LiveVariantsError(
      'invalid_question_id',
      `${field} must be 1 to 64 letters, digits, "_", ".", ":" or "-", not ${shown(v)}.`,
      field,
    );
  }
  return v;
}

/**
 * A short single-line label (agent name, harness): control characters become spaces, runs of white space
 * collapse, and the result is cut to `max` characters. Empty after cleaning → `fallback`.
 */
export function cleanLabel(v: unknown, field: string, max: number, fallback: string): string {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') {
    throw new LiveVariantsError('invalid_input', `${field} must be a string.`, field);
  }
  let out = '';
  let space = false;
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    const blank = c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x2028 || c === 0x2029 || isBidiControl(c);
    if (blank) {
      space = out.length > 0;
      continue;
    }
    const piece = space ? ` ${ch}` : ch;
    if (out.length + piece.length > max) break;
    out += piece;
    space = false;
  }
  return out.length === 0 ? fallback : out;
}

/** Explicit bidi embeddings, overrides and isolates: they reorder what follows them on screen. */
export function isBidiControl(c: number): boolean {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}
