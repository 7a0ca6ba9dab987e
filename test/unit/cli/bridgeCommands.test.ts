// The bridge-facing commands against a stand-in HTTP server: what they send and how they print the answer.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from './fakeIo';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

let ws: string;
let server: Server;
let url: string;
let seen: Seen[];
let answer: (req: Seen) => { status: number; body: unknown };

const TOKEN = 'test-token-0123456789abcdef';

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text === '' ? undefined : JSON.parse(text);
}

beforeEach(async () => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-bridge-'));
  mkdirSync(join(ws, '.git'));
  mkdirSync(join(ws, 'src'));
  seen = [];
  answer = () => ({ status: 200, body: {} });
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/** Nothing listens on `url` any more (connection refused). Closing twice is harmless. */
function stopServer(): Promise<void> {
  return new Promise<void>((r) => server.close(() => r()));
}

afterEach(async () => {
  await stopServer();
  rmSync(ws, { recursive: true, force: true });
});

const env = () => ({ LIVE_VARIANTS_URL: url, LIVE_VARIANTS_TOKEN: TOKEN });

describe('poll', () => {
  it('asks for the kinds, lease, timeout and agent it was given and prints the answer with the agent', async () => {
    answer = () => ({ status: 200, body: { type: 'timeout' } });
    const r = await runInProcess(
      [
        'poll',
        '--types',
        'generate,accept',
        '--lease-ms',
        '90000',
        '--timeout',
        '1500',
        '--agent',
        'codex-1',
      ],
      { cwd: ws, env: env() },
    );
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ type: 'timeout', agent: 'codex-1' });
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/v1/poll?types=generate%2Caccept&leaseMs=90000&timeout=1500&agent=codex-1&name=codex-1&harness=cli',
        auth: `Bearer ${TOKEN}`,
        body: undefined,
      },
    ]);
  });

  it('uses LIVE_VARIANTS_AGENT and the default timeout', async () => {
    answer = () => ({ status: 200, body: { type: 'exit' } });
    const r = await runInProcess(['poll'], { cwd: ws, env: { ...env(), LIVE_VARIANTS_AGENT: 'claude' } });
    expect(r.json()).toEqual({ type: 'exit', agent: 'claude' });
    expect(seen[0].url).toBe('/v1/poll?timeout=25000&agent=claude&name=claude&harness=cli');
  });
});

describe('ack', () => {
  it('sends the result with the file made workspace-relative', async () => {
    answer = () => ({ status: 200, body: { ok: true, phase: 'variants_written' } });
    const r = await runInProcess(
      [
        'ack',
        'aaaa1111-1@e.1',
        'done',
        '--file',
        'page.html',
        '--count',
        '3',
        '--data',
        '{"note":"x","type":"error"}',
      ],
      { cwd: join(ws, 'src'), env: env() },
    );
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ ok: true, phase: 'variants_written' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/ack',
      body: {
        leaseId: 'aaaa1111-1@e.1',
        result: { note: 'x', type: 'done', file: 'src/page.html', count: 3 },
      },
    });
  });

  it('needs --message for an error result, and passes the bridge refusal through with exit 1', async () => {
    const missing = await runInProcess(['ack', 'aaaa1111-1@e.1', 'error'], { cwd: ws, env: env() });
    expect([missing.code, missing.json().error, missing.json().field]).toEqual([
      2,
      'missing_flag',
      '--message',
    ]);
    expect(seen).toEqual([]);
    answer = () => ({
      status: 409,
      body: {
        error: 'lease_superseded',
        field: 'leaseId',
        message: 'The lease was handed to another agent.',
      },
    });
    const r = await runInProcess(['ack', 'aaaa1111-1@e.1', 'retry', '--reason', 'too big'], {
      cwd: ws,
      env: env(),
    });
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({
      error: 'lease_superseded',
      field: 'leaseId',
      message: 'The lease was handed to another agent.',
      status: 409,
    });
    expect((seen[0].body as { result: unknown }).result).toEqual({ type: 'retry', reason: 'too big' });
  });
});

describe('accept and discard', () => {
  it('send the variant as a string with the params', async () => {
    answer = () => ({
      status: 202,
      body: { sessionId: 'aaaa1111', accepted: true, phase: 'accept_pending' },
    });
    const r = await runInProcess(['accept', 'aaaa1111', '--variant', '2', '--params', '{"tone":0.5}'], {
      cwd: ws,
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({
      url: '/v1/accept',
      body: { sessionId: 'aaaa1111', variant: '2', params: { tone: 0.5 } },
    });
    const d = await runInProcess(['discard', 'aaaa1111'], { cwd: ws, env: env() });
    expect(d.code).toBe(0);
    expect(seen[1]).toMatchObject({ url: '/v1/discard', body: { sessionId: 'aaaa1111' } });
  });

  it('exit 1 with the diagnostic when the machine refuses, but 0 for a repeated decision', async () => {
    answer = () => ({
      status: 202,
      body: {
        sessionId: 'aaaa1111',
        seq: 4,
        accepted: false,
        phase: 'generating',
        diagnostic: {
          code: 'rejected_transition',
          message: 'browser.accept is not allowed while generating.',
        },
      },
    });
    const r = await runInProcess(['accept', 'aaaa1111', '--variant', '1'], { cwd: ws, env: env() });
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({
      error: 'rejected_transition',
      field: 'sessionId',
      message: 'browser.accept is not allowed while generating.',
      sessionId: 'aaaa1111',
      seq: 4,
      accepted: false,
      phase: 'generating',
    });
    answer = () => ({
      status: 202,
      body: {
        accepted: false,
        phase: 'accept_pending',
        diagnostic: { code: 'duplicate_event', message: 'Already accepted.' },
      },
    });
    const again = await runInProcess(['accept', 'aaaa1111', '--variant', '1'], { cwd: ws, env: env() });
    expect(again.code).toBe(0);
  });
});

describe('status, resume and complete with a bridge', () => {
  it('status merges the CLI view of the bridge into the report', async () => {
    answer = () => ({
      status: 200,
      body: {
        v: 1,
        bridge: { running: true, url: 'http://x', agentsOnline: 2 },
        nextAction: { action: 'no_active_session' },
      },
    });
    const r = await runInProcess(['status', '--json', '--all', '--id', 'aaaa1111'], { cwd: ws, env: env() });
    expect(r.json()).toEqual({
      v: 1,
      bridge: { running: true, url, agentsOnline: 2, source: 'env' },
      nextAction: { action: 'no_active_session' },
    });
    expect(seen[0].url).toBe('/v1/status?all=1&sessionId=aaaa1111');
  });

  it('status falls back to the journal when the bridge does not answer', async () => {
    await stopServer();
    const r = await runInProcess(['status', '--json'], { cwd: ws, env: env() });
    expect(r.code).toBe(0);
    expect(r.json().bridge).toMatchObject({ running: false, url, source: 'env', reason: 'unreachable' });
  });

  it('resume and complete post to the bridge and say it ran', async () => {
    answer = (s) =>
      s.url === '/v1/resume'
        ? { status: 200, body: { resumed: [{ sessionId: 'aaaa1111', action: 'resumed' }] } }
        : {
            status: 409,
            body: {
              error: 'not_clean',
              field: 'sessionId',
              message: 'Markers remain.',
              findings: [{ marker: 'm', line: 2, file: 'a.html' }],
            },
          };
    const resumed = await runInProcess(['resume', '--id', 'aaaa1111'], { cwd: ws, env: env() });
    expect(resumed.json()).toEqual({
      resumed: [{ sessionId: 'aaaa1111', action: 'resumed' }],
      bridge: { running: true },
    });
    expect(seen[0].body).toEqual({ sessionId: 'aaaa1111' });
    const complete = await runInProcess(['complete', 'aaaa1111', '--force'], { cwd: ws, env: env() });
    expect(complete.code).toBe(1);
    expect(complete.json()).toMatchObject({
      error: 'not_clean',
      findings: [{ marker: 'm', line: 2, file: 'a.html' }],
      status: 409,
    });
    expect(seen[1].body).toEqual({ sessionId: 'aaaa1111', force: true });
  });

  it('poll exits 3 when the bridge named by the environment does not answer', async () => {
    await stopServer();
    const r = await runInProcess(['poll', '--timeout', '0'], { cwd: ws, env: env() });
    expect([r.code, r.json().error]).toEqual([3, 'bridge_unreachable']);
  });
});
