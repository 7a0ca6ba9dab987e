import { describe, expect, it } from 'vitest';
import { NdjsonSplitter } from '../../../src/extension/ndjson';

describe('NdjsonSplitter', () => {
  it('returns each complete record of a chunk', () => {
    expect(new NdjsonSplitter().push('{"a":1}\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps a record split across chunks until its newline arrives', () => {
    const s = new NdjsonSplitter();
    expect(s.push('{"type":"li')).toEqual([]);
    expect(s.push('ne","seq":1}\n{"seq"')).toEqual([{ type: 'line', seq: 1 }]);
    expect(s.push(':2}\n')).toEqual([{ seq: 2 }]);
  });

  it('skips blank lines and lines that are not JSON', () => {
    expect(new NdjsonSplitter().push('\n  \nnot json\n{"ok":true}\r\n')).toEqual([{ ok: true }]);
  });

  it('drops a line longer than the limit whole, even across chunks, and reads the next one', () => {
    const s = new NdjsonSplitter(10);
    expect(s.push('{"x":"aaaaaaaaaaaaaaaa')).toEqual([]);
    expect(s.push('aaaa"}\n{"y":1}\n')).toEqual([{ y: 1 }]);
    expect(s.push('{"zzzzzzzzzz":1}\n{"w":2}\n')).toEqual([{ w: 2 }]);
  });
});
