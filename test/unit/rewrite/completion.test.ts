import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completionFindings } from '../../../src/core/rewrite/completion';

const fixture = (f: string) => readFileSync(join(__dirname, '../../fixtures/markers', f), 'utf8');

describe('completionFindings', () => {
  it('is empty for a clean file', () => {
    expect(completionFindings('<main><p class="x">done</p></main>', 'abcd1234')).toEqual([]);
  });

  it('lists every leftover of a carbonized session with line, excerpt and why', () => {
    const found = completionFindings(fixture('carbonized.html'), '7c0ffee1', { path: 'carbonized.html' });
    expect(found.map((f) => [f.marker, f.line, f.why])).toEqual([
      ['impeccable-carbonize-start 7c0ffee1', 2, 'carbonize block not rewritten into permanent form'],
      ['data-impeccable-css="7c0ffee1"', 3, 'live-mode attribute of this session left on markup'],
      ['data-impeccable-variant', 4, 'live-mode attribute left on markup (not inside another live session)'],
      ['var(--p-radius)', 5, 'preview parameter variable still used'],
      ['impeccable-param-values 7c0ffee1', 8, 'param-values comment not baked in and removed'],
      ['impeccable-carbonize-end 7c0ffee1', 9, 'carbonize block not rewritten into permanent form'],
      ['data-impeccable-variant', 10, 'live-mode attribute left on markup (not inside another live session)'],
      ['--p-radius', 10, 'preview parameter variable still set'],
    ]);
    expect(found[0].excerpt).toBe('<!-- impeccable-carbonize-start 7c0ffee1 -->');
  });

  it('does not blame this session for another live session’s block', () => {
    const text = fixture('two-sessions.html');
    const forA = completionFindings(text, 'aaaa1111');
    expect(forA.map((f) => f.line)).toEqual([2, 3, 3, 5, 9, 12, 16]);
    expect(forA[0].marker).toBe('impeccable-variants-start aaaa1111');
    expect(completionFindings(text, 'cccc3333')).toEqual([]);
  });

  it('finds knob leftovers by the ids the journal passes, also in a stylesheet-like text', () => {
    const text = '.plan { padding: var( --p-density-gap, 4px); }\n<div data-p-tone="cool" data-p-toner="x">';
    expect(
      completionFindings(text, 'abcd1234', { knobIds: ['tone', 'density-gap'] }).map((f) => f.marker),
    ).toEqual(['var(--p-density-gap)', 'data-p-tone']);
    expect(completionFindings(text, 'abcd1234')).toEqual([]);
  });

  it('finds markers in any comment syntax or string, and shortens long excerpts around the match', () => {
    const text = `const s = "${'x'.repeat(300)} impeccable-variants-end abcd1234 ${'y'.repeat(300)}";`;
    const [f] = completionFindings(text, 'abcd1234');
    expect(f.marker).toBe('impeccable-variants-end abcd1234');
    expect(f.excerpt.startsWith('…')).toBe(true);
    expect(f.excerpt.endsWith('…')).toBe(true);
    expect(f.excerpt).toContain('impeccable-variants-end abcd1234');
    expect(f.excerpt.length).toBeLessThanOrEqual(162);
  });

  it('does not match a longer session id that starts with this one', () => {
    expect(completionFindings('<!-- impeccable-variants-start abcd12345 -->', 'abcd1234')).toEqual([]);
  });
});
