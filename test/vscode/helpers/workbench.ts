// Drives a real VS Code (code-server) in Debian's Chromium through playwright-core: one code-server per test
// file, one browser page per workspace. Everything is looked up the way a person sees it (status bar text,
// CodeLens titles, notification text), not through extension internals.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type FrameLocator, type Locator, type Page } from 'playwright-core';
import {
  codeServerBin,
  installUnpacked,
  type RunningCodeServer,
  startCodeServer,
} from '../../../scripts/lib/codeServer.mjs';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = join(ROOT, 'test', 'vscode', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CODE_SERVER = codeServerBin(ROOT);

if (!CODE_SERVER) {
  console.warn(
    'test/vscode: code-server is not installed, so the VS Code tests are skipped. Install it with scripts/setup-code-server.sh.',
  );
}

export interface Rig {
  server: RunningCodeServer;
  browser: Browser;
  dataDir: string;
  timingsFile: string;
  close(): Promise<void>;
}

export async function startRig(name: string): Promise<Rig> {
  if (!CODE_SERVER) throw new Error('code-server is not installed');
  const dataDir = mkdtempSync(join(tmpdir(), `lv-vscode-${name}-`));
  const extensionsDir = join(dataDir, 'extensions');
  await installUnpacked(ROOT, extensionsDir);
  const timingsFile = join(dataDir, 'timings.jsonl');
  const server = await startCodeServer({
    bin: CODE_SERVER,
    dataDir,
    extensionsDir,
    env: { LIVE_VARIANTS_TIMINGS: timingsFile },
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
  } catch (e) {
    await server.stop();
    throw e;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    server,
    browser,
    dataDir,
    timingsFile,
    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
      // The extension's log of every window, kept with the screenshots for whoever reads a failure.
      writeFileSync(join(ARTIFACTS, `${name}-extension.log`), extensionLogOf(server.userDataDir));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh temp folder inside the rig for one workspace. */
export function workspaceDir(rig: Rig, name: string): string {
  const dir = join(rig.dataDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Opens a workbench window on `folder` and waits until the workbench is up. */
export async function openWorkbench(rig: Rig, folder: string): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(rig.server.folderUrl(folder));
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  return page;
}

export function liveStatusItem(page: Page): Locator {
  return page.locator('.statusbar-item', { hasText: /Live:/ }).first();
}

/** Waits until the Live Variants status bar item shows `pattern`; returns its text. */
export async function waitForStatus(page: Page, pattern: RegExp, timeout = 60_000): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: pattern }).first();
  try {
    await item.waitFor({ state: 'visible', timeout });
  } catch {
    const shown = (await page.locator('.statusbar-item').allInnerTexts())
      .map((t) => t.trim())
      .filter(Boolean);
    throw new Error(`the status bar never showed ${pattern}; it shows ${JSON.stringify(shown)}`);
  }
  return ((await item.textContent()) ?? '').trim();
}

export async function statusText(page: Page): Promise<string> {
  return ((await liveStatusItem(page).textContent({ timeout: 5000 })) ?? '').trim();
}

/** Runs a command from the palette by its full title ("Live Variants: Resume Live Session"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: name })
    .first()
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label*="${name}"]`).first().waitFor({ timeout: 10_000 });
}

export function codeLens(page: Page, title: string): Locator {
  return page.locator('.codelens-decoration a', { hasText: new RegExp(`^${title}$`) }).first();
}

export async function codeLensTitles(page: Page): Promise<string[]> {
  return (await page.locator('.codelens-decoration a').allInnerTexts()).map((t) => t.trim());
}

export function notification(page: Page, text: RegExp): Locator {
  return page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
}

/** The Live Sessions view's document (the webview's inner frame). */
export function sessionsView(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

export async function openSessionsView(page: Page): Promise<FrameLocator> {
  await page.locator('.activitybar .action-item a[aria-label^="Live Variants"]').first().click();
  const view = sessionsView(page);
  await view.locator('header.bar').waitFor({ timeout: 30_000 });
  return view;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** The extension's LogOutputChannel file(s) for every window the rig opened. */
export function extensionLog(rig: Rig): string {
  return extensionLogOf(rig.server.userDataDir);
}

function extensionLogOf(userDataDir: string): string {
  const logs = join(userDataDir, 'logs');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Live Variants.log') out.push(readFileSync(p, 'utf8'));
    }
  };
  try {
    walk(logs);
  } catch {
    return '';
  }
  return out.join('\n');
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeout = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
