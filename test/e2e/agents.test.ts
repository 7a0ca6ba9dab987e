// Agents over the real bridge with real CLI processes: presence, log streaming with a follower joining midway,
// questions answered while the CLI blocks, interrupts redelivering work to another agent.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_HTML } from '../helpers/agentSim';
import {
  api,
  generateEvent,
  killBridge,
  type RunningBridge,
  startBridgeProcess,
} from '../helpers/bridgeClient';
import { bundleForNode } from '../helpers/bundle';

let cli: string;
let root: string;
let bridge: RunningBridge;

beforeAll(async () => {
  cli = await bundleForNode('src/cli/main.ts', {}, { sourcemap: false });
  root = mkdtempSync(join(tmpdir(), 'lv-agents-'));
  writeFileSync(join(root, 'index.html'), SITE_HTML);
  bridge = await startBridgeProcess(root, { agentOfflineMs: 5000 });
}, 60_000);
afterAll(async () => {
  await killBridge(bridge, 'SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

function lv(
  args: string[],
  input?: string,
): { child: ChildProcess; done: Promise<{ code: number; out: string }>; sofar: () => string } {
  const child = spawn(process.execPath, [cli, ...args, '--root', root], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d.toString();
  });
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  const done = new Promise<{ code: number; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? -1, out })),
  );
  return { child, done, sofar: () => out };
}

describe('agents', () => {
  it('two agents are online; a follower joining midway sees the last 1,000 lines then the rest, in order', async () => {
    const polls = ['agent-a', 'agent-b'].map((a) => lv(['poll', '--agent', a, '--timeout', '0']).done);
    for (const p of polls) expect((await p).code).toBe(0);
    const agents = JSON.parse((await lv(['agents']).done).out).agents as {
      agentId: string;
      presence: string;
    }[];
    // Present: online, or idle once the (shortened, 5 s) presence clock has moved on under load.
    expect(agents.map((a) => a.agentId).sort()).toEqual(['agent-a', 'agent-b']);
    for (const a of agents) expect(['online', 'idle']).toContain(a.presence);

    // 2,500 lines first, then a follower joins, then 2,500 more.
    const firstHalf = Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`).join('\n');
    expect((await lv(['log', '--agent', 'agent-a'], `${firstHalf}\n`).done).code).toBe(0);
    const follower = lv(['log', '--follow', 'agent-a']);
    await new Promise((r) => setTimeout(r, 500));
    const secondHalf = Array.from({ length: 2500 }, (_, i) => `line ${i + 2501}`).join('\n');
    expect((await lv(['log', '--agent', 'agent-a'], `${secondHalf}\n`).done).code).toBe(0);
    // Wait until the follower printed the last line, then stop it.
    const deadline = Date.now() + 30_000;
    while (!follower.sofar().includes('"line 5000"') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    follower.child.kill('SIGTERM');
    const { out } = await follower.done;
    const received: { seq: number; text: string }[] = out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l))
      .filter((m) => m.type === 'line');
    expect(received.length).toBe(3500);
    expect(received[0]).toMatchObject({ seq: 1501, text: 'line 1501' });
    expect(received.at(-1)).toMatchObject({ seq: 5000, text: 'line 5000' });
    for (const [i, m] of received.entries()) expect(m.seq).toBe(1501 + i);
  }, 90_000);

  it('an ask answered through the answer route returns to the blocked CLI; asking again returns the stored answer', async () => {
    const ask = lv([
      'ask',
      'Which palette?',
      '--choices',
      'warm,cool',
      '--agent',
      'agent-a',
      '--id',
      'q-palette',
    ]);
    let pending: { questionId: string }[] = [];
    const deadline = Date.now() + 10_000;
    while (pending.length === 0 && Date.now() < deadline) {
      pending = (await api(bridge, 'GET', '/v1/questions')).body.questions as { questionId: string }[];
      if (pending.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(pending.map((q) => q.questionId)).toEqual(['q-palette']);
    const answered = await api(bridge, 'POST', '/v1/questions/q-palette/answer', {
      value: 'cool',
      by: 'browser',
    });
    expect(answered.body).toMatchObject({ accepted: true });
    const second = await api(bridge, 'POST', '/v1/questions/q-palette/answer', {
      value: 'warm',
      by: 'vscode',
    });
    expect(second.body).toMatchObject({ accepted: false });
    const { code, out } = await ask.done;
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      type: 'answer',
      questionId: 'q-palette',
      value: 'cool',
      by: 'browser',
    });
    const again = await lv([
      'ask',
      'Which palette?',
      '--choices',
      'warm,cool',
      '--agent',
      'agent-a',
      '--id',
      'q-palette',
    ]).done;
    expect(JSON.parse(again.out)).toMatchObject({ type: 'answer', value: 'cool' });
  }, 60_000);

  it('an interrupt reaches the polling agent and the work is redelivered to the other agent', async () => {
    await api(bridge, 'POST', '/v1/events', generateEvent('ab000001'));
    const first = JSON.parse((await lv(['poll', '--agent', 'agent-a', '--timeout', '2000']).done).out);
    expect(first).toMatchObject({ type: 'work', sessionId: 'ab000001' });
    const intr = JSON.parse((await lv(['interrupt', 'agent-a', '--reason', 'stop that']).done).out);
    expect(intr.revoked.map((r: { itemId: string }) => r.itemId)).toEqual([first.itemId]);
    const notice = JSON.parse((await lv(['poll', '--agent', 'agent-a', '--timeout', '0']).done).out);
    expect(notice).toMatchObject({ type: 'interrupt', reason: 'stop that' });
    const other = JSON.parse((await lv(['poll', '--agent', 'agent-b', '--timeout', '2000']).done).out);
    expect(other).toMatchObject({ type: 'work', itemId: first.itemId });
    const stale = await lv(['ack', first.leaseId, 'done']).done;
    expect(stale.code).not.toBe(0);
    expect(JSON.parse(stale.out).error).toBe('lease_superseded');
  }, 60_000);

  it('an agent that stops polling goes offline after the configured time', async () => {
    await lv(['poll', '--agent', 'agent-quiet', '--timeout', '0']).done;
    const before = (await api(bridge, 'GET', '/v1/agents')).body.agents as {
      agentId: string;
      presence: string;
    }[];
    expect(before.find((a) => a.agentId === 'agent-quiet')?.presence).not.toBe('offline');
    await new Promise((r) => setTimeout(r, 5500));
    const agents = (await api(bridge, 'GET', '/v1/agents')).body.agents as {
      agentId: string;
      presence: string;
    }[];
    expect(agents.find((a) => a.agentId === 'agent-quiet')?.presence).toBe('offline');
  }, 30_000);
});
