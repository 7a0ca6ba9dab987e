// The page's link to the bridge (docs/bridge-routes.md). A browser token comes from `POST /v1/browser-token`
// (granted by Origin); the socket carries events up and acks and state down. On every (re)connect the page
// says what it believes (`hello`), the bridge answers with its state, and queued events are resent with their
// original eventIds. When the socket cannot be held the same events go over HTTP and state is fetched every
// few seconds: the socket is an optimisation, never the only path.
import { type AnswerReply, readAnswerReply, replyFromHttp } from './agentsModel';
import { backoffDelay } from './backoff';
import type { Outbox } from './outbox';
import type { Belief, ConnectionStatus, EventAck, EventRefusal, OutgoingEvent, SessionState } from './types';

export interface ConnectionHandlers {
  onState(sessionId: string, state: SessionState | null): void;
  onAck(ack: EventAck, event: OutgoingEvent | undefined): void;
  onRefused(refusal: EventRefusal, event: OutgoingEvent | undefined): void;
  onStatus(status: ConnectionStatus): void;
  /** What the page believes about a session, for the `hello` on (re)connect. */
  belief(sessionId: string): Belief | undefined;
  /** Pending questions: a socket `questions` frame, or the `GET /v1/questions` body while the socket is down. */
  onQuestions?(msg: unknown): void;
  /** A socket `agents` frame; null when the socket closed (presence unknown). */
  onAgents?(msg: unknown | null): void;
  /** The bridge's reply to `answer()`. */
  onAnswerReply?(reply: AnswerReply): void;
}

export interface ConnectionOptions {
  /** State fetch and HTTP resend interval while the socket is down. */
  httpIntervalMs?: number;
  /** A sent event without an ack after this long is sent again (same eventId). */
  ackTimeoutMs?: number;
}

/** Refusals that say "not now" rather than "never": the event stays queued. */
const TRANSIENT_ERRORS = new Set([
  'journal_latched',
  'journal_io_failed',
  'journal_closed',
  'engine_closed',
  'journal_locked',
  'internal',
]);

const SOCKET_PROTOCOL = 'live-variants.v1';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export class BridgeConnection {
  status: ConnectionStatus = 'connecting';
  private token: string | undefined;
  private ws: WebSocket | undefined;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private httpTimer: ReturnType<typeof setInterval> | undefined;
  private resendTimer: ReturnType<typeof setInterval> | undefined;
  private httpBusy = false;
  private connecting = false;
  private stopped = false;
  private readonly subscriptions = new Set<string>();
  /** eventId → when it was last written to the socket. */
  private readonly inflight = new Map<string, number>();
  private readonly httpIntervalMs: number;
  private readonly ackTimeoutMs: number;

  constructor(
    readonly origin: string,
    private readonly outbox: Outbox,
    private readonly handlers: ConnectionHandlers,
    options: ConnectionOptions = {},
  ) {
    this.httpIntervalMs = options.httpIntervalMs ?? 5000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 8000;
  }

  start(): void {
    this.connect();
    this.httpTimer = setInterval(() => void this.httpTick(), this.httpIntervalMs);
    this.resendTimer = setInterval(() => this.flush(), 1000);
    const wake = () => this.reconnectNow();
    window.addEventListener('online', wake);
    window.addEventListener('focus', wake);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') wake();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.httpTimer);
    clearInterval(this.resendTimer);
    this.ws?.close(1000, 'page closed');
  }

  get socketOpen(): boolean {
    return this.ws !== undefined && this.ws.readyState === WebSocket.OPEN;
  }

  subscribe(sessionId: string): void {
    if (this.subscriptions.has(sessionId)) return;
    this.subscriptions.add(sessionId);
    if (this.socketOpen) this.hello(sessionId);
    else void this.httpTick();
  }

  unsubscribe(sessionId: string): void {
    this.subscriptions.delete(sessionId);
  }

  /** Queues an event and sends it; the ack (or refusal) arrives through the handlers. */
  send(event: OutgoingEvent): boolean {
    if (!this.outbox.add(event)) {
      this.handlers.onRefused(
        {
          eventId: event.eventId,
          error: 'outbox_full',
          message: 'Too many changes are waiting for the bridge; this one was not queued.',
        },
        event,
      );
      return false;
    }
    if (this.socketOpen) this.write(event);
    else void this.httpTick();
    return true;
  }

  /** Answers an agent's question: over the socket, else over HTTP; the reply comes through `onAnswerReply`. */
  answer(questionId: string, value: string): void {
    if (this.socketOpen) {
      this.ws?.send(JSON.stringify({ type: 'answer', questionId, value }));
      return;
    }
    void this.postAnswer(questionId, value).then(
      (reply) => this.handlers.onAnswerReply?.(reply),
      () =>
        this.handlers.onAnswerReply?.({
          type: 'refused',
          questionId,
          error: 'bridge_unreachable',
          message: 'The bridge is unreachable; your answer was not sent.',
        }),
    );
  }

  private async postAnswer(questionId: string, value: string): Promise<AnswerReply> {
    const res = await this.authorized(`/v1/questions/${encodeURIComponent(questionId)}/answer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ value, by: 'browser' }),
    });
    return replyFromHttp(questionId, res.status, await res.json().catch(() => ({})));
  }

  /** Try the socket now (the tab became visible, the network came back, or the user asked). */
  reconnectNow(): void {
    if (this.stopped || this.ws || this.connecting) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempt = 0;
    void this.connect();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.handlers.onStatus(status);
  }

  private async fetchToken(): Promise<string> {
    const res = await fetch(`${this.origin}/v1/browser-token`, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`browser token refused (${res.status})`);
    const body: unknown = await res.json();
    if (!isObject(body) || typeof body.token !== 'string') throw new Error('browser token missing');
    return body.token;
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.ws || this.connecting) return;
    this.connecting = true;
    let token: string;
    try {
      token = await this.fetchToken();
    } catch {
      this.setStatus('offline');
      this.scheduleReconnect();
      return;
    } finally {
      this.connecting = false;
    }
    if (this.stopped || this.ws) return;
    this.token = token;
    const url = `${this.origin.replace(/^http/, 'ws')}/v1/socket`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, [SOCKET_PROTOCOL, `token.${token}`]);
    } catch {
      this.setStatus('http');
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.inflight.clear();
      this.setStatus('online');
      for (const id of this.subscriptions) this.hello(id);
      this.flush();
    };
    ws.onmessage = (m) => {
      if (typeof m.data === 'string') this.onMessage(m.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.inflight.clear();
      this.handlers.onAgents?.(null);
      this.setStatus('offline');
      this.scheduleReconnect();
      void this.httpTick();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    const delay = backoffDelay(this.attempt++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private hello(sessionId: string): void {
    const believes = this.handlers.belief(sessionId);
    this.ws?.send(JSON.stringify({ type: 'hello', sessionId, ...(believes ? { believes } : {}) }));
  }

  private write(event: OutgoingEvent): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.inflight.set(event.eventId, performance.now());
    this.ws.send(JSON.stringify({ type: 'event', event }));
  }

  /** Sends every queued event that is not waiting for its ack (or waited too long), oldest first. */
  private flush(): void {
    if (!this.socketOpen) return;
    const now = performance.now();
    for (const event of this.outbox.list()) {
      const sentAt = this.inflight.get(event.eventId);
      if (sentAt === undefined || now - sentAt > this.ackTimeoutMs) this.write(event);
    }
  }

  private onMessage(raw: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isObject(msg)) return;
    if (msg.type === 'state') {
      const session = isObject(msg.session) ? (msg.session as unknown as SessionState) : null;
      const id = typeof msg.sessionId === 'string' ? msg.sessionId : session?.sessionId;
      if (id) this.handlers.onState(id, session);
    } else if (msg.type === 'questions') {
      this.handlers.onQuestions?.(msg);
    } else if (msg.type === 'agents') {
      this.handlers.onAgents?.(msg);
    } else if ((msg.type === 'answered' || msg.type === 'error') && typeof msg.questionId === 'string') {
      const reply = readAnswerReply(msg);
      if (reply) this.handlers.onAnswerReply?.(reply);
    } else if (msg.type === 'ack' && typeof msg.eventId === 'string') {
      this.acked(msg as unknown as EventAck);
    } else if (msg.type === 'error' && typeof msg.eventId === 'string') {
      this.refused({
        eventId: msg.eventId,
        error: typeof msg.error === 'string' ? msg.error : 'error',
        field: typeof msg.field === 'string' ? msg.field : undefined,
        message: typeof msg.message === 'string' ? msg.message : 'The bridge refused the event.',
      });
    }
  }

  private acked(ack: EventAck): void {
    this.inflight.delete(ack.eventId);
    const event = this.outbox.remove(ack.eventId);
    this.handlers.onAck(ack, event);
  }

  private refused(refusal: EventRefusal): void {
    this.inflight.delete(refusal.eventId);
    if (TRANSIENT_ERRORS.has(refusal.error)) return; // stays queued; the resend timer retries it
    const event = this.outbox.remove(refusal.eventId);
    this.handlers.onRefused(refusal, event);
  }

  // ---------------------------------------------------------------- HTTP (fallback and browser routes)

  private async authorized(path: string, init: RequestInit = {}): Promise<Response> {
    this.token ??= await this.fetchToken();
    const res = await fetch(`${this.origin}${path}`, {
      ...init,
      mode: 'cors',
      credentials: 'omit',
      cache: 'no-store',
      headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${this.token}` },
    });
    if (res.status === 401) this.token = undefined; // rotated: fetch a new one next time
    return res;
  }

  /** While the socket is down: post queued events and fetch state over HTTP. */
  private async httpTick(): Promise<void> {
    if (this.stopped || this.socketOpen || this.httpBusy) return;
    this.httpBusy = true;
    try {
      // Also a probe: with nothing to send or fetch, asking for a token tells whether the bridge answers.
      if (!this.token || (this.outbox.size === 0 && this.subscriptions.size === 0)) {
        this.token = await this.fetchToken();
      }
      for (const event of [...this.outbox.list()]) {
        if (this.socketOpen) return;
        const res = await this.authorized('/v1/events', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(event),
        });
        const body: unknown = await res.json().catch(() => ({}));
        if (res.status === 202 && isObject(body)) this.acked(body as unknown as EventAck);
        else if (res.status >= 400 && res.status < 500 && res.status !== 401 && isObject(body)) {
          this.refused({
            eventId: event.eventId,
            error: typeof body.error === 'string' ? body.error : 'refused',
            message: typeof body.message === 'string' ? body.message : `HTTP ${res.status}`,
          });
        } else break; // the bridge cannot take it now; keep order and retry later
      }
      for (const id of [...this.subscriptions]) {
        if (this.socketOpen) return;
        this.handlers.onState(id, await this.fetchState(id));
      }
      if (this.handlers.onQuestions) {
        const res = await this.authorized('/v1/questions');
        if (res.ok && !this.socketOpen) this.handlers.onQuestions(await res.json());
      }
      if (!this.socketOpen) this.setStatus('http');
    } catch {
      if (!this.socketOpen) this.setStatus('offline');
    } finally {
      this.httpBusy = false;
    }
  }

  async fetchState(sessionId: string): Promise<SessionState | null> {
    const res = await this.authorized(`/v1/state?sessionId=${encodeURIComponent(sessionId)}`);
    if (!res.ok) throw new Error(`state ${res.status}`);
    const body: unknown = await res.json();
    return isObject(body) && isObject(body.session) ? (body.session as unknown as SessionState) : null;
  }

  /** A workspace file's text (the no-hot-reload fallback). */
  async fetchSource(path: string): Promise<string> {
    const res = await this.authorized(`/v1/source?path=${encodeURIComponent(path)}`);
    const body: unknown = await res.json().catch(() => ({}));
    if (!res.ok || !isObject(body) || typeof body.text !== 'string') {
      const message =
        isObject(body) && typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
      throw new Error(message);
    }
    return body.text;
  }

  /** Stores a file beside the session's journal (annotation screenshot). */
  async uploadArtifact(sessionId: string, name: string, bytes: Blob): Promise<void> {
    const query = `sessionId=${encodeURIComponent(sessionId)}&name=${encodeURIComponent(name)}`;
    const res = await this.authorized(`/v1/artifacts?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': bytes.type || 'application/octet-stream' },
      body: bytes,
    });
    if (!res.ok) {
      const body: unknown = await res.json().catch(() => ({}));
      throw new Error(
        isObject(body) && typeof body.message === 'string' ? body.message : `HTTP ${res.status}`,
      );
    }
  }
}
