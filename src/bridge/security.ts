// The bridge's gate: pure checks on request headers that run before any route handler. The bridge listens on
// 127.0.0.1, so the threats are web pages in the user's browser (DNS rebinding, cross-origin requests) and
// other local programs without the token. Every refusal is a LiveVariantsError; `httpStatusFor` in httpIo.ts
// maps its code to the HTTP status. Order and status codes are documented in docs/security.md.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { LiveVariantsError } from '../core/errors';

const KIB = 1024;
const MIB = 1024 * KIB;

/** JSON body cap for ordinary routes (events, acks, status queries). */
export const BODY_LIMIT_DEFAULT = 256 * KIB;
/** JSON body cap for routes that carry larger payloads (log batches, agent results). */
export const BODY_LIMIT_LARGE = 1 * MIB;
/** JSON body cap for the artifact/screenshot upload route only. */
export const BODY_LIMIT_ARTIFACT = 8 * MIB;
/** After a body is refused as too large, this much more is read and discarded so the client can see the 413;
 * past it the connection is cut. */
export const BODY_DRAIN_LIMIT = 8 * MIB;
/** Largest WebSocket message; give it to `ws` as `maxPayload`, which closes with 1009 when exceeded. */
export const SOCKET_MAX_MESSAGE_BYTES = 1 * MIB;
/** WebSocket close code for a message over the cap (RFC 6455 "message too big"). */
export const SOCKET_CLOSE_MESSAGE_TOO_BIG = 1009;
/** Largest source file `GET /v1/source` returns. */
export const SOURCE_FILE_LIMIT = 5 * MIB;

/** The subprotocol the browser socket speaks; the server selects it in its handshake response. */
export const SOCKET_PROTOCOL = 'live-variants.v1';
/** A second offered subprotocol `token.<token>` carries the token (browsers cannot set headers on sockets).
 * The server never selects or echoes it. */
export const SOCKET_TOKEN_PROTOCOL_PREFIX = 'token.';

export const CORS_ALLOWED_METHODS: readonly string[] = ['GET', 'POST', 'OPTIONS'];
export const CORS_ALLOWED_HEADERS: readonly string[] = ['Authorization', 'Content-Type'];
const CORS_MAX_AGE_SECONDS = 600;

/** What the checks need from a request: Node's `IncomingMessage` fits. `rawHeaders` lets the checks see
 * duplicated headers that Node's `headers` object silently collapses (it keeps the first `Host`). */
export interface HeaderSource {
  headers: IncomingHttpHeaders;
  rawHeaders?: readonly string[];
}

/** Every value a header was sent with, in order; `rawHeaders` when present, else the parsed `headers`. */
export function headerValues(req: HeaderSource, name: string): string[] {
  const lower = name.toLowerCase();
  if (req.rawHeaders !== undefined && req.rawHeaders.length > 0) {
    const values: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i].toLowerCase() === lower) values.push(req.rawHeaders[i + 1]);
    }
    return values;
  }
  const value = req.headers[lower];
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [String(value)];
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

// ---------------------------------------------------------------------------------------------- Host

/** The only Host values accepted: a loopback name or address with exactly the bridge's port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/**
 * DNS-rebinding guard. A page on `evil.com` whose name was re-pointed at 127.0.0.1 still sends
 * `Host: evil.com:PORT`, so only the exact loopback spellings with our port pass. Case-insensitive (names are),
 * otherwise exact: no trailing dot, no other 127/8 address, no IPv4-mapped IPv6, no missing port, no duplicates.
 */
export function checkHost(host: string | readonly string[] | undefined, port: number): void {
  const values = asList(host);
  if (values.length !== 1) {
    throw new LiveVariantsError(
      'host_not_allowed',
      values.length === 0 ? 'The Host header is missing.' : 'The Host header was sent more than once.',
      'host',
    );
  }
  const value = values[0];
  const ok =
    Number.isInteger(port) &&
    port > 0 &&
    port <= 65535 &&
    PRINTABLE_ASCII.test(value) &&
    allowedHosts(port).includes(value.toLowerCase());
  if (!ok) {
    throw new LiveVariantsError(
      'host_not_allowed',
      `The Host header must be 127.0.0.1:${port}, localhost:${port} or [::1]:${port}; ` +
        'the bridge only answers requests addressed to this machine by a loopback name.',
      'host',
    );
  }
}

// -------------------------------------------------------------------------------------------- Origin

/** An Origin that passed `checkOrigin`; only these are echoed in CORS headers. */
export type AllowedOrigin = string & { readonly __allowedOrigin: true };

const LOOPBACK_ORIGIN_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Canonical `scheme://host[:port]` for a configured allow-list entry, or null when the entry is not an http(s)
 * origin. Lenient about case and a trailing slash (people type those); no wildcards, paths or credentials.
 */
export function normalizeOrigin(entry: string): string | null {
  const trimmed = entry.trim();
  if (trimmed.includes('*')) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+\/?$/i.test(trimmed)) return null;
  return url.origin;
}

/** Parses an Origin header that must already be in the canonical form browsers send. */
function parseCanonicalOrigin(value: string): URL | null {
  if (!PRINTABLE_ASCII.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin === value ? url : null;
}

/**
 * Browser gate. No Origin (the CLI, curl) passes unless `required`; `null` (sandboxed frames, file://) never
 * does; otherwise the origin must be http(s) on a loopback host (any port: the preview dev server) or exactly
 * one of the configured origins. Comparison is by canonical string: no suffix or pattern matching.
 */
export function checkOrigin(
  origin: string | readonly string[] | undefined,
  allowList: readonly string[],
  options: { required?: boolean } = {},
): AllowedOrigin | null {
  const values = asList(origin);
  if (values.length === 0) {
    if (options.required) {
      throw new LiveVariantsError(
        'origin_not_allowed',
        'This request must come from a browser page.',
        'origin',
      );
    }
    return null;
  }
  if (values.length > 1) {
    throw new LiveVariantsError('origin_not_allowed', 'The Origin header was sent more than once.', 'origin');
  }
  const value = values[0];
  if (value === 'null') {
    throw new LiveVariantsError(
      'origin_not_allowed',
      'Requests from an opaque origin (Origin: null, e.g. file:// pages or sandboxed frames) are refused.',
      'origin',
    );
  }
  const url = parseCanonicalOrigin(value);
  if (url !== null) {
    if (LOOPBACK_ORIGIN_HOSTS.has(url.hostname)) return value as AllowedOrigin;
    for (const entry of allowList) {
      if (normalizeOrigin(entry) === value) return value as AllowedOrigin;
    }
  }
  throw new LiveVariantsError(
    'origin_not_allowed',
    'This page origin is not allowed to use the bridge. Loopback origins are always allowed; add other ' +
      'preview origins to the liveVariants allow-list setting.',
    'origin',
  );
}

/**
 * CORS headers for a response. `Vary: Origin` always (caches must not mix origins); the allow headers only
 * for an origin that passed `checkOrigin` — never `*`, never credentials (the token is a header, not a cookie).
 */
export function corsHeaders(origin: AllowedOrigin | null): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (origin !== null) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Allow-Methods'] = CORS_ALLOWED_METHODS.join(', ');
    headers['Access-Control-Allow-Headers'] = CORS_ALLOWED_HEADERS.join(', ');
  }
  return headers;
}

/**
 * Answer to an `OPTIONS` preflight: Host and Origin (required) must pass, and the requested method and headers
 * must be ones the bridge accepts. Returns the 204 response to send; throws the refusal otherwise.
 */
export function preflight(
  req: HeaderSource,
  policy: { port: number; allowedOrigins: readonly string[] },
): { status: 204; headers: Record<string, string> } {
  checkHost(headerValues(req, 'host'), policy.port);
  const origin = checkOrigin(headerValues(req, 'origin'), policy.allowedOrigins, { required: true });
  const method = headerValues(req, 'access-control-request-method');
  if (method.length !== 1 || !CORS_ALLOWED_METHODS.includes(method[0])) {
    throw new LiveVariantsError(
      'method_not_allowed',
      `Cross-origin requests may only use ${CORS_ALLOWED_METHODS.join(', ')}.`,
      'access-control-request-method',
    );
  }
  const allowed = new Set(CORS_ALLOWED_HEADERS.map((h) => h.toLowerCase()));
  const requested = headerValues(req, 'access-control-request-headers')
    .flatMap((v) => v.split(','))
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  if (requested.some((h) => !allowed.has(h))) {
    throw new LiveVariantsError(
      'header_not_allowed',
      `Cross-origin requests may only send the headers ${CORS_ALLOWED_HEADERS.join(', ')}.`,
      'access-control-request-headers',
    );
  }
  const headers: Record<string, string> = {
    ...corsHeaders(origin),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
  // Chrome's Private Network Access asks before a non-loopback page may reach 127.0.0.1; the origin is already
  // allowed, so say yes.
  const pna = headerValues(req, 'access-control-request-private-network');
  if (pna.length === 1 && pna[0].toLowerCase() === 'true')
    headers['Access-Control-Allow-Private-Network'] = 'true';
  return { status: 204, headers };
}

// --------------------------------------------------------------------------------------------- Token

/** A fresh bearer token: 32 random bytes, base64url (43 characters, no padding). */
export function newToken(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant-time token check. Both sides are hashed first so the comparison always runs over 32 bytes and
 * neither the length nor a shared prefix of the real token shows in the timing.
 */
export function checkToken(presented: string | undefined, expected: string): void {
  const matches = timingSafeEqual(digest(presented ?? ''), digest(expected));
  if (presented === undefined || expected === '' || !matches) {
    throw new LiveVariantsError(
      'unauthorized',
      presented === undefined
        ? 'The bridge token is missing. Send "Authorization: Bearer <token>"; the token is in .live-variants/bridge.json.'
        : 'The bridge token is wrong. Read the current one from .live-variants/bridge.json (it changes when rotated).',
      'token',
    );
  }
}

const BEARER = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token from `Authorization: Bearer <token>` (scheme case-insensitive, exactly one space, one header). */
export function tokenFromRequest(req: HeaderSource): string | undefined {
  const values = headerValues(req, 'authorization');
  if (values.length !== 1) return undefined;
  return BEARER.exec(values[0])?.[1];
}

const SUBPROTOCOL_TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * The token from a `Sec-WebSocket-Protocol` offer such as `live-variants.v1, token.<token>`. Requires our
 * protocol in the list and exactly one `token.` entry.
 */
export function tokenFromSubprotocol(header: string | readonly string[] | undefined): string | undefined {
  const offered = asList(header)
    .flatMap((v) => v.split(','))
    .map((p) => p.trim());
  if (!offered.includes(SOCKET_PROTOCOL)) return undefined;
  const tokens = offered.filter((p) => p.startsWith(SOCKET_TOKEN_PROTOCOL_PREFIX));
  if (tokens.length !== 1) return undefined;
  const token = tokens[0].slice(SOCKET_TOKEN_PROTOCOL_PREFIX.length);
  return SUBPROTOCOL_TOKEN.test(token) ? token : undefined;
}

/** The subprotocol list a client offers: ours plus the token carrier. */
export function socketProtocolsFor(token: string): string[] {
  return [SOCKET_PROTOCOL, SOCKET_TOKEN_PROTOCOL_PREFIX + token];
}

/** For `ws`'s `handleProtocols`: select our protocol, never the token entry. */
export function selectSubprotocol(offered: ReadonlySet<string>): string | false {
  return offered.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false;
}

/** The token in `/live.js?token=…`. Any other path yields nothing: the query is accepted on that route only. */
export function tokenFromLiveScriptUrl(requestUrl: string | undefined): string | undefined {
  // Origin-form only (`/live.js?…`); `//host/live.js` would parse as another authority.
  if (requestUrl === undefined || !requestUrl.startsWith('/') || requestUrl.startsWith('//'))
    return undefined;
  let url: URL;
  try {
    url = new URL(requestUrl, 'http://127.0.0.1');
  } catch {
    return undefined;
  }
  if (url.pathname !== '/live.js') return undefined;
  const values = url.searchParams.getAll('token');
  return values.length === 1 && values[0] !== '' ? values[0] : undefined;
}

/** Removes the token (and anything shaped like a credential) from text bound for a log. */
export function redact(text: string, token: string): string {
  let out = token === '' ? text : text.split(token).join('[redacted]');
  out = out.replace(/\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [redacted]');
  out = out.replace(/([?&]token=)[^&\s#"']+/gi, '$1[redacted]');
  out = out.replace(/\btoken\.[A-Za-z0-9_-]{8,}/g, 'token.[redacted]');
  return out;
}

// ----------------------------------------------------------------------------------------- The gate

export interface RequestPolicy {
  /** The port the bridge is listening on. */
  port: number;
  /** Configured preview origins besides loopback. */
  allowedOrigins: readonly string[];
  /** The current token. */
  token: string;
  /** `none`: public route; `bearer`: Authorization header; `socket`: header or `token.` subprotocol. */
  auth: 'none' | 'bearer' | 'socket';
  /** Refuse requests without an Origin (the browser token grant). */
  requireOrigin?: boolean;
}

/**
 * Runs the checks in their fixed order — Host (421), Origin (403), token (401) — and returns the allowed origin
 * (for CORS headers) or null for a non-browser client. Throws the first refusal.
 */
export function guardRequest(req: HeaderSource, policy: RequestPolicy): AllowedOrigin | null {
  checkHost(headerValues(req, 'host'), policy.port);
  const origin = checkOrigin(headerValues(req, 'origin'), policy.allowedOrigins, {
    required: policy.requireOrigin === true,
  });
  if (policy.auth !== 'none') {
    let presented = tokenFromRequest(req);
    if (presented === undefined && policy.auth === 'socket') {
      presented = tokenFromSubprotocol(headerValues(req, 'sec-websocket-protocol'));
    }
    checkToken(presented, policy.token);
  }
  return origin;
}
