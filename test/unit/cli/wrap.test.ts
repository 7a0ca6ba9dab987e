import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemOfLease, requestFromEvent, requestFromJournal } from '../../../src/cli/commands/wrap';
import { SessionEngine } from '../../../src/core/engine';
import { runInProcess } from './fakeIo';

const PAGE = [
  '<!doctype html>',
  '<html>',
  '  <body>',
  '    <section class="hero" id="hero">',
  '      <h1>Ship calmer releases</h1>',
  '    </section>',
  '    <div class="card">One</div>',
  '    <div class="card">Two</div>',
  '  </body>',
  '</html>',
  '',
].join('\n');

const WRAPPED = [
  '<!doctype html>',
  '<html>',
  '  <body>',
  '    <!-- impeccable-variants-start 1a2b3c4d -->',
  '    <div data-impeccable-variants="1a2b3c4d" data-impeccable-variant-count="2" style="display: contents">',
  '      <!-- Original -->',
  '      <div data-impeccable-variant="original">',
  '        <section class="hero" id="hero">',
  '          <h1>Ship calmer releases</h1>',
  '        </section>',
  '      </div>',
  '      <!-- Variants: insert below this line -->',
  '    </div>',
  '    <!-- impeccable-variants-end 1a2b3c4d -->',
  '    <div class="card">One</div>',
  '    <div class="card">Two</div>',
  '  </body>',
  '</html>',
  '',
].join('\n');

const GENERATE = {
  type: 'generate',
  sessionId: '1a2b3c4d',
  eventId: 'g1',
  mode: 'replace',
  count: 2,
  element: { tag: 'section', id: 'hero', classes: ['hero'], text: 'Ship calmer releases' },
  fileHint: 'site/index.html',
};

let ws: string;
let journalDir: string;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-wrap-'));
  mkdirSync(join(ws, '.git'));
  mkdirSync(join(ws, 'site'));
  writeFileSync(join(ws, 'site', 'index.html'), PAGE);
  journalDir = join(ws, '.live-variants', 'journal');
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

async function journalGenerate(...extra: Record<string, unknown>[]): Promise<void> {
  const engine = await SessionEngine.open({ journalDir });
  try {
    await engine.submitBrowserEvent(GENERATE);
    for (const e of extra) await engine.submitBrowserEvent(e);
  } finally {
    await engine.close();
  }
}

describe('lease ids and events', () => {
  it('reads the session and the record seq out of a lease id', () => {
    expect(itemOfLease('1a2b3c4d-12@vGicY7S5.3')).toEqual({ sessionId: '1a2b3c4d', seq: 12 });
    expect(itemOfLease('my-session-7@e.1')).toEqual({ sessionId: 'my-session', seq: 7 });
    expect(() => itemOfLease('not-a-lease')).toThrow(/is not a lease id printed by poll/);
  });

  it('takes the element, count, mode and file hint from a generate event and ignores the rest', () => {
    expect(
      requestFromEvent('s1', {
        mode: 'insert',
        position: 'before',
        count: 3,
        element: { tag: 'nav', classes: ['a', 7, 'b'], id: '', pageUrl: 'http://x/docs' },
        fileHint: 'docs.html',
        prompt: 'bolder',
      }),
    ).toEqual({
      sessionId: 's1',
      count: 3,
      mode: 'insert',
      position: 'before',
      element: { tag: 'nav', id: undefined, classes: ['a', 'b'], text: undefined, pageUrl: 'http://x/docs' },
      fileHint: 'docs.html',
    });
  });

  it('finds the generate a lease stands for in the journal, latest at or before its record', async () => {
    await journalGenerate({ ...GENERATE, eventId: 'g2', count: 3 });
    expect(await requestFromJournal(journalDir, '1a2b3c4d-1@e.1')).toMatchObject({
      count: 2,
      fileHint: 'site/index.html',
    });
    expect(await requestFromJournal(journalDir, '1a2b3c4d-2@e.1')).toMatchObject({ count: 3 });
    expect(await requestFromJournal(journalDir, '1a2b3c4d-9@e.1')).toMatchObject({ count: 3 });
    await expect(requestFromJournal(journalDir, 'ffff0000-1@e.1')).rejects.toMatchObject({
      code: 'session_not_found',
    });
  });
});

describe('wrap command', () => {
  it('wraps the element named by flags and prints where the variants go', async () => {
    const r = await runInProcess(
      ['wrap', '--id', '1a2b3c4d', '--count', '2', '--element-id', 'hero', '--file', 'site/index.html'],
      {
        cwd: ws,
      },
    );
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      sessionId: '1a2b3c4d',
      file: 'site/index.html',
      status: 'applied',
      mode: 'replace',
      wrappedLines: [4, 14],
      variantsLine: 13,
      variantIndent: '      ',
      commentSyntax: { open: '<!--', close: '-->' },
      elementLines: [4, 6],
    });
    expect(readFileSync(join(ws, 'site', 'index.html'), 'utf8')).toBe(WRAPPED);
    const again = await runInProcess(
      ['wrap', '--id', '1a2b3c4d', '--count', '2', '--element-id', 'hero', '--file', 'site/index.html'],
      {
        cwd: ws,
      },
    );
    expect(again.json()).toMatchObject({
      status: 'alreadyApplied',
      wrappedLines: [4, 14],
      variantsLine: 13,
      elementLines: null,
    });
  });

  it('takes everything from the leased generate in the journal, using the page file hint', async () => {
    await journalGenerate();
    const r = await runInProcess(['wrap', '--lease', '1a2b3c4d-1@epoch.1'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      sessionId: '1a2b3c4d',
      file: 'site/index.html',
      status: 'applied',
      wrappedLines: [4, 14],
    });
    expect(readFileSync(join(ws, 'site', 'index.html'), 'utf8')).toBe(WRAPPED);
  });

  it('takes the element from --event (the poll answer) without reading the journal', async () => {
    const pollAnswer = { type: 'work', leaseId: '1a2b3c4d-1@e.1', sessionId: '1a2b3c4d', event: GENERATE };
    const r = await runInProcess(
      ['wrap', '--lease', '1a2b3c4d-1@e.1', '--event', JSON.stringify(pollAnswer)],
      { cwd: ws },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(ws, 'site', 'index.html'), 'utf8')).toBe(WRAPPED);
  });

  it('refuses an element that is not there, with exit 1', async () => {
    const r = await runInProcess(
      ['wrap', '--id', 'abc', '--count', '2', '--element-id', 'nope', '--file', 'site/index.html'],
      { cwd: ws },
    );
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({
      error: 'element_not_found',
      field: 'element',
      message: 'no element in site/index.html matches the picked element',
      file: 'site/index.html',
    });
    expect(readFileSync(join(ws, 'site', 'index.html'), 'utf8')).toBe(PAGE);
  });

  it('lists the candidates of an ambiguous element, and --line picks one', async () => {
    const r = await runInProcess(
      ['wrap', '--id', 'abc', '--count', '1', '--classes', 'card', '--file', 'site/index.html'],
      { cwd: ws },
    );
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({
      error: 'element_ambiguous',
      field: 'element',
      message:
        '2 elements in site/index.html match the picked element; pass a line or a more specific element',
      file: 'site/index.html',
      candidates: [
        { startLine: 7, endLine: 7, tag: 'div' },
        { startLine: 8, endLine: 8, tag: 'div' },
      ],
    });
    const picked = await runInProcess(
      [
        'wrap',
        '--id',
        'abc',
        '--count',
        '1',
        '--classes',
        'card',
        '--file',
        'site/index.html',
        '--line',
        '8',
      ],
      { cwd: ws },
    );
    expect(picked.json()).toMatchObject({ status: 'applied', elementLines: [8, 8] });
  });

  it('refuses to wrap inside a generated file', async () => {
    writeFileSync(join(ws, 'site', 'out.html'), `<!-- @generated by the build; DO NOT EDIT -->\n${PAGE}`);
    const r = await runInProcess(
      ['wrap', '--id', 'abc', '--count', '1', '--element-id', 'hero', '--file', 'site/out.html'],
      { cwd: ws },
    );
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({ error: 'file_is_generated', file: 'site/out.html' });
  });

  it('refuses --id that contradicts the lease', async () => {
    const r = await runInProcess(
      ['wrap', '--lease', '1a2b3c4d-1@e.1', '--id', 'other', '--event', JSON.stringify(GENERATE)],
      { cwd: ws },
    );
    expect([r.code, r.json().error, r.json().field]).toEqual([2, 'invalid_value', '--id']);
  });
});
