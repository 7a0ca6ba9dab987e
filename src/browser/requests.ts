// The events the page's buttons produce (protocol shapes: `position` only in insert mode, optional fields only
// when set), and the page's local record of a new session.
import type { LocalSession } from './sessionModel';
import type { Annotations, ElementInfo, OutgoingEvent, Params, SessionState } from './types';
import type { AskRequest } from './ui/askPanel';

export interface GenerateInput {
  sessionId: string;
  eventId: string;
  owner: string;
  request: AskRequest;
  element: ElementInfo;
  annotations: Annotations | undefined;
}

export function generateEvent(g: GenerateInput): OutgoingEvent {
  const { request } = g;
  return {
    type: 'generate',
    sessionId: g.sessionId,
    eventId: g.eventId,
    mode: request.mode,
    count: request.count,
    prompt: request.prompt,
    element: g.element,
    owner: g.owner,
    ...(request.mode === 'insert' && request.position ? { position: request.position } : {}),
    ...(request.action ? { action: request.action } : {}),
    ...(g.annotations ? { annotations: g.annotations } : {}),
  };
}

export function sessionForRequest(
  sessionId: string,
  request: AskRequest,
  element: ElementInfo,
): LocalSession {
  return {
    sessionId,
    mode: request.mode,
    position: request.mode === 'insert' ? (request.position ?? 'after') : null,
    count: request.count,
    element,
    visible: null,
    params: {},
    decision: null,
  };
}

export function acceptEvent(
  s: LocalSession,
  eventId: string,
  variant: string,
  params: Params,
): OutgoingEvent {
  return { type: 'accept', sessionId: s.sessionId, eventId, variant, params };
}

export function discardEvent(s: LocalSession, eventId: string): OutgoingEvent {
  return { type: 'discard', sessionId: s.sessionId, eventId };
}

/** A session found as a block in the page, adopted because the bridge says it is live. */
export function sessionFromServer(state: SessionState): LocalSession {
  return {
    sessionId: state.sessionId,
    mode: state.mode === 'insert' ? 'insert' : 'replace',
    position: null,
    count: state.count ?? 3,
    element: null,
    visible: null,
    params: {},
    decision: null,
  };
}
