import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimalChange } from '../../../src/extension/textDiff';

function apply(text: string, c: { start: number; end: number; text: string }): string {
  return text.slice(0, c.start) + c.text + text.slice(c.end);
}

describe('minimalChange', () => {
  it('replaces only the differing middle', () => {
    expect(minimalChange('one two three', 'one 2 three')).toEqual({ start: 4, end: 7, text: '2' });
    expect(minimalChange('<p>a</p>', '<p>a</p>\n<p>b</p>')).toEqual({ start: 8, end: 8, text: '\n<p>b</p>' });
    expect(minimalChange('abc', 'abc')).toEqual({ start: 3, end: 3, text: '' });
  });

  it('never splits a surrogate pair', () => {
    const c = minimalChange('a😀b', 'a😁b');
    expect(c).toEqual({ start: 1, end: 3, text: '😁' });
  });

  it('always turns before into after', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(apply(a, minimalChange(a, b))).toBe(b);
      }),
    );
  });
});
