// Shapes the browser client shares between its modules. Wire types come from the protocol and the bridge
// (type-only imports: nothing of Node is bundled into live.js).
import type { SessionState } from '../bridge/sessionState';
import type { Annotations, ElementInfo } from '../core/protocol/browserEvents';

export type { Annotations, ElementInfo, SessionState };

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

/** An event as the page sends it (validated again by the bridge; see src/core/protocol/browserEvents.ts). */
export type OutgoingEvent =
  | {
      type: 'generate';
      sessionId: string;
      eventId: string;
      mode: 'replace' | 'insert';
      position?: 'before' | 'after';
      count: number;
      action?: string;
      prompt?: string;
      element: ElementInfo;
      annotations?: Annotations;
      owner?: string;
    }
  | {
      type: 'checkpoint';
      sessionId: string;
      eventId: string;
      owner: string;
      revision: number;
      variant: string;
      params: Params;
    }
  | { type: 'accept'; sessionId: string; eventId: string; variant: string; params?: Params }
  | { type: 'discard'; sessionId: string; eventId: string }
  | { type: 'exit'; sessionId: string; eventId: string };

/** The bridge's answer once an event is on disk (socket `ack` or HTTP 202). */
export interface EventAck {
  eventId: string;
  sessionId: string;
  seq: number;
  duplicate: boolean;
  accepted: boolean;
  phase: string;
  diagnostic?: { code: string; message: string };
}

/** A refusal of one event (bad input): it will never succeed, so it leaves the outbox. */
export interface EventRefusal {
  eventId: string;
  error: string;
  field?: string;
  message: string;
}

/** `online`: socket open; `http`: socket down but HTTP answers; `offline`: the bridge does not answer. */
export type ConnectionStatus = 'connecting' | 'online' | 'http' | 'offline';

/** What the page believes about a session, sent on every (re)connect. */
export interface Belief {
  variant: string | null;
  params: Params;
  revision: number;
}

/** Phases after the user's decision: nothing may regress them except their completion. */
export const DECIDED_PHASES: readonly string[] = [
  'accept_pending',
  'discard_pending',
  'accepted_source_pending',
];
/** Phases in which a checkpoint or a decision is accepted by the machine. */
export const CHOOSING_PHASES: readonly string[] = ['variants_written', 'cycling'];
