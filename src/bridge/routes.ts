// HTTP routes of protocol v1 (docs/protocol.md). The gate (Host, Origin, token) runs in `server.ts` before
// any of these; handlers only see requests that passed it.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionEngine } from '../core/engine';
import { LiveVariantsError } from '../core/errors';
import { isPlainObject } from '../core/protocol';
import { WORK_KINDS, type WorkKind } from '../core/queue';
import type { AgentServices } from './agentRoutes';
import { artifactRoute } from './artifactRoutes';
import { readJsonBody, sendJson } from './httpIo';
import type { ParkedPolls } from './polls';
import { BODY_LIMIT_DEFAULT } from './security';
import { stateFor } from './socket';
import { readWorkspaceSource } from './sourceReader';

export interface RouteContext {
  engine: SessionEngine;
  polls: ParkedPolls;
  root: string;
  startedAt: string;
  version: string;
  monotonic: () => number;
  cors: Record<string, string>;
  browserToken: string;
  submitBrowserEvent(event: unknown): Promise<Record<string, unknown>>;
  status(query: URLSearchParams): Promise<Record<string, unknown>>;
  resume(sessionId: string | undefined): Promise<Record<string, unknown>>;
  complete(sessionId: string, force: boolean): Promise<Record<string, unknown>>;
  agents?: AgentServices;
}

/** Patterns of routes with `:param` segments, built once: routing runs on every request. */
const patterns = new WeakMap<Route, RegExp>();

function patternOf(r: Route): RegExp {
  let p = patterns.get(r);
  if (p === undefined) {
    p = new RegExp(`^${r.path.replace(/:[a-z]+/g, '[^/]+')}$`);
    patterns.set(r, p);
  }
  return p;
}

/** Finds the route for a path and method; `:id` in a route path matches one segment. */
export function matchRoute(table: readonly Route[], pathname: string, method?: string): Route | undefined {
  const matches = table.filter((r) =>
    r.path.includes(':') ? patternOf(r).test(pathname) : r.path === pathname,
  );
  // The route for this method; else any route of the path, so the caller can answer 405.
  return matches.find((r) => r.method === method) ?? matches[0];
}

/** Records an agent's contact, when the bridge keeps a registry and the agent named itself. */
function touchAgent(
  ctx: RouteContext,
  agentId: string | undefined,
  contact: Parameters<AgentServices['registry']['touch']>[1],
): void {
  if (!agentId || !ctx.agents) return;
  try {
    ctx.agents.registry.touch(agentId, contact);
  } catch {
    // A malformed id was already refused by the route; presence is best effort.
  }
}

export type Access = 'public' | 'browser' | 'agent' | 'grant';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext): Promise<void>;
}

const MAX_POLL_MS = 120_000;
const DEFAULT_POLL_MS = 25_000;

function intParam(q: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new LiveVariantsError('invalid_field', `${name} must be a whole number of milliseconds.`, name);
  }
  const n = Number(raw);
  if (n < min || n > max) {
    throw new LiveVariantsError('invalid_field', `${name} must be between ${min} and ${max}.`, name);
  }
  return n;
}

function kindsParam(q: URLSearchParams): WorkKind[] | undefined {
  const raw = q.get('types');
  if (raw === null || raw === '') return undefined;
  const kinds = raw.split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!(WORK_KINDS as readonly string[]).includes(k)) {
      throw new LiveVariantsError(
        'invalid_field',
        `Unknown work type "${k.slice(0, 40)}"; use ${WORK_KINDS.join(', ')}.`,
        'types',
      );
    }
  }
  return kinds as WorkKind[];
}

/** At most this long between presence refreshes of a parked poll (half the idle threshold when shorter). */
const PARKED_TOUCH_MS = 5_000;

/** A display label from the query (the registry cleans it further); absent or empty = unchanged. */
function labelParam(q: URLSearchParams, name: string, max: number): string | undefined {
  const raw = q.get(name);
  return raw === null || raw === '' ? undefined : raw.slice(0, max);
}

function agentParam(q: URLSearchParams): string | undefined {
  const raw = q.get('agent');
  if (raw === null || raw === '') return undefined;
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) {
    throw new LiveVariantsError('invalid_field', 'agent must be 1-64 letters, digits or _ . : -', 'agent');
  }
  return raw;
}

function stringField(body: Record<string, unknown>, name: string, required: true): string;
function stringField(body: Record<string, unknown>, name: string, required: false): string | undefined;
function stringField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw new LiveVariantsError('missing_field', `${name} is required.`, name);
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > 256) {
    throw new LiveVariantsError('invalid_field', `${name} must be a non-empty string.`, name);
  }
  return v;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  return readJsonBody(req, { limit: BODY_LIMIT_DEFAULT });
}

function wallClock(ctx: RouteContext, monotonicAt: number): string {
  return new Date(Date.now() + (monotonicAt - ctx.monotonic())).toISOString();
}

export const routes: Route[] = [
  artifactRoute,
  {
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    async handle(_req, res, _url, ctx) {
      sendJson(
        res,
        200,
        {
          ok: true,
          protocol: 1,
          name: 'live-variants',
          version: ctx.version,
          pid: process.pid,
          startedAt: ctx.startedAt,
        },
        ctx.cors,
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/browser-token',
    access: 'grant',
    async handle(_req, res, _url, ctx) {
      sendJson(res, 200, { token: ctx.browserToken, protocol: 1, socketPath: '/v1/socket' }, ctx.cors);
    },
  },
  {
    method: 'POST',
    path: '/v1/events',
    access: 'browser',
    async handle(req, res, _url, ctx) {
      const ack = await ctx.submitBrowserEvent(await body(req));
      sendJson(res, 202, ack, ctx.cors);
    },
  },
  {
    method: 'GET',
    path: '/v1/state',
    access: 'browser',
    async handle(_req, res, url, ctx) {
      const id = url.searchParams.get('sessionId') ?? '';
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        throw new LiveVariantsError('invalid_field', 'sessionId must be a session id.', 'sessionId');
      }
      sendJson(res, 200, { session: stateFor(ctx.engine, id) }, ctx.cors);
    },
  },
  {
    method: 'GET',
    path: '/v1/source',
    access: 'browser',
    async handle(_req, res, url, ctx) {
      const source = await readWorkspaceSource(ctx.root, url.searchParams.get('path') ?? '');
      sendJson(res, 200, source, ctx.cors);
    },
  },
  {
    method: 'GET',
    path: '/v1/poll',
    access: 'agent',
    async handle(_req, res, url, ctx) {
      const q = url.searchParams;
      const kinds = kindsParam(q);
      const leaseMs = intParam(q, 'leaseMs', 1000, 3_600_000, 60_000);
      const timeout = intParam(q, 'timeout', 0, MAX_POLL_MS, DEFAULT_POLL_MS);
      const agentId = agentParam(q);
      const label = { name: labelParam(q, 'name', 200), harness: labelParam(q, 'harness', 64) };
      touchAgent(ctx, agentId, { action: 'poll', ...label });
      const { answer, cancel } = ctx.polls.poll({ kinds, leaseMs, agentId }, timeout);
      // An agent parked in a poll is present: keep it from decaying to idle while it waits.
      const every = Math.max(
        250,
        Math.min(PARKED_TOUCH_MS, (ctx.agents?.registry.idleAfterMs ?? 10_000) / 2),
      );
      const parked = setInterval(() => touchAgent(ctx, agentId, { action: 'poll' }), every);
      const onClose = () => cancel();
      res.on('close', onClose);
      const a = await answer;
      clearInterval(parked);
      res.off('close', onClose);
      if (res.destroyed) return;
      if (a.type !== 'work') {
        if (a.type === 'interrupt' && agentId) ctx.agents?.registry.markInterruptDelivered(agentId);
        sendJson(res, 200, a);
        return;
      }
      const { lease, item } = a.grant;
      const payload = item.payload as Record<string, unknown>;
      const data = isPlainObject(payload.data) ? payload.data : {};
      const eventType = typeof payload.type === 'string' ? payload.type.replace(/^browser\./, '') : item.kind;
      sendJson(res, 200, {
        type: 'work',
        leaseId: lease.leaseId,
        itemId: item.id,
        kind: item.kind,
        sessionId: item.sessionId,
        attempt: lease.attempt,
        leaseUntil: wallClock(ctx, lease.leaseUntil),
        leaseMs,
        event: {
          ...data,
          type: eventType,
          sessionId: item.sessionId,
          seq: payload.seq,
          eventId: payload.eventId,
          at: payload.at,
        },
      });
      // Presence after the answer is on its way: the parked poll's latency is the bridge's headline figure.
      touchAgent(ctx, agentId, {
        action: 'poll',
        sessionId: item.sessionId,
        lease: { leaseId: lease.leaseId, itemId: item.id, kind: item.kind, sessionId: item.sessionId },
        detail: `leased ${item.kind} of ${item.sessionId}`,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/ack',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const b = await body(req);
      const leaseId = stringField(b, 'leaseId', true);
      if (!isPlainObject(b.result)) {
        throw new LiveVariantsError(
          'invalid_field',
          'result must be an object like {"type":"done"}.',
          'result',
        );
      }
      const r = await ctx.engine.ack(leaseId, b.result);
      const agentId = typeof b.agentId === 'string' ? b.agentId : undefined;
      touchAgent(ctx, agentId, {
        action: 'ack',
        sessionId: r.sessionId,
        lease: null,
        detail: `acked ${r.kind}`,
      });
      sendJson(res, 200, { ok: true, ...r });
    },
  },
  {
    method: 'POST',
    path: '/v1/extend',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const b = await body(req);
      const leaseId = stringField(b, 'leaseId', true);
      const ms = b.ms;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1000 || ms > 3_600_000) {
        throw new LiveVariantsError(
          'invalid_field',
          'ms must be a whole number between 1000 and 3600000.',
          'ms',
        );
      }
      const lease = ctx.engine.extend(leaseId, ms);
      sendJson(res, 200, { leaseId: lease.leaseId, leaseUntil: wallClock(ctx, lease.leaseUntil) });
    },
  },
  {
    method: 'GET',
    path: '/v1/status',
    access: 'agent',
    async handle(_req, res, url, ctx) {
      sendJson(res, 200, await ctx.status(url.searchParams));
    },
  },
  {
    method: 'POST',
    path: '/v1/resume',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const b = await body(req);
      sendJson(res, 200, await ctx.resume(stringField(b, 'sessionId', false)));
    },
  },
  {
    method: 'POST',
    path: '/v1/complete',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const b = await body(req);
      const sessionId = stringField(b, 'sessionId', true);
      if (b.force !== undefined && typeof b.force !== 'boolean') {
        throw new LiveVariantsError('invalid_field', 'force must be true or false.', 'force');
      }
      sendJson(res, 200, await ctx.complete(sessionId, b.force === true));
    },
  },
  {
    method: 'POST',
    path: '/v1/accept',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const b = await body(req);
      const ack = await ctx.submitBrowserEvent({
        type: 'accept',
        sessionId: stringField(b, 'sessionId', true),
        eventId:
          stringField(b, 'eventId', false) ??
          `cli-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        variant: b.variant,
        ...(b.params !== undefined ? { params: b.params } : {}),
      });
      sendJson(res, 202, ack);
    },
  },
  {
    method: 'POST',
    path: '/v1/discard',
    access: 'agent',
    async handle(req, res, _url, ctx) {
      const b = await body(req);
      const ack = await ctx.submitBrowserEvent({
        type: 'discard',
        sessionId: stringField(b, 'sessionId', true),
        eventId:
          stringField(b, 'eventId', false) ??
          `cli-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      });
      sendJson(res, 202, ack);
    },
  },
];
