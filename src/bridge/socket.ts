// The browser socket (`/v1/socket`): events up, acks with their durable seq down, state pushes for the
// sessions a page subscribed to. On (re)connect the page says what it believes; the answer is the truth.
// With the agent services attached (useAgents), every page also gets the pending questions and the agents'
// presence with the owed work, and may answer a question (socketAgents.ts).

import type { WebSocket } from 'ws';
import type { SessionEngine } from '../core/engine';
import { isPlainObject } from '../core/protocol';
import type { AgentServices } from './agentRoutes';
import { errorResponse } from './httpIo';
import { completedState, type SessionState, sessionStateOf } from './sessionState';
import { AgentsFeed, type AgentsFeedOptions } from './socketAgents';

export interface SocketHub {
  attach(ws: WebSocket): void;
  push(sessionId: string): void;
  connectedSessions(): Set<string>;
  closeAll(code: number, reason: string): void;
  /** Pushes questions and agent presence to the pages and takes their answers (once, after the services start). */
  useAgents(services: AgentServices, opts?: Omit<AgentsFeedOptions, 'broadcast'>): void;
}

interface Client {
  ws: WebSocket;
  sessions: Set<string>;
}

export function stateFor(engine: SessionEngine, sessionId: string): SessionState | null {
  const view = engine.view(sessionId);
  if (view) return sessionStateOf(view);
  return engine.isArchived(sessionId) ? completedState(sessionId) : null;
}

export function createSocketHub(
  engine: SessionEngine,
  onEvent: (event: unknown) => Promise<Record<string, unknown>>,
): SocketHub {
  const clients = new Set<Client>();
  let feed: AgentsFeed | undefined;

  const send = (c: Client, msg: unknown) => {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg));
  };

  const subscribe = (c: Client, sessionId: unknown) => {
    if (typeof sessionId === 'string' && sessionId.length <= 64) {
      c.sessions.add(sessionId);
      send(c, { type: 'state', sessionId, session: stateFor(engine, sessionId) });
    }
  };

  const handle = async (c: Client, raw: string) => {
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      send(c, { type: 'error', error: 'invalid_json', message: 'Socket messages must be JSON.' });
      return;
    }
    if (!isPlainObject(msg) || typeof msg.type !== 'string') {
      send(c, { type: 'error', error: 'invalid_message', field: 'type', message: 'A message needs a type.' });
      return;
    }
    if (msg.type === 'hello' || msg.type === 'subscribe') {
      subscribe(c, msg.sessionId);
      if (msg.type === 'hello') send(c, { type: 'hello', protocol: 1 });
      return;
    }
    if (msg.type === 'event') {
      const event = msg.event;
      const eventId = isPlainObject(event) && typeof event.eventId === 'string' ? event.eventId : undefined;
      try {
        const ack = await onEvent(event);
        if (isPlainObject(event) && typeof event.sessionId === 'string') c.sessions.add(event.sessionId);
        send(c, { type: 'ack', ...ack });
      } catch (e) {
        send(c, { type: 'error', ...(eventId ? { eventId } : {}), ...errorResponse(e).body });
      }
      return;
    }
    if (msg.type === 'answer') {
      send(
        c,
        feed
          ? await feed.answer(msg)
          : { type: 'error', error: 'unavailable', message: 'Agent services are not running.' },
      );
      return;
    }
    send(c, { type: 'error', error: 'unknown_message', field: 'type', message: `Unknown message type.` });
  };

  const drop = (c: Client) => {
    if (clients.delete(c) && clients.size === 0) feed?.stop();
  };

  return {
    attach(ws) {
      const c: Client = { ws, sessions: new Set() };
      // Pages already connected get what changed first; then this one gets the current picture.
      const frames = feed?.current();
      clients.add(c);
      if (frames) {
        send(c, frames.questions);
        send(c, frames.agents);
      }
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          send(c, { type: 'error', error: 'invalid_message', message: 'Binary messages are not supported.' });
          return;
        }
        void handle(c, data.toString());
      });
      ws.on('close', () => drop(c));
      ws.on('error', () => drop(c));
    },
    push(sessionId) {
      feed?.sessionChanged(sessionId);
      let state: SessionState | null | undefined;
      for (const c of clients) {
        if (!c.sessions.has(sessionId)) continue;
        state ??= stateFor(engine, sessionId);
        send(c, { type: 'state', sessionId, session: state });
      }
    },
    connectedSessions() {
      const out = new Set<string>();
      for (const c of clients) for (const s of c.sessions) out.add(s);
      return out;
    },
    closeAll(code, reason) {
      for (const c of clients) c.ws.close(code, reason);
      clients.clear();
      feed?.stop();
    },
    useAgents(services, opts = {}) {
      feed?.dispose();
      feed = new AgentsFeed(
        { engine, registry: services.registry, questions: services.questions },
        {
          ...opts,
          broadcast: (frame) => {
            for (const c of clients) send(c, frame);
          },
        },
      );
      if (clients.size > 0) feed.start();
    },
  };
}
