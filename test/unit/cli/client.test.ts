import { describe, expect, it } from 'vitest';
import { BridgeClient, type FetchLike } from '../../../src/cli/client';
import { LiveVariantsError } from '../../../src/core/errors';

const endpoint = { url: 'http://127.0.0.1:4000', token: 'secret-token-abcdefgh', source: 'flags' as const };

function fakeFetch(answer: (url: string, init: RequestInit) => Promise<Response>): {
  fetch: FetchLike;
  calls: { url: string; init: RequestInit }[];
} {
  const calls: { url: string; init: RequestInit }[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return answer(url, init);
    },
  };
}

async function caught(p: Promise<unknown>): Promise<LiveVariantsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LiveVariantsError) return e;
    throw e;
  }
  throw new Error('expected a LiveVariantsError');
}

describe('BridgeClient', () => {
  it('sends the token as a bearer header, the query string and a JSON body', async () => {
    const f = fakeFetch(async () => new Response('{"ok":true}', { status: 200 }));
    const client = new BridgeClient(endpoint, f.fetch);
    expect(
      await client.get('/v1/poll', { query: { types: 'generate,accept', timeout: 5, agent: undefined } }),
    ).toEqual({ ok: true });
    expect(f.calls[0].url).toBe('http://127.0.0.1:4000/v1/poll?types=generate%2Caccept&timeout=5');
    expect(f.calls[0].init.method).toBe('GET');
    expect((f.calls[0].init.headers as Record<string, string>).authorization).toBe(
      'Bearer secret-token-abcdefgh',
    );
    await client.post('/v1/ack', { leaseId: 'L', result: { type: 'done' } });
    expect(f.calls[1].init.body).toBe('{"leaseId":"L","result":{"type":"done"}}');
    expect((f.calls[1].init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it("turns the bridge's error body into a LiveVariantsError with its detail and HTTP status", async () => {
    const f = fakeFetch(
      async () =>
        new Response(
          '{"error":"not_clean","field":"sessionId","message":"Markers remain.","findings":[{"line":2}]}',
          {
            status: 409,
          },
        ),
    );
    const e = await caught(new BridgeClient(endpoint, f.fetch).post('/v1/complete', { sessionId: 'a' }));
    expect(e.toBody()).toEqual({
      error: 'not_clean',
      field: 'sessionId',
      message: 'Markers remain.',
      findings: [{ line: 2 }],
      status: 409,
    });
  });

  it('refuses a body that is not JSON or not an object', async () => {
    const html = fakeFetch(async () => new Response('<html>', { status: 502 }));
    expect((await caught(new BridgeClient(endpoint, html.fetch).get('/v1/status'))).code).toBe(
      'bad_response',
    );
    const list = fakeFetch(async () => new Response('[1]', { status: 200 }));
    expect((await caught(new BridgeClient(endpoint, list.fetch).get('/v1/status'))).code).toBe(
      'bad_response',
    );
    const bare = fakeFetch(async () => new Response('{"oops":1}', { status: 500 }));
    const e = await caught(new BridgeClient(endpoint, bare.fetch).get('/v1/status'));
    expect([e.code, e.message]).toEqual([
      'bad_response',
      'The bridge answered GET /v1/status with HTTP 500.',
    ]);
  });

  it('reports a refused connection as bridge_unreachable, never echoing the token', async () => {
    const f = fakeFetch(async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    const e = await caught(new BridgeClient(endpoint, f.fetch).get('/v1/status'));
    expect(e.code).toBe('bridge_unreachable');
    expect(e.message).toContain('http://127.0.0.1:4000 (ECONNREFUSED)');
    expect(JSON.stringify(e.toBody())).not.toContain(endpoint.token);
  });

  it('gives up after its timeout with bridge_timeout', async () => {
    const f = fakeFetch(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const e = await caught(new BridgeClient(endpoint, f.fetch).get('/v1/status', { timeoutMs: 30 }));
    expect([e.code, e.message]).toEqual([
      'bridge_timeout',
      'The bridge at http://127.0.0.1:4000 did not answer within 30 ms.',
    ]);
  });
});
