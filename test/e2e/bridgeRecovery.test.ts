// Recovery scenarios against the real bridge process, driven over HTTP and WebSocket like real clients, and
// read back with the real `live-variants` CLI bundle the way an agent would.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentWraps, agentWritesVariants, SITE_HTML } from '../helpers/agentSim';
import {
  api,
  generateEvent,
  killBridge,
  type RunningBridge,
  startBridgeProcess,
} from '../helpers/bridgeClient';
import { bundleForNode } from '../helpers/bundle';
import { runCli } from '../helpers/cliProcess';

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

let cli: string;
beforeAll(async () => {
  cli = await bundleForNode('src/cli/main.ts', {}, { sourcemap: false });
});

/** Runs the real CLI in the workspace like an agent's terminal (no inherited bridge coordinates). */
const lv = (args: string[]) => runCli(cli, args, { cwd: root });

async function statusJson(): Promise<Record<string, unknown>> {
  const r = await lv(['status', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const page = () => readFileSync(join(root, 'index.html'), 'utf8');

/** The page once an agent folded variant 1's knob into real CSS: no marker of any session is left. */
const CLEANED_HTML = SITE_HTML.replace(
  '<section id="hero" class="hero">\n        <h1>Welcome</h1>\n        <p>Calm deploys.</p>',
  '<section id="hero" class="hero hero--v1" style="padding: 24px">\n        <h1>Welcome v1</h1>',
);

/** Cycling, then the user accepts variant 1 (it has a knob): the bridge leaves the carbonize form in source. */
async function toCarbonized(b: RunningBridge, sid: string): Promise<void> {
  await toCycling(b, sid);
  const acc = await api(b, 'POST', '/v1/events', {
    type: 'accept',
    sessionId: sid,
    eventId: `acc-${sid}`,
    variant: '1',
    params: { pad: 24 },
  });
  expect(acc.body).toMatchObject({ accepted: true, phase: 'accept_pending' });
  await until(async () => {
    const state = (await api(b, 'GET', `/v1/state?sessionId=${sid}`)).body.session as { phase: string };
    return state.phase === 'accepted_source_pending';
  }, 'the bridge to apply the accept');
  expect(page()).toContain(`impeccable-carbonize-start ${sid}`);
  expect(page()).toContain(`impeccable-carbonize-end ${sid}`);
}

/** An agent leases the carbonize cleanup with the real CLI and rewrites the source, then dies before `ack`. */
async function agentCleansUpAndDies(sid: string): Promise<void> {
  const polled = await lv(['poll', '--types', 'carbonize_cleanup', '--timeout', '5000', '--agent', 'doomed']);
  expect(polled.code, polled.stderr).toBe(0);
  expect(JSON.parse(polled.stdout)).toMatchObject({
    type: 'work',
    kind: 'carbonize_cleanup',
    sessionId: sid,
  });
  writeFileSync(join(root, 'index.html'), CLEANED_HTML);
  expect(CLEANED_HTML).not.toContain('impeccable');
}

/** The session's records, from wherever its journal is (active, or archived once complete). */
function journalTypes(sid: string): { type: string; eventId: string; data: Record<string, unknown> }[] {
  const dir = join(root, '.live-variants', 'journal');
  let text: string;
  try {
    text = readFileSync(join(dir, `${sid}.jsonl`), 'utf8');
  } catch {
    text = readFileSync(join(dir, 'archive', `${sid}.jsonl`), 'utf8');
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const syntheticCompletions = (sid: string) => journalTypes(sid).filter((r) => r.type === 'cleanup.completed');

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
  it('carbonize markers in source and no browser: status (real CLI) says run_carbonize_cleanup with file and variant', async () => {
    bridge = await startBridgeProcess(root);
    await toCarbonized(bridge, 'c0000001');
    const status = await statusJson();
    expect(status.bridge).toMatchObject({ running: true });
    expect(status.nextAction).toMatchObject({
      action: 'run_carbonize_cleanup',
      sessionId: 'c0000001',
      file: 'index.html',
      variant: '1',
      paramValues: { pad: 24 },
    });
    const session = (status.sessions as Record<string, unknown>[]).find((s) => s.sessionId === 'c0000001');
    expect(session).toMatchObject({ phase: 'accepted_source_pending', browserConnected: false });
    const work = await poll(bridge, 'timeout=1000&types=carbonize_cleanup');
    expect(work.body).toMatchObject({ type: 'work', kind: 'carbonize_cleanup', sessionId: 'c0000001' });
  });

  it('cleanup done but not acknowledged (bridge up): status records the completion once, then no_active_session', async () => {
    bridge = await startBridgeProcess(root);
    await toCarbonized(bridge, 'c0000002');
    await agentCleansUpAndDies('c0000002');
    expect(syntheticCompletions('c0000002')).toEqual([]);

    const first = await statusJson();
    expect(first.nextAction).toMatchObject({ action: 'no_active_session' });
    expect(syntheticCompletions('c0000002')).toEqual([
      expect.objectContaining({ eventId: 'synthetic-complete:c0000002', data: { synthetic: true } }),
    ]);
    const bytes = readFileSync(join(root, '.live-variants', 'journal', 'archive', 'c0000002.jsonl'));

    const second = await statusJson();
    expect(second.nextAction).toMatchObject({ action: 'no_active_session' });
    expect(second.effects).toEqual([]);
    expect(readFileSync(join(root, '.live-variants', 'journal', 'archive', 'c0000002.jsonl'))).toEqual(bytes);
    const all = await lv(['status', '--all', '--json']);
    expect(JSON.parse(all.stdout).completed).toEqual([expect.objectContaining({ sessionId: 'c0000002' })]);
  });

  it('cleanup done but not acknowledged (bridge stopped): offline status reports it, the restarted bridge records it once', async () => {
    bridge = await startBridgeProcess(root);
    await toCarbonized(bridge, 'c0000003');
    await agentCleansUpAndDies('c0000003');
    await killBridge(bridge);
    const journal = join(root, '.live-variants', 'journal', 'c0000003.jsonl');
    const before = readFileSync(journal);

    // Offline the CLI reads the journal without the writer lock: it reports the completion owed, writes nothing.
    const offline = await statusJson();
    expect(offline.bridge).toMatchObject({ running: false, reason: 'stale_discovery' });
    expect(offline.nextAction).toMatchObject({
      action: 'acknowledge_completion',
      sessionId: 'c0000003',
      file: 'index.html',
      variant: '1',
    });
    expect(offline.effects).toEqual([
      expect.objectContaining({ type: 'record_synthetic_completion', sessionId: 'c0000003' }),
    ]);
    expect(readFileSync(journal)).toEqual(before);

    bridge = await startBridgeProcess(root);
    const online = await statusJson();
    expect(online.nextAction).toMatchObject({ action: 'no_active_session' });
    expect(syntheticCompletions('c0000003')).toEqual([
      expect.objectContaining({ eventId: 'synthetic-complete:c0000003', data: { synthetic: true } }),
    ]);
    const again = await statusJson();
    expect(again.nextAction).toMatchObject({ action: 'no_active_session' });
    expect(syntheticCompletions('c0000003')).toHaveLength(1);
  });
});
