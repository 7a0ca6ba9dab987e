// Recovery flows of the browser client against the real bridge process and real Chromium: an agent that is
// not there yet or dies, a page reload with or without localStorage, a bridge SIGKILLed mid-cycling, accepts
// with no agent, and tabs that speak late. The agent here talks HTTP (its CLI is exercised in
// browserFlows.test.ts); every user action goes through the page's UI.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliPoll, startTestBridge, stopBridge, type TestBridge } from './browserBridge';
import {
  ackWork,
  agentRound,
  bridgeRequest,
  launchChromium,
  lvState,
  pollWork,
  prepareSite,
  type Site,
  startSite,
  UI,
  waitForState,
  waitText,
  waitUntil,
  writeVariantsFor,
} from './browserHarness';

const ARTIFACTS = join(process.cwd(), 'test', 'e2e', 'artifacts');

let browser: Browser;
let root: string;
let bridge: TestBridge | undefined;
let site: Site | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await site?.close();
  site = undefined;
  await stopBridge(bridge);
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

async function setup(): Promise<void> {
  root = mkdtempSync(join(tmpdir(), 'lv-browser-'));
  bridge = await startTestBridge(root);
  prepareSite(root, bridge.url);
  site = await startSite(root, { hot: ['index.html'] });
}

/** A new tab (its own context: own localStorage unless `context` is shared) on the hot-reload page. */
async function openTab(context?: BrowserContext): Promise<Page> {
  let ctx = context;
  if (!ctx) {
    ctx = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    contexts.push(ctx);
  }
  const page = await ctx.newPage();
  await page.goto(`${site!.url}/index.html`);
  await waitForState(page, (s) => s.connection === 'online', 'the socket to connect');
  return page;
}

async function pickAndGo(
  p: Page,
  count: number,
  placement: 'replace' | 'before' | 'after' = 'replace',
): Promise<string> {
  await p.locator(`${UI} button[data-action="pick"]`).click();
  await p.locator('#hero').click({ position: { x: 600, y: 10 } });
  await waitForState(p, (s) => s.picked === 'section#hero.hero', 'the hero to be picked');
  await p.locator(`${UI} .ask button[data-placement="${placement}"]`).click();
  await p.locator(`${UI} .ask input[type="number"]`).fill(String(count));
  await p.locator(`${UI} .ask button.primary`).click();
  const s = await waitForState(
    p,
    (x) => x.sessionId !== null && x.queued.length === 0,
    'the generate to be acked',
  );
  return s.sessionId!;
}

async function toCycling(p: Page, count = 3): Promise<string> {
  const sid = await pickAndGo(p, count);
  await agentRound(bridge!, root, count);
  await waitForState(p, (s) => s.stage === 'cycling' && s.canDecide, 'cycling');
  return sid;
}

async function status(): Promise<Record<string, unknown>> {
  return (await bridgeRequest(bridge!, 'GET', '/v1/status')).body;
}

function journalRecords(sid: string): { type: string; eventId: string; data: Record<string, unknown> }[] {
  return readFileSync(join(root, '.live-variants', 'journal', `${sid}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** Cycles to variant 3 with the keyboard and sets its knobs through the UI; waits for the bridge to have them. */
async function tuneVariant3(p: Page, sid: string): Promise<void> {
  await p.mouse.click(5, 700);
  await p.keyboard.press('3');
  await waitForState(p, (s) => s.visibleVariant === '3', 'variant 3');
  await p.locator(`${UI} .bar select[data-knob="tone"]`).selectOption('warm');
  await p.locator(`${UI} .bar input[data-knob="shadow"]`).check();
  await waitForState(
    p,
    (s) =>
      s.server?.visibleVariant === '3' && s.server.params.tone === 'warm' && s.server.params.shadow === true,
    `the checkpoint of ${sid} on the bridge`,
  );
}

async function expectShowsVariant3Tuned(p: Page): Promise<void> {
  const s = await waitForState(
    p,
    (x) => x.stage === 'cycling' && x.visibleVariant === '3',
    'variant 3 after reload',
  );
  expect(s.params).toEqual({ tone: 'warm', shadow: true });
  const v3 = p.locator('[data-impeccable-variant="3"]');
  expect(await v3.evaluate((el) => (el as HTMLElement).style.display)).toBe('');
  expect(await v3.getAttribute('data-p-tone')).toBe('warm');
  expect(await v3.getAttribute('data-p-shadow')).toBe('on');
  expect(
    await p.locator('[data-impeccable-variant="1"]').evaluate((el) => (el as HTMLElement).style.display),
  ).toBe('none');
  expect(await p.locator(`${UI} .bar select[data-knob="tone"]`).inputValue()).toBe('warm');
  expect(await p.locator(`${UI} .bar input[data-knob="shadow"]`).isChecked()).toBe(true);
}

describe('browser client: recovery', () => {
  it('Go with no agent running (insert mode): the page waits, an agent started later receives the generate', async () => {
    await setup();
    const p = await openTab();
    const sid = await pickAndGo(p, 2, 'after');
    await new Promise((r) => setTimeout(r, 800));
    expect((await lvState(p)).stage).toBe('generating');
    await waitText(p.locator(`${UI} .bar .status-text`), 'Waiting for an agent to write 2 variants…');
    const next = (await status()).nextAction as Record<string, unknown>;
    expect(next).toMatchObject({ action: 'poll_for_pending_event', sessionId: sid });
    // The agent starts now.
    const work = await pollWork(bridge!, 'timeout=10000&agent=late');
    expect(work.event).toMatchObject({ mode: 'insert', position: 'after', count: 2 });
    const file = await writeVariantsFor(root, work, 2);
    await ackWork(bridge!, work.leaseId, { type: 'done', file, count: 2 });
    const s = await waitForState(p, (x) => x.stage === 'cycling' && x.canDecide, 'cycling');
    expect(s.variantsInPage).toEqual(['1', '2']);
    // Insert mode: the picked section stays, the variants come right after it.
    const order = await p.evaluate(() =>
      Array.from(document.querySelector('main')!.children).map(
        (c) => c.id || c.getAttribute('data-impeccable-variants'),
      ),
    );
    expect(order).toEqual(['hero', sid, 'features']);
    await p.mouse.click(5, 700);
    await p.keyboard.press('ArrowRight');
    await waitForState(p, (x) => x.visibleVariant === '2', 'variant 2');
    await p.locator(`${UI} .bar button[data-action="discard"]`).click();
    await waitForState(p, (x) => x.phase === 'complete', 'the discard');
    expect(readFileSync(join(root, 'index.html'), 'utf8')).not.toContain('impeccable');
  });

  it('an agent killed after receiving a generate: the generate is delivered again once its lease expires', async () => {
    await setup();
    const p = await openTab();
    const sid = await pickAndGo(p, 2);
    // A real CLI agent leases the work for one second and dies without acking.
    const dying = await cliPoll(root, ['--timeout', '10000', '--lease-ms', '1000', '--agent', 'dying']);
    const first = await dying.answer;
    expect(first.json).toMatchObject({ type: 'work', kind: 'generate', sessionId: sid, attempt: 1 });
    const work = await pollWork(bridge!, 'timeout=10000&agent=healthy');
    expect(work).toMatchObject({ sessionId: sid, attempt: 2, kind: 'generate' });
    expect((work.event.element as Record<string, unknown>).id).toBe('hero');
    const file = await writeVariantsFor(root, work, 2);
    await ackWork(bridge!, work.leaseId, { type: 'done', file, count: 2 });
    await waitForState(p, (x) => x.stage === 'cycling' && x.canDecide, 'cycling after the redelivery');
  });

  it('tuned values survive a reload: the page and status report the same variant and knobs', async () => {
    await setup();
    const p = await openTab();
    const sid = await toCycling(p);
    await tuneVariant3(p, sid);
    await p.reload();
    await expectShowsVariant3Tuned(p);
    const next = (await status()).nextAction as Record<string, unknown>;
    expect(next).toMatchObject({ sessionId: sid, variant: '3', paramValues: { tone: 'warm', shadow: true } });
  });

  it('localStorage cleared: the page finds its session in the markup and rebuilds its state from the bridge', async () => {
    await setup();
    const p = await openTab();
    const sid = await toCycling(p);
    await tuneVariant3(p, sid);
    await p.evaluate(() => localStorage.clear());
    await p.reload();
    await expectShowsVariant3Tuned(p);
    expect((await lvState(p)).sessionId).toBe(sid);
    // And it keeps working: Accept goes through.
    await p.locator(`${UI} .bar button[data-action="accept"]`).click();
    const done = await waitForState(p, (s) => s.stage === 'done', 'the accept');
    expect(done.decision).toMatchObject({
      type: 'accept',
      variant: '3',
      params: { tone: 'warm', shadow: true },
    });
  });

  it('Accept while no agent runs: the bridge applies it and the page shows the confirmation', async () => {
    await setup();
    const p = await openTab();
    const sid = await toCycling(p);
    await p.mouse.click(5, 700);
    await p.keyboard.press('ArrowRight');
    await waitForState(p, (s) => s.visibleVariant === '2', 'variant 2');
    // Nobody polls from here on.
    await p.locator(`${UI} .bar button[data-action="accept"]`).click();
    const done = await waitForState(p, (s) => s.stage === 'done', 'the bridge-applied accept');
    expect(done.phase).toBe('accepted_source_pending');
    await waitText(p.locator(`${UI} .bar .status-text`), /Accepted variant 2\. Source updated/);
    const text = readFileSync(join(root, 'index.html'), 'utf8');
    expect(text).toContain(`impeccable-carbonize-start ${sid}`);
    expect(text).toContain('hero--v2');
    expect(text).not.toContain('hero--v1');
    expect((await status()).nextAction).toMatchObject({
      action: 'run_carbonize_cleanup',
      sessionId: sid,
      variant: '2',
    });
    // Hot reload shows the accepted variant in the page.
    await waitUntil(
      () => p.locator('#hero h1').first().textContent(),
      (t) => t === 'Calm deploys, darker (v2)',
      'v2',
    );
  });

  it('bridge SIGKILLed mid-cycling: the page keeps the user’s choice pending, reconnects by itself and the session completes', async () => {
    await setup();
    const p = await openTab();
    const sid = await toCycling(p);
    await stopBridge(bridge, 'SIGKILL');
    await waitForState(p, (s) => s.connection === 'offline', 'the page to notice the bridge is gone');
    // The user keeps cycling and accepts; both are kept (memory + localStorage) and said to be waiting.
    await p.mouse.click(5, 700);
    await p.keyboard.press('ArrowRight');
    await waitForState(p, (s) => s.visibleVariant === '2', 'variant 2');
    await p.locator(`${UI} .bar button[data-action="accept"]`).click();
    const offline = await waitForState(
      p,
      (s) => s.stage === 'saving' && s.queued.length === 2,
      'the accept kept',
    );
    expect(offline.queued.map((q) => q.split(':')[0])).toEqual(['checkpoint', 'accept']);
    expect(await p.evaluate(() => localStorage.getItem('live-variants:outbox'))).toContain('"type":"accept"');
    await waitText(p.locator(`${UI} .bar .status-text`), 'Accepting variant 2…');
    await waitText(
      p.locator(`${UI} .bar .notice:not(.bad)`),
      /^The bridge is unreachable\. 2 changes are kept/,
    );
    await p.screenshot({ path: join(ARTIFACTS, 'pending-accept.png') });

    bridge = await startTestBridge(root);
    // No reload: the tab reconnects with backoff, says what it believes, and resends in order.
    const done = await waitForState(
      p,
      (s) => s.stage === 'done' && s.queued.length === 0,
      'the accept after the restart',
      15_000,
    );
    expect(done.connection).toBe('online');
    expect(done.decision).toMatchObject({ type: 'accept', variant: '2', acked: true });
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toContain('hero--v2');
    expect((await status()).nextAction).toMatchObject({
      action: 'run_carbonize_cleanup',
      sessionId: sid,
      variant: '2',
    });
  });

  it('a stale checkpoint from a background tab after Accept is ignored', async () => {
    await setup();
    const a = await openTab();
    const sid = await toCycling(a);
    const b = await openTab();
    await waitForState(b, (s) => s.sessionId === sid && s.stage === 'cycling', 'tab B to find the session');
    // Tab B goes to sleep (its socket holds traffic) right after the user flips to variant 3 there.
    await b.context().setOffline(true);
    await b.mouse.click(5, 700);
    await b.keyboard.press('3');
    const staleId = (
      await waitForState(b, (s) => s.queued.length === 1, 'B’s checkpoint in flight')
    ).queued[0].split(':')[1];
    await a.mouse.click(5, 700);
    await a.keyboard.press('2');
    await waitForState(a, (s) => s.visibleVariant === '2' && s.queued.length === 0, 'A on variant 2');
    await a.locator(`${UI} .bar button[data-action="accept"]`).click();
    await waitForState(a, (s) => s.stage === 'done', 'A’s accept');
    // B wakes up: its checkpoint reaches the bridge after the accept and changes nothing.
    await b.context().setOffline(false);
    const bDone = await waitForState(
      b,
      (s) => s.stage === 'done' && s.queued.length === 0,
      'B to learn the decision',
    );
    expect(bDone.decision).toMatchObject({ type: 'accept', variant: '2' });
    const record = journalRecords(sid).find((r) => r.eventId === staleId);
    expect(record?.type).toBe('diagnostic');
    expect(record?.data.eventType).toBe('browser.checkpoint');
    const text = readFileSync(join(root, 'index.html'), 'utf8');
    expect(text).toContain('hero--v2');
    expect(text).not.toContain('hero--v3');
    expect((await bridgeRequest(bridge!, 'GET', `/v1/state?sessionId=${sid}`)).body.session).toMatchObject({
      acceptedVariant: '2',
      phase: 'accepted_source_pending',
    });
  });

  it('a duplicate Accept and a late Discard from another tab leave the source with the accepted variant', async () => {
    await setup();
    const a = await openTab();
    const sid = await toCycling(a);
    const b = await openTab();
    await waitForState(b, (s) => s.sessionId === sid && s.stage === 'cycling', 'tab B to find the session');
    await b.context().setOffline(true);
    await b.locator(`${UI} .bar button[data-action="discard"]`).click();
    await waitForState(b, (s) => s.stage === 'saving', 'B’s discard pending');
    await a.locator(`${UI} .bar button[data-action="accept"]`).click();
    const aDone = await waitForState(a, (s) => s.stage === 'done', 'A’s accept');
    const accept = aDone.decision as { eventId: string; variant: string; params: Record<string, unknown> };
    // The same accept again (as a resend after a reconnect would do): a no-op with the original seq.
    const again = await bridgeRequest(bridge!, 'POST', '/v1/events', {
      type: 'accept',
      sessionId: sid,
      eventId: accept.eventId,
      variant: accept.variant,
      params: accept.params,
    });
    expect(again.body).toMatchObject({ duplicate: true, accepted: true });
    await b.context().setOffline(false);
    const bState = await waitForState(
      b,
      (s) => s.stage === 'done' && s.queued.length === 0,
      'B to see the accept',
    );
    expect(bState.decision).toMatchObject({ type: 'accept', variant: '1' });
    expect(bState.message).toMatch(/^Your discard was not applied: /);
    await waitText(b.locator(`${UI} .bar .notice.bad`), /^Your discard was not applied: /);
    const text = readFileSync(join(root, 'index.html'), 'utf8');
    expect(text).toContain(`impeccable-carbonize-start ${sid}`);
    expect(text).toContain('hero--v1');
    expect(text).not.toContain('hero--v2');
    const discard = journalRecords(sid).find((r) => r.eventId.startsWith('discard.'));
    expect(discard?.type).toBe('diagnostic');
  });
});
