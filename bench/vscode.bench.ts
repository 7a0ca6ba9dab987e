// The VS Code extension's startup and size. Bundle sizes come from a production build (minified, as
// `vsce package` ships them). Activation is measured in a real VS Code (code-server + Chromium) on a workspace
// whose journal holds 1,000 events: the extension logs performance.now() spans to $LIVE_VARIANTS_TIMINGS:
// `activate` (the synchronous activation, before anything starts) and `bridge.accepting.sinceActivation` (the
// bridge listening with the journal recovered, measured from activation). The journal is measured as the
// engine leaves it (with its snapshot), and once more without the snapshot (a full replay: the cost after a
// lost or mismatched snapshot). Each run gets a fresh code-server so no earlier window competes for the CPU.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SessionEngine } from '../src/core/engine';
import { DEMO_SESSION, writeSampleSite } from '../test/vscode/helpers/workspaces';
import { type BenchResult, percentile } from './types';

type CodeServerLib = typeof import('../scripts/lib/codeServer.mjs');
type Playwright = typeof import('playwright-core');

const RUNS = 3;
const EVENTS = 1000;
const root = process.cwd();

// Loaded at run time, not bundled: esbuild and playwright-core ship binaries and lazy requires.
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;
const requireFromRoot = createRequire(join(root, 'package.json'));

async function bundleSizes(lib: CodeServerLib): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lv-bench-vsix-'));
  try {
    await lib.buildExtensionInto(root, dir, { production: true });
    const kb = (f: string) => statSync(join(dir, 'dist', f)).size / 1024;
    const ext = kb('extension.js');
    const view = kb('webview.js');
    return [
      { metric: 'extension bundle (minified)', value: ext, unit: 'KB', target: '<= 400', ok: ext <= 400 },
      { metric: 'webview bundle (minified)', value: view, unit: 'KB', target: '<= 150', ok: view <= 150 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sample site with its hero session grown to 1,000 journal records, snapshots removed. */
async function bigJournalWorkspace(dir: string, bridgePort: number, keepSnapshot: boolean): Promise<void> {
  const site = await writeSampleSite(dir, {
    bridgePort,
    siteUrl: 'http://127.0.0.1:9',
    sessions: 'hero',
    demoDir: join(root, 'demo'),
  });
  const engine = await SessionEngine.open({ journalDir: site.journalDir, snapshotEvery: 1_000_000 });
  try {
    const have = engine.view(DEMO_SESSION)?.lastSeq ?? 0;
    for (let i = have; i < EVENTS; i++) {
      await engine.submitBrowserEvent({
        type: 'checkpoint',
        sessionId: DEMO_SESSION,
        eventId: `bench-${i}`,
        owner: 'tab-bench',
        revision: 10 + i,
        variant: String(1 + (i % 3)),
        params: {},
      });
    }
  } finally {
    await engine.close();
  }
  if (keepSnapshot) return;
  for (const f of readdirSync(site.journalDir)) {
    if (f.endsWith('.snapshot.json')) rmSync(join(site.journalDir, f));
  }
}

interface Timing {
  span: string;
  ms: number;
}

async function activationRun(
  lib: CodeServerLib,
  pw: Playwright,
  bin: string,
  keepSnapshot: boolean,
): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'lv-bench-vscode-'));
  const timings = join(dir, 'timings.jsonl');
  const workspace = join(dir, 'workspace');
  await bigJournalWorkspace(workspace, await lib.freePort(), keepSnapshot);
  const extensionsDir = join(dir, 'extensions');
  await lib.installUnpacked(root, extensionsDir, { production: true });
  const server = await lib.startCodeServer({
    bin,
    dataDir: dir,
    extensionsDir,
    env: { LIVE_VARIANTS_TIMINGS: timings },
  });
  const browser = await pw.chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.folderUrl(workspace));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const spans: Timing[] = existsSync(timings)
        ? readFileSync(timings, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Timing)
        : [];
      const found = Object.fromEntries(spans.map((s) => [s.span, s.ms]));
      if (found.activate !== undefined && found['bridge.accepting.sinceActivation'] !== undefined)
        return found;
      if (Date.now() > deadline)
        throw new Error(`no activation timings after 120 s: ${JSON.stringify(spans)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function (): Promise<BenchResult[]> {
  const lib = await load<CodeServerLib>('scripts/lib/codeServer.mjs');
  const results = await bundleSizes(lib);
  const bin = lib.codeServerBin(root);
  if (!bin) {
    console.warn(
      'bench/vscode: code-server is not installed (scripts/setup-code-server.sh); activation not measured',
    );
    return results;
  }
  const pw = requireFromRoot('playwright-core') as Playwright;
  const activate: number[] = [];
  const bridge: number[] = [];
  const leader: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = await activationRun(lib, pw, bin, true);
    activate.push(t.activate);
    bridge.push(t['bridge.accepting.sinceActivation']);
    leader.push(t['leader.bridge']);
  }
  const cold = await activationRun(lib, pw, bin, false);
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const a = median(activate);
  const b = median(bridge);
  return [
    ...results,
    {
      metric: `activation before the bridge starts (median of ${RUNS})`,
      value: a,
      unit: 'ms',
      target: '<= 50',
      ok: a <= 50,
    },
    {
      metric: `bridge accepting after activation, ${EVENTS}-event journal (median of ${RUNS})`,
      value: b,
      unit: 'ms',
      target: '<= 300',
      ok: b <= 300,
    },
    { metric: 'bridge accepting after activation (worst run)', value: Math.max(...bridge), unit: 'ms' },
    { metric: 'journal recovery + bridge start alone (median)', value: median(leader), unit: 'ms' },
    {
      metric: `bridge accepting after activation, ${EVENTS}-event journal without snapshot (full replay)`,
      value: cold['bridge.accepting.sinceActivation'],
      unit: 'ms',
    },
  ];
}
