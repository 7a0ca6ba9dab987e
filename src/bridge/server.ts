// The bridge: HTTP + WebSocket on 127.0.0.1 with the session engine behind it (protocol v1, docs/protocol.md).
// Started by the extension host, or headless by `live-variants serve`. Every request passes the gate (Host,
// Origin, token) before a handler runs; nothing the bridge answers or logs carries the token.

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { AgentLogs, AgentRegistry, QuestionStore } from '../core/agents';
import { type AcceptBy, SessionEngine } from '../core/engine';
import { isLiveVariantsError, LiveVariantsError } from '../core/errors';
import { readBranch } from '../core/git';
import { type AgentServices, agentRoutes } from './agentRoutes';
import {
  ensureDiscoveryDir,
  loadIdentity,
  removeDiscovery,
  rotateToken as rotatePersistedToken,
  saveIdentity,
  writeDiscovery,
} from './discovery';
import { errorResponse, sendError } from './httpIo';
import { type BridgeOps, createBridgeOps } from './operations';
import { ParkedPolls } from './polls';
import { matchRoute, type RouteContext, routes } from './routes';
import {
  checkHost,
  checkOrigin,
  checkToken,
  corsHeaders,
  headerValues,
  preflight,
  redact,
  SOCKET_MAX_MESSAGE_BYTES,
  SOCKET_PROTOCOL,
  tokenFromRequest,
  tokenFromSubprotocol,
} from './security';
import { createSocketHub } from './socket';
import { SourceApplier } from './sourceApplier';
import { observeFile } from './sourceObserver';

export const BRIDGE_VERSION = '0.1.0';

export interface BridgeOptions {
  root: string;
  journalDir?: string;
  /** Port to bind; default the persisted one (or any free port the first time). */
  port?: number;
  allowedOrigins?: string[];
  acceptBy?: AcceptBy;
  leaseMs?: number;
  maxAttempts?: number;
  /** Watch the workspace for marker changes (chokidar); the extension watches through VS Code instead. */
  watch?: boolean;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Where the bundled browser script is; default beside this bundle. */
  liveScriptPath?: string;
  /** An agent is offline this long after its last contact (default 30 s). */
  agentOfflineMs?: number;
  /** Log lines kept per agent (default 1,000). */
  logLines?: number;
}

export interface Bridge {
  readonly port: number;
  readonly url: string;
  readonly token: string;
  readonly engine: SessionEngine;
  readonly root: string;
  readonly ops: BridgeOps;
  /** Re-scan one file for markers (the extension calls this on save). */
  observe(absPath: string): Promise<void>;
  rotateToken(): Promise<string>;
  close(reason?: string): Promise<void>;
}

const STATUS_BY_CODE: Record<string, number> = {
  lease_superseded: 409,
  unknown_lease: 404,
  lease_expired: 409,
  session_not_found: 404,
  not_clean: 409,
  branch_changed: 409,
  transition_rejected: 409,
  journal_latched: 503,
  journal_io_failed: 503,
  journal_closed: 503,
  engine_closed: 503,
  journal_locked: 423,
};

function statusFor(e: unknown): number | undefined {
  return isLiveVariantsError(e) ? STATUS_BY_CODE[e.code] : undefined;
}

function browserTokenOf(token: string): string {
  return createHmac('sha256', token).update('live-variants browser token v1').digest('base64url');
}

function findLiveScript(explicit: string | undefined): string {
  const candidates = explicit
    ? [explicit]
    : [join(__dirname, 'live.js'), join(__dirname, '..', '..', 'dist', 'live.js')];
  for (const c of candidates) {
    try {
      return readFileSync(c, 'utf8');
    } catch {
      // next
    }
  }
  return '/* live-variants: dist/live.js was not built (run npm run build) */';
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const root = resolve(opts.root);
  const log = opts.log ?? (() => {});
  await ensureDiscoveryDir(root);
  const { identity } = await loadIdentity(root);
  let token = identity.token;
  let browserToken = browserTokenOf(token);
  const journalDir = resolve(
    opts.journalDir ?? identity.journalDir ?? join(root, '.live-variants', 'journal'),
  );
  const allowedOrigins = opts.allowedOrigins ?? [];
  const acceptBy = opts.acceptBy ?? 'bridge';
  const startedAt = new Date().toISOString();
  const monotonic = () => performance.now();

  let onChange: (sessionId: string) => void = () => {};
  const engine = await SessionEngine.open({
    journalDir,
    monotonic,
    leaseMs: opts.leaseMs,
    maxAttempts: opts.maxAttempts,
    acceptBy,
    // Read from .git files (no spawn), overlapping the creation of the new session's journal file.
    readBranch: () => readBranch(root),
    onChange: (id) => onChange(id),
    onDiagnostic: (d) => log('warn', `${d.code}${d.sessionId ? ` [${d.sessionId}]` : ''}: ${d.message}`),
  });

  const polls = new ParkedPolls({
    lease: (r) => engine.lease(r),
    takeInterrupt: (a) => engine.takeInterrupt(a),
    nextWakeAt: () => engine.nextWakeAt(),
    now: monotonic,
  });
  const applier = new SourceApplier(engine, root, log);
  const hub = createSocketHub(engine, (event) => ops.submitBrowserEvent(event));
  const ops = createBridgeOps({
    engine,
    root,
    acceptBy,
    applier,
    connectedSessions: () => hub.connectedSessions(),
    bridgeUrl: () => url,
  });
  onChange = (id) => {
    // A parked agent poll is answered first: its latency is the bridge's headline figure.
    polls.wake();
    hub.push(id);
    if (acceptBy === 'bridge') applier.onChange(id);
  };
  const liveScript = findLiveScript(opts.liveScriptPath);
  const allRoutes = [...routes, ...agentRoutes];
  const agents: AgentServices = {
    registry: await AgentRegistry.load(join(root, '.live-variants', 'agents.json'), {
      offlineAfterMs: opts.agentOfflineMs,
      idleAfterMs:
        opts.agentOfflineMs !== undefined ? Math.min(10_000, Math.floor(opts.agentOfflineMs / 3)) : undefined,
    }),
    logs: new AgentLogs({ capacity: opts.logLines }),
    questions: await QuestionStore.openDir(join(journalDir, 'questions')),
    wake: () => polls.wake(),
  };
  hub.useAgents(agents);

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    let cors: Record<string, string> = {};
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'OPTIONS') {
        const p = preflight(req, { port, allowedOrigins });
        res.writeHead(p.status, p.headers);
        res.end();
        return;
      }
      checkHost(headerValues(req, 'host'), port);
      if (url.pathname === '/live.js' && req.method === 'GET') {
        res.writeHead(200, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Resource-Policy': 'cross-origin',
        });
        res.end(liveScript);
        return;
      }
      const route = matchRoute(allRoutes, url.pathname, req.method);
      if (!route) throw new LiveVariantsError('not_found', 'No such route.', 'path');
      if (route.method !== req.method) {
        throw new LiveVariantsError('method_not_allowed', `Use ${route.method} for ${route.path}.`, 'method');
      }
      const origin = checkOrigin(headerValues(req, 'origin'), allowedOrigins, {
        required: route.access === 'grant',
      });
      cors = origin ? corsHeaders(origin) : {};
      const presented = tokenFromRequest(req);
      if (route.access === 'agent') checkToken(presented, token);
      if (route.access === 'browser') {
        try {
          checkToken(presented, browserToken);
        } catch {
          checkToken(presented, token);
        }
      }
      const ctx: RouteContext = {
        engine,
        polls,
        root,
        startedAt,
        version: BRIDGE_VERSION,
        monotonic,
        cors,
        browserToken,
        submitBrowserEvent: (e) => ops.submitBrowserEvent(e),
        status: (q) =>
          ops.status({
            all: q.get('all') === '1' || q.get('all') === 'true',
            sessionId: q.get('sessionId') ?? undefined,
          }),
        resume: (id) => ops.resume(id),
        complete: (id, force) => ops.complete(id, force),
        agents,
      };
      await route.handle(req, res, url, ctx);
    } catch (e) {
      if (!isLiveVariantsError(e))
        log('error', redact(`request failed: ${e instanceof Error ? e.message : String(e)}`, token));
      sendError(res, e, { status: statusFor(e), headers: cors });
    }
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: SOCKET_MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });

  const refuseUpgrade = (socket: Duplex, e: unknown) => {
    const { status, body } = errorResponse(e);
    const payload = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
    );
  };

  const server: Server = createServer((req, res) => void handleRequest(req, res));
  server.on('upgrade', (req, socket, head) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      checkHost(headerValues(req, 'host'), port);
      if (url.pathname !== '/v1/socket') throw new LiveVariantsError('not_found', 'No such socket.', 'path');
      checkOrigin(headerValues(req, 'origin'), allowedOrigins, {});
      const presented =
        tokenFromSubprotocol(headerValues(req, 'sec-websocket-protocol')) ?? tokenFromRequest(req);
      try {
        checkToken(presented, browserToken);
      } catch {
        checkToken(presented, token);
      }
      wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws));
    } catch (e) {
      refuseUpgrade(socket, e);
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  const listen = (p: number) =>
    new Promise<number>((res, rej) => {
      const onError = (e: Error) => {
        server.off('listening', onListening);
        rej(e);
      };
      const onListening = () => {
        server.off('error', onError);
        const addr = server.address();
        res(typeof addr === 'object' && addr ? addr.port : p);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, '127.0.0.1');
    });

  let port: number;
  const wanted = opts.port ?? identity.port ?? 0;
  try {
    port = await listen(wanted);
  } catch (e) {
    if (wanted === 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.port !== undefined) {
      await engine.close();
      throw new LiveVariantsError(
        'port_in_use',
        `Port ${wanted} is in use; the bridge could not start.`,
        'port',
      );
    }
    log('warn', `port ${wanted} is in use; using a new one (open pages must reload)`);
    port = await listen(0);
  }
  const url = `http://127.0.0.1:${port}`;
  await saveIdentity(root, { port, token, journalDir });
  await writeDiscovery(root, { pid: process.pid, port, token, journalDir, startedAt });

  if (acceptBy === 'bridge') applier.reconcile();

  let watcher: { close(): Promise<void> } | undefined;
  if (opts.watch) {
    const { watch } = await import('chokidar');
    const w = watch(root, {
      ignoreInitial: true,
      ignored: (p: string) => /(^|[\\/])(node_modules|\.git|dist|build|\.live-variants)([\\/]|$)/.test(p),
      awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 20 },
    });
    const onFile = (p: string) => void observeFile(engine, root, p).catch(() => undefined);
    w.on('add', onFile);
    w.on('change', onFile);
    watcher = w;
  }
  log('info', `bridge listening on ${url} (journal ${journalDir})`);

  let closing: Promise<void> | undefined;
  return {
    get port() {
      return port;
    },
    url,
    get token() {
      return token;
    },
    engine,
    root,
    ops,
    observe: async (absPath) => {
      await observeFile(engine, root, absPath);
    },
    async rotateToken() {
      const next = await rotatePersistedToken(root);
      token = next.token;
      browserToken = browserTokenOf(token);
      await writeDiscovery(root, { pid: process.pid, port, token, journalDir, startedAt });
      hub.closeAll(4001, 'token rotated');
      return token;
    },
    close(reason = 'shutdown') {
      closing ??= (async () => {
        polls.close();
        applier.close();
        // Let the parked polls' `{type:"exit"}` answers reach the wire before connections close.
        await new Promise((res) => setTimeout(res, 25));
        hub.closeAll(1001, reason);
        await watcher?.close();
        await new Promise<void>((res) => {
          server.close(() => res());
          server.closeAllConnections();
        });
        wss.close();
        await agents.questions.close();
        await agents.registry.close();
        await engine.close();
        await removeDiscovery(root, process.pid);
      })();
      return closing;
    },
  };
}
