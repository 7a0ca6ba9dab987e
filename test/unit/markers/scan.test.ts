import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../../src/core/markers/scan';

const fixture = (f: string) => readFileSync(join(__dirname, '../../fixtures/markers', f), 'utf8');

describe('scanText', () => {
  it('returns an empty result for text without "impeccable-"', () => {
    expect(scanText('<div>plain</div>', { path: 'a.html' })).toEqual({
      language: { ext: '.html', flavour: 'html', braceExpressions: false },
      generated: false,
      generatedReason: null,
      blocks: [],
      carbonize: [],
      paramValues: [],
      problems: [],
    });
  });

  it('describes an HTML block: ranges, count, visible variant, styles, knobs and where variants go', () => {
    const text = fixture('styled-knobs.html');
    const { blocks, problems } = scanText(text, { path: 'styled-knobs.html' });
    expect(problems).toEqual([]);
    expect(blocks).toHaveLength(1);
    const b = blocks[0];
    expect(b.sessionId).toBe('7c0ffee1');
    expect(b.flavour).toBe('html');
    expect(b.mode).toBe('replace');
    expect(text.slice(b.range.start, b.range.end)).toMatch(
      /^<!-- impeccable-variants-start 7c0ffee1 -->[\s\S]*<!-- impeccable-variants-end 7c0ffee1 -->$/,
    );
    expect([b.range.startLine, b.range.endLine]).toEqual([2, 37]);
    expect(b.lineRange.start).toBe(text.indexOf('  <!-- impeccable-variants-start'));
    expect(text.slice(b.lineRange.end)).toBe('</main>\n');
    expect(b.declaredCount).toBe(2);
    expect(b.foundCount).toBe(2);
    expect(b.visible).toBe(1);
    expect(b.original?.range.startLine).toBe(5);
    expect(b.variants.map((v) => [v.key, v.hidden, v.range.startLine, v.range.endLine])).toEqual([
      [1, false, 22, 27],
      [2, true, 28, 35],
    ]);
    expect(text.slice(b.variants[0].content.start, b.variants[0].content.end).trim()).toMatch(
      /^<article class="plan plan--soft">/,
    );
    expect(b.styles.map((s) => [s.startLine, s.endLine])).toEqual([[12, 21]]);
    expect(b.variants[0].knobs.map((k) => `${k.kind}:${k.id}`)).toEqual([
      'range:radius',
      'steps:tone',
      'toggle:shadow',
    ]);
    expect(b.variants[1].knobs).toEqual([
      { id: 'lift', kind: 'range', label: 'Lift', min: 0, max: 1, step: 0.25, default: 0.5 },
    ]);
    expect(b.variantsLine).toBe(36);
    expect(b.wrapper?.openTag.startLine).toBe(3);
  });

  it('reads the JSX layout with the markers inside a multi-line wrapper tag', () => {
    const text = fixture('hero.tsx');
    const { blocks, problems } = scanText(text, { path: 'hero.tsx' });
    expect(problems).toEqual([]);
    const b = blocks[0];
    expect(b.flavour).toBe('jsx');
    expect(text.slice(b.range.start, b.range.end)).toMatch(
      /^<div\n\s+data-impeccable-variants="43f8f566"[\s\S]*\{\/\* impeccable-variants-end 43f8f566 \*\/\}\n\s+<\/div>$/,
    );
    expect(b.startMarker.startLine).toBe(12);
    expect(b.visible).toBe(2);
    expect(b.variants.map((v) => v.hidden)).toEqual([true, false]);
    expect(b.variants[1].knobs.map((k) => k.id)).toEqual(['density', 'round']);
    expect(b.styles).toHaveLength(1);
  });

  it('reads an insert-mode block without an original', () => {
    const b = scanText(fixture('insert.html'), { path: 'insert.html' }).blocks[0];
    expect(b.mode).toBe('insert');
    expect(b.original).toBeNull();
    expect(b.foundCount).toBe(2);
  });

  it('reports a wrapper-less block as a warning and still reads its variants', () => {
    const text =
      '<!-- impeccable-variants-start w1 -->\n<div data-impeccable-variant="1"><p>a</p></div>\n<!-- impeccable-variants-end w1 -->';
    const scan = scanText(text, { path: 'a.html' });
    expect(scan.problems.map((p) => [p.code, p.severity])).toEqual([
      ['wrapper_missing', 'warning'],
      ['original_missing', 'warning'],
    ]);
    expect(scan.blocks[0].variants.map((v) => v.key)).toEqual([1]);
    expect(scan.blocks[0].range).toEqual({ start: 0, end: text.length, startLine: 1, endLine: 3 });
  });

  it('warns when the variants found differ from the declared count, and not before any is written', () => {
    const block = (variants: string) =>
      `<!-- impeccable-variants-start c1 -->\n<div data-impeccable-variants="c1" data-impeccable-variant-count="3" style="display: contents">\n<div data-impeccable-variant="original">o</div>\n${variants}</div>\n<!-- impeccable-variants-end c1 -->`;
    expect(scanText(block(''), { path: 'a.html' }).problems).toEqual([]);
    const scan = scanText(block('<div data-impeccable-variant="1">a</div>\n'), { path: 'a.html' });
    expect(scan.problems.map((p) => [p.code, p.message])).toEqual([
      ['count_mismatch', 'session c1 declares 3 variants and has 1'],
    ]);
  });

  it('flags a repeated variant number and a variant div left open as errors', () => {
    const dup =
      '<!-- impeccable-variants-start d1 -->\n<div data-impeccable-variants="d1"><div data-impeccable-variant="1">a</div><div data-impeccable-variant="1">b</div></div>\n<!-- impeccable-variants-end d1 -->';
    expect(scanText(dup, { path: 'a.html' }).problems.map((p) => p.code)).toEqual(['duplicate_variant']);
    const open =
      '{/* impeccable-variants-start d2 */}\n<div data-impeccable-variant="1"><div>\n{/* impeccable-variants-end d2 */}';
    const scan = scanText(open, { path: 'a.tsx' });
    expect(scan.problems.map((p) => [p.code, p.severity])).toEqual([
      ['wrapper_missing', 'warning'],
      ['variant_unclosed', 'error'],
    ]);
    expect(scan.blocks).toEqual([]);
  });

  it('reports invalid knob JSON and invalid session ids as warnings', () => {
    const text =
      '<!-- impeccable-variants-start k1 -->\n<div data-impeccable-variants="k1"><div data-impeccable-variant="original">o</div><div data-impeccable-variant="1" data-impeccable-params=\'[{"id":"x","kind":"dial"}]\'>a</div></div>\n<!-- impeccable-variants-end k1 -->\n<!-- impeccable-variants-start not.valid -->';
    const scan = scanText(text, { path: 'a.html' });
    expect(scan.problems.map((p) => [p.code, p.severity, p.line])).toEqual([
      ['invalid_params', 'warning', 2],
      ['invalid_session_id', 'warning', 4],
    ]);
  });

  it('reads carbonize blocks in both layouts with their param values and accepted variant', () => {
    const html = scanText(fixture('carbonized.html'), { path: 'carbonized.html' });
    expect(html.problems).toEqual([]);
    expect(
      html.carbonize.map((c) => [
        c.sessionId,
        c.flavour,
        c.accepted?.key,
        c.paramValues?.values,
        c.styles.length,
        c.range.startLine,
        c.range.endLine,
      ]),
    ).toEqual([['7c0ffee1', 'html', 1, { radius: 12 }, 1, 2, 14]]);
    const jsx = scanText(fixture('carbonized.tsx'), { path: 'carbonized.tsx' });
    const c = jsx.carbonize[0];
    expect([c.flavour, c.accepted?.key, c.paramValues?.values, c.outer?.startLine, c.outer?.endLine]).toEqual(
      ['jsx', 1, { headline: 1.2 }, 4, 18],
    );
    expect(jsx.paramValues).toHaveLength(1);
  });

  it('reports a param-values comment that is not a JSON object', () => {
    const scan = scanText('<!-- impeccable-param-values p1: {"a": -->', { path: 'a.html' });
    expect(scan.paramValues.map((p) => [p.sessionId, p.values, p.raw])).toEqual([['p1', null, '{"a":']]);
    expect(scan.problems.map((p) => p.code)).toEqual(['invalid_param_values']);
  });

  it('marks a file generated by header or by the caller, and every session in it as a problem', () => {
    const text = fixture('basic.html');
    expect(scanText(text, { path: 'basic.html', generated: true }).generatedReason).toBe('git ignores it');
    expect(
      scanText(text, { path: 'basic.html', generated: true }).problems.map((p) => [
        p.code,
        p.severity,
        p.sessionId,
        p.line,
      ]),
    ).toEqual([['markers_in_generated_file', 'error', '3f9a1c2e', 8]]);
    expect(scanText(`<!-- DO NOT EDIT -->\n${text}`, { path: 'basic.html' }).generatedReason).toBe(
      'its header says "DO NOT EDIT"',
    );
    expect(scanText(`${' '.repeat(300)}@generated\n${text}`, { path: 'basic.html' }).generated).toBe(false);
  });

  it('guesses JSX for unknown *x extensions and HTML otherwise', () => {
    expect(scanText('', { path: 'a.mdx' }).language.flavour).toBe('jsx');
    expect(scanText('', { path: 'a.php' }).language.flavour).toBe('html');
    expect(scanText('').language.ext).toBe('.html');
  });
});
