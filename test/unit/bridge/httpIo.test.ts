import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
} from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorResponse,
  HTTP_STATUS_BY_CODE,
  httpStatusFor,
  type JsonBodyRequest,
  readJsonBody,
  sendError,
  sendJson,
} from '../../../src/bridge/httpIo';
import { LiveVariantsError } from '../../../src/core/errors';

const KIB = 1024;
const MIB = 1024 * KIB;
const LIMIT = 256 * KIB;

interface Seen {
  /** Bytes the request stream had delivered when readJsonBody removed its buffering listener (the refusal). */
  bytesAtRefusal: number;
  /** Bytes the request stream had delivered when readJsonBody's promise settled. */
  bytesAtSettle: number;
  /** Bytes delivered by the time the request closed. */
  bytesTotal: number;
  destroyed: boolean;
  /** The client's port: the same value on two requests means one reused connection. */
  remotePort: number | undefined;
  /** Settles when the request stream or its connection has closed. */
  closed: Promise<void>;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

let server: Server;
let port = 0;
const seen: Seen[] = [];

// Routes: /json (limit 256 KiB), /small-drain (limit 1 KiB, drain 64 KiB), /empty-ok (allowEmpty),
// /throw/<kind> (sendError with a chosen value).
function handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
  const url = req.url ?? '/';
  if (url === '/bigint') return sendJson(res, 200, { n: 1n });
  if (url === '/twice') {
    sendJson(res, 200, { first: true });
    return sendError(res, new Error('second response'));
  }
  if (url.startsWith('/throw/')) {
    const kind = url.slice('/throw/'.length);
    const thrown =
      kind === 'lv'
        ? new LiveVariantsError('path_not_allowed', 'Dotfiles are never served.', 'path')
        : kind === 'lv-custom'
          ? new LiveVariantsError('lease_superseded', 'A newer lease exists.', 'leaseId', { current: 'L2' })
          : kind === 'string'
            ? 'a thrown string with TOKEN-abc'
            : new Error(`boom with secret TOKEN-abc at ${__filename}`);
    const internal: unknown[] = [];
    sendError(res, thrown, {
      status: kind === 'lv-custom' ? 409 : undefined,
      onInternalError: (err) => internal.push(err),
    });
    res.on('finish', () => {
      if (internal.length > 0) lastInternal = internal;
    });
    return;
  }
  let markClosed = () => {};
  const record: Seen = {
    bytesAtRefusal: -1,
    bytesAtSettle: -1,
    bytesTotal: 0,
    destroyed: false,
    remotePort: req.socket.remotePort,
    closed: new Promise<void>((resolve) => {
      markClosed = resolve;
    }),
  };
  seen.push(record);
  const count = (chunk: Buffer) => {
    record.bytesTotal += chunk.length;
  };
  req.on('data', count);
  req.on('removeListener', (event, listener) => {
    if (event === 'data' && listener !== count && record.bytesAtRefusal === -1) {
      record.bytesAtRefusal = record.bytesTotal;
    }
  });
  req.on('close', () => {
    record.destroyed = req.destroyed && !req.complete;
    markClosed();
  });
  // After a `Connection: close` response Node detaches the request; then only the socket reports the end.
  req.socket.once('close', () => markClosed());
  const options =
    url === '/small-drain'
      ? { limit: KIB, drainLimit: 64 * KIB }
      : url === '/empty-ok'
        ? { limit: LIMIT, allowEmpty: true }
        : { limit: LIMIT };
  readJsonBody(req, options).then(
    (body) => {
      record.bytesAtSettle = record.bytesTotal;
      sendJson(res, 200, { received: body, proto: Object.getPrototypeOf(body) === Object.prototype });
    },
    (err: unknown) => {
      record.bytesAtSettle = record.bytesTotal;
      sendError(res, err);
    },
  );
}
let lastInternal: unknown[] = [];

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function send(
  path: string,
  options: {
    body?: Buffer | string;
    chunks?: Buffer[];
    headers?: Record<string, string>;
    method?: string;
    agent?: Agent;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        agent: options.agent ?? false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

function chunksOf(total: number, size: number): Buffer[] {
  return Array.from({ length: Math.ceil(total / size) }, () => Buffer.alloc(size, 0x20));
}

describe('readJsonBody on a real server', () => {
  it('parses a JSON object', async () => {
    const reply = await send('/json', { body: '{"sessionId":"abc12345","n":[1,2]}' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ received: { sessionId: 'abc12345', n: [1, 2] }, proto: true });
  });

  it('stops buffering at the cap of a streamed 2 MiB body and answers 413', async () => {
    const before = seen.length;
    const reply = await send('/json', { chunks: chunksOf(2 * MIB, 64 * KIB) });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toEqual({
      error: 'payload_too_large',
      field: 'body',
      message: `The request body is larger than this route accepts (${LIMIT} bytes).`,
      limit: LIMIT,
    });
    const record = seen[before];
    // Refused on the chunk that crossed the cap: at most one socket read (64 KiB) past it.
    expect(record.bytesAtRefusal).toBeGreaterThan(LIMIT);
    expect(record.bytesAtRefusal).toBeLessThanOrEqual(LIMIT + 64 * KIB);
    await record.closed;
    expect(record.bytesTotal).toBeLessThanOrEqual(2 * MIB);
  });

  it('drains a refused body so a keep-alive connection stays usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = seen.length;
      const refused = await send('/json', { chunks: chunksOf(2 * MIB, 64 * KIB), agent });
      expect(refused.status).toBe(413);
      await seen[before].closed;
      // Read to the end and thrown away, not buffered: the refusal happened at the cap.
      expect(seen[before].bytesTotal).toBe(2 * MIB);
      expect(seen[before].bytesAtRefusal).toBeLessThanOrEqual(LIMIT + 64 * KIB);
      const next = await send('/json', { body: '{"after":true}', agent });
      expect(next.status).toBe(200);
      expect(JSON.parse(next.text).received).toEqual({ after: true });
      expect(seen[before + 1].remotePort).toBe(seen[before].remotePort);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a declared Content-Length over the cap before reading any of the body', async () => {
    const before = seen.length;
    const reply = await send('/json', { body: Buffer.alloc(2 * MIB, 0x20) });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text).error).toBe('payload_too_large');
    // Refused from the header alone, before any buffering listener: the only body bytes seen are those that
    // shared the first socket read with the headers, never the 2 MiB.
    expect(seen[before].bytesAtRefusal).toBe(-1);
    expect(seen[before].bytesAtSettle).toBeLessThanOrEqual(64 * KIB);
  });

  it('answers 413 without waiting for a body that is declared but never sent', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/json',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(100 * MIB) },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
          req.destroy();
        },
      );
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.write('{"a":');
    });
    expect(reply.status).toBe(413);
  });

  it('cuts the connection once a refused body keeps coming past the drain limit', async () => {
    // Keep-alive, so nothing but the drain limit closes this connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = seen.length;
    let status = 0;
    try {
      await new Promise<void>((resolve) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/small-drain', method: 'POST', agent },
          (res) => {
            status = res.statusCode ?? 0;
            res.resume();
          },
        );
        req.setHeader('content-type', 'application/json');
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        const chunk = Buffer.alloc(16 * KIB, 0x20);
        let written = 0;
        const pump = () => {
          while (written < 64 * MIB && !req.destroyed) {
            written += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      });
      const record = seen[before];
      await record.closed;
      expect(status).toBe(413);
      expect(record.bytesAtRefusal).toBeGreaterThan(KIB);
      expect(record.bytesAtRefusal).toBeLessThanOrEqual(KIB + 64 * KIB);
      expect(record.destroyed).toBe(true);
      // Limit (1 KiB) + drain limit (64 KiB) + at most one socket read on each side of them.
      expect(record.bytesTotal).toBeLessThanOrEqual(KIB + 64 * KIB + 2 * 64 * KIB);
    } finally {
      agent.destroy();
    }
  });

  const refusals: Array<
    [string, { body?: string | Buffer; headers?: Record<string, string> }, number, object]
  > = [
    [
      'invalid JSON',
      { body: '{"a":' },
      400,
      {
        error: 'invalid_json',
        field: 'body',
        message: 'The request body is not valid UTF-8 JSON (5 bytes).',
      },
    ],
    [
      'invalid UTF-8',
      { body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) },
      400,
      {
        error: 'invalid_json',
        field: 'body',
        message: 'The request body is not valid UTF-8 JSON (9 bytes).',
      },
    ],
    [
      'an array',
      { body: '[1,2]' },
      400,
      {
        error: 'invalid_body',
        field: 'body',
        message: 'The request body must be a JSON object, not an array.',
      },
    ],
    [
      'a string',
      { body: '"hello"' },
      400,
      {
        error: 'invalid_body',
        field: 'body',
        message: 'The request body must be a JSON object, not a string.',
      },
    ],
    [
      'null',
      { body: 'null' },
      400,
      { error: 'invalid_body', field: 'body', message: 'The request body must be a JSON object, not null.' },
    ],
    [
      'a number',
      { body: '42' },
      400,
      {
        error: 'invalid_body',
        field: 'body',
        message: 'The request body must be a JSON object, not a number.',
      },
    ],
    [
      'an empty body',
      { body: '' },
      400,
      { error: 'invalid_body', field: 'body', message: 'The request body is empty; expected a JSON object.' },
    ],
    [
      'text/plain',
      { body: '{}', headers: { 'content-type': 'text/plain;charset=UTF-8' } },
      415,
      {
        error: 'unsupported_media_type',
        field: 'body',
        message: 'Send the request body as Content-Type: application/json.',
      },
    ],
    [
      'form encoding',
      { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      {
        error: 'unsupported_media_type',
        field: 'body',
        message: 'Send the request body as Content-Type: application/json.',
      },
    ],
    [
      'a non-UTF-8 charset',
      { body: '{}', headers: { 'content-type': 'application/json; charset=latin1' } },
      415,
      { error: 'unsupported_media_type', field: 'body', message: 'JSON bodies must be UTF-8.' },
    ],
    [
      'a compressed body',
      { body: '{}', headers: { 'content-encoding': 'gzip' } },
      415,
      {
        error: 'unsupported_media_type',
        field: 'body',
        message: 'Compressed request bodies are not accepted.',
      },
    ],
  ];
  it.each(refusals)('refuses %s with an exact error', async (_name, options, status, body) => {
    const reply = await send('/json', options);
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.text)).toEqual(body);
  });

  it('refuses a JSON body sent without Content-Type', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/json', method: 'POST', agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end('{"a":1}');
    });
    expect(reply.status).toBe(415);
    expect(JSON.parse(reply.text).error).toBe('unsupported_media_type');
  });

  it('never echoes a large invalid body in the error message', async () => {
    const junk = `{"a": ${'x'.repeat(200 * KIB)}`;
    const reply = await send('/json', { body: junk });
    expect(reply.status).toBe(400);
    expect(reply.text).not.toContain('xxxx');
    expect(reply.text.length).toBeLessThan(200);
  });

  it('accepts application/json with a UTF-8 charset in any case', async () => {
    const reply = await send('/json', {
      body: '{"a":"é"}',
      headers: { 'content-type': 'Application/JSON; Charset="UTF-8"' },
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text).received).toEqual({ a: 'é' });
  });

  it('drops __proto__ keys so a later Object.assign cannot change a prototype', async () => {
    const reply = await send('/json', {
      body: '{"a":1,"__proto__":{"polluted":true},"nested":{"\\u005f_proto__":{"x":1},"b":2}}',
    });
    expect(reply.status).toBe(200);
    const parsed = JSON.parse(reply.text);
    expect(parsed.proto).toBe(true);
    expect(parsed.received).toEqual({ a: 1, nested: { b: 2 } });
  });

  it('turns an empty body into {} when the route allows it', async () => {
    const reply = await send('/empty-ok', { body: '', headers: { 'content-type': '' } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text).received).toEqual({});
  });

  it('still refuses an empty body where the route does not allow it', async () => {
    const reply = await send('/json', { body: '', headers: { 'content-type': '' } });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error).toBe('invalid_body');
  });

  it('turns an empty body with a JSON Content-Type into {} when the route allows it', async () => {
    const reply = await send('/empty-ok', { body: '' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text).received).toEqual({});
  });

  it('sets the JSON, no-store and nosniff headers', async () => {
    const reply = await send('/json', { body: '{}' });
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(reply.text)));
  });
});

describe('readJsonBody on a stream', () => {
  function fakeRequest(stream: Readable, headers: IncomingHttpHeaders): JsonBodyRequest {
    return Object.assign(stream, { headers });
  }

  it('pulls at most one chunk past the limit before refusing, then cuts an endless body', async () => {
    let produced = 0;
    let producedAtRefusal = -1;
    const chunk = Buffer.alloc(16 * KIB, 0x20);
    const endless = new Readable({
      read() {
        produced += chunk.length;
        this.push(chunk);
      },
    });
    // The refusal is the moment readJsonBody drops its buffering listener.
    endless.on('removeListener', (event) => {
      if (event === 'data' && producedAtRefusal === -1) producedAtRefusal = produced;
    });
    const closed = new Promise<void>((resolve) => endless.once('close', () => resolve()));
    const err = await readJsonBody(fakeRequest(endless, { 'content-type': 'application/json' }), {
      limit: 100 * KIB,
      drainLimit: 256 * KIB,
    }).catch((e: unknown) => e);
    expect((err as LiveVariantsError).code).toBe('payload_too_large');
    // Readable may read ahead by its highWaterMark (16 KiB) before the data handler sees a chunk.
    expect(producedAtRefusal).toBeLessThanOrEqual(100 * KIB + 16 * KIB + 16 * KIB);
    await closed;
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThanOrEqual(100 * KIB + 256 * KIB + 3 * 16 * KIB);
  });

  it('refuses a body that was already read instead of waiting forever', async () => {
    const stream = Readable.from([Buffer.from('{}')]);
    stream.resume();
    await new Promise<void>((resolve) => stream.once('end', () => resolve()));
    await expect(
      readJsonBody(fakeRequest(stream, { 'content-type': 'application/json' }), { limit: KIB }),
    ).rejects.toMatchObject({
      code: 'request_aborted',
      message: 'The request body was already read or closed.',
    });
  });

  it('reports a body that breaks off as request_aborted', async () => {
    const stream = new Readable({ read() {} });
    const pending = readJsonBody(fakeRequest(stream, { 'content-type': 'application/json' }), { limit: KIB });
    stream.push('{"a":');
    stream.destroy(new Error('socket hang up'));
    await expect(pending).rejects.toMatchObject({
      code: 'request_aborted',
      field: 'body',
      message: 'The request body ended before it was complete.',
    });
  });
});

describe('sendError and the status table', () => {
  it('maps a LiveVariantsError to its status and {error, field, message}', async () => {
    const reply = await send('/throw/lv', { method: 'GET' });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.text)).toEqual({
      error: 'path_not_allowed',
      field: 'path',
      message: 'Dotfiles are never served.',
    });
  });

  it('lets a route override the status and keeps the error detail', async () => {
    const reply = await send('/throw/lv-custom', { method: 'GET' });
    expect(reply.status).toBe(409);
    expect(JSON.parse(reply.text)).toEqual({
      error: 'lease_superseded',
      field: 'leaseId',
      message: 'A newer lease exists.',
      current: 'L2',
    });
  });

  it.each(['error', 'string'])(
    'turns a thrown %s into a bare 500 with no stack, message or token',
    async (kind) => {
      lastInternal = [];
      const reply = await send(`/throw/${kind}`, { method: 'GET' });
      expect(reply.status).toBe(500);
      expect(reply.text).toBe('{"error":"internal","message":"Internal error."}');
      expect(reply.text).not.toContain('TOKEN');
      expect(reply.text).not.toContain('at ');
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(lastInternal).toHaveLength(1);
    },
  );

  it('sends a 500 instead of throwing when the body cannot be serialized', async () => {
    const reply = await send('/bigint', { method: 'GET' });
    expect(reply.status).toBe(500);
    expect(reply.text).toBe('{"error":"internal","message":"Internal error."}');
  });

  it('leaves a response that was already sent untouched', async () => {
    const reply = await send('/twice', { method: 'GET' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"first":true}');
  });

  it('has a status for every bridge code and 400 for codes it does not know', () => {
    expect(HTTP_STATUS_BY_CODE).toEqual({
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
    });
    expect(httpStatusFor(new LiveVariantsError('invalid_field', 'x', 'f'))).toBe(400);
    expect(errorResponse(new TypeError('x'))).toEqual({
      status: 500,
      body: { error: 'internal', message: 'Internal error.' },
    });
  });
});
