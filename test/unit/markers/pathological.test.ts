// Inputs that once made a scan or a wrap quadratic: each must stay far below a second. The budgets are
// generous (the quadratic versions took tens of seconds on these sizes).
import { describe, expect, it } from 'vitest';
import { scanText } from '../../../src/core/markers/scan';
import { completionFindings } from '../../../src/core/rewrite/completion';
import { wrapElement } from '../../../src/core/rewrite/wrap';

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const filler = `${'x'.repeat(100)}\n`;

describe('pathological marker files', () => {
  it('many start markers without ends report one problem each, not one per pair', () => {
    const text = Array.from(
      { length: 3000 },
      (_, i) => `<!-- impeccable-variants-start id${i} -->\n${filler}`,
    ).join('');
    let problems = 0;
    expect(timed(() => (problems = scanText(text, { path: 'a.html' }).problems.length))).toBeLessThan(3000);
    // 2999 "starts inside", 2999 "contains", 3000 "no end marker".
    expect(problems).toBe(8998);
  });

  it('many unclosed carbonize wrappers are read in linear time', () => {
    const text = Array.from(
      { length: 2000 },
      (_, i) =>
        `<div data-impeccable-carbonize="c${i}">\n{/* impeccable-carbonize-start c${i} */}\n{/* impeccable-carbonize-end c${i} */}\n<div data-impeccable-variant="1">${filler}`,
    ).join('');
    expect(timed(() => scanText(text, { path: 'a.tsx' }))).toBeLessThan(3000);
    expect(timed(() => completionFindings(text, 'c1'))).toBeLessThan(3000);
  });

  it('deeply nested blocks are not re-read once per level', () => {
    const n = 1500;
    const text =
      Array.from(
        { length: n },
        (_, i) => `<!-- impeccable-variants-start n${i} -->\n<div data-impeccable-variants="n${i}">\n`,
      ).join('') +
      Array.from({ length: n }, (_, i) => `</div>\n<!-- impeccable-variants-end n${n - 1 - i} -->\n`).join(
        '',
      );
    let blocks = 0;
    expect(timed(() => (blocks = scanText(text, { path: 'a.html' }).blocks.length))).toBeLessThan(3000);
    expect(blocks).toBe(1);
  });

  it('a wrap among thousands of unclosed matching tags pairs every tag in one pass', () => {
    const text = '<div class="card">hello world here\n'.repeat(20_000);
    expect(
      timed(() => {
        try {
          wrapElement(text, {
            path: 'a.html',
            sessionId: 'abcd1234',
            count: 2,
            element: { classes: ['card'] },
          });
        } catch {
          // element_not_found is the expected outcome; only the time matters here.
        }
      }),
    ).toBeLessThan(3000);
  });
});
