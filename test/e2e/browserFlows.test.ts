// The browser client end to end: real Chromium, the real bridge process, the `live-variants` CLI as the
// agent, and a fixture site whose pages hot-reload (or not) from disk. Tests drive the UI with clicks and
// keys; `window.__liveVariants.state()` is read only to wait for and check state.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, startTestBridge, stopBridge, type TestBridge } from './browserBridge';
import {
  agentRound,
  bakeCarbonize,
  bridgeRequest,
  insertLines,
  launchChromium,
  pollWork,
  prepareSite,
  type Site,
  startSite,
  strictCsp,
  UI,
  variantLines,
  waitForState,
  waitText,
  waitUntil,
} from './browserHarness';

const ARTIFACTS = join(process.cwd(), 'test', 'e2e', 'artifacts');

let browser: Browser;
let root: string;
let bridge: TestBridge | undefined;
let site: Site | undefined;
let page: Page | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.context().close();
  page = undefined;
  await site?.close();
  site = undefined;
  await stopBridge(bridge);
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A workspace with the fixture site, a bridge, the site server and one open page. */
async function setup(pageName: string): Promise<Page> {
  root = mkdtempSync(join(tmpdir(), 'lv-browser-'));
  // The bridge picks its port first; the pages are then instrumented with its URL.
  bridge = await startTestBridge(root);
  prepareSite(root, bridge.url);
  const b = bridge;
  site = await startSite(root, {
    hot: ['index.html'],
    csp: (p) => (p === 'strict.html' ? strictCsp(b.url) : undefined),
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  // Every CSP violation the page reports, with the script that caused it.
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page = await context.newPage();
  await page.goto(`${site.url}/${pageName}`);
  await waitForState(page, (s) => s.connection === 'online', 'the socket to connect');
  return page;
}

/** Picks the hero through the real picker: hover + click its heading, then Shift+↑ to the section. */
async function pickHero(p: Page): Promise<void> {
  await p.locator(`${UI} button[data-action="pick"]`).click();
  await p.locator('#hero h1').hover();
  await p.locator('#hero h1').click();
  await waitForState(p, (s) => s.asking && s.picked === 'h1', 'the heading to be picked');
  await p.locator(`${UI} .ask button[data-placement="replace"]`).focus();
  await p.keyboard.press('Shift+ArrowUp');
  await waitForState(p, (s) => s.picked === 'section#hero.hero', 'the section to be selected');
}

async function go(p: Page, count: number, prompt: string): Promise<string> {
  await p.locator(`${UI} .ask textarea`).fill(prompt);
  await p.locator(`${UI} .ask input[type="number"]`).fill(String(count));
  await p.locator(`${UI} .ask button.primary`).click();
  const s = await waitForState(
    p,
    (x) => x.sessionId !== null && x.queued.length === 0,
    'the generate to be acked',
  );
  return s.sessionId!;
}

/** The agent: poll, wrap (CLI), write `count` variants at the line wrap names, ack done (CLI). */
async function agentWrites(count: number): Promise<{ sessionId: string; file: string }> {
  const work = await cli(root, ['poll', '--timeout', '10000', '--agent', 'e2e']);
  expect(work.json.type).toBe('work');
  expect(work.json.kind).toBe('generate');
  const leaseId = String(work.json.leaseId);
  const wrap = await cli(root, ['wrap', '--lease', leaseId]);
  expect(wrap.code).toBe(0);
  const file = String(wrap.json.file);
  const sessionId = String(wrap.json.sessionId);
  insertLines(
    join(root, file),
    Number(wrap.json.variantsLine),
    variantLines(sessionId, count, String(wrap.json.variantIndent)),
  );
  const ack = await cli(root, ['ack', leaseId, 'done', '--file', file, '--count', String(count)]);
  expect(ack.json.phase).toBe('variants_written');
  return { sessionId, file };
}

async function paddingOfVisible(p: Page): Promise<string> {
  return p.evaluate(() => {
    const v = Array.from(document.querySelectorAll<HTMLElement>('[data-impeccable-variant]')).find(
      (el) => el.style.display !== 'none' && el.getAttribute('data-impeccable-variant') !== 'original',
    );
    return v ? getComputedStyle(v.querySelector('.hero')!).paddingTop : 'none';
  });
}

describe('browser client: full flows', () => {
  it('pick → Go → agent writes 3 variants with knobs → cycle → tune → Accept → carbonized source → cleanup → complete', async () => {
    const p = await setup('index.html');
    const before = readFileSync(join(root, 'index.html'), 'utf8');
    await p.locator(`${UI} button[data-action="pick"]`).click();
    await p.locator('#hero h1').hover();
    await p.screenshot({ path: join(ARTIFACTS, 'picker.png') });
    await p.locator('#hero h1').click();
    await p.locator(`${UI} .ask button[data-placement="replace"]`).focus();
    await p.keyboard.press('Shift+ArrowUp');
    await waitForState(p, (s) => s.picked === 'section#hero.hero', 'the section to be selected');
    await p.locator(`${UI} .ask button[data-action="bolder"]`).click();
    const sid = await go(p, 3, 'More contrast, keep the copy');
    await waitForState(p, (s) => s.stage === 'generating', 'the generating stage');
    await waitText(p.locator(`${UI} .bar .status-text`), /Waiting for an agent to write 3 variants/);

    const { sessionId, file } = await agentWrites(3);
    expect(sessionId).toBe(sid);
    expect(file).toBe('index.html');
    // Hot reload delivers the variants; the ack makes them decidable.
    await waitForState(
      p,
      (s) => s.stage === 'cycling' && s.canDecide && s.variantsInPage.length === 3,
      'cycling',
    );
    expect(await paddingOfVisible(p)).toBe('16px');
    await p.screenshot({ path: join(ARTIFACTS, 'cycling.png') });

    // Keys cycle (→ twice = variant 3), the dot buttons jump, 1–9 choose.
    await p.mouse.click(5, 700);
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    await waitForState(p, (s) => s.visibleVariant === '3', 'variant 3');
    expect(
      await p.locator('[data-impeccable-variant="3"]').evaluate((el) => (el as HTMLElement).style.display),
    ).toBe('');
    expect(
      await p.locator('[data-impeccable-variant="1"]').evaluate((el) => (el as HTMLElement).style.display),
    ).toBe('none');
    await p.locator(`${UI} .bar select[data-knob="tone"]`).selectOption('warm');
    await waitForState(p, (s) => s.params.tone === 'warm', 'tone warm');
    expect(await p.locator('[data-impeccable-variant="3"]').getAttribute('data-p-tone')).toBe('warm');
    await p.keyboard.press('1');
    await waitForState(p, (s) => s.visibleVariant === '1', 'variant 1');

    // Tune the range knob with the keyboard: 16 → 24 → 32px, applied live as --p-pad.
    const slider = p.locator(`${UI} .bar input[data-knob="pad"]`);
    await slider.focus();
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    await waitForState(p, (s) => s.params.pad === 32, 'pad 32');
    expect(await paddingOfVisible(p)).toBe('32px');
    await waitForState(
      p,
      (s) => s.server?.visibleVariant === '1' && s.server?.params.pad === 32,
      'the checkpoint on the bridge',
    );
    const next = (await bridgeRequest(bridge!, 'GET', '/v1/status')).body.nextAction as Record<
      string,
      unknown
    >;
    expect(next.sessionId).toBe(sid);
    expect(next.variant).toBe('1');
    expect(next.paramValues).toEqual({ pad: 32 });

    await p.locator(`${UI} .bar button[data-action="accept"]`).click();
    await p.screenshot({ path: join(ARTIFACTS, 'accepting.png') });
    const done = await waitForState(p, (s) => s.stage === 'done', 'the accept confirmation');
    expect(done.decision).toMatchObject({ type: 'accept', variant: '1', params: { pad: 32 }, acked: true });
    expect(done.phase).toBe('accepted_source_pending');
    await waitText(p.locator(`${UI} .bar .status-text`), /Accepted variant 1\. Source updated/);
    expect(await p.evaluate(() => localStorage.getItem('live-variants:session'))).toBeNull();

    const accepted = readFileSync(join(root, file), 'utf8');
    expect(accepted).toContain(`<!-- impeccable-carbonize-start ${sid} -->`);
    expect(accepted).toContain(`<!-- impeccable-param-values ${sid}: {"pad":32} -->`);
    expect(accepted).toContain('--p-pad: 32px');
    expect(accepted).toContain('hero--v1');
    expect(accepted).not.toContain('hero--v2');
    expect(accepted).not.toContain('impeccable-variants-start');

    // The agent folds the knob into real CSS and reports completion.
    const work = await cli(root, ['poll', '--timeout', '5000', '--types', 'carbonize_cleanup']);
    expect(work.json).toMatchObject({ type: 'work', kind: 'carbonize_cleanup', sessionId: sid });
    bakeCarbonize(join(root, file), sid);
    // `complete` runs the completion check: it refuses while any marker of the session is left.
    expect((await cli(root, ['complete', sid])).json).toMatchObject({ sessionId: sid, phase: 'complete' });
    const cleaned = readFileSync(join(root, file), 'utf8');
    expect(cleaned).toContain('<section id="hero" style="padding-block: 32px" class="hero hero--v1">');
    expect(cleaned).not.toContain('impeccable');
    expect(cleaned.replace(/<section id="hero"[\s\S]*?<\/section>/, '')).toBe(
      before.replace(/<section id="hero"[\s\S]*?<\/section>/, ''),
    );
    expect(((await cli(root, ['status', '--json'])).json.nextAction as Record<string, unknown>).action).toBe(
      'no_active_session',
    );
    // The page shows the cleaned source (hot reload) and returns to rest.
    await waitUntil(
      () => p.locator('#hero h1').textContent(),
      (t) => t === 'Calm deploys, bolder (v1)',
      'the cleaned hero',
    );
    expect(await p.locator('[data-impeccable-variants]').count()).toBe(0);
  });

  it('Discard on a page without hot reload: variants mounted from /v1/source, source restored byte for byte', async () => {
    const p = await setup('plain.html');
    const before = readFileSync(join(root, 'plain.html'));
    await pickHero(p);
    const sid = await go(p, 2, '');
    const { file } = await agentRound(bridge!, root, 2);
    expect(file).toBe('plain.html');
    // No hot reload here: the client reads the file from the bridge and mounts the block itself.
    await waitForState(
      p,
      (s) => s.stage === 'cycling' && s.variantsInPage.length === 2,
      'variants mounted from source',
    );
    expect(
      await p.locator(`[data-impeccable-variants="${sid}"] [data-impeccable-variant="original"]`).count(),
    ).toBe(1);
    await p.locator(`${UI} .bar .dots button[data-variant="2"]`).click();
    await waitForState(p, (s) => s.visibleVariant === '2', 'variant 2');
    expect(await p.locator('[data-impeccable-variant="2"] h1').textContent()).toBe(
      'Calm deploys, darker (v2)',
    );

    await p.locator(`${UI} .bar button[data-action="discard"]`).click();
    await waitForState(p, (s) => s.stage === 'done' && s.phase === 'complete', 'the discard to complete');
    await waitText(p.locator(`${UI} .bar .status-text`), 'Discarded. The source is restored.');
    // The page shows the original again; the source is byte-identical to before.
    expect(
      await p
        .locator('[data-impeccable-variant="original"]')
        .evaluate((el) => (el as HTMLElement).style.display),
    ).toBe('');
    expect(readFileSync(join(root, 'plain.html')).equals(before)).toBe(true);
    const status = await bridgeRequest(bridge!, 'GET', '/v1/status');
    expect((status.body.nextAction as Record<string, unknown>).action).toBe('no_active_session');
  });

  it('annotations travel with the generate and the annotated screenshot is stored as a session artifact', async () => {
    const p = await setup('index.html');
    await pickHero(p);
    await p.locator(`${UI} .ask button[aria-pressed][title^="Click the element"]`).click();
    const layer = p.locator(`${UI} .annotate-layer`);
    const box = (await layer.boundingBox())!;
    // A stroke (drag) and a pinned note (click, type, Enter).
    await p.mouse.move(box.x + 20, box.y + 20);
    await p.mouse.down();
    await p.mouse.move(box.x + 60, box.y + 30, { steps: 5 });
    await p.mouse.move(box.x + 120, box.y + 40, { steps: 5 });
    await p.mouse.up();
    await p.mouse.click(box.x + 200, box.y + 50);
    await p.locator(`${UI} .pin-input`).fill('Make this pop');
    await p.keyboard.press('Enter');
    await waitText(p.locator(`${UI} .ask .hint[aria-live]`), '1 note, 1 stroke');
    const sid = await go(p, 2, 'Follow the notes');
    await waitForState(p, (s) => s.artifact === 'uploaded', 'the screenshot upload');

    const work = await pollWork(bridge!);
    const ev = work.event;
    const annotations = ev.annotations as {
      pins: { x: number; y: number; text: string }[];
      strokes: { points: number[][] }[];
    };
    expect(annotations.pins).toEqual([{ x: 200, y: 50, text: 'Make this pop' }]);
    expect(annotations.strokes).toHaveLength(1);
    expect(annotations.strokes[0].points[0]).toEqual([20, 20]);
    expect(annotations.strokes[0].points.at(-1)).toEqual([120, 40]);
    const dir = join(root, '.live-variants', 'journal', `${sid}.artifacts`);
    expect(readdirSync(dir).sort()).toEqual(['.manifest.json', 'element.png']);
    const png = readFileSync(join(dir, 'element.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(Math.round(box.width));

    // The artifact is kept until the session completes, then removed with it.
    await waitForState(p, (s) => s.phase === 'generating', 'generating');
    await p.locator(`${UI} .bar button[data-action="discard"]`).click();
    await waitForState(p, (s) => s.phase === 'complete', 'the discard to complete');
    await waitUntil(
      () => existsSync(dir),
      (e) => !e,
      'the artifacts to be removed with the session',
    );
  });

  it('works in a page with a strict CSP that allows the bridge origin (no inline styles or scripts needed)', async () => {
    const p = await setup('strict.html');
    await pickHero(p);
    const sid = await go(p, 3, '');
    await agentRound(bridge!, root, 3);
    // No hot reload on this page: the block is mounted from source, its CSS adopted, inline styles via CSSOM.
    await waitForState(p, (s) => s.stage === 'cycling' && s.canDecide, 'cycling under CSP');
    const slider = p.locator(`${UI} .bar input[data-knob="pad"]`);
    await slider.focus();
    await p.keyboard.press('End');
    await waitForState(p, (s) => s.params.pad === 64, 'pad 64');
    expect(await paddingOfVisible(p)).toBe('64px');
    await p.locator(`${UI} .bar button[aria-label^="Next variant"]`).click();
    await waitForState(p, (s) => s.visibleVariant === '2', 'variant 2');
    // The block's <style> became an adopted stylesheet: variant 2's CSS applies.
    expect(
      await p
        .locator('[data-impeccable-variant="2"] .hero')
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(16, 24, 40)');
    // The UI's styles apply (adopted stylesheet) and the page's hostile CSS does not reach them.
    const accept = p.locator(`${UI} .bar button[data-action="accept"]`);
    const style = await accept.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { bg: cs.backgroundColor, font: cs.fontFamily, size: cs.fontSize };
    });
    expect(style.bg).toBe('rgb(139, 108, 255)');
    expect(style.font).not.toContain('Georgia');
    expect(style.size).toBe('13px');
    await accept.click();
    await waitForState(p, (s) => s.stage === 'done', 'the accept');
    expect(readFileSync(join(root, 'strict.html'), 'utf8')).toContain(`impeccable-carbonize-start ${sid}`);
    expect(await p.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  });
});
