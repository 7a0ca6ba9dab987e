// The Agents panel and agents' questions in a real VS Code (code-server + Chromium), with real CLI agents:
// two agents polling and logging show in the Live Sessions view with their presence and their logs; the log
// viewer stays virtual with 5,000 lines and filters them; a question asked by `live-variants ask` is
// answered from VS Code's notification (the CLI exits with it) or from the view (a late click on the
// notification is then told the answer that won); Interrupt Agent from the palette stops an agent's poll.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionFolderName, freePort, readManifest } from '../../scripts/lib/codeServer.mjs';
import {
  CODE_SERVER,
  eventually,
  notification,
  openSessionsView,
  openWorkbench,
  type Rig,
  ROOT,
  runCommand,
  screenshot,
  startRig,
  workspaceDir,
} from './helpers/workbench';
import { writeSampleSite } from './helpers/workspaces';

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number; out: string; err: string }>;
}

describe.skipIf(!CODE_SERVER)('agents in code-server', () => {
  let rig: Rig;
  let page: Page;
  let root: string;
  let cli: string;
  let view: FrameLocator;
  const running: ChildProcess[] = [];
  /** The long polls the first test parks, by agent. */
  const parked = new Map<string, Run>();

  /** The bundled CLI the extension installs for terminals, run as an agent would run it. */
  function lv(args: string[], input?: string): Run {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, LIVE_VARIANTS_HARNESS: 'test-agent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d) => {
      err += d.toString();
    });
    child.stdin!.end(input);
    const done = new Promise<{ code: number; out: string; err: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code: code ?? -1, out, err })),
    );
    return { child, done };
  }

  async function ok(run: Run): Promise<Record<string, unknown>> {
    const r = await run.done;
    if (r.code !== 0) throw new Error(`live-variants exited ${r.code}: ${r.err}`);
    return JSON.parse(r.out);
  }

  const agent = (id: string) => view.locator(`li.agent[data-agent="${id}"]`);
  const logRows = () => view.locator('.log-list .lrow');

  beforeAll(async () => {
    rig = await startRig('agents');
    cli = join(rig.dataDir, 'extensions', extensionFolderName(readManifest(ROOT)), 'dist', 'cli.js');
    root = workspaceDir(rig, 'agents');
    await writeSampleSite(root, {
      bridgePort: await freePort(),
      siteUrl: 'http://127.0.0.1:9',
      sessions: 'hero',
    });
    page = await openWorkbench(rig, root);
    await eventually(
      () => JSON.parse(readFileSync(join(root, '.live-variants', 'bridge.json'), 'utf8')),
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await page?.close();
    await rig?.close();
  });

  it('the agents panel shows two agents with their presence and their logs', async () => {
    await ok(lv(['log', 'agent-a: reading index.html', '--agent', 'agent-a']));
    await ok(lv(['log', 'agent-a: wrote variant 1\nagent-a: wrote variant 2', '--agent', 'agent-a']));
    await ok(lv(['log', 'agent-b: waiting for work', '--agent', 'agent-b']));
    // Both then park a long poll, as agents do between work items.
    for (const id of ['agent-a', 'agent-b'])
      parked.set(id, lv(['poll', '--agent', id, '--timeout', '60000']));

    view = await openSessionsView(page);
    for (const id of ['agent-a', 'agent-b']) {
      await agent(id).locator('.dot-online').waitFor({ timeout: 20_000 });
      expect(await agent(id).getAttribute('data-presence')).toBe('online');
      expect(await agent(id).locator('.presence').textContent()).toBe('online');
      expect(await agent(id).locator('.agent-name').textContent()).toBe(id);
    }
    expect(await view.locator('li.agent .agent-name').allInnerTexts()).toEqual(['agent-a', 'agent-b']);

    // The first agent's log shows by itself.
    await view.locator('.log h2', { hasText: 'Log · agent-a' }).waitFor({ timeout: 10_000 });
    await eventually(async () => ((await logRows().count()) === 3 ? true : undefined), 15_000);
    expect(await logRows().locator('.tsum').allInnerTexts()).toEqual([
      'agent-a: reading index.html',
      'agent-a: wrote variant 1',
      'agent-a: wrote variant 2',
    ]);
    expect(await logRows().locator('.tseq').allInnerTexts()).toEqual(['1', '2', '3']);

    await agent('agent-b').click();
    await view.locator('.log h2', { hasText: 'Log · agent-b' }).waitFor({ timeout: 10_000 });
    await eventually(async () =>
      (await logRows().locator('.tsum').allInnerTexts()).join('|') === 'agent-b: waiting for work'
        ? true
        : undefined,
    );
    // A line sent now arrives while the view follows the agent.
    await ok(lv(['log', 'agent-b: live line', '--agent', 'agent-b']));
    await eventually(async () =>
      (await logRows().locator('.tsum').allInnerTexts()).includes('agent-b: live line') ? true : undefined,
    );
    expect(await agent('agent-b').getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'agents-panel');
  });

  it('keeps 5,000 log lines virtual: a few rows in the DOM, the newest in view, the filter finds one', async () => {
    const bulk = Array.from({ length: 5000 }, (_, i) => `bulk ${i + 1}`).join('\n');
    const started = Date.now();
    await ok(lv(['log', '--agent', 'agent-b'], `${bulk}\n`));
    const status = view.locator('.log-status');
    await eventually(
      async () => ((await status.textContent())?.startsWith('5002 lines') ? true : undefined),
      30_000,
    );
    await eventually(async () =>
      (await logRows().locator('.tsum').allInnerTexts()).at(-1) === 'bulk 5000' ? true : undefined,
    );
    const shownAfterMs = Date.now() - started;
    const inDom = await logRows().count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(60);
    console.log(`5,000 lines sent through the CLI and shown in ${shownAfterMs} ms; ${inDom} rows in the DOM`);

    // Scrolling through all of it: every step is one frame's work (indicative; the machine is shared).
    const list = view.locator('.log-list');
    const frames = await list.evaluate(async (el) => {
      const times: number[] = [];
      for (let i = 1; i <= 40; i++) {
        const t0 = performance.now();
        el.scrollTop = el.scrollHeight * (1 - i / 40);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b);
    });
    console.log(
      `scrolling 5,002 lines: median ${frames[20].toFixed(1)} ms, worst ${frames[39].toFixed(1)} ms per step (two frames)`,
    );
    expect(await logRows().count()).toBeLessThan(60);

    // Scrolling to the top pauses following and shows the first lines.
    await list.evaluate((el) => {
      el.scrollTop = 0;
    });
    await eventually(async () =>
      (await logRows().locator('.tsum').first().textContent()) === 'agent-b: waiting for work'
        ? true
        : undefined,
    );
    expect(await view.locator('.log-follow').textContent()).toBe('Follow');
    expect(await logRows().count()).toBeLessThan(60);

    await view.locator('.log-filter').fill('bulk 4321');
    await eventually(async () =>
      (await logRows().locator('.tsum').allInnerTexts()).join('|') === 'bulk 4321' ? true : undefined,
    );
    expect(await status.textContent()).toMatch(/^1 of 5002 lines/);
    await screenshot(page, 'agents-log-filtered');
    await view.locator('.log-filter').fill('');
    await view.locator('.log-follow').click();
    await eventually(async () =>
      (await logRows().locator('.tsum').allInnerTexts()).at(-1) === 'bulk 5000' ? true : undefined,
    );
  });

  it('answering a question from the notification unblocks the CLI', async () => {
    const ask = lv([
      'ask',
      'Keep the gradient on variant 2?',
      '--choices',
      'keep,drop',
      '--agent',
      'agent-a',
    ]);
    const toast = notification(page, /agent-a asks: Keep the gradient on variant 2\?/);
    await toast.waitFor({ timeout: 20_000 });
    // The view lists it too, with the same choices.
    const pending = view.locator('li.question');
    await pending.waitFor({ timeout: 10_000 });
    expect(await pending.locator('button').allInnerTexts()).toEqual(['keep', 'drop']);
    await screenshot(page, 'agents-question-notification');
    await toast.locator('.monaco-button', { hasText: /^drop$/ }).click();
    const answer = await ok(ask);
    expect(answer).toMatchObject({ type: 'answer', value: 'drop', by: 'vscode' });
    await eventually(
      async () => ((await view.locator('li.question').count()) === 0 ? true : undefined),
      10_000,
    );
  });

  it('a question answered in the view wins; a late click on its notification is told so', async () => {
    const ask = lv(['ask', 'Which headline copy should stay?', '--agent', 'agent-b']);
    const toast = notification(page, /agent-b asks: Which headline copy should stay\?/);
    await toast.waitFor({ timeout: 20_000 });
    const item = view.locator('li.question');
    await item.waitFor({ timeout: 10_000 });
    await item.locator('input.answer-input').fill('Ship calmer releases');
    await item.locator('button', { hasText: 'Answer' }).click();
    expect(await ok(ask)).toMatchObject({ type: 'answer', value: 'Ship calmer releases', by: 'vscode' });
    await eventually(
      async () => ((await view.locator('li.question').count()) === 0 ? true : undefined),
      10_000,
    );
    // The notification could not be closed; clicking it now asks for nothing and says it was answered.
    await toast.locator('.monaco-button', { hasText: 'Answer…' }).click();
    await notification(page, /that question was already answered/).waitFor({ timeout: 10_000 });
    expect(await page.locator('.quick-input-widget input').isVisible()).toBe(false);
  });

  it('Interrupt Agent from the palette revokes the agent and its parked poll gets the interrupt', async () => {
    // The interrupt notice goes to one poll: the one parked by the first test must not take it.
    const first = parked.get('agent-a');
    first?.child.kill('SIGKILL');
    await first?.done;
    const poll = lv(['poll', '--agent', 'agent-a', '--timeout', '60000']);
    await eventually(
      async () =>
        (await agent('agent-a').locator('.last-action').textContent())?.startsWith('poll') ? true : undefined,
      15_000,
    );
    await runCommand(page, 'Live Variants: Interrupt Agent');
    const input = page.locator('.quick-input-widget input');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'agent-b' })
      .first()
      .waitFor({ timeout: 10_000 });
    await input.fill('agent-a');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'agent-a' })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    expect(await ok(poll)).toMatchObject({
      type: 'interrupt',
      reason: 'Interrupted from VS Code',
      agent: 'agent-a',
    });
    await notification(page, /interrupted agent-a\. It held no work\./).waitFor({ timeout: 10_000 });
    await agent('agent-a')
      .locator('.warn', { hasText: 'Interrupted: Interrupted from VS Code (told)' })
      .waitFor({
        timeout: 10_000,
      });
    await screenshot(page, 'agents-interrupted');
  });
});
