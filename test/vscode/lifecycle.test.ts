// The extension's runtime in a real VS Code (code-server + Chromium): a session driven over HTTP through the
// extension-hosted bridge (found via .live-variants/bridge.json) moves the status bar phase by phase and the
// browser's accept is applied by the editor; terminals get the bridge and the CLI; a corrupt journal still
// activates and logs its diagnostics; a second window on the same folder follows the first.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/codeServer.mjs';
import { readSessionJournal } from '../../src/core/journal';
import { acceptVariant } from '../../src/core/rewrite/accept';
import { applyEdit } from '../../src/core/rewrite/textEdit';
import {
  CODE_SERVER,
  eventually,
  extensionLog,
  openFile,
  openWorkbench,
  type Rig,
  runCommand,
  screenshot,
  startRig,
  waitForStatus,
  workspaceDir,
} from './helpers/workbench';
import { DEMO_SESSION, HERO, variantBlock, writeSampleSite } from './helpers/workspaces';

const SID = 'd1d2d3d4';

interface Discovery {
  port: number;
  token: string;
}

async function call(d: Discovery, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${d.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(!CODE_SERVER)('extension runtime in code-server', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig('lifecycle');
  }, 120_000);

  afterAll(async () => {
    await rig?.close();
  });

  describe('a session driven through the extension-hosted bridge', () => {
    let page: Page;
    let root: string;
    let bridge: Discovery;

    beforeAll(async () => {
      root = workspaceDir(rig, 'driven');
      await writeSampleSite(root, {
        bridgePort: await freePort(),
        siteUrl: 'http://127.0.0.1:9',
        sessions: 'none',
      });
      page = await openWorkbench(rig, root);
      bridge = await eventually(
        () => JSON.parse(readFileSync(join(root, '.live-variants', 'bridge.json'), 'utf8')),
        60_000,
      );
    }, 120_000);

    afterAll(async () => {
      await page?.close();
    });

    it('has no status bar item while there is no session', async () => {
      await eventually(async () =>
        (await call(bridge, 'GET', '/v1/health')).body.ok === true ? true : undefined,
      );
      expect(await page.locator('.statusbar-item', { hasText: /Live:/ }).count()).toBe(0);
    });

    it('follows generate → variants written → cycling → accepted and applied by the editor', async () => {
      const gen = await call(bridge, 'POST', '/v1/events', {
        type: 'generate',
        sessionId: SID,
        eventId: 't-generate',
        mode: 'replace',
        count: 2,
        prompt: 'bolder',
        fileHint: 'index.html',
        element: { tag: 'h1', classes: ['hero-title'], text: 'Ship calmer releases' },
      });
      expect(gen.status).toBe(202);
      expect(await waitForStatus(page, /Live: generating 2 variants/)).toBe('Live: generating 2 variants');
      await screenshot(page, 'driven-generating');

      const work = await call(bridge, 'GET', '/v1/poll?types=generate&timeout=5000&agent=test-agent');
      expect(work.body.type).toBe('work');
      const file = join(root, 'index.html');
      const block = variantBlock(SID, {
        original: HERO.original,
        variants: HERO.variants.slice(0, 2),
        indent: '      ',
      });
      writeFileSync(file, readFileSync(file, 'utf8').replace(`      ${HERO.original}`, block));
      const ack = await call(bridge, 'POST', '/v1/ack', {
        leaseId: work.body.leaseId,
        result: { type: 'done', file: 'index.html', count: 2 },
      });
      expect(ack.body.phase).toBe('variants_written');
      expect(await waitForStatus(page, /Live: 2 variants ready/)).toBe('Live: 2 variants ready');

      await call(bridge, 'POST', '/v1/events', {
        type: 'checkpoint',
        sessionId: SID,
        eventId: 't-checkpoint-1',
        owner: 'tab-1',
        revision: 1,
        variant: '2',
        params: {},
      });
      expect(await waitForStatus(page, /Live: cycling 2\/2/)).toBe('Live: cycling 2/2');
      await screenshot(page, 'driven-cycling');

      const before = readFileSync(file, 'utf8');
      const r = acceptVariant(before, { sessionId: SID, variant: 2, path: 'index.html' });
      if (r.status !== 'applied') throw new Error('expected an edit');
      // An agent polling for any kind of work while the browser accepts: the editor applies the accept.
      const agentPoll = call(bridge, 'GET', '/v1/poll?timeout=3000&agent=test-agent');
      const accept = await call(bridge, 'POST', '/v1/events', {
        type: 'accept',
        sessionId: SID,
        eventId: 't-accept',
        variant: '2',
      });
      expect(accept.body.phase).toBe('accept_pending');
      expect((await agentPoll).body).toEqual({ type: 'timeout' });
      // No style block: the accept leaves no cleanup, so the session completes once the editor applied it.
      expect(await waitForStatus(page, /Live: complete/)).toBe('Live: complete');
      const expected = applyEdit(before, r.edit);
      // The edit is journaled, then saved: the disk follows within moments.
      await eventually(() => (readFileSync(file, 'utf8') === expected ? true : undefined), 10_000);
      const journal = await readSessionJournal(join(root, '.live-variants', 'journal'), SID);
      const applied = journal.records.find((x) => x.type === 'accept.applied');
      expect(applied?.data.by).toBe('vscode');
      expect(applied?.data.edit).toMatchObject({ file: 'index.html', start: r.edit.start, end: r.edit.end });
      expect(journal.archived).toBe(true);
      await screenshot(page, 'driven-complete');
    }, 120_000);

    it('gives integrated terminals the bridge and the live-variants command', async () => {
      await runCommand(page, 'Terminal: Create New Terminal');
      await page.locator('.terminal-wrapper').first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(1500);
      await page.keyboard.type('live-variants status --json > lv-status.json\n');
      const printed = await eventually(
        () => JSON.parse(readFileSync(join(root, 'lv-status.json'), 'utf8')),
        30_000,
      );
      expect(printed.bridge).toMatchObject({
        running: true,
        url: `http://127.0.0.1:${bridge.port}`,
        source: 'env',
      });
      await screenshot(page, 'terminal-cli');
    });

    it('Remove Instrumentation and Instrument Page take the live script tag out of the page and back in', async () => {
      const file = join(root, 'index.html');
      const tag = `<script src="http://127.0.0.1:${bridge.port}/live.js" defer></script>`;
      expect(readFileSync(file, 'utf8')).toContain(tag);
      await openFile(page, 'index.html');
      await runCommand(page, 'Live Variants: Remove Instrumentation');
      await eventually(() => (readFileSync(file, 'utf8').includes('live-variants-start') ? undefined : true));
      expect(readFileSync(file, 'utf8')).not.toContain('live.js');
      await runCommand(page, 'Live Variants: Instrument Page');
      const back = await eventually(() => {
        const text = readFileSync(file, 'utf8');
        return text.includes(tag) ? text : undefined;
      });
      expect(back).toContain('<!-- live-variants-start -->');
    });
  });

  describe('a journal with a corrupt record', () => {
    let page: Page;
    let root: string;

    beforeAll(async () => {
      root = workspaceDir(rig, 'corrupt');
      const site = await writeSampleSite(root, {
        bridgePort: await freePort(),
        siteUrl: 'http://127.0.0.1:9',
        sessions: 'hero',
      });
      const path = join(site.journalDir, `${DEMO_SESSION}.jsonl`);
      const lines = readFileSync(path, 'utf8').split('\n');
      // Record 2 (the agent's ack) no longer matches its checksum.
      lines[1] = lines[1].replace('"count":3', '"count":4');
      writeFileSync(path, lines.join('\n'));
      rmSync(join(site.journalDir, `${DEMO_SESSION}.snapshot.json`), { force: true });
      page = await openWorkbench(rig, root);
    }, 120_000);

    afterAll(async () => {
      await page?.close();
    });

    it('activates, keeps the valid records and logs the skipped line', async () => {
      // Without the ack the session is back in `generating`; the checkpoint after it was refused on replay.
      expect(await waitForStatus(page, /Live: generating 3 variants/)).toBe('Live: generating 3 variants');
      const log = await eventually(() => {
        const text = extensionLog(rig);
        return text.includes(`corrupt_line_skipped [${DEMO_SESSION}]`) ? text : undefined;
      });
      expect(log).toMatch(/\[warning\] corrupt_line_skipped \[5eed1234\]: Line 2 at byte \d+: crc mismatch/);
      await screenshot(page, 'corrupt-journal');
    });

    it('a second window on the same folder follows the first instead of writing', async () => {
      const second = await openWorkbench(rig, root);
      try {
        expect(await waitForStatus(second, /Live: generating 3 variants/)).toBe(
          'Live: generating 3 variants',
        );
        const log = await eventually(() => {
          const text = extensionLog(rig);
          return text.includes('following its bridge') ? text : undefined;
        });
        expect(log).toMatch(/journal held by pid \d+: following its bridge at http:\/\/127\.0\.0\.1:\d+/);
        await screenshot(second, 'follower-window');
      } finally {
        await second.close();
      }
    });
  });
});
