// Input checks for the queue's public calls. Poll parameters come from agents (untrusted), work items from
// the session engine or a journal on disk; either way bad input becomes a LiveVariantsError naming the field.
import { LiveVariantsError } from '../errors';
import { canonicalJson } from './canonicalJson';
import { EPOCH_PATTERN } from './leaseId';
import {
  KIND_RANK,
  type RestoredItem,
  type RestoreState,
  type WorkItem,
  type WorkKind,
  type WorkQueueOptions,
} from './types';

const MAX_ITEM_ID = 256;
const MAX_SESSION_ID = 128;
const MAX_AGENT_ID = 128;

export function isWorkKind(v: unknown): v is WorkKind {
  return typeof v === 'string' && Object.hasOwn(KIND_RANK, v);
}

function bad(code: string, field: string, message: string): LiveVariantsError {
  return new LiveVariantsError(code, message, field);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function checkId(v: unknown, max: number, code: string, field: string, what: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw bad(code, field, `${what} must be a non-empty string of at most ${max} characters.`);
  }
  return v;
}

/** A frozen copy of the item (the payload object itself is shared, not copied). */
export function validateWorkItem(v: unknown, field = 'item'): WorkItem {
  if (!isPlainObject(v)) throw bad('invalid_work_item', field, `${field} must be an object.`);
  const id = checkId(v.id, MAX_ITEM_ID, 'invalid_work_item', `${field}.id`, 'A work item id');
  const sessionId = checkId(
    v.sessionId,
    MAX_SESSION_ID,
    'invalid_work_item',
    `${field}.sessionId`,
    'A work item sessionId',
  );
  if (!isWorkKind(v.kind)) {
    throw bad(
      'invalid_work_item',
      `${field}.kind`,
      `A work item kind must be one of ${Object.keys(KIND_RANK).join(', ')}.`,
    );
  }
  if (!isPlainObject(v.payload)) {
    throw bad('invalid_work_item', `${field}.payload`, 'A work item payload must be a plain object.');
  }
  if (typeof v.arrival !== 'number' || !Number.isFinite(v.arrival)) {
    throw bad('invalid_work_item', `${field}.arrival`, 'A work item arrival must be a finite number.');
  }
  return Object.freeze({ id, sessionId, kind: v.kind, payload: v.payload, arrival: v.arrival });
}

export function validateKinds(v: unknown): readonly WorkKind[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || !v.every(isWorkKind)) {
    throw bad(
      'invalid_input',
      'kinds',
      `kinds must be a non-empty list of ${Object.keys(KIND_RANK).join(', ')} (omit it for every kind).`,
    );
  }
  return v;
}

export function validateAgentId(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return checkId(v, MAX_AGENT_ID, 'invalid_input', 'agentId', 'agentId');
}

export function validateDuration(v: unknown, max: number, field: string, code = 'invalid_input'): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw bad(code, field, `${field} must be a number of milliseconds above 0 and at most ${max}.`);
  }
  return v;
}

export function validateReason(v: unknown): string {
  if (typeof v !== 'string' || v.length > 1000) {
    throw bad('invalid_input', 'reason', 'reason must be a string of at most 1,000 characters.');
  }
  return v;
}

export function validatePositiveInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw bad('invalid_option', field, `${field} must be a whole number of at least 1.`);
  }
  return v;
}

export interface ResolvedOptions {
  now: () => number;
  maxAttempts: number;
  defaultLeaseMs: number;
  maxLeaseMs: number;
  epoch: string;
}

export function resolveOptions(options: WorkQueueOptions): ResolvedOptions {
  if (typeof options?.now !== 'function') {
    throw new LiveVariantsError('invalid_option', 'now must be a clock function.', 'now');
  }
  const maxLeaseMs = validatePositiveInt(options.maxLeaseMs ?? 3_600_000, 'maxLeaseMs');
  const epoch = options.epoch ?? '0';
  if (typeof epoch !== 'string' || !EPOCH_PATTERN.test(epoch)) {
    throw new LiveVariantsError('invalid_option', 'epoch must match [A-Za-z0-9_-]{1,24}.', 'epoch');
  }
  return {
    now: options.now,
    maxAttempts: validatePositiveInt(options.maxAttempts ?? 5, 'maxAttempts'),
    defaultLeaseMs: validateDuration(
      options.defaultLeaseMs ?? 60_000,
      maxLeaseMs,
      'defaultLeaseMs',
      'invalid_option',
    ),
    maxLeaseMs,
    epoch,
  };
}

export interface ValidRestoreState {
  acked: { itemId: string; sessionId: string; kind: WorkKind; json: string }[];
  deadLettered: { item: WorkItem; attempts: number; dead: true }[];
  pending: { item: WorkItem; attempts: number; dead: false }[];
}

/** Checks a journal-derived restore state whole before anything is applied; the first bad field throws. */
export function validateRestoreState(state: RestoreState): ValidRestoreState {
  if (
    typeof state !== 'object' ||
    state === null ||
    !Array.isArray(state.pending) ||
    !Array.isArray(state.acked)
  ) {
    throw bad('invalid_work_item', 'state', 'A restore state needs pending and acked lists.');
  }
  const acked = state.acked.map((rec, i) => {
    const field = `acked[${i}]`;
    if (!isPlainObject(rec)) throw bad('invalid_work_item', field, `${field} must be an object.`);
    const itemId = checkId(rec.itemId, MAX_ITEM_ID, 'invalid_work_item', `${field}.itemId`, 'An itemId');
    const sessionId = checkId(
      rec.sessionId,
      MAX_SESSION_ID,
      'invalid_work_item',
      `${field}.sessionId`,
      'A sessionId',
    );
    if (!isWorkKind(rec.kind))
      throw bad('invalid_work_item', `${field}.kind`, `${field}.kind is not a work kind.`);
    return { itemId, sessionId, kind: rec.kind, json: canonicalJson(rec.result, `${field}.result`) };
  });
  const items = <D extends boolean>(list: readonly RestoredItem[] | undefined, name: string, dead: D) => {
    if (list !== undefined && !Array.isArray(list))
      throw bad('invalid_work_item', name, `${name} must be a list.`);
    return (list ?? []).map((r, i) => {
      const item = validateWorkItem(isPlainObject(r) ? r.item : r, `${name}[${i}].item`);
      const attempts = r.attempts ?? 0;
      if (!Number.isSafeInteger(attempts) || attempts < 0) {
        throw bad(
          'invalid_work_item',
          `${name}[${i}].attempts`,
          'attempts must be a whole number of at least 0.',
        );
      }
      return { item, attempts, dead };
    });
  };
  return {
    acked,
    deadLettered: items(state.deadLettered, 'deadLettered', true),
    pending: items(state.pending, 'pending', false),
  };
}
