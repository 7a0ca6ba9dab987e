import { describe, expect, it } from 'vitest';
import { EventIdTable } from '../../../src/core/journal/eventIdTable';

/** Keys as the journal holds them: some as byte ranges of one buffer, some as strings (built records). */
function setup(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `evt-${i.toString(36)}-${(i * 7919) % 1000}`);
  const text = ids.join('|');
  const bytes = Buffer.from(text);
  const ranges: [number, number][] = [];
  for (let i = 0, at = 0; i < ids.length; i++) {
    ranges.push([at, at + ids[i].length]);
    at += ids[i].length + 1;
  }
  const strings: (string | undefined)[] = [];
  const table = new EventIdTable({ stringKey: (i) => strings[i] }, 4);
  const addBytes = (i: number, [start, end]: [number, number]) => table.addBytes(i, bytes, start, end);
  return { ids, ranges, strings, table, addBytes, bytes };
}

describe('EventIdTable', () => {
  it('finds every key, byte or string, through many growths, and nothing else', () => {
    const { ids, ranges, strings, table, addBytes } = setup(5000);
    ids.forEach((id, i) => {
      if (i % 3 === 0) {
        strings[i] = id;
        expect(table.add(i, id)).toBe(-1);
      } else {
        expect(addBytes(i, ranges[i])).toBe(-1);
      }
    });
    ids.forEach((id, i) => {
      expect(table.find(id)).toBe(i);
    });
    for (const absent of ['', 'evt', 'evt-0-', `${ids[1]}x`, ids[1].slice(0, -1), 'evt-1-7919']) {
      expect(table.find(absent)).toBe(-1);
    }
  });

  it('refuses a second record with a key either kind already holds, naming the holder', () => {
    const { ids, ranges, strings, table, addBytes } = setup(4);
    strings[0] = ids[0];
    table.add(0, ids[0]);
    addBytes(1, ranges[1]);
    expect(table.add(2, ids[1])).toBe(1); // a string meeting a byte key
    expect(addBytes(2, ranges[0])).toBe(0); // a byte key meeting a string
    expect(addBytes(2, ranges[1])).toBe(1); // bytes meeting bytes
    expect(table.add(2, ids[0])).toBe(0); // strings meeting strings
    expect(table.add(2, 'évt-new')).toBe(-1);
    strings[2] = 'évt-new';
    expect(table.find('évt-new')).toBe(2);
  });

  it('makes a byte key into its string, and needs no bytes once every key is a string', () => {
    const { ids, ranges, strings, table, addBytes, bytes } = setup(50);
    ids.forEach((_, i) => {
      addBytes(i, ranges[i]);
    });
    bytes.fill(0); // the table keeps its own copy: the caller's buffer may change
    ids.forEach((id, i) => {
      expect(table.bytesKey(i)).toBe(id);
      strings[i] = table.bytesKey(i);
    });
    table.releaseBytes();
    ids.forEach((id, i) => {
      expect(table.find(id)).toBe(i);
    });
    expect(table.add(50, ids[7])).toBe(7);
  });
});
