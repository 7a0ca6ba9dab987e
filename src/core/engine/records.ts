// The engine's journal vocabulary beyond machine events (docs/engine.md). Every record a session journal holds
// is one of:
//   - a machine event (`browser.*`, `agent.*`, `source.*`, …) the machine accepted when it was written; its
//     data may carry `enqueue`, the work item it owes (one record, so the event and its work are atomic);
//   - `work.acked`: an agent's result for a leased item; carries the machine event it caused, if accepted;
//   - `work.dead_lettered`: an item that expired too often and is no longer delivered;
//   - `work.requeued`: work owed again (resume), carrying the original event's data and type;
//   - `diagnostic`: an event the machine rejected, kept for the record and never replayed;
//   - `session.context`: the git branch and HEAD the session was created on (branchContext.ts).

import type { WorkKind } from '../queue';

export const ACK_RECORD = 'work.acked';
export const DEAD_LETTER_RECORD = 'work.dead_lettered';
export const DIAGNOSTIC_RECORD = 'diagnostic';
export const REQUEUE_RECORD = 'work.requeued';
export const SESSION_CONTEXT_RECORD = 'session.context';

/** The work an accepted event owes, stored in the event record's data under `enqueue`. */
export interface EnqueueSpec {
  kind: WorkKind;
}

/** Work item ids are unique across sessions: a session id and the seq of the record that owed the work. */
export function workItemId(sessionId: string, seq: number): string {
  return `${sessionId}-${seq}`;
}

/** Journal event id of the single ack record an item can have: a second ack is a journal duplicate. */
export function ackEventId(itemId: string): string {
  return `ack:${itemId}`;
}

export function deadLetterEventId(itemId: string): string {
  return `dead:${itemId}`;
}
