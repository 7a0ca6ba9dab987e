// Reading JSON request bodies within a size cap and writing JSON responses and errors. Responses never carry a
// stack trace; anything that is not a LiveVariantsError becomes a generic 500.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { type ErrorBody, isLiveVariantsError, LiveVariantsError } from '../core/errors';
import { BODY_DRAIN_LIMIT } from './security';

/** HTTP status for each error code the bridge layer produces. Codes not listed here map to 400. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  host_not_allowed: 421,
  origin_not_allowed: 403,
  header_not_allowed: 403,
  unauthorized: 401,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_json: 400,
  invalid_body: 400,
  request_aborted: 400,
  invalid_path: 400,
  path_not_allowed: 403,
  not_found: 404,
  file_too_large: 413,
  not_text_file: 415,
  internal: 500,
};

/** A refusal is the client's to fix unless the code says otherwise, so unknown codes are 400. */
export function httpStatusFor(err: LiveVariantsError): number {
  return HTTP_STATUS_BY_CODE[err.code] ?? 400;
}

const INTERNAL_BODY: ErrorBody = { error: 'internal', message: 'Internal error.' };

/** Status and wire body for any thrown value (the socket layer sends the same body in its error frames). */
export function errorResponse(err: unknown): { status: number; body: ErrorBody & Record<string, unknown> } {
  if (isLiveVariantsError(err)) return { status: httpStatusFor(err), body: err.toBody() };
  return { status: 500, body: { ...INTERNAL_BODY } };
}

export interface JsonBodyRequest extends Readable {
  headers: IncomingHttpHeaders;
}

export interface ReadJsonOptions {
  /** Largest body accepted, in bytes (see the BODY_LIMIT_* constants in security.ts). */
  limit: number;
  /** Bytes read and thrown away after a refusal before the connection is cut. */
  drainLimit?: number;
  /** An empty body (no bytes) yields `{}` instead of an error; for POST routes whose fields are all optional. */
  allowEmpty?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

// JSON.parse makes `__proto__` an own property, harmless until something copies it with Object.assign; unknown
// fields are ignored anyway, so drop it at the door.
function dropProtoKeys(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** `application/json`, optionally with `charset=utf-8`; anything else is refused before reading. */
function contentTypeProblem(contentType: string | undefined): string | null {
  if (contentType === undefined) return null;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return 'Send the request body as Content-Type: application/json.';
  for (const param of params) {
    const [name, raw = ''] = param.split('=').map((p) => p.trim());
    const value = raw.replace(/^"(.*)"$/, '$1');
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return 'JSON bodies must be UTF-8.';
  }
  return null;
}

/**
 * Reads the request body as one JSON object. Buffers at most `limit` bytes: a declared Content-Length over the
 * limit is refused before reading, and a body that grows past it is refused the moment it does. After a refusal
 * the rest of the body is read and discarded (so the client sees the 413 instead of a reset) up to `drainLimit`
 * bytes, then the connection is destroyed.
 */
export function readJsonBody(
  req: JsonBodyRequest,
  options: ReadJsonOptions,
): Promise<Record<string, unknown>> {
  const { limit } = options;
  const drainLimit = options.drainLimit ?? BODY_DRAIN_LIMIT;

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;

    const detach = () => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onAbort);
      req.removeListener('aborted', onAbort);
      req.removeListener('close', onClose);
    };
    const fail = (err: LiveVariantsError) => {
      if (settled) return;
      settled = true;
      detach();
      chunks.length = 0;
      discardRest(req, drainLimit);
      reject(err);
    };
    const tooLarge = () =>
      new LiveVariantsError(
        'payload_too_large',
        `The request body is larger than this route accepts (${limit} bytes).`,
        'body',
        { limit },
      );

    function onData(chunk: Buffer | string) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) return fail(tooLarge());
      chunks.push(bytes);
    }
    function onAbort() {
      fail(
        new LiveVariantsError('request_aborted', 'The request body ended before it was complete.', 'body'),
      );
    }
    function onClose() {
      if (!req.readableEnded) onAbort();
    }
    function onEnd() {
      if (settled) return;
      settled = true;
      detach();
      const body = Buffer.concat(chunks, received);
      chunks.length = 0;
      try {
        resolve(parseJsonObject(body, contentType === undefined, options.allowEmpty === true));
      } catch (err) {
        reject(err);
      }
    }

    if (req.readableEnded || req.destroyed) {
      return fail(
        new LiveVariantsError('request_aborted', 'The request body was already read or closed.', 'body'),
      );
    }
    // An empty Content-Type header counts as none.
    const contentType = req.headers['content-type']?.trim() || undefined;
    const typeProblem = contentTypeProblem(contentType);
    if (typeProblem !== null)
      return fail(new LiveVariantsError('unsupported_media_type', typeProblem, 'body'));
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return fail(
        new LiveVariantsError(
          'unsupported_media_type',
          'Compressed request bodies are not accepted.',
          'body',
        ),
      );
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return fail(tooLarge());

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('aborted', onAbort);
    req.on('close', onClose);
  });
}

function parseJsonObject(body: Buffer, noContentType: boolean, allowEmpty: boolean): Record<string, unknown> {
  if (body.length === 0) {
    if (allowEmpty) return {};
    throw new LiveVariantsError('invalid_body', 'The request body is empty; expected a JSON object.', 'body');
  }
  if (noContentType) {
    throw new LiveVariantsError(
      'unsupported_media_type',
      'Send the request body as Content-Type: application/json.',
      'body',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body), dropProtoKeys);
  } catch {
    // The parser's own message quotes the input; say only what and how big.
    throw new LiveVariantsError(
      'invalid_json',
      `The request body is not valid UTF-8 JSON (${body.length} bytes).`,
      'body',
    );
  }
  if (!isPlainObject(value)) {
    throw new LiveVariantsError(
      'invalid_body',
      `The request body must be a JSON object, not ${kindOf(value)}.`,
      'body',
    );
  }
  return value;
}

/** Keeps the request flowing into nothing; cuts the connection once `drainLimit` more bytes have come. */
function discardRest(req: JsonBodyRequest, drainLimit: number): void {
  if (req.readableEnded || req.destroyed) return;
  let drained = 0;
  const onData = (chunk: Buffer | string) => {
    drained += chunk.length;
    if (drained > drainLimit) {
      req.removeListener('data', onData);
      req.destroy();
    }
  };
  req.on('data', onData);
  req.once('end', () => req.removeListener('data', onData));
  // A destroyed request may still emit 'error'; it is already answered.
  req.on('error', () => {});
  req.resume();
}

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** Writes `body` as JSON with the no-store / nosniff headers. The base headers win over `extraHeaders`. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  let payload: string;
  try {
    payload = JSON.stringify(body) ?? 'null';
  } catch {
    status = 500;
    payload = JSON.stringify(INTERNAL_BODY);
  }
  if (res.headersSent) {
    // Too late for a status; end what was started rather than writing a second response into it.
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, {
    ...extraHeaders,
    ...BASE_HEADERS,
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

export interface SendErrorOptions {
  /** Overrides the status from `HTTP_STATUS_BY_CODE` (routes with codes of their own, e.g. 409). */
  status?: number;
  /** Extra headers, e.g. CORS. */
  headers?: Record<string, string>;
  /** Called with anything that is not a LiveVariantsError (a bug), so the server can log it, redacted. */
  onInternalError?: (err: unknown) => void;
}

/**
 * Sends `{error, field, message}` for a LiveVariantsError with its status, and `500 {error:'internal'}` for
 * anything else. Never a stack trace, never the thrown value's message.
 */
export function sendError(res: ServerResponse, err: unknown, options: SendErrorOptions = {}): void {
  const { status, body } = errorResponse(err);
  if (!isLiveVariantsError(err)) options.onInternalError?.(err);
  const finalStatus = isLiveVariantsError(err) && options.status !== undefined ? options.status : status;
  sendJson(res, finalStatus, body, options.headers);
}
