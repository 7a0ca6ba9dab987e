// `POST /v1/artifacts` (src/bridge/artifactRoutes.ts) against the real bridge process: what it stores, where,
// for how long, and every refusal with its status and code.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBridge, stopBridge, type TestBridge } from './browserBridge';
import { bridgeRequest } from './browserHarness';

let root: string;
let bridge: TestBridge;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of a png'),
]);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lv-artifacts-'));
  bridge = await startTestBridge(root);
});
afterAll(async () => {
  await stopBridge(bridge);
  rmSync(root, { recursive: true, force: true });
});

async function browserToken(): Promise<string> {
  const res = await fetch(`${bridge.url}/v1/browser-token`, {
    method: 'POST',
    headers: { Origin: 'http://localhost:5173' },
  });
  return ((await res.json()) as { token: string }).token;
}

async function upload(query: string, body: Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${bridge.url}/v1/artifacts?${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await browserToken()}`, 'Content-Type': 'image/png', ...headers },
    body: new Uint8Array(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cors: res.headers.get('access-control-allow-origin'),
  };
}

async function newSession(id: string): Promise<void> {
  const r = await bridgeRequest(bridge, 'POST', '/v1/events', {
    type: 'generate',
    sessionId: id,
    eventId: `g-${id}`,
    mode: 'replace',
    count: 2,
    element: { tag: 'section', id: 'hero', classes: ['hero'] },
  });
  expect(r.status).toBe(202);
}

const dirOf = (id: string) => join(root, '.live-variants', 'journal', `${id}.artifacts`);

describe('POST /v1/artifacts', () => {
  it('stores the bytes beside the session journal with the browser token, echoing the allowed origin', async () => {
    await newSession('a1000001');
    const r = await upload('sessionId=a1000001&name=element.png', PNG, { Origin: 'http://localhost:5173' });
    expect(r).toEqual({
      status: 201,
      body: { sessionId: 'a1000001', name: 'element.png', bytes: PNG.length },
      cors: 'http://localhost:5173',
    });
    expect(readFileSync(join(dirOf('a1000001'), 'element.png')).equals(PNG)).toBe(true);
    // A second upload of the same name replaces it.
    const other = Buffer.concat([PNG, Buffer.from('more')]);
    expect((await upload('sessionId=a1000001&name=element.png', other)).status).toBe(201);
    expect(readFileSync(join(dirOf('a1000001'), 'element.png')).equals(other)).toBe(true);
  });

  it('refuses bad names, unknown sessions, wrong types, non-PNG bytes, empty and oversized bodies', async () => {
    await newSession('a1000002');
    const cases: [string, Buffer, Record<string, string>, number, string][] = [
      ['sessionId=a1000002&name=..%2Fescape.png', PNG, {}, 400, 'invalid_artifact_name'],
      ['sessionId=a1000002&name=.hidden', PNG, {}, 400, 'invalid_artifact_name'],
      ['sessionId=..%2Fx&name=a.png', PNG, {}, 400, 'invalid_session_id'],
      ['sessionId=ffff0000&name=a.png', PNG, {}, 404, 'session_not_found'],
      ['sessionId=a1000002&name=a.png', PNG, { 'Content-Type': 'text/html' }, 415, 'unsupported_media_type'],
      ['sessionId=a1000002&name=a.png', Buffer.from('GIF89a...'), {}, 400, 'invalid_artifact'],
      [
        'sessionId=a1000002&name=a.bin',
        Buffer.alloc(0),
        { 'Content-Type': 'application/octet-stream' },
        400,
        'invalid_body',
      ],
      [
        'sessionId=a1000002&name=big.png',
        Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024)]),
        {},
        413,
        'payload_too_large',
      ],
    ];
    for (const [query, body, headers, status, error] of cases) {
      const r = await upload(query, body, headers);
      expect({ query, status: r.status, error: r.body.error }).toEqual({ query, status, error });
    }
    expect(existsSync(dirOf('a1000002'))).toBe(false);
  });

  it('needs a token', async () => {
    await newSession('a1000003');
    const res = await fetch(`${bridge.url}/v1/artifacts?sessionId=a1000003&name=a.png`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(res.status).toBe(401);
  });

  it('keeps artifacts until the session completes, then they are gone and new ones are refused', async () => {
    await newSession('a1000004');
    expect((await upload('sessionId=a1000004&name=element.png', PNG)).status).toBe(201);
    const discard = await bridgeRequest(bridge, 'POST', '/v1/events', {
      type: 'discard',
      sessionId: 'a1000004',
      eventId: 'd-a1000004',
    });
    expect(discard.body.accepted).toBe(true);
    const deadline = Date.now() + 5000;
    while (existsSync(dirOf('a1000004')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(dirOf('a1000004'))).toBe(false);
    const late = await upload('sessionId=a1000004&name=element.png', PNG);
    expect({ status: late.status, error: late.body.error }).toEqual({
      status: 409,
      error: 'session_complete',
    });
  });
});
