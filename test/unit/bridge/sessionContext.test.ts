// The bridge gives its engine the workspace's branch reader: a session created by a browser generate records
// the branch and HEAD of the workspace's repository (a real one, made with git in a temp dir).
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bridge, startBridge } from '../../../src/bridge/server';
import { git as runGit } from '../../helpers/git';

let root: string;
let bridge: Bridge | undefined;

const git = (...args: string[]) => runGit(root, ...args);

async function postGenerate(b: Bridge, sessionId: string, eventId: string) {
  const res = await fetch(`${b.url}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${b.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'generate',
      sessionId,
      eventId,
      mode: 'replace',
      count: 2,
      element: { tag: 'main', classes: [], pagePath: '/' },
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'lv-bridge-branch-')));
});
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

describe('bridge: sessions record their branch', () => {
  it('a browser generate creates a session whose journal holds the workspace branch and HEAD', async () => {
    git('init', '-q', '-b', 'main');
    writeFileSync(join(root, 'index.html'), '<main></main>\n');
    git('add', 'index.html');
    git('commit', '-q', '-m', 'page');
    git('switch', '-q', '-c', 'design/hero');
    const head = git('rev-parse', 'HEAD');
    bridge = await startBridge({ root });
    const go = await postGenerate(bridge, 'bada5500', 'g1');
    expect(go).toEqual({
      status: 202,
      body: {
        eventId: 'g1',
        sessionId: 'bada5500',
        seq: 1,
        duplicate: false,
        accepted: true,
        phase: 'generating',
      },
    });
    expect(bridge.engine.records('bada5500').map((r) => [r.type, r.data])).toEqual([
      ['browser.generate', expect.objectContaining({ count: 2 })],
      ['session.context', { branch: 'design/hero', head }],
    ]);
    expect(bridge.engine.view('bada5500')?.branch).toEqual({ branch: 'design/hero', head });
  });

  it('a workspace outside any repository records an unknown branch', async () => {
    bridge = await startBridge({ root });
    await postGenerate(bridge, 'bada5501', 'g1');
    expect(bridge.engine.view('bada5501')?.branch).toEqual({ branch: null, head: null });
  });
});
