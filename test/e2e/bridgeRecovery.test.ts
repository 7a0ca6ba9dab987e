// Recovery scenarios against the real bridge process, driven over HTTP and WebSocket like real clients.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentWraps, agentWritesVariants, SITE_HTML } from '../helpers/agentSim';
import {
  api,
  generateEvent,
  killBridge,
  type RunningBridge,
  startBridgeProcess,
} from '../helpers/bridgeClient';

let root: string;
let bridge: RunningBridge | undefined;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-bridge-'));
  writeFileSync(join(root, 'index.html'), SITE_HTML);
});
afterEach(async () => {
  if (bridge) await killBridge(bridge);
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

const poll = (b: RunningBridge, q = 'timeout=2000') => api(b, 'GET', `/v1/poll?${q}`);

async function toCycling(b: RunningBridge, sid: string) {
  await api(b, 'POST', '/v1/events', generateEvent(sid));
  const work = await poll(b);
  expect(work.body.type).toBe('work');
  await agentWraps(root, 'index.html', sid, 3);
  agentWritesVariants(root, 'index.html', sid, 3);
  const ack = await api(b, 'POST', '/v1/ack', {
    leaseId: work.body.leaseId,
    result: { type: 'done', file: 'index.html', count: 3 },
  });
  expect(ack.body.phase).toBe('variants_written');
  const cp = await api(b, 'POST', '/v1/events', {
    type: 'checkpoint',
    sessionId: sid,
    eventId: `cp-${sid}-1`,
    owner: 'tab-a',
    revision: 1,
    variant: '2',
    params: { pad: 24 },
  });
  expect(cp.body.phase).toBe('cycling');
}

describe('bridge recovery', () => {
  it('Go with no agent polling: a later poll receives the generate', async () => {
    bridge = await startBridgeProcess(root);
    const go = await api(bridge, 'POST', '/v1/events', generateEvent('a0000001'));
    expect(go.status).toBe(202);
    expect(go.body).toMatchObject({
      sessionId: 'a0000001',
      seq: 1,
      accepted: true,
      phase: 'generating',
      duplicate: false,
    });
    await new Promise((r) => setTimeout(r, 300));
    const work = await poll(bridge);
    expect(work.body).toMatchObject({ type: 'work', kind: 'generate', sessionId: 'a0000001', attempt: 1 });
    expect((work.body.event as Record<string, unknown>).count).toBe(3);
  });

  it('a parked poll wakes when the generate arrives, and times out with {type:"timeout"} otherwise', async () => {
    bridge = await startBridgeProcess(root);
    const empty = await poll(bridge, 'timeout=200');
    expect(empty.body).toEqual({ type: 'timeout' });
    const parked = poll(bridge, 'timeout=10000');
    await new Promise((r) => setTimeout(r, 100));
    await api(bridge, 'POST', '/v1/events', generateEvent('a0000002'));
    expect((await parked).body).toMatchObject({ type: 'work', sessionId: 'a0000002' });
  });

  it('an agent that dies holding a lease: after the lease expires the next poll gets the generate again', async () => {
    bridge = await startBridgeProcess(root);
    await api(bridge, 'POST', '/v1/events', generateEvent('a0000003'));
    const first = await poll(bridge, 'timeout=1000&leaseMs=1000&agent=dying');
    expect(first.body.type).toBe('work');
    // The agent is gone (never acks). A parked poll wakes when the lease expires.
    const second = await poll(bridge, 'timeout=5000&agent=healthy');
    expect(second.body).toMatchObject({ type: 'work', itemId: first.body.itemId, attempt: 2 });
    const late = await api(bridge, 'POST', '/v1/ack', {
      leaseId: first.body.leaseId,
      result: { type: 'done' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('lease_superseded');
  });

  it('bridge SIGKILLed with a queued generate: after restart the generate is delivered', async () => {
    bridge = await startBridgeProcess(root);
    const go = await api(bridge, 'POST', '/v1/events', generateEvent('a0000004'));
    expect(go.status).toBe(202);
    await killBridge(bridge);
    bridge = await startBridgeProcess(root);
    const work = await poll(bridge);
    expect(work.body).toMatchObject({ type: 'work', kind: 'generate', sessionId: 'a0000004' });
  });

  it('restarts on the same port and token, so an open tab can reconnect', async () => {
    bridge = await startBridgeProcess(root);
    const { port, token } = bridge;
    await killBridge(bridge);
    bridge = await startBridgeProcess(root);
    expect(bridge.port).toBe(port);
    expect(bridge.token).toBe(token);
  });

  it('accept with no agent running: the bridge applies it and the source holds the accepted variant', async () => {
    bridge = await startBridgeProcess(root);
    await toCycling(bridge, 'a0000005');
    const acc = await api(bridge, 'POST', '/v1/events', {
      type: 'accept',
      sessionId: 'a0000005',
      eventId: 'acc-5',
      variant: '2',
      params: { pad: 24 },
    });
    expect(acc.body).toMatchObject({ accepted: true, phase: 'accept_pending' });
    const deadline = Date.now() + 5000;
    let state: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      state = (await api(bridge, 'GET', '/v1/state?sessionId=a0000005')).body.session as Record<
        string,
        unknown
      >;
      if (state.phase !== 'accept_pending') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(state.phase).toBe('complete');
    const text = readFileSync(join(root, 'index.html'), 'utf8');
    expect(text).toContain('hero--v2');
    expect(text).not.toContain('hero--v1');
    expect(text).not.toContain('impeccable-variants-start');
  });

  it('accept with agent mode and no agent running: status tells a new agent to run the accept with variant and params', async () => {
    bridge = await startBridgeProcess(root, { acceptBy: 'agent' });
    await toCycling(bridge, 'a0000006');
    await api(bridge, 'POST', '/v1/events', {
      type: 'accept',
      sessionId: 'a0000006',
      eventId: 'acc-6',
      variant: '1',
      params: { pad: 32 },
    });
    const status = await api(bridge, 'GET', '/v1/status');
    expect(status.status).toBe(200);
    const next = status.body.nextAction as Record<string, unknown>;
    expect(next.action).toBe('run_accept_cleanup');
    expect(next.sessionId).toBe('a0000006');
    expect(next.variant).toBe('1');
    expect(next.paramValues).toEqual({ pad: 32 });
    const work = await poll(bridge, 'timeout=1000&types=accept');
    expect(work.body).toMatchObject({ type: 'work', kind: 'accept', sessionId: 'a0000006' });
  });

  it('a stale checkpoint after accept changes nothing; a duplicate accept and a late discard leave the source correct', async () => {
    bridge = await startBridgeProcess(root);
    await toCycling(bridge, 'a0000007');
    const acc = { type: 'accept', sessionId: 'a0000007', eventId: 'acc-7', variant: '3' };
    const first = await api(bridge, 'POST', '/v1/events', acc);
    const dup = await api(bridge, 'POST', '/v1/events', acc);
    expect(dup.body.seq).toBe(first.body.seq);
    expect(dup.body.duplicate).toBe(true);
    const stale = await api(bridge, 'POST', '/v1/events', {
      type: 'checkpoint',
      sessionId: 'a0000007',
      eventId: 'cp-old',
      owner: 'tab-b',
      revision: 9,
      variant: '1',
      params: {},
    });
    expect(stale.body.accepted).toBe(false);
    const late = await api(bridge, 'POST', '/v1/events', {
      type: 'discard',
      sessionId: 'a0000007',
      eventId: 'late-d',
    });
    expect(late.body.accepted).toBe(false);
    const deadline = Date.now() + 5000;
    while (
      Date.now() < deadline &&
      readFileSync(join(root, 'index.html'), 'utf8').includes('impeccable-variants')
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = readFileSync(join(root, 'index.html'), 'utf8');
    expect(text).toContain('hero--v3');
    expect(text).not.toContain('hero--v1');
    expect(text).not.toContain('impeccable-');
  });

  it('discard restores the original bytes', async () => {
    bridge = await startBridgeProcess(root);
    await toCycling(bridge, 'a0000008');
    await api(bridge, 'POST', '/v1/events', { type: 'discard', sessionId: 'a0000008', eventId: 'd-8' });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && readFileSync(join(root, 'index.html'), 'utf8') !== SITE_HTML) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toBe(SITE_HTML);
  });

  it('the socket acks each event with its durable seq and answers a reconnect with the truth', async () => {
    bridge = await startBridgeProcess(root);
    const tokenRes = await fetch(`${bridge.url}/v1/browser-token`, {
      method: 'POST',
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(tokenRes.status).toBe(200);
    expect(tokenRes.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const browserToken = ((await tokenRes.json()) as { token: string }).token;
    expect(browserToken).not.toBe(bridge.token);
    const open = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(
          `ws://127.0.0.1:${bridge!.port}/v1/socket`,
          ['live-variants.v1', `token.${browserToken}`],
          {
            origin: 'http://localhost:5173',
          },
        );
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const next = (ws: WebSocket, type: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const on = (d: WebSocket.RawData) => {
          const m = JSON.parse(d.toString());
          if (m.type === type) {
            ws.off('message', on);
            resolve(m);
          }
        };
        ws.on('message', on);
      });
    const ws = await open();
    expect(ws.protocol).toBe('live-variants.v1');
    const ackP = next(ws, 'ack');
    ws.send(JSON.stringify({ type: 'event', event: generateEvent('a0000009', { eventId: 'sock-g' }) }));
    const ack = await ackP;
    expect(ack).toMatchObject({
      eventId: 'sock-g',
      sessionId: 'a0000009',
      seq: 1,
      accepted: true,
      phase: 'generating',
    });
    const errP = next(ws, 'error');
    ws.send(
      JSON.stringify({
        type: 'event',
        event: { type: 'generate', sessionId: 'a0000009', eventId: 'bad', count: 99 },
      }),
    );
    const err = await errP;
    expect(err).toMatchObject({ eventId: 'bad', error: expect.any(String), field: expect.any(String) });
    ws.close();
    const ws2 = await open();
    const stateP = next(ws2, 'state');
    ws2.send(
      JSON.stringify({ type: 'hello', sessionId: 'a0000009', believes: { variant: '2', revision: 7 } }),
    );
    const state = await stateP;
    expect((state.session as Record<string, unknown>).phase).toBe('generating');
    expect((state.session as Record<string, unknown>).visibleVariant).toBe(null);
    ws2.close();
  });

  it('shutdown answers parked polls with {type:"exit"}', async () => {
    bridge = await startBridgeProcess(root);
    const parked = poll(bridge, 'timeout=10000');
    await new Promise((r) => setTimeout(r, 200));
    await killBridge(bridge, 'SIGTERM');
    expect((await parked).body).toEqual({ type: 'exit' });
    expect(bridge.child.exitCode).toBe(0);
  });
});
