// Browser client latency, 50 full sessions in real Chromium against an in-process bridge and the hot-reload
// fixture page: (1) from the agent's ack of a generate to the variants visible and decidable in the page
// (state push + hot reload + the client's DOM sync), and (2) from the Accept click to the bridge's durable
// ack of the accept (checkpoint flush + accept over the socket + group-committed fsync). Page timestamps come
// from the client's own metrics (window.__liveVariants.metrics()), node's from the same wall clock.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBridge } from '../src/bridge/server';
import {
  ackWork,
  bridgeRequest,
  buildLiveScript,
  launchChromium,
  lvState,
  pollWork,
  prepareSite,
  startSite,
  UI,
  waitForState,
  writeVariantsFor,
} from '../test/e2e/browserHarness';
import { type BenchResult, percentile } from './types';

const RUNS = 50;

const wallNow = () => performance.timeOrigin + performance.now();

export default async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'lv-bench-browser-'));
  const live = join(root, 'live-build.js');
  await buildLiveScript(live);
  const bridge = await startBridge({ root, liveScriptPath: live, log: () => {} });
  prepareSite(root, bridge.url);
  const original = readFileSync(join(root, 'index.html'), 'utf8');
  const site = await startSite(root, { hot: ['index.html'] });
  const browser = await launchChromium();
  const ackToVisible: number[] = [];
  const acceptToDurable: number[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(`${site.url}/index.html`);
    await waitForState(page, (s) => s.connection === 'online', 'the socket');
    for (let i = 0; i < RUNS; i++) {
      await page.locator(`${UI} button[data-action="pick"]`).click();
      await page.locator('#hero').click({ position: { x: 600, y: 8 } });
      await page.locator(`${UI} .ask button.primary`).click();
      const { sessionId } = await waitForState(
        page,
        (s) => s.sessionId !== null && s.queued.length === 0,
        'Go',
      );

      const work = await pollWork(bridge, 'timeout=10000&agent=bench&types=generate');
      const file = await writeVariantsFor(root, work, 3);
      const ackAt = wallNow();
      await ackWork(bridge, work.leaseId, { type: 'done', file, count: 3 });
      await waitForState(page, (s) => s.stage === 'cycling' && s.canDecide, 'variants visible');
      const ready = (await page.evaluate(() => window.__liveVariants!.metrics())).readyAt!;
      ackToVisible.push(ready - ackAt);

      await page.locator(`${UI} .bar button[data-action="accept"]`).click();
      await waitForState(page, (s) => s.stage === 'done', 'the accept');
      const m = await page.evaluate(() => window.__liveVariants!.metrics());
      acceptToDurable.push(m.decisionAckAt! - m.acceptClickAt!);

      // The agent's cleanup: the original page back, then completion; the page returns to rest.
      writeFileSync(join(root, 'index.html'), original);
      const done = await bridgeRequest(bridge, 'POST', '/v1/complete', { sessionId });
      if (done.status !== 200) throw new Error(`complete failed: ${JSON.stringify(done.body)}`);
      await page.locator(`${UI} .bar button[aria-label="Close"]`).click();
      await waitForState(page, (s) => s.sessionId === null, 'rest');
      if ((await lvState(page)).queued.length > 0) throw new Error('events left unacknowledged');
    }
  } finally {
    await browser.close();
    await site.close();
    await bridge.close();
    rmSync(root, { recursive: true, force: true });
  }
  const a = [...ackToVisible].sort((x, y) => x - y);
  const b = [...acceptToDurable].sort((x, y) => x - y);
  const row = (metric: string, value: number, max: number): BenchResult => ({
    metric,
    value: Number(value.toFixed(2)),
    unit: 'ms',
    target: `<= ${max}`,
    ok: value <= max,
  });
  return [
    row('agent ack → variants visible, p50', percentile(a, 50), 100),
    row('agent ack → variants visible, p99', percentile(a, 99), 300),
    row('Accept click → durable ack, p50', percentile(b, 50), 50),
    row('Accept click → durable ack, p99', percentile(b, 99), 250),
  ];
}
