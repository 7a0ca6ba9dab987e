// The editor surface in a real VS Code (code-server + Chromium): CodeLens accept rewriting the file, the status
// bar following the session, Resume Live Session on a pre-seeded journal, Mark cleanup complete listing what
// is left, and the Live Sessions view's pending accept and its button.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/codeServer.mjs';
import { acceptVariant } from '../../src/core/rewrite/accept';
import { applyEdit } from '../../src/core/rewrite/textEdit';
import {
  CODE_SERVER,
  codeLens,
  codeLensTitles,
  eventually,
  notification,
  openFile,
  openSessionsView,
  openWorkbench,
  type Rig,
  runCommand,
  screenshot,
  startRig,
  waitForStatus,
  workspaceDir,
} from './helpers/workbench';
import { DEMO_SESSION, writeSampleSite } from './helpers/workspaces';

function accepted(text: string, variant: number): string {
  const r = acceptVariant(text, { sessionId: DEMO_SESSION, variant, path: 'index.html' });
  if (r.status !== 'applied') throw new Error('expected the accept to apply');
  return applyEdit(text, r.edit);
}

describe.skipIf(!CODE_SERVER)('VS Code surface in code-server', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig('editor');
  }, 120_000);

  afterAll(async () => {
    await rig?.close();
  });

  describe('a session being cycled (hero headline, variant 2 of 3 shown, no browser)', () => {
    let page: Page;
    let root: string;
    let before: string;

    beforeAll(async () => {
      root = workspaceDir(rig, 'cycled');
      await writeSampleSite(root, {
        bridgePort: await freePort(),
        siteUrl: 'http://127.0.0.1:9',
        sessions: 'hero',
      });
      // An agent left a start marker without its end in another page.
      writeFileSync(
        join(root, 'broken.html'),
        '<main>\n  <!-- impeccable-variants-start bad00001 -->\n  <h2>Pricing</h2>\n</main>\n',
      );
      before = readFileSync(join(root, 'index.html'), 'utf8');
      page = await openWorkbench(rig, root);
    }, 120_000);

    afterAll(async () => {
      await page?.close();
    });

    it('shows the phase and the visible variant in the status bar', async () => {
      expect(await waitForStatus(page, /Live: cycling 2\/3/)).toBe('Live: cycling 2/3');
    });

    it('Resume Live Session names the next action for the journal and offers to reopen the preview', async () => {
      await runCommand(page, 'Live Variants: Resume Live Session');
      const toast = notification(page, /ask_user_to_reopen_browser/);
      await toast.waitFor({ timeout: 20_000 });
      const text = (await toast.textContent()) ?? '';
      expect(text).toContain(
        `Live session ${DEMO_SESSION} (cycling 2/3): Reopen the preview to choose a variant`,
      );
      expect(await toast.locator('.monaco-button', { hasText: 'Open Preview' }).count()).toBe(1);
      await screenshot(page, 'resume-next-action');
      await toast.locator('.codicon-notifications-clear').click();
    });

    it('shows Accept 1..3, Discard and Show in preview over the variant block', async () => {
      await openFile(page, 'index.html');
      await codeLens(page, 'Accept 2').waitFor({ timeout: 30_000 });
      expect(await codeLensTitles(page)).toEqual([
        'Accept 1',
        'Accept 2',
        'Accept 3',
        'Discard',
        'Show in preview',
      ]);
      await screenshot(page, 'codelens-variant-block');
    });

    it('Accept 2 rewrites the file to variant 2 (carbonize form) and the status bar owes the cleanup', async () => {
      await codeLens(page, 'Accept 2').click();
      const expected = accepted(before, 2);
      await eventually(() =>
        readFileSync(join(root, 'index.html'), 'utf8') === expected ? true : undefined,
      );
      await page.keyboard.press('Control+S');
      expect(readFileSync(join(root, 'index.html'), 'utf8')).toBe(expected);
      expect(await waitForStatus(page, /Live: cleanup owed/)).toBe('Live: cleanup owed');
      await codeLens(page, 'Mark cleanup complete').waitFor({ timeout: 20_000 });
      expect(await codeLensTitles(page)).toEqual(['Mark cleanup complete']);
      await screenshot(page, 'accepted-cleanup-owed');
    });

    it('Mark cleanup complete lists the markers left, and completes when told the leftovers are intended', async () => {
      await codeLens(page, 'Mark cleanup complete').click();
      const title = page.locator('.quick-input-title', {
        hasText: `Session ${DEMO_SESSION} is not clean yet`,
      });
      await title.waitFor({ timeout: 20_000 });
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      expect(rows.some((r) => r.includes(`impeccable-carbonize-start ${DEMO_SESSION}`))).toBe(true);
      await screenshot(page, 'cleanup-findings');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Mark complete anyway' }).click();
      expect(await waitForStatus(page, /Live: complete/)).toBe('Live: complete');
    });

    it('lists malformed markers and the markers a completed session left behind in the Problems panel', async () => {
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.filter({ hasText: 'bad00001' }).first().waitFor({ timeout: 20_000 });
      await rows.filter({ hasText: 'orphaned' }).first().waitFor({ timeout: 20_000 });
      const texts = await rows.allInnerTexts();
      expect(
        texts.some((t) => t.includes('variant start marker for session bad00001 has no end marker')),
      ).toBe(true);
      expect(
        texts.some((t) =>
          t.includes(`Session ${DEMO_SESSION} is complete, but its markers are still here (orphaned)`),
        ),
      ).toBe(true);
      await screenshot(page, 'problems-panel');
    });
  });

  describe('the Live Sessions view', () => {
    let page: Page;
    let root: string;

    beforeAll(async () => {
      root = workspaceDir(rig, 'view');
      await writeSampleSite(root, {
        bridgePort: await freePort(),
        siteUrl: 'http://127.0.0.1:9',
        sessions: 'hero',
        heroVisible: null,
      });
      page = await openWorkbench(rig, root);
      await waitForStatus(page, /Live: 3 variants ready/);
    }, 120_000);

    afterAll(async () => {
      await page?.close();
    });

    it('renders the pending accept with a button per variant, and Accept 3 applies variant 3', async () => {
      const before = readFileSync(join(root, 'index.html'), 'utf8');
      const view = await openSessionsView(page);
      const pending = view.locator(`li.pending[data-session="${DEMO_SESSION}"]`);
      await pending.waitFor({ timeout: 20_000 });
      expect(await pending.locator('.phase').textContent()).toBe('3 variants ready');
      expect(await pending.locator('button').allInnerTexts()).toEqual([
        'Accept 1',
        'Accept 2',
        'Accept 3',
        'Discard',
        'Open',
      ]);
      await screenshot(page, 'sessions-view-pending');
      await pending.locator('button', { hasText: 'Accept 3' }).click();
      const expected = accepted(before, 3);
      await eventually(() =>
        readFileSync(join(root, 'index.html'), 'utf8') === expected ? true : undefined,
      );
      expect(await waitForStatus(page, /Live: cleanup owed/)).toBe('Live: cleanup owed');
      await view.locator('.card.current .phase', { hasText: 'cleanup owed' }).waitFor({ timeout: 20_000 });
      expect(await view.locator('li.pending').count()).toBe(0);
      await screenshot(page, 'sessions-view-after-accept');
    });
  });
});
