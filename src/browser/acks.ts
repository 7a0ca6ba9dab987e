// How the bridge's answers to the page's own events change the local session. An ack means "on disk"; for a
// decision that is the moment the UI leaves its pending state. A refusal by the machine (accepted: false)
// means something else was decided first, and the bridge's state is what holds.
import { adoptServerState, type LocalSession } from './sessionModel';
import type { EventAck, EventRefusal, OutgoingEvent, SessionState } from './types';

export interface AckOutcome {
  session: LocalSession;
  /** What to tell the user, when anything. */
  message: string | null;
  /** The ack was for the session's own decision. */
  decisionAcked: boolean;
}

export function sessionAfterAck(
  s: LocalSession,
  server: SessionState | null | undefined,
  ack: EventAck,
  event: OutgoingEvent | undefined,
): AckOutcome {
  let message: string | null = null;
  if (event?.type === 'generate' && !ack.accepted) {
    message = ack.diagnostic?.message ?? 'The bridge did not take the request.';
  }
  if ((event?.type === 'accept' || event?.type === 'discard') && !ack.accepted) {
    message = `Your ${event.type} was not applied: ${ack.diagnostic?.message ?? 'the session was already decided.'}`;
  }
  if (!s.decision || ack.eventId !== s.decision.eventId) return { session: s, message, decisionAcked: false };
  if (ack.accepted)
    return { session: { ...s, decision: { ...s.decision, acked: true } }, message, decisionAcked: true };
  const undecided: LocalSession = { ...s, decision: null };
  return {
    session: server ? adoptServerState(undecided, server, { localAhead: true }) : undecided,
    message,
    decisionAcked: true,
  };
}

export interface RefusalOutcome {
  session: LocalSession;
  message: string;
  /** The generate itself was refused: the bridge will never know this session. */
  forget: boolean;
}

/** The bridge refused an event as invalid (it left the outbox); nothing it asked for happened. */
export function sessionAfterRefusal(
  s: LocalSession,
  refusal: EventRefusal,
  event: OutgoingEvent | undefined,
): RefusalOutcome {
  return {
    session: s.decision?.eventId === refusal.eventId ? { ...s, decision: null } : s,
    message: `The bridge refused the ${event?.type ?? 'event'}: ${refusal.message}`,
    forget: event?.type === 'generate' && event.sessionId === s.sessionId,
  };
}
