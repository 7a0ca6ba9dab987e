import { describe, expect, it } from 'vitest';
import { sanitizeLogLine, splitLogText, truncationMark } from '../../../src/core/agents';

const clean = (s: string, max = 4_000) => sanitizeLogLine(s, max);

describe('splitLogText', () => {
  it('splits at \\n, \\r\\n and a lone \\r; one trailing break adds no line', () => {
    expect(splitLogText('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLogText('a\n')).toEqual(['a']);
    expect(splitLogText('a\n\n')).toEqual(['a', '']);
    expect(splitLogText('')).toEqual(['']);
    expect(splitLogText('\n')).toEqual(['']);
  });
});

describe('sanitizeLogLine', () => {
  it('returns plain text, tabs and non-ASCII unchanged', () => {
    expect(clean('plain\ttext — ünïcode 😀 漢字')).toBe('plain\ttext — ünïcode 😀 漢字');
  });

  it('strips SGR colours, cursor moves and other CSI sequences', () => {
    expect(clean('\x1b[1;31merror\x1b[0m: \x1b[2Kbad')).toBe('error: bad');
    expect(clean('\x1b[?25lhidden cursor\x1b[?25h')).toBe('hidden cursor');
    expect(clean('\x9b31mC1 CSI\x9b0m')).toBe('C1 CSI');
  });

  it('strips OSC titles and hyperlinks terminated by BEL or ST, keeping the link text', () => {
    expect(clean('\x1b]0;window title\x07after')).toBe('after');
    expect(clean('\x1b]8;;https://x.test/\x1b\\link\x1b]8;;\x1b\\ text')).toBe('link text');
  });

  it('strips two- and three-byte escapes (ESC 7, ESC ( B)', () => {
    expect(clean('a\x1b7b\x1b(Bc')).toBe('abc');
  });

  it('shows a stray or unterminated ESC as ␛ and keeps the text after it', () => {
    expect(clean('end\x1b')).toBe('end␛');
    expect(clean('x\x1b]0;no terminator')).toBe('x␛]0;no terminator');
    expect(clean('\x1b[31')).toBe('␛[31');
  });

  it('replaces other control characters by visible placeholders', () => {
    expect(clean('a\x00b\x07c\x08d\x7fe')).toBe('a␀b␇c␈d␡e');
    expect(clean('c1\x85here\x9c')).toBe('c1\ufffdhere\ufffd');
  });

  it('neutralises bidi overrides and lone surrogates', () => {
    expect(clean('abc\u202edcba\u2066x\u2069')).toBe('abc\ufffddcba\ufffdx\ufffd');
    expect(clean('lone \ud800 high, lone \udc00 low')).toBe('lone \ufffd high, lone \ufffd low');
  });

  it('caps a long line at maxChars and marks how long it was', () => {
    const line = 'x'.repeat(5_000);
    expect(clean(line)).toBe('x'.repeat(4_000) + truncationMark(5_000));
    expect(clean('x'.repeat(4_000))).toBe('x'.repeat(4_000));
  });

  it('counts the cap after sanitising and never splits a surrogate pair', () => {
    expect(clean('\x1b[31m' + 'y'.repeat(10), 10)).toBe('y'.repeat(10));
    expect(clean('abcd😀', 5)).toBe('abcd' + truncationMark(6));
  });

  it('stays linear on a line of many unterminated OSC introducers', () => {
    const hostile = '\x1b]'.repeat(200_000);
    const start = performance.now();
    const out = clean(hostile);
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(out.startsWith('␛]␛]')).toBe(true);
    expect(out.endsWith(truncationMark(hostile.length))).toBe(true);
  });
});
