// A session's state as a pure fold over its journal records: the machine snapshot plus the work it owes.
// Live appends and recovery both go through `applyRecord`, so replay equals live by construction.

import type { BranchPoint } from '../git';
import {
  decide,
  eventFromRecord,
  fromPersisted,
  initialSessionSnapshot,
  type JsonObject,
  phaseOf,
  type SessionEvent,
  type SessionSnapshot,
  toPersisted,
} from '../machine';
import type { AckRecord, JsonValue, WorkItem, WorkKind } from '../queue';
import { WORK_KINDS } from '../queue';
import { branchPointOf } from './branchContext';
import {
  ACK_RECORD,
  DEAD_LETTER_RECORD,
  DIAGNOSTIC_RECORD,
  type EnqueueSpec,
  REQUEUE_RECORD,
  SESSION_CONTEXT_RECORD,
  workItemId,
} from './records';

/** Recent diagnostics kept per session (older ones stay in the journal). */
export const MAX_FOLD_DIAGNOSTICS = 50;

export interface FoldDiagnostic {
  seq: number;
  code: string;
  message: string;
  event?: string;
}

export interface SessionFold {
  sessionId: string;
  snapshot: SessionSnapshot;
  /** Owed work in arrival order: enqueued, not acked, not dead-lettered, not superseded. */
  pending: WorkItem[];
  acked: AckRecord[];
  /** The item ids in `acked`: a long session acks thousands of items, and each ack asks "already acked?". */
  ackedIds: Set<string>;
  dead: WorkItem[];
  lastSeq: number;
  diagnostics: FoldDiagnostic[];
  /** The branch and HEAD the session was created on; null when no `session.context` record exists. */
  branch: BranchPoint | null;
}

/** The record shape the fold needs (a JournalRecord has more). */
export interface FoldRecord {
  seq: number;
  eventId: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

export function emptyFold(sessionId: string): SessionFold {
  return {
    sessionId,
    snapshot: initialSessionSnapshot(sessionId),
    pending: [],
    acked: [],
    ackedIds: new Set(),
    dead: [],
    lastSeq: 0,
    diagnostics: [],
    branch: null,
  };
}

function pushDiagnostic(fold: SessionFold, d: FoldDiagnostic): void {
  fold.diagnostics.push(d);
  if (fold.diagnostics.length > MAX_FOLD_DIAGNOSTICS) fold.diagnostics.shift();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function enqueueSpecOf(data: Record<string, unknown>): EnqueueSpec | undefined {
  const spec = data.enqueue;
  if (typeof spec !== 'object' || spec === null) return undefined;
  const kind = (spec as Record<string, unknown>).kind;
  return (WORK_KINDS as readonly string[]).includes(kind as string) ? { kind: kind as WorkKind } : undefined;
}

/** The event data as the agent sees it in a work item: the record's data without engine bookkeeping. */
function payloadData(data: Record<string, unknown>): Record<string, unknown> {
  const { enqueue: _enqueue, event: _event, ...rest } = data;
  return rest;
}

/** The machine event replay reads from an event record of `type` with `data`; undefined when it reads none. */
export function recordedEvent(type: string, data: Record<string, unknown>): SessionEvent | undefined {
  return eventFromRecord({ type, data: payloadData(data) });
}

/**
 * A decision the live path already made, against `from`, for the event replay reads from the record being
 * folded: lets the fold skip deciding the same event twice. Used only while the fold is still at `from`.
 */
export interface Decided {
  from: SessionSnapshot;
  next: SessionSnapshot;
}

export function workItemFor(sessionId: string, record: FoldRecord, kind: WorkKind): WorkItem {
  const at = Date.parse(record.at);
  return {
    id: workItemId(sessionId, record.seq),
    sessionId,
    kind,
    payload: {
      sessionId,
      seq: record.seq,
      eventId: record.eventId,
      type: record.type,
      at: record.at,
      data: payloadData(record.data),
    },
    arrival: Number.isFinite(at) ? at : record.seq,
  };
}

function addWork(fold: SessionFold, record: FoldRecord, spec: EnqueueSpec): void {
  // A new request of a kind replaces the one still owed: the agent should not build stale variants.
  fold.pending = fold.pending.filter((w) => w.kind !== spec.kind);
  fold.dead = fold.dead.filter((w) => w.kind !== spec.kind);
  fold.pending.push(workItemFor(fold.sessionId, record, spec.kind));
}

function applyMachineEvent(
  fold: SessionFold,
  record: FoldRecord,
  type: string,
  data: unknown,
  decided: Decided | undefined,
): boolean {
  if (decided !== undefined && decided.from === fold.snapshot) {
    fold.snapshot = decided.next;
    return true;
  }
  const event = eventFromRecord({ type, data });
  if (event === undefined) {
    pushDiagnostic(fold, {
      seq: record.seq,
      code: 'unreadable_event',
      message: `Record ${record.seq} (${type}) does not hold a valid event; it was skipped.`,
      event: type,
    });
    return false;
  }
  const decision = decide(fold.snapshot, event);
  if (!decision.accepted) {
    pushDiagnostic(fold, { seq: record.seq, ...decision.diagnostic });
    return false;
  }
  fold.snapshot = decision.next;
  return true;
}

/**
 * Folds one record into the session. Mutates `fold`; never throws on bad record data. `decided` is the live
 * path's decision for the record's machine event (absent in replay, which decides it here).
 */
export function applyRecord(fold: SessionFold, record: FoldRecord, decided?: Decided): void {
  fold.lastSeq = Math.max(fold.lastSeq, record.seq);
  const data = record.data;
  if (record.type === DIAGNOSTIC_RECORD) {
    pushDiagnostic(fold, {
      seq: record.seq,
      code: typeof data.code === 'string' ? data.code : 'diagnostic',
      message: typeof data.message === 'string' ? data.message : '',
      event: typeof data.eventType === 'string' ? data.eventType : undefined,
    });
  } else if (record.type === ACK_RECORD) {
    const itemId = typeof data.itemId === 'string' ? data.itemId : '';
    const item = fold.pending.find((w) => w.id === itemId);
    fold.pending = fold.pending.filter((w) => w.id !== itemId);
    if (!fold.ackedIds.has(itemId)) {
      fold.ackedIds.add(itemId);
      fold.acked.push({
        itemId,
        sessionId: fold.sessionId,
        kind: item?.kind ?? ((data.kind as WorkKind) || 'generate'),
        result: (data.result ?? null) as JsonValue,
      });
    }
    const ev = data.event as { type?: unknown; data?: unknown } | undefined;
    if (ev && typeof ev.type === 'string') applyMachineEvent(fold, record, ev.type, ev.data, decided);
    const spec = enqueueSpecOf(data);
    // A retried item is owed again with the event it carried, not with the ack's data.
    const owedAgain =
      item && isObject(item.payload.data) && typeof item.payload.type === 'string'
        ? { ...record, type: item.payload.type, data: item.payload.data }
        : record;
    if (spec) addWork(fold, owedAgain, spec);
  } else if (record.type === REQUEUE_RECORD) {
    // Work owed again (resume after a lost or dead-lettered item): the data is the original event's.
    const spec = enqueueSpecOf(data);
    if (spec && phaseOf(fold.snapshot) !== 'complete') {
      const original = typeof data.originalType === 'string' ? data.originalType : record.type;
      const { originalType: _o, ...rest } = data;
      addWork(fold, { ...record, type: original, data: rest }, spec);
    }
  } else if (record.type === SESSION_CONTEXT_RECORD) {
    // Written once, at creation; a later one (there is none) would not move where the session began.
    fold.branch ??= branchPointOf(data);
  } else if (record.type === DEAD_LETTER_RECORD) {
    const itemId = typeof data.itemId === 'string' ? data.itemId : '';
    const item = fold.pending.find((w) => w.id === itemId);
    if (item) {
      fold.pending = fold.pending.filter((w) => w.id !== itemId);
      fold.dead.push(item);
    }
  } else {
    const accepted = applyMachineEvent(fold, record, record.type, payloadData(data), decided);
    const spec = enqueueSpecOf(data);
    if (accepted && spec) addWork(fold, record, spec);
  }
  // A finished session owes nothing more.
  if (phaseOf(fold.snapshot) === 'complete') fold.pending = [];
}

export function replayRecords(
  sessionId: string,
  records: Iterable<FoldRecord>,
  from?: SessionFold,
): SessionFold {
  const fold = from ?? emptyFold(sessionId);
  for (const r of records) applyRecord(fold, r);
  return fold;
}

/** Snapshot-file form of a fold: canonical JSON data, machine snapshot via its own persisted form. */
export interface PersistedFold {
  machine: JsonObject;
  pending: WorkItem[];
  acked: AckRecord[];
  dead: WorkItem[];
  lastSeq: number;
  diagnostics: FoldDiagnostic[];
  /** Absent in snapshots written before sessions recorded their branch. */
  branch?: BranchPoint | null;
}

export function persistFold(fold: SessionFold): PersistedFold {
  return JSON.parse(
    JSON.stringify({
      machine: toPersisted(fold.snapshot),
      pending: fold.pending,
      acked: fold.acked,
      dead: fold.dead,
      lastSeq: fold.lastSeq,
      diagnostics: fold.diagnostics,
      branch: fold.branch,
    }),
  ) as PersistedFold;
}

/** Throws (LiveVariantsError or TypeError) when the data is not a fold; callers then replay from scratch. */
export function restoreFold(sessionId: string, p: PersistedFold): SessionFold {
  const snapshot = fromPersisted(p.machine);
  if (snapshot.context.sessionId !== sessionId) throw new TypeError('snapshot belongs to another session');
  if (!Array.isArray(p.pending) || !Array.isArray(p.acked) || !Array.isArray(p.dead)) {
    throw new TypeError('snapshot work lists missing');
  }
  if (!Number.isSafeInteger(p.lastSeq) || !Array.isArray(p.diagnostics)) throw new TypeError('bad snapshot');
  return {
    sessionId,
    snapshot,
    pending: p.pending,
    acked: p.acked,
    ackedIds: new Set(p.acked.map((a) => a.itemId)),
    dead: p.dead,
    lastSeq: p.lastSeq,
    diagnostics: p.diagnostics,
    branch: p.branch === undefined || p.branch === null ? null : branchPointOf(p.branch),
  };
}
