import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveIdentity, writeDiscovery } from '../../../src/bridge/discovery';
import { parseArgs } from '../../../src/cli/args';
import { offlineBridgeInfo, resolveConnection, withConnectionFlags } from '../../../src/cli/connection';
import { LiveVariantsError } from '../../../src/core/errors';

const TOKEN = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const spec = withConnectionFlags({ positionals: [], flags: {} }, true);
const args = (argv: string[]) => parseArgs(argv, spec);

let ws: string;
let deadPid: number;

beforeAll(() => {
  // A pid that certainly belonged to a process that has exited.
  deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
});

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-conn-'));
  mkdirSync(join(ws, '.git'));
  mkdirSync(join(ws, 'src', 'deep'), { recursive: true });
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

async function publish(pid: number, port = 4321): Promise<void> {
  await writeDiscovery(ws, {
    pid,
    port,
    token: TOKEN,
    journalDir: '/elsewhere/journal',
    startedAt: new Date().toISOString(),
  });
}

describe('resolveConnection', () => {
  it('finds the workspace above the current folder and its running bridge from bridge.json', async () => {
    await publish(process.pid);
    const conn = await resolveConnection(args([]), join(ws, 'src', 'deep'), {});
    expect(conn.root).toBe(ws);
    expect(conn.endpoint).toEqual({
      url: 'http://127.0.0.1:4321',
      token: TOKEN,
      source: 'discovery',
      pid: process.pid,
    });
    expect(conn.journalDir).toBe('/elsewhere/journal');
    expect(conn.problem).toBeNull();
  });

  it('prefers flags over the environment over discovery', async () => {
    await publish(process.pid);
    const env = { LIVE_VARIANTS_URL: 'http://127.0.0.1:5000/', LIVE_VARIANTS_TOKEN: 'env-token-0123456789' };
    const fromEnv = await resolveConnection(args([]), ws, env);
    expect(fromEnv.endpoint).toEqual({
      url: 'http://127.0.0.1:5000',
      token: 'env-token-0123456789',
      source: 'env',
    });
    const fromFlags = await resolveConnection(
      args(['--url', 'http://127.0.0.1:6000', '--token', 'flag-token-0123456789']),
      ws,
      env,
    );
    expect(fromFlags.endpoint).toEqual({
      url: 'http://127.0.0.1:6000',
      token: 'flag-token-0123456789',
      source: 'flags',
    });
  });

  it('fills a missing token from a live discovery file', async () => {
    await publish(process.pid);
    const conn = await resolveConnection(args(['--url', 'http://localhost:4321']), ws, {});
    expect(conn.endpoint).toEqual({ url: 'http://localhost:4321', token: TOKEN, source: 'flags' });
  });

  it('refuses a URL without any token, and a URL that is not http', async () => {
    await expect(resolveConnection(args(['--url', 'http://127.0.0.1:1']), ws, {})).rejects.toMatchObject({
      code: 'missing_flag',
      field: '--token',
    });
    await expect(
      resolveConnection(args([]), ws, {
        LIVE_VARIANTS_URL: 'ftp://x',
        LIVE_VARIANTS_TOKEN: 'env-token-0123456789',
      }),
    ).rejects.toMatchObject({ code: 'invalid_value', field: 'LIVE_VARIANTS_URL' });
  });

  it('treats a discovery file with a dead pid as no bridge, but still uses its journal', async () => {
    await publish(deadPid);
    const conn = await resolveConnection(args([]), ws, {});
    expect(conn.endpoint).toBeNull();
    expect(conn.journalDir).toBe('/elsewhere/journal');
    expect(conn.problem).toBeInstanceOf(LiveVariantsError);
    expect(conn.problem?.code).toBe('bridge_not_running');
    expect(conn.problem?.message).toContain(`(pid ${deadPid}) is not running any more`);
    expect(offlineBridgeInfo(conn)).toMatchObject({
      running: false,
      pid: deadPid,
      reason: 'stale_discovery',
    });
  });

  it('uses the identity journal, else <root>/.live-variants/journal, unless --journal-dir says otherwise', async () => {
    const none = await resolveConnection(args([]), ws, {});
    expect(none.journalDir).toBe(join(ws, '.live-variants', 'journal'));
    expect(offlineBridgeInfo(none)).toMatchObject({ running: false, reason: 'no_discovery' });
    await saveIdentity(ws, { port: 0, token: TOKEN, journalDir: '/from/identity' });
    expect((await resolveConnection(args([]), ws, {})).journalDir).toBe('/from/identity');
    expect((await resolveConnection(args(['--journal-dir', 'j']), join(ws, 'src'), {})).journalDir).toBe(
      join(ws, 'src', 'j'),
    );
  });

  it('uses --root instead of looking upwards', async () => {
    const conn = await resolveConnection(args(['--root', 'src']), ws, {});
    expect(conn.root).toBe(join(ws, 'src'));
  });
});
