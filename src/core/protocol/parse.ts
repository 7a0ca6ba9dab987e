// Turning untrusted input into typed events. Never throws: whatever arrives (huge, deep, cyclic, getters that
// throw, Proxies) becomes either a typed value or an ErrorBody naming the first offending field.

import * as v from 'valibot';
import type { ErrorBody } from '../errors';
import { type AgentResult, agentResultSchemas } from './agentResults';
import { type BrowserEvent, browserEventSchemas } from './browserEvents';
import { isPlainObject } from './fields';

/** Stable error codes of the protocol layer (documented in docs/protocol.md). */
export type ProtocolErrorCode = 'invalid_event' | 'unknown_type' | 'missing_field' | 'invalid_field';

export interface ProtocolErrorBody extends ErrorBody {
  error: ProtocolErrorCode;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolErrorBody };

type SchemaTable = Record<string, v.GenericSchema>;

export function parseBrowserEvent(input: unknown): ParseResult<BrowserEvent> {
  return parseWith<BrowserEvent>(browserEventSchemas, 'browser', 'event', input);
}

export function parseAgentResult(input: unknown): ParseResult<AgentResult> {
  return parseWith<AgentResult>(agentResultSchemas, 'agent', 'result', input);
}

/**
 * Validates `input` against `schema` and reports the first issue as an ErrorBody whose message starts with
 * `what`. Exported for the other wire shapes (journal records, HTTP bodies) so they report errors the same way.
 */
export function parseWithSchema<T>(schema: v.GenericSchema, what: string, input: unknown): ParseResult<T> {
  try {
    const result = v.safeParse(schema, input, { abortEarly: true });
    if (result.success) return { ok: true, value: result.output as T };
    return { ok: false, error: issueToError(result.issues[0], what) };
  } catch {
    return unreadable(what);
  }
}

function parseWith<T>(table: SchemaTable, source: string, noun: string, input: unknown): ParseResult<T> {
  const what = `${source} ${noun}`;
  let type: unknown;
  try {
    if (!isPlainObject(input)) {
      return fail('invalid_event', undefined, `a ${what} must be a JSON object`);
    }
    type = input.type;
  } catch {
    return unreadable(what);
  }
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) {
    const known = Object.keys(table)
      .map((t) => `"${t}"`)
      .join(', ');
    return type === undefined
      ? fail('unknown_type', 'type', `type is required; a ${what} has one of ${known}`)
      : fail('unknown_type', 'type', `type must be one of ${known}`);
  }
  return parseWithSchema<T>(table[type], `${type} ${noun}`, input);
}

function issueToError(issue: v.BaseIssue<unknown>, what: string): ProtocolErrorBody {
  const path = issue.path ?? [];
  if (path.length === 0) return body('invalid_event', undefined, `a ${what} ${issue.message}`);
  const field = path.map((p) => String(p.key)).join('.');
  const last = path[path.length - 1];
  // A record key that fails its own schema is present, just wrong; everything else with no value is missing.
  const keyIssue = last.origin === 'key' && issue.type !== 'object';
  if (last.value === undefined && !keyIssue) {
    const detail = issue.type === 'object' ? 'is required' : issue.message;
    return body('missing_field', field, `${what}: ${field} ${detail}`);
  }
  if (keyIssue) {
    const parent = path
      .slice(0, -1)
      .map((p) => String(p.key))
      .join('.');
    const where = parent === '' ? '' : ` of ${parent}`;
    return body(
      'invalid_field',
      field,
      `${what}: key ${JSON.stringify(String(last.key))}${where} ${issue.message}`,
    );
  }
  return body('invalid_field', field, `${what}: ${field} ${issue.message}`);
}

function unreadable(what: string): { ok: false; error: ProtocolErrorBody } {
  return fail('invalid_event', undefined, `the ${what} could not be read (a property could not be accessed)`);
}

function fail(
  error: ProtocolErrorCode,
  field: string | undefined,
  message: string,
): { ok: false; error: ProtocolErrorBody } {
  return { ok: false, error: body(error, field, message) };
}

function body(error: ProtocolErrorCode, field: string | undefined, message: string): ProtocolErrorBody {
  const b: ProtocolErrorBody = { error, message };
  if (field !== undefined) b.field = field;
  return b;
}
