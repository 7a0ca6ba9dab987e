// Security of the running bridge over real sockets: Host and Origin gates on HTTP and on the upgrade, tokens on
// every route, path traversal through /v1/source, no token in any response or log, fuzzed input.
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { killBridge, type RunningBridge, startBridgeProcess } from '../helpers/bridgeClient';

let root: string;
let outside: string;
let bridge: RunningBridge;
const bodies: string[] = [];
const CANARY = 'CANARY-outside-the-workspace-7f3a';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lv-sec-'));
  outside = mkdtempSync(join(tmpdir(), 'lv-sec-out-'));
  writeFileSync(join(outside, 'secret.txt'), CANARY);
  mkdirSync(join(root, 'src', 'pages'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<p>hello</p>\n');
  writeFileSync(join(root, 'src', 'pages', 'a b.html'), '<p>spaced</p>\n');
  writeFileSync(join(root, '.env'), `SECRET=${CANARY}`);
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), CANARY);
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-file.html'));
  symlinkSync(outside, join(root, 'link-dir'));
  symlinkSync('/etc/passwd', join(root, 'passwd.html'));
  bridge = await startBridgeProcess(root);
});
afterAll(async () => {
  await killBridge(bridge, 'SIGTERM');
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** A raw request so Host and Origin are exactly what the test says. */
function raw(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, path, method, headers, setHost: false },
      (res) => {
        let data = '';
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => {
          bodies.push(data);
          resolve({ status: res.statusCode ?? 0, body: data });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const goodHost = () => `127.0.0.1:${bridge.port}`;
const auth = () => ({ Authorization: `Bearer ${bridge.token}` });

const HOSTILE_HOSTS = (port: number) => [
  'evil.com',
  `evil.com:${port}`,
  `localhost.evil.com:${port}`,
  `127.0.0.1.nip.io:${port}`,
  `127.0.0.1:${port + 1}`,
  `localhost:${port + 1}`,
  '127.0.0.1',
  'localhost',
  `0.0.0.0:${port}`,
  `[::ffff:127.0.0.1]:${port}`,
  `a@127.0.0.1:${port}`,
  `127.0.0.1:${port}@evil.com`,
  `127.0.0.1.:${port}`,
  `localhost.:${port}`,
  // (Leading/trailing spaces are optional whitespace in HTTP and stripped by the parser, so not listed.)
  `LOCALHOST.evil.com:${port}`,
  `127.0.0.01:${port}`,
  '',
  `192.168.1.10:${port}`,
  `10.0.0.1:${port}`,
  `[::2]:${port}`,
  `xn--lcalhost-9za:${port}`,
  `127.0.0.1:${port}/evil`,
  `127.0.0.1:0${port}`,
  `127.0.0.1:${port}:${port}`,
  `attacker.internal:${port}`,
  `169.254.169.254:${port}`,
  `localhost:${port}.evil.com`,
  `127.1:${port}`,
];

const HOSTILE_ORIGINS = [
  'null',
  'https://evil.com',
  'http://evil.com',
  'http://localhost.evil.com',
  'http://127.0.0.1.nip.io',
  'http://evil.com:5173',
  'file://',
  'chrome-extension://abcdef',
  'http://192.168.1.5:5173',
  'https://localhost.attacker.io:5173',
  'http://[::2]:5173',
  'javascript:alert(1)',
];

const AGENT_ROUTES: [string, string][] = [
  ['GET', '/v1/poll?timeout=0'],
  ['POST', '/v1/ack'],
  ['POST', '/v1/extend'],
  ['GET', '/v1/status'],
  ['POST', '/v1/resume'],
  ['POST', '/v1/complete'],
  ['POST', '/v1/accept'],
  ['POST', '/v1/discard'],
  ['POST', '/v1/events'],
  ['GET', '/v1/state?sessionId=abcd1234'],
  ['GET', '/v1/source?path=index.html'],
];

describe('bridge security over the wire', () => {
  it(`rejects ${HOSTILE_HOSTS(0).length} hostile Host values on HTTP and on the socket upgrade`, async () => {
    const hosts = HOSTILE_HOSTS(bridge.port);
    expect(hosts.length).toBeGreaterThanOrEqual(25);
    for (const host of hosts) {
      const r = await raw('/v1/status', { Host: host, ...auth() });
      expect([400, 421], `Host ${JSON.stringify(host)}`).toContain(r.status);
      const up = await raw('/v1/socket', {
        Host: host,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Protocol': `live-variants.v1, token.${bridge.token}`,
      });
      expect([400, 421], `upgrade Host ${JSON.stringify(host)}`).toContain(up.status);
    }
    const ok = await raw('/v1/status', { Host: goodHost(), ...auth() });
    expect(ok.status).toBe(200);
  });

  it('rejects hostile Origin values on HTTP, on the token grant and on the upgrade', async () => {
    expect(HOSTILE_ORIGINS.length).toBeGreaterThanOrEqual(10);
    for (const origin of HOSTILE_ORIGINS) {
      const r = await raw('/v1/status', { Host: goodHost(), Origin: origin, ...auth() });
      expect(r.status, `Origin ${origin}`).toBe(403);
      const grant = await raw('/v1/browser-token', { Host: goodHost(), Origin: origin }, 'POST');
      expect(grant.status, `grant Origin ${origin}`).toBe(403);
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(
          `ws://127.0.0.1:${bridge.port}/v1/socket`,
          ['live-variants.v1', `token.${bridge.token}`],
          {
            origin,
          },
        );
        ws.once('open', () => {
          ws.close();
          throw new Error(`socket opened for Origin ${origin}`);
        });
        ws.once('unexpected-response', (_req, res) => {
          expect(res.statusCode).toBe(403);
          resolve();
        });
        ws.once('error', () => resolve());
      });
    }
    const grant = await raw(
      '/v1/browser-token',
      { Host: goodHost(), Origin: 'http://localhost:3000' },
      'POST',
    );
    expect(grant.status).toBe(200);
    const noOrigin = await raw('/v1/browser-token', { Host: goodHost() }, 'POST');
    expect(noOrigin.status).toBe(403);
  });

  it('refuses missing, wrong, prefix, longer and differently cased tokens on every route', async () => {
    const t = bridge.token;
    const bad = [
      undefined,
      '',
      'wrong',
      t.slice(0, -1),
      t.slice(0, 8),
      `${t}x`,
      `${t}${t}`,
      t.toUpperCase(),
      ` ${t}`,
    ];
    for (const [method, path] of AGENT_ROUTES) {
      for (const token of bad) {
        const headers: Record<string, string> = { Host: goodHost(), 'Content-Type': 'application/json' };
        if (token !== undefined) headers.Authorization = `Bearer ${token}`;
        const r = await raw(path, headers, method, method === 'POST' ? '{}' : undefined);
        expect(r.status, `${method} ${path} token ${JSON.stringify(token?.slice(0, 4))}`).toBe(401);
      }
      const basic = await raw(
        path,
        { Host: goodHost(), Authorization: `Basic ${t}` },
        method,
        method === 'POST' ? '{}' : undefined,
      );
      expect(basic.status).toBe(401);
    }
    const q = await raw(`/v1/status?token=${t}`, { Host: goodHost() });
    expect(q.status).toBe(401);
  });

  it('reads 0 bytes outside the workspace for 100+ traversal payloads', async () => {
    const bases = [
      '../secret.txt',
      '../../etc/passwd',
      '/etc/passwd',
      `${outside}/secret.txt`,
      '..\\secret.txt',
      'src\\..\\..\\secret.txt',
      'index.html\u0000.png',
      '.env',
      '.git/config',
      '.git/../.env',
      '.live-variants/bridge.json',
      '.live-variants/bridge-identity.json',
      'link-file.html',
      'link-dir/secret.txt',
      'passwd.html',
      'src/../../secret.txt',
      'src/pages/../../../secret.txt',
      './../secret.txt',
      '....//secret.txt',
      '..;/secret.txt',
      '%2e%2e/secret.txt',
      '%2e%2e%2fsecret.txt',
      '..%2fsecret.txt',
      '..%5csecret.txt',
      '%252e%252e%252fsecret.txt',
      '..%252fsecret.txt',
      '%c0%ae%c0%ae/secret.txt',
      'file:///etc/passwd',
      '~/secret.txt',
      'src/./../../secret.txt',
    ];
    const payloads = new Set<string>();
    for (const b of bases) {
      payloads.add(b);
      payloads.add(encodeURIComponent(b));
      payloads.add(encodeURIComponent(encodeURIComponent(b)));
      payloads.add(b.replace(/\//g, '\\'));
    }
    for (let depth = 1; depth <= 12; depth++)
      payloads.add(`${'../'.repeat(depth)}${outside.slice(1)}/secret.txt`);
    payloads.add(`${'a/'.repeat(600)}x.html`);
    expect(payloads.size).toBeGreaterThanOrEqual(100);
    let served = 0;
    for (const p of payloads) {
      const r = await raw(`/v1/source?path=${encodeURIComponent(p)}`, { Host: goodHost(), ...auth() });
      expect(r.body).not.toContain(CANARY);
      expect(r.body).not.toContain('root:x:0:0');
      if (r.status === 200) served++;
    }
    expect(served).toBe(0);
    const ok = await raw(`/v1/source?path=${encodeURIComponent('src/pages/a b.html')}`, {
      Host: goodHost(),
      ...auth(),
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).text).toBe('<p>spaced</p>\n');
  });

  it('survives fuzzed bodies and a 2 MiB socket message, and answers malformed JSON with {error, field, message}', async () => {
    const fuzz = [
      '{',
      'null',
      '[]',
      '"x"',
      '{"type":',
      '\u0000\u0001',
      '{"a":'.repeat(5000),
      'x'.repeat(300_000),
      '{"type":"generate","count":"lots"}',
    ];
    for (const body of fuzz) {
      const r = await raw(
        '/v1/events',
        { Host: goodHost(), ...auth(), 'Content-Type': 'application/json' },
        'POST',
        body,
      );
      expect([400, 413]).toContain(r.status);
      const parsed = JSON.parse(r.body);
      expect(typeof parsed.error).toBe('string');
      expect(typeof parsed.message).toBe('string');
      expect(r.body).not.toMatch(/at .*\.(js|ts):\d+/);
    }
    const closeCode = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/v1/socket`, [
        'live-variants.v1',
        `token.${bridge.token}`,
      ]);
      ws.once('open', () => ws.send('x'.repeat(2 * 1024 * 1024)));
      ws.once('close', (code) => resolve(code));
      ws.once('error', () => undefined);
      setTimeout(() => reject(new Error('no close')), 5000);
    });
    expect(closeCode).toBe(1009);
    const health = await raw('/v1/health', { Host: goodHost() });
    expect(health.status).toBe(200);
  });

  it('writes the discovery file with mode 0600 and never puts the token in a response or a log', async () => {
    const mode = statSync(join(root, '.live-variants', 'bridge.json')).mode & 0o777;
    expect(mode).toBe(0o600);
    await raw('/v1/health', { Host: goodHost() });
    await raw('/v1/nope', { Host: goodHost(), ...auth() });
    for (const b of bodies) expect(b.includes(bridge.token)).toBe(false);
    expect(bridge.stderr().includes(bridge.token)).toBe(false);
  });
});
