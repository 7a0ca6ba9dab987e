import { describe, expect, it } from 'vitest';
import { isLiveVariantsError, type LiveVariantsError } from '../../../src/core/errors';
import { acceptVariant } from '../../../src/core/rewrite/accept';
import { discardVariants } from '../../../src/core/rewrite/discard';
import type { RewriteResult } from '../../../src/core/rewrite/session';
import { applyEdit } from '../../../src/core/rewrite/textEdit';

function refusal(fn: () => unknown): LiveVariantsError {
  try {
    fn();
  } catch (e) {
    if (isLiveVariantsError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

function applied(text: string, r: RewriteResult): string {
  if (r.status !== 'applied') throw new Error(`not applied: ${r.status}`);
  return applyEdit(text, r.edit);
}

const html = (variants: string, extra = '') =>
  `<main>\n  <!-- impeccable-variants-start s1 -->\n  <div data-impeccable-variants="s1" data-impeccable-variant-count="2" style="display: contents">\n    <div data-impeccable-variant="original">\n      <p>orig</p>\n    </div>\n${extra}${variants}  </div>\n  <!-- impeccable-variants-end s1 -->\n</main>\n`;

const knobbed = html(
  `    <div data-impeccable-variant="1" data-impeccable-params='[{"id":"r","kind":"range","min":0,"max":10,"default":4,"unit":"rem"},{"id":"t","kind":"steps","options":["a","b\\"c"],"default":"a"},{"id":"on","kind":"toggle","default":true}]'>\n      <p>one</p>\n    </div>\n    <div data-impeccable-variant="2" style="display: none">\n      <p>two</p>\n    </div>\n`,
);

describe('acceptVariant', () => {
  it('keeps the chosen content at the block indentation when there is no style and no knobs', () => {
    const r = acceptVariant(knobbed, { sessionId: 's1', variant: '2' });
    expect(r).toMatchObject({ status: 'applied', carbonize: false, paramValues: null, blockLines: [2, 14] });
    expect(applied(knobbed, r)).toBe('<main>\n  <p>two</p>\n</main>\n');
  });

  it('writes the carbonize form with param values applied when the variant has knobs', () => {
    const r = acceptVariant(knobbed, {
      sessionId: 's1',
      variant: 1,
      params: { r: '7.5', t: 'b"c', on: 'off', unknown: 3 },
    });
    expect(r).toMatchObject({
      status: 'applied',
      carbonize: true,
      paramValues: { r: 7.5, t: 'b"c', on: false },
    });
    expect(applied(knobbed, r)).toBe(
      '<main>\n  <!-- impeccable-carbonize-start s1 -->\n  <!-- impeccable-param-values s1: {"r":7.5,"t":"b\\"c","on":false} -->\n  <!-- impeccable-carbonize-end s1 -->\n  <div data-impeccable-variant="1" data-p-t="b&quot;c" style="display: contents; --p-r: 7.5rem; --p-on: 0">\n    <p>one</p>\n  </div>\n</main>\n',
    );
  });

  it('uses knob defaults for values not given', () => {
    const r = acceptVariant(knobbed, { sessionId: 's1', variant: 1 });
    expect(r).toMatchObject({ paramValues: { r: 4, t: 'a', on: true } });
    expect(applied(knobbed, r)).toContain(
      '<div data-impeccable-variant="1" data-p-t="a" data-p-on="on" style="display: contents; --p-r: 4rem; --p-on: 1">',
    );
  });

  it('refuses param values outside their knob with the param named', () => {
    expect(
      refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 1, params: { r: 11 } })).field,
    ).toBe('params.r');
    expect(
      refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 1, params: { t: 'z' } })).field,
    ).toBe('params.t');
    expect(
      refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 1, params: { on: 'maybe' } })).code,
    ).toBe('invalid_input');
    expect(
      refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 1, params: [] as never })).field,
    ).toBe('params');
  });

  it('writes the JSX carbonize form inside an outer carbonize div', () => {
    const text = `const A = () => (\n  <div data-impeccable-variants="j1" data-impeccable-variant-count="1" style={{ display: "contents" }}>\n    {/* impeccable-variants-start j1 */}\n    <style data-impeccable-css="j1">{\`\n      .x { color: red; }\n    \`}</style>\n    <div data-impeccable-variant="1" data-impeccable-params='[{"id":"k","kind":"toggle"}]'>\n      <p className="x">one</p>\n    </div>\n    {/* impeccable-variants-end j1 */}\n  </div>\n);\n`;
    const r = acceptVariant(text, { sessionId: 'j1', variant: 1, params: { k: true }, path: 'A.tsx' });
    expect(applied(text, r)).toBe(
      'const A = () => (\n  <div data-impeccable-carbonize="j1" style={{ display: "contents" }}>\n    {/* impeccable-carbonize-start j1 */}\n    <style data-impeccable-css="j1">{`\n      .x { color: red; }\n    `}</style>\n    {/* impeccable-param-values j1: {"k":true} */}\n    {/* impeccable-carbonize-end j1 */}\n    <div data-impeccable-variant="1" data-p-k="on" style={{ display: "contents", "--p-k": "1" }}>\n      <p className="x">one</p>\n    </div>\n  </div>\n);\n',
    );
  });

  it('reports variant_not_found for a missing variant and for "original"', () => {
    const e = refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 3 }));
    expect([e.code, e.detail]).toEqual(['variant_not_found', { variants: [1, 2] }]);
    expect(refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 'original' })).code).toBe(
      'variant_not_found',
    );
    expect(refusal(() => acceptVariant(knobbed, { sessionId: 's1', variant: 0 })).code).toBe('invalid_input');
  });

  it('is a no-op after its own carbonize form, and refuses another variant or other params there', () => {
    const done = applied(knobbed, acceptVariant(knobbed, { sessionId: 's1', variant: 1, params: { r: 5 } }));
    expect(acceptVariant(done, { sessionId: 's1', variant: 1 })).toEqual({
      status: 'alreadyApplied',
      carbonize: true,
    });
    expect(acceptVariant(done, { sessionId: 's1', variant: 1, params: { r: 5 } }).status).toBe(
      'alreadyApplied',
    );
    expect(refusal(() => acceptVariant(done, { sessionId: 's1', variant: 1, params: { r: 6 } })).code).toBe(
      'conflicting_operation',
    );
    expect(refusal(() => acceptVariant(done, { sessionId: 's1', variant: 2 })).code).toBe(
      'conflicting_operation',
    );
    expect(refusal(() => discardVariants(done, { sessionId: 's1' })).code).toBe('conflicting_operation');
  });

  it('uses the recorded outcome when no markers are left', () => {
    const clean = '<main>\n  <p>two</p>\n</main>\n';
    expect(refusal(() => acceptVariant(clean, { sessionId: 's1', variant: 2 })).code).toBe(
      'session_not_found',
    );
    expect(
      acceptVariant(clean, { sessionId: 's1', variant: 2, recorded: { outcome: 'accepted', variant: '2' } })
        .status,
    ).toBe('alreadyApplied');
    expect(
      refusal(() =>
        acceptVariant(clean, { sessionId: 's1', variant: 1, recorded: { outcome: 'accepted', variant: 2 } }),
      ).code,
    ).toBe('conflicting_operation');
    expect(
      refusal(() => acceptVariant(clean, { sessionId: 's1', variant: 1, recorded: { outcome: 'discarded' } }))
        .code,
    ).toBe('conflicting_operation');
  });

  it('refuses an invalid session id', () => {
    expect(refusal(() => acceptVariant(knobbed, { sessionId: '', variant: 1 })).field).toBe('sessionId');
  });
});

describe('discardVariants', () => {
  it('restores the original at the block position', () => {
    expect(applied(knobbed, discardVariants(knobbed, { sessionId: 's1' }))).toBe(
      '<main>\n  <p>orig</p>\n</main>\n',
    );
  });

  it('removes an insert-mode block with the lines it added, also at the end of a file', () => {
    const insert = (tail: string) =>
      `<p>a</p>\n  <!-- impeccable-variants-start i1 -->\n  <div data-impeccable-variants="i1" data-impeccable-mode="insert"><div data-impeccable-variant="1">x</div></div>\n  <!-- impeccable-variants-end i1 -->${tail}`;
    expect(
      applied(insert('\n<p>b</p>\n'), discardVariants(insert('\n<p>b</p>\n'), { sessionId: 'i1' })),
    ).toBe('<p>a</p>\n<p>b</p>\n');
    expect(applied(insert(''), discardVariants(insert(''), { sessionId: 'i1' }))).toBe('<p>a</p>');
    expect(applied(insert('\r\n'), discardVariants(insert('\r\n'), { sessionId: 'i1' }))).toBe('<p>a</p>\n');
  });

  it('removes only the block when other content shares its lines', () => {
    const text =
      '<p>a</p><!-- impeccable-variants-start i2 --><div data-impeccable-variants="i2" data-impeccable-mode="insert"></div><!-- impeccable-variants-end i2 --><p>b</p>';
    expect(applied(text, discardVariants(text, { sessionId: 'i2' }))).toBe('<p>a</p><p>b</p>');
  });

  it('refuses a replace-mode block without an original', () => {
    const text =
      '<!-- impeccable-variants-start n1 -->\n<div data-impeccable-variants="n1"><div data-impeccable-variant="1">x</div></div>\n<!-- impeccable-variants-end n1 -->';
    const e = refusal(() => discardVariants(text, { sessionId: 'n1' }));
    expect([e.code, (e.detail as { problems: { code: string }[] }).problems[0].code]).toEqual([
      'malformed_markers',
      'original_missing',
    ]);
  });

  it('uses the recorded outcome when no markers are left', () => {
    expect(discardVariants('<p/>', { sessionId: 's1', recorded: { outcome: 'discarded' } }).status).toBe(
      'alreadyApplied',
    );
    expect(
      refusal(() =>
        discardVariants('<p/>', { sessionId: 's1', recorded: { outcome: 'accepted', variant: 1 } }),
      ).code,
    ).toBe('conflicting_operation');
    expect(refusal(() => discardVariants('<p/>', { sessionId: 's1' })).code).toBe('session_not_found');
  });

  it('refuses a generated file with persist_fallback_to_true_source', () => {
    const e = refusal(() =>
      discardVariants(knobbed, { sessionId: 's1', path: 'public/index.html', generated: true }),
    );
    expect([e.code, e.detail]).toEqual([
      'persist_fallback_to_true_source',
      { file: 'public/index.html', reason: 'git ignores it' },
    ]);
  });
});
