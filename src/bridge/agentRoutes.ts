// Agent presence, log streams, questions and interrupts over HTTP (docs/agents.md). The registry, log
// buffers and question store live in the bridge process; questions and answers are journaled.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AgentLogs,
  type AgentRegistry,
  heartbeat,
  interruptAgent,
  type QuestionStore,
} from '../core/agents';
import { LiveVariantsError } from '../core/errors';
import { isPlainObject } from '../core/protocol';
import { readJsonBody, sendJson } from './httpIo';
import type { Route, RouteContext } from './routes';
import { BODY_LIMIT_LARGE } from './security';

export interface AgentServices {
  registry: AgentRegistry;
  logs: AgentLogs;
  questions: QuestionStore;
  /** Parked polls may now find revoked work. */
  wake(): void;
}

const MAX_ASK_WAIT_MS = 25_000;

function agentIdOf(url: URL): string {
  const m = /^\/v1\/agents\/([^/]+)\//.exec(url.pathname);
  return m ? decodeURIComponent(m[1]) : '';
}

function optionalString(b: Record<string, unknown>, name: string, max = 200): string | undefined {
  const v = b[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) {
    throw new LiveVariantsError(
      'invalid_field',
      `${name} must be a string of at most ${max} characters.`,
      name,
    );
  }
  return v;
}

const services = (ctx: RouteContext): AgentServices => {
  if (!ctx.agents) throw new LiveVariantsError('unavailable', 'Agent services are not running.');
  return ctx.agents;
};

const LOG_PING_MS = 15_000;

async function streamLog(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: RouteContext,
): Promise<void> {
  const { logs } = services(ctx);
  const agentId = agentIdOf(url);
  const raw = url.searchParams.get('fromSeq');
  const fromSeq = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
  if (url.searchParams.get('follow') !== '1') {
    sendJson(res, 200, logs.read(agentId, { fromSeq }), ctx.cors);
    return;
  }
  // Following an agent that has not spoken yet is fine: lines arrive when it does.
  // NDJSON: history first, then live lines, in order, until the client goes away.
  res.writeHead(200, {
    ...ctx.cors,
    'Content-Type': 'application/x-ndjson; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  // Headers now, not with the first line: a follower of a quiet agent can tell the stream is up.
  res.flushHeaders();
  const sub = logs.subscribe(
    agentId,
    {
      fromSeq,
      onGap: (gap) => res.write(`${JSON.stringify({ type: 'gap', ...gap })}\n`),
    },
    (line) => {
      res.write(`${JSON.stringify({ type: 'line', agentId, ...line })}\n`);
    },
  );
  // A ping keeps idle connections from being reaped by proxies and lets a client notice a dead bridge.
  const ping = setInterval(() => res.write('{"type":"ping"}\n'), LOG_PING_MS);
  await new Promise<void>((resolve) => {
    req.on('close', resolve);
    res.on('close', resolve);
  });
  clearInterval(ping);
  sub.unsubscribe();
}

export const agentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/agents',
    access: 'browser',
    async handle(_req, res, _url, ctx) {
      const { registry } = services(ctx);
      sendJson(res, 200, { agents: registry.list(ctx.engine.owed()) }, ctx.cors);
    },
  },
  {
    method: 'POST',
    path: '/v1/agents/:id/log',
    access: 'agent',
    async handle(req, res, url, ctx) {
      const { logs, registry } = services(ctx);
      const agentId = agentIdOf(url);
      const b = await readJsonBody(req, { limit: BODY_LIMIT_LARGE });
      const lines = b.lines ?? b.line;
      const appended = logs.append(agentId, lines);
      registry.touch(agentId, {
        action: 'log',
        name: optionalString(b, 'name'),
        harness: optionalString(b, 'harness', 64),
      });
      sendJson(res, 200, appended);
    },
  },
  {
    method: 'GET',
    path: '/v1/agents/:id/log',
    access: 'browser',
    handle: streamLog,
  },
  {
    method: 'POST',
    path: '/v1/agents/:id/interrupt',
    access: 'agent',
    async handle(req, res, url, ctx) {
      const s = services(ctx);
      const b = await readJsonBody(req, { limit: BODY_LIMIT_LARGE, allowEmpty: true });
      const result = interruptAgent(ctx.engine, s.registry, agentIdOf(url), optionalString(b, 'reason', 500));
      s.wake();
      sendJson(res, 200, result);
    },
  },
  {
    method: 'POST',
    path: '/v1/heartbeat',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const s = services(ctx);
      const b = await readJsonBody(req, { limit: BODY_LIMIT_LARGE });
      const agentId = optionalString(b, 'agentId', 64);
      if (!agentId) throw new LiveVariantsError('missing_field', 'agentId is required.', 'agentId');
      const r = heartbeat(ctx.engine, s.registry, agentId, {
        name: optionalString(b, 'name'),
        harness: optionalString(b, 'harness', 64),
      });
      sendJson(res, 200, r);
    },
  },
  {
    method: 'POST',
    path: '/v1/ask',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const s = services(ctx);
      const b = await readJsonBody(req, { limit: BODY_LIMIT_LARGE });
      const waitRaw = b.timeoutMs;
      const wait =
        typeof waitRaw === 'number' && Number.isFinite(waitRaw)
          ? Math.max(0, Math.min(MAX_ASK_WAIT_MS, waitRaw))
          : MAX_ASK_WAIT_MS;
      const agentId = optionalString(b, 'agentId', 64);
      if (agentId)
        s.registry.touch(agentId, { action: 'ask', sessionId: optionalString(b, 'sessionId', 64) });
      const abort = new AbortController();
      const onClose = () => abort.abort();
      res.on('close', onClose);
      const outcome = await s.questions.ask({ ...b, timeoutMs: wait }, { signal: abort.signal });
      res.off('close', onClose);
      if (!res.destroyed) sendJson(res, 200, outcome);
    },
  },
  {
    method: 'GET',
    path: '/v1/questions',
    access: 'browser',
    async handle(_req, res, url, ctx) {
      const { questions } = services(ctx);
      const all = url.searchParams.get('all') === '1';
      sendJson(res, 200, { questions: all ? questions.list() : questions.pending() }, ctx.cors);
    },
  },
  {
    method: 'POST',
    path: '/v1/questions/:id/answer',
    access: 'browser',
    async handle(req, res, url, ctx) {
      const { questions } = services(ctx);
      const m = /^\/v1\/questions\/([^/]+)\/answer$/.exec(url.pathname);
      const b = await readJsonBody(req, { limit: BODY_LIMIT_LARGE });
      if (!isPlainObject(b)) throw new LiveVariantsError('invalid_body', 'Body must be an object.');
      const r = await questions.answer(m ? decodeURIComponent(m[1]) : '', b.value, { by: b.by ?? 'browser' });
      sendJson(res, 200, r, ctx.cors);
    },
  },
];
