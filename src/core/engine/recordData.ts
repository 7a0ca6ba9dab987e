// What the engine journals for each input: the record of a submitted event (the event when the machine
// accepted it, a diagnostic when it refused), of an agent's ack, and of owed work re-emitted by resume.
// Pure: data in, record inputs out (docs/engine.md "One record per decision").

import type { JournalRecord } from '../journal';
import type { Decision } from '../machine';
import type { AckPlan, WorkKind } from '../queue';
import { ACK_RECORD, ackEventId, DIAGNOSTIC_RECORD, REQUEUE_RECORD } from './records';
import type { SubmitOptions } from './types';

/** One record the engine is about to append (the journal adds seq, time and checksum). */
export interface RecordInput {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

/** The record type whose data an owed item of each kind carries. */
const SOURCE_OF_KIND: Record<WorkKind, string> = {
  generate: 'browser.generate',
  accept: 'browser.accept',
  discard: 'browser.discard',
  carbonize_cleanup: 'accept.applied',
  answer: 'answer',
};

export function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** The data an accepted event's record carries: extras, the event's fields, the work it owes. */
export function acceptedEventData(
  eventData: Record<string, unknown>,
  opts: SubmitOptions,
): Record<string, unknown> {
  return {
    ...opts.extra,
    ...eventData,
    ...(opts.enqueue ? { enqueue: { kind: opts.enqueue } } : {}),
  };
}

/** The record of a submitted event: the event itself when accepted, a diagnostic when refused. */
export function submittedRecord(
  eventId: string,
  type: string,
  eventData: Record<string, unknown>,
  accepted: Record<string, unknown>,
  decision: Decision,
): RecordInput {
  if (decision.accepted) return { eventId, type, data: accepted };
  return {
    eventId,
    type: DIAGNOSTIC_RECORD,
    data: {
      code: decision.diagnostic.code,
      message: decision.diagnostic.message,
      eventType: type,
      state: decision.diagnostic.state,
      event: eventData,
    },
  };
}

/** The single record of an ack: the item, the result, and the machine event it caused when accepted. */
export function ackRecord(
  plan: AckPlan,
  leaseId: string,
  event: { type: string; data: Record<string, unknown> },
  decision: Decision,
  requeue: boolean,
): RecordInput {
  return {
    eventId: ackEventId(plan.itemId),
    type: ACK_RECORD,
    data: {
      itemId: plan.itemId,
      kind: plan.kind,
      leaseId,
      result: plan.result,
      ...(decision.accepted
        ? { event }
        : { code: decision.diagnostic.code, message: decision.diagnostic.message }),
      ...(requeue ? { enqueue: { kind: 'generate' } } : {}),
    },
  };
}

/**
 * The record that owes `kind` again (resume): the latest record that owed it, re-emitted with its original
 * type and data. Undefined when no record ever owed that kind.
 */
export function requeueRecord(
  records: readonly JournalRecord[],
  kind: WorkKind,
  nextSeq: number,
): RecordInput | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i];
    const owedKind = (r.data.enqueue as { kind?: unknown } | undefined)?.kind;
    if (r.type !== SOURCE_OF_KIND[kind] && owedKind !== kind) continue;
    const { enqueue: _e, event: _ev, originalType: _o, ...data } = r.data;
    const originalType = r.type === REQUEUE_RECORD ? r.data.originalType : r.type;
    return {
      eventId: `requeue:${kind}:${nextSeq}`,
      type: REQUEUE_RECORD,
      data: { ...data, originalType, enqueue: { kind } },
    };
  }
  return undefined;
}

/** The `diagnostic` member of a submit or ack result: present only when the machine refused the event. */
export function refusalOf(decision: Decision): { diagnostic?: { code: string; message: string } } {
  return decision.accepted
    ? {}
    : { diagnostic: { code: decision.diagnostic.code, message: decision.diagnostic.message } };
}
