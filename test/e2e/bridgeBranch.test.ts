// Branch context through the real bridge process and the real CLI: a session begun on `main` whose accept
// arrives while the workspace is on another branch is held (the markers are missing there only because that
// branch never had them), never completed, and applied as soon as the workspace is back on `main`.
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { git } from '../helpers/git';

let root: string;
let bridge: RunningBridge | undefined;
let cli: string;

beforeAll(async () => {
  cli = await bundleForNode('src/cli/main.ts', {}, { sourcemap: false });
});
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'lv-bridge-branch-')));
  writeFileSync(join(root, 'index.html'), SITE_HTML);
  writeFileSync(join(root, '.gitignore'), '.live-variants/\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'site');
});
afterEach(async () => {
  if (bridge) await killBridge(bridge);
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

const lv = (args: string[]) => runCli(cli, args, { cwd: root });

const page = () => readFileSync(join(root, 'index.html'), 'utf8');
const phaseOf = async (b: RunningBridge, sid: string) =>
  ((await api(b, 'GET', `/v1/state?sessionId=${sid}`)).body.session as { phase: string } | null)?.phase;

describe('bridge: branch context', () => {
  it('holds an accept made while the workspace is on another branch, refuses complete, and applies it back on main', async () => {
    const sid = 'b7a0c001';
    bridge = await startBridgeProcess(root);
    await api(bridge, 'POST', '/v1/events', generateEvent(sid));
    const work = await api(bridge, 'GET', '/v1/poll?timeout=2000');
    expect(work.body.type).toBe('work');
    await agentWraps(root, 'index.html', sid, 2);
    agentWritesVariants(root, 'index.html', sid, 2);
    await api(bridge, 'POST', '/v1/ack', {
      leaseId: work.body.leaseId,
      result: { type: 'done', file: 'index.html', count: 2 },
    });
    git(root, 'commit', '-q', '-am', 'variants');
    const withMarkers = page();

    // Another branch where the page never had the session's markers.
    git(root, 'switch', '-q', '-c', 'other', 'HEAD~1');
    expect(page()).toBe(SITE_HTML);
    const acc = await api(bridge, 'POST', '/v1/events', {
      type: 'accept',
      sessionId: sid,
      eventId: 'acc-1',
      variant: '1',
      params: { pad: 24 },
    });
    expect(acc.body).toMatchObject({ accepted: true, phase: 'accept_pending' });
    // The applier looks every 2 s while held; give it two looks.
    await new Promise((r) => setTimeout(r, 4500));
    expect(await phaseOf(bridge, sid)).toBe('accept_pending');
    expect(page()).toBe(SITE_HTML);

    const status = await lv(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as {
      nextAction: Record<string, unknown>;
      sessions: { sessionId: string; diagnostics: { code: string; suggestedAction?: string }[] }[];
    };
    expect(report.nextAction).toMatchObject({ sessionId: sid, command: 'git switch main' });
    const mine = report.sessions.find((s) => s.sessionId === sid);
    expect(mine?.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'branch_changed', suggestedAction: 'git switch main' }),
    );

    const complete = await lv(['complete', sid]);
    expect(complete.code).not.toBe(0);
    expect(JSON.parse(complete.stdout || complete.stderr)).toMatchObject({
      error: 'branch_changed',
      field: 'sessionId',
    });
    expect(await phaseOf(bridge, sid)).toBe('accept_pending');

    git(root, 'switch', '-q', 'main');
    expect(page()).toBe(withMarkers);
    const deadline = Date.now() + 10_000;
    while ((await phaseOf(bridge, sid)) === 'accept_pending') {
      if (Date.now() > deadline) throw new Error('the held accept was not applied back on main');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await phaseOf(bridge, sid)).toBe('accepted_source_pending');
    expect(page()).toContain('hero--v1');
    expect(page()).not.toContain('Welcome v2');
  });
});
