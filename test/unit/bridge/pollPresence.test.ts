// Presence through the poll route of a real in-process bridge: the poll carries the agent's display name and
// harness, and an agent parked in a long poll stays `online` however long it waits.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bridge, startBridge } from '../../../src/bridge/server';

let root: string;
let bridge: Bridge | undefined;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'lv-poll-presence-')));
});
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

const auth = (b: Bridge) => ({ Authorization: `Bearer ${b.token}` });

async function agents(
  b: Bridge,
): Promise<{ agentId: string; name: string; harness: string; presence: string }[]> {
  const res = await fetch(`${b.url}/v1/agents`, { headers: auth(b) });
  return ((await res.json()) as { agents: never[] }).agents;
}

describe('poll presence', () => {
  it('records the name and harness a poll carries, and keeps a parked agent online past the idle threshold', async () => {
    // Offline after 1.5 s, so idle after 500 ms.
    bridge = await startBridge({ root, agentOfflineMs: 1500 });
    const b = bridge;
    const parked = fetch(
      `${b.url}/v1/poll?timeout=2500&agent=term-0123456789&name=Palette%20bot&harness=codex`,
      {
        headers: auth(b),
      },
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await agents(b)).toEqual([
      expect.objectContaining({
        agentId: 'term-0123456789',
        name: 'Palette bot',
        harness: 'codex',
        presence: 'online',
      }),
    ]);
    // Well past the idle threshold and the offline one, still waiting in the poll.
    await new Promise((r) => setTimeout(r, 1800));
    expect((await agents(b))[0]?.presence).toBe('online');
    expect(await (await parked).json()).toEqual({ type: 'timeout' });
    // Once the poll has answered, nothing refreshes it: it decays.
    await new Promise((r) => setTimeout(r, 700));
    expect((await agents(b))[0]?.presence).toBe('idle');
  });
});
