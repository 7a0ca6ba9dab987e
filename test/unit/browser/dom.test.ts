// The client's DOM code in real Chromium: sanitizing, mounting a block parsed from source, showing variants
// and applying knobs, describing and navigating elements.
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../e2e/browserHarness';

let browser: Browser;
let page: Page;
let bundle: string;

beforeAll(async () => {
  const out = await build({
    entryPoints: ['test/unit/browser/domEntry.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'warning',
  });
  bundle = out.outputFiles[0].text;
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
});

async function load(body: string): Promise<void> {
  await page.setContent(`<!doctype html><html><body>${body}</body></html>`);
  await page.addScriptTag({ content: bundle });
}

type Lv = typeof import('../../../src/browser/sourceMount') &
  typeof import('../../../src/browser/sanitize') &
  typeof import('../../../src/browser/variantsDom') &
  typeof import('../../../src/browser/picker') &
  typeof import('../../../src/browser/elementContext');

declare global {
  interface Window {
    lv: Lv;
    pwned?: number;
  }
}

const SOURCE = `<!doctype html><html><body>
<main>
  <!-- impeccable-variants-start a0000001 -->
  <div data-impeccable-variants="a0000001" data-impeccable-variant-count="2" style="display: contents">
    <!-- Original -->
    <div data-impeccable-variant="original">
        <section id="hero" class="hero">Old</section>
    </div>
    <!-- Variants: insert below this line -->
    <style data-impeccable-css="a0000001">[data-impeccable-variant="1"] .hero { padding-top: var(--p-pad); }</style>
    <div data-impeccable-variant="1" data-impeccable-params='[{"id":"pad","kind":"range","min":0,"max":40,"default":8,"unit":"px"},{"id":"tone","kind":"steps","options":["a","b"]}]'>
      <section id="hero" class="hero v1" onclick="window.pwned = 1">New <img src="x" onerror="window.pwned = 2"><a href=" javascript:window.pwned=3">x</a></section>
      <script>window.pwned = 4</script>
      <iframe srcdoc="<script>parent.pwned = 5</script>"></iframe>
    </div>
    <div data-impeccable-variant="2" style="display: none"><section id="hero" class="hero v2">Two</section></div>
  </div>
  <!-- impeccable-variants-end a0000001 -->
</main></body></html>`;

describe('sanitizing', () => {
  it('removes scripts, frames, event handlers and script URLs; keeps the markup otherwise', async () => {
    await load('');
    const html = await page.evaluate(() => {
      const doc = new DOMParser().parseFromString(
        '<div id="r" onmouseover="x()"><p class="a" style="color: red">hi <b onclick="y()">there</b></p>' +
          '<script>evil()</script><iframe src="https://x"></iframe><object data="x"></object>' +
          '<a href="JaVaScRiPt:alert(1)">a</a><a href="/ok">b</a><img src="data:text/html,x"><form action="javascript:z()"></form>' +
          '<svg><a xlink:href="javascript:1"><text>t</text></a><animate attributeName="href" to="javascript:1"/></svg></div>',
        'text/html',
      );
      const root = doc.getElementById('r')!;
      window.lv.sanitizeTree(root);
      return root.outerHTML;
    });
    expect(html).toBe(
      '<div id="r"><p class="a" style="color: red">hi <b>there</b></p><a>a</a><a href="/ok">b</a><img><form></form>' +
        '<svg><a><text>t</text></a></svg></div>',
    );
  });

  it('caps the outerHTML sent to agents and shortens long attribute values', async () => {
    await load(`<section id="s" data-big="${'x'.repeat(500)}">${'<p>word</p>'.repeat(200)}</section>`);
    const out = await page.evaluate(() => window.lv.sanitizedOuterHTML(document.getElementById('s')!, 300));
    expect(out.length).toBe(300);
    expect(out.startsWith(`<section id="s" data-big="${'x'.repeat(200)}…">`)).toBe(true);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('mounting a block from source', () => {
  it('replaces the picked element with the sanitized block; nothing from the source runs', async () => {
    await load('<main><section id="hero" class="hero">Old</section><p id="after">after</p></main>');
    const result = await page.evaluate((text) => {
      const block = window.lv.blockFromSource(document, text, 'a0000001')!;
      const ok = window.lv.mountBlock(document, block, {
        picked: document.getElementById('hero'),
        element: null,
        mode: 'replace',
        position: null,
      });
      const found = window.lv.findBlock(document, 'a0000001')!;
      return {
        ok,
        css: block.css,
        variants: [...found.variants.keys()],
        original: found.original?.textContent?.trim(),
        wrapperDisplay: found.wrapper.style.display,
        hidden2: found.variants.get('2')!.style.display,
        scripts: document.querySelectorAll('main script, main iframe').length,
        handlers: document.querySelectorAll('main [onclick], main [onerror]').length,
        href: document.querySelector('main a')!.getAttribute('href'),
        styleAttrsLeft: document.querySelectorAll('[data-lv-style]').length,
        next: found.wrapper.nextElementSibling?.id,
        sheets: document.adoptedStyleSheets.length,
      };
    }, SOURCE);
    await page.waitForTimeout(50);
    expect(result).toEqual({
      ok: true,
      css: '[data-impeccable-variant="1"] .hero { padding-top: var(--p-pad); }',
      variants: ['1', '2'],
      original: 'Old',
      wrapperDisplay: 'contents',
      hidden2: 'none',
      scripts: 0,
      handlers: 0,
      href: null,
      styleAttrsLeft: 0,
      next: 'after',
      sheets: 1,
    });
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
  });

  it('finds the element again by its description, and puts insert-mode blocks before or after it', async () => {
    await load(
      '<main><div data-impeccable-variants="zzz"><section class="hero">inside</section></div><section class="hero">Second</section><section class="hero">Calm deploys here</section></main>',
    );
    const texts = await page.evaluate((text) => {
      const info = { tag: 'section', classes: ['hero'], text: 'Calm deploys' };
      const located = window.lv.locateElement(document, info)?.textContent;
      const block = window.lv.blockFromSource(document, text, 'a0000001')!;
      window.lv.mountBlock(document, block, {
        picked: null,
        element: info,
        mode: 'insert',
        position: 'before',
      });
      const order = Array.from(document.querySelector('main')!.children).map(
        (c) => c.getAttribute('data-impeccable-variants') ?? c.textContent,
      );
      return { located, order };
    }, SOURCE);
    expect(texts).toEqual({
      located: 'Calm deploys here',
      order: ['zzz', 'Second', 'a0000001', 'Calm deploys here'],
    });
  });
});

describe('variants in the page', () => {
  it('shows one variant, hides the rest, applies knobs idempotently', async () => {
    await load('');
    const r = await page.evaluate((text) => {
      const { lv } = window;
      document.body.appendChild(lv.blockFromSource(document, text, 'a0000001')!.wrapper);
      const block = lv.findBlock(document, 'a0000001')!;
      const first = lv.markupVisible(block);
      const changedTo2 = lv.showVariant(block, '2');
      const again = lv.showVariant(block, '2');
      const display = (k: string) => block.variants.get(k)!.style.display;
      const shown2 = [display('1'), display('2'), block.original!.style.display];
      lv.showVariant(block, '1');
      const v1 = block.variants.get('1')!;
      const knobs = lv.knobsOf(v1);
      const applied = lv.applyKnobs(v1, knobs, { pad: 24, tone: 'b' });
      const reapplied = lv.applyKnobs(v1, knobs, { pad: 24, tone: 'b' });
      lv.showVariant(block, 'original');
      return {
        first,
        changedTo2,
        again,
        shown2,
        knobIds: knobs.map((k) => k.id),
        applied,
        reapplied,
        pad: v1.style.getPropertyValue('--p-pad'),
        tone: v1.getAttribute('data-p-tone'),
        originalShown: block.original!.style.display,
        sessions: lv.sessionsInPage(document),
      };
    }, SOURCE);
    expect(r).toEqual({
      first: '1',
      changedTo2: true,
      again: false,
      shown2: ['none', '', 'none'],
      knobIds: ['pad', 'tone'],
      applied: true,
      reapplied: false,
      pad: '24px',
      tone: 'b',
      originalShown: '',
      sessions: ['a0000001'],
    });
  });
});

describe('elements', () => {
  it('describes the picked element within the protocol caps', async () => {
    await load(`<main><section id="hero" class="hero big" style="padding: 12px">  Calm
      deploys   <span>${'word '.repeat(200)}</span></section></main>`);
    const info = await page.evaluate(() => window.lv.describeElement(document.getElementById('hero')!));
    // setContent pages live at about:blank, whose path is "blank".
    expect(info).toMatchObject({ tag: 'section', id: 'hero', classes: ['hero', 'big'], pagePath: 'blank' });
    expect(info.text!.startsWith('Calm deploys word word')).toBe(true);
    expect(info.text!.length).toBe(300);
    expect(info.styles).toMatchObject({ display: 'block', padding: '12px' });
    expect(info.box!.width).toBeGreaterThan(0);
    expect(info.outerHTML!.startsWith('<section id="hero" class="hero big" style="padding: 12px">')).toBe(
      true,
    );
  });

  it('navigates siblings with arrows and parent/child with Shift, skipping what cannot be picked', async () => {
    await load('<main id="m"><h1 id="a">A</h1><script></script><p id="b">B <em id="c">C</em></p></main>');
    const r = await page.evaluate(() => {
      const { navigate } = window.lv;
      const none = () => false;
      const el = (id: string) => document.getElementById(id)!;
      const id = (e: Element | null) => e?.id ?? null;
      return [
        id(navigate(el('a'), 'ArrowRight', false, none)),
        id(navigate(el('b'), 'ArrowUp', false, none)),
        id(navigate(el('b'), 'ArrowDown', true, none)),
        id(navigate(el('c'), 'ArrowLeft', true, none)),
        id(navigate(el('m'), 'ArrowUp', true, none)),
        id(navigate(el('a'), 'ArrowLeft', false, none)),
      ];
    });
    expect(r).toEqual(['b', 'a', 'c', 'b', null, null]);
  });
});
