import { describe, expect, it } from 'vitest';
import { isLiveVariantsError, type LiveVariantsError } from '../../../src/core/errors';
import { discardVariants } from '../../../src/core/rewrite/discard';
import { applyEdit } from '../../../src/core/rewrite/textEdit';
import { type WrapOptions, wrapElement } from '../../../src/core/rewrite/wrap';

const opts = (o: Partial<WrapOptions>): WrapOptions => ({
  path: 'index.html',
  sessionId: 'abcd1234',
  count: 2,
  element: {},
  ...o,
});

function wrapped(text: string, o: Partial<WrapOptions>): string {
  const r = wrapElement(text, opts(o));
  if (r.edit === null) throw new Error('nothing applied');
  return applyEdit(text, r.edit);
}

function refusal(fn: () => unknown): LiveVariantsError {
  try {
    fn();
  } catch (e) {
    if (isLiveVariantsError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

function roundTrips(text: string, o: Partial<WrapOptions>): void {
  const w = wrapped(text, o);
  const d = discardVariants(w, { sessionId: 'abcd1234', path: o.path ?? 'index.html' });
  expect(d.status === 'applied' && applyEdit(w, d.edit)).toBe(text);
}

describe('wrapElement', () => {
  it('finds the element by classes even when the browser adds runtime classes', () => {
    const text = '<ul>\n  <li class="card">A</li>\n  <li class="card card--pro">B</li>\n</ul>\n';
    const out = wrapped(text, {
      element: { tag: 'li', classes: ['card', 'card--pro', 'svelte-x1y2', 'hover'] },
    });
    expect(out).toContain(
      '<div data-impeccable-variant="original">\n      <li class="card card--pro">B</li>\n    </div>',
    );
  });

  it('prefers an id over classes', () => {
    const text = '<p class="x">1</p>\n<p class="x" id="two">2</p>\n';
    expect(wrapped(text, { element: { id: 'two', classes: 'x' } })).toContain(
      '    <p class="x" id="two">2</p>',
    );
  });

  it('falls back to tag and text when nothing else matches', () => {
    const text = '<section>\n  <h2>Our pricing plans</h2>\n  <h2>Other</h2>\n</section>\n';
    expect(
      wrapped(text, { element: { tag: 'h2', classes: ['gone'], text: '  Our   pricing plans ' } }),
    ).toContain('      <h2>Our pricing plans</h2>');
  });

  it('narrows several class matches by the element text, then by a line hint', () => {
    const text =
      '<div class="tile"><p>First tile here</p></div>\n<div class="tile"><p>Second tile here</p></div>\n<div class="tile"><p>Second tile here</p></div>\n';
    expect(wrapped(text, { element: { classes: ['tile'], text: 'First tile here' } })).toMatch(
      /original">\n {4}<div class="tile"><p>First/,
    );
    const e = refusal(() =>
      wrapElement(text, opts({ element: { classes: ['tile'], text: 'Second tile here' } })),
    );
    expect(e.code).toBe('element_ambiguous');
    expect(e.detail?.candidates).toEqual([
      { startLine: 2, endLine: 2, tag: 'div' },
      { startLine: 3, endLine: 3, tag: 'div' },
    ]);
    expect(
      wrapped(text, { element: { classes: ['tile'], text: 'Second tile here' }, line: 3 }).split('\n')[2],
    ).toBe('<!-- impeccable-variants-start abcd1234 -->');
  });

  it('reports element_not_found with the reason when the tag never closes', () => {
    expect(refusal(() => wrapElement('<p class="a">x</p>', opts({ element: { id: 'none' } }))).code).toBe(
      'element_not_found',
    );
    const e = refusal(() =>
      wrapElement('<div class="open">\n<p>x</p>\n', opts({ element: { classes: 'open' } })),
    );
    expect([e.code, e.message]).toEqual([
      'element_not_found',
      'no element in index.html matches the picked element (a matching tag has no closing tag)',
    ]);
  });

  it('refuses a generated file by header or by the git verdict', () => {
    expect(
      refusal(() => wrapElement('<!-- GENERATED FILE -->\n<p id="a">x</p>', opts({ element: { id: 'a' } })))
        .code,
    ).toBe('file_is_generated');
    expect(
      refusal(() => wrapElement('<p id="a">x</p>', opts({ element: { id: 'a' }, generated: true }))).code,
    ).toBe('file_is_generated');
  });

  it('refuses bad arguments with the field named', () => {
    expect(refusal(() => wrapElement('', opts({ sessionId: 'bad id' }))).field).toBe('sessionId');
    expect(refusal(() => wrapElement('', opts({ count: 0, element: { id: 'a' } }))).field).toBe('count');
    expect(refusal(() => wrapElement('', opts({ count: 1.5, element: { id: 'a' } }))).field).toBe('count');
    expect(refusal(() => wrapElement('', opts({ element: { tag: 'p' } }))).field).toBe('element');
    expect(
      refusal(() => wrapElement('', opts({ mode: 'sideways' as 'insert', element: { id: 'a' } }))).field,
    ).toBe('mode');
  });

  it('reports an existing block of the session as already applied, and a different mode as a conflict', () => {
    const text = '<main>\n  <p id="a">x</p>\n</main>\n';
    const once = wrapped(text, { element: { id: 'a' } });
    const again = wrapElement(once, opts({ element: { id: 'a' } }));
    expect([again.status, again.edit, again.wrappedLines, again.variantsLine]).toEqual([
      'alreadyApplied',
      null,
      [2, 10],
      9,
    ]);
    expect(refusal(() => wrapElement(once, opts({ element: { id: 'a' }, mode: 'insert' }))).code).toBe(
      'conflicting_operation',
    );
  });

  it('never picks an element inside another session block', () => {
    const text = '<main>\n  <p id="a">x</p>\n</main>\n';
    const once = wrapped(text, { element: { id: 'a' } });
    expect(refusal(() => wrapElement(once, opts({ sessionId: 'ffff0000', element: { id: 'a' } }))).code).toBe(
      'element_not_found',
    );
  });

  it('writes the JSX layout with the markers inside the wrapper', () => {
    const text = 'export const A = () => (\n  <main>\n    <p className="lede">Hi</p>\n  </main>\n);\n';
    const r = wrapElement(text, opts({ path: 'A.tsx', element: { classes: ['lede'] } }));
    expect(applyEdit(text, r.edit as NonNullable<typeof r.edit>)).toBe(
      'export const A = () => (\n  <main>\n    <div data-impeccable-variants="abcd1234" data-impeccable-variant-count="2" style={{ display: "contents" }}>\n      {/* impeccable-variants-start abcd1234 */}\n      {/* Original */}\n      <div data-impeccable-variant="original">\n        <p className="lede">Hi</p>\n      </div>\n      {/* Variants: insert below this line */}\n      {/* impeccable-variants-end abcd1234 */}\n    </div>\n  </main>\n);\n',
    );
    expect([r.wrappedLines, r.variantsLine, r.variantIndent, r.elementLines, r.commentSyntax]).toEqual([
      [3, 11],
      10,
      '      ',
      [3, 3],
      { open: '{/*', close: '*/}' },
    ]);
  });

  it('restores an element that starts mid-line, blank lines and shallower lines byte for byte', () => {
    roundTrips('<p>Hello <b id="a">bold</b> there</p>\n', { element: { id: 'a' } });
    roundTrips('  <div id="a">\n\n    <pre>\nno indent\n    </pre>\n  \t\n  </div>', {
      element: { id: 'a' },
    });
    roundTrips('\t<div id="a">\r\n\t\t<p>x</p>\r\n\t</div>\r\n', { element: { id: 'a' } });
  });

  it('keeps blank lines of the element blank inside the original div', () => {
    expect(wrapped('<div id="a">\n\n</div>\n', { element: { id: 'a' } })).toContain(
      '<div id="a">\n\n    </div>',
    );
  });

  it('inserts before or after the anchor lines in insert mode, at the end of a file without a newline too', () => {
    const text = '<main>\n  <p id="a">x</p>\n</main>';
    const before = wrapped(text, { element: { id: 'a' }, mode: 'insert', position: 'before' });
    expect(before.split('\n').slice(1, 3)).toEqual([
      '  <!-- impeccable-variants-start abcd1234 -->',
      '  <div data-impeccable-variants="abcd1234" data-impeccable-mode="insert" data-impeccable-variant-count="2" style="display: contents">',
    ]);
    const after = wrapped('<p id="a">x</p>', { element: { id: 'a' }, mode: 'insert', position: 'after' });
    expect(after).toBe(
      '<p id="a">x</p>\n<!-- impeccable-variants-start abcd1234 -->\n<div data-impeccable-variants="abcd1234" data-impeccable-mode="insert" data-impeccable-variant-count="2" style="display: contents">\n  <!-- Variants: insert below this line -->\n</div>\n<!-- impeccable-variants-end abcd1234 -->',
    );
    roundTrips(text, { element: { id: 'a' }, mode: 'insert', position: 'before' });
    roundTrips('<p id="a">x</p>', { element: { id: 'a' }, mode: 'insert', position: 'after' });
  });
});
