import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../../src/core/journal/recordCodec';
import { crc32Range } from '../../../src/core/journal/recordFrame';
import type { JournalRecord } from '../../../src/core/journal/types';

const record: JournalRecord = {
  v: 1,
  seq: 7,
  eventId: 'ev-7',
  type: 'browser.checkpoint',
  at: '2025-01-01T00:00:00.000Z',
  data: { text: 'héllo "q"\n', list: [1, 2.5, null], nested: { ok: true } },
};

describe('record codec', () => {
  it('reads the example line of docs/journal-format.md', () => {
    const doc = readFileSync(new URL('../../../docs/journal-format.md', import.meta.url), 'utf8');
    const example = doc.split('\n').find((l) => l.startsWith('{"v":1,"seq":1,"eventId":"e1"'))!;
    const buf = Buffer.from(example);
    expect(decodeRecord(buf, 0, buf.length)).toMatchObject({ ok: true, record: { seq: 1, data: { n: 1 } } });
  });

  it('encodes keys in the fixed order with the crc of the record JSON appended last', () => {
    const { line, crc } = encodeRecord(record);
    const body = JSON.stringify(record);
    expect(crc).toBe(crc32(body).toString(16).padStart(8, '0'));
    expect(line).toBe(`${body.slice(0, -1)},"crc":"${crc}"}\n`);
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('decodes its own lines back to the same record', () => {
    const buf = Buffer.from(encodeRecord(record).line);
    const decoded = decodeRecord(buf, 0, buf.length - 1);
    expect(decoded).toEqual({ ok: true, record, crc: encodeRecord(record).crc });
  });

  it('detects every single-byte change of a line', () => {
    const buf = Buffer.from(encodeRecord(record).line);
    let accepted = 0;
    for (let i = 0; i < buf.length - 1; i++) {
      for (const mask of [0x01, 0x20, 0x80, 0xff]) {
        const copy = Buffer.from(buf);
        copy[i] ^= mask;
        if (decodeRecord(copy, 0, copy.length - 1).ok) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it('refuses an uppercase crc and a line with no crc field', () => {
    const line = encodeRecord(record).line.trimEnd();
    const upper = Buffer.from(
      line.replace(/"crc":"([0-9a-f]{8})"/, (_, h: string) => `"crc":"${h.toUpperCase()}"`),
    );
    expect(decodeRecord(upper, 0, upper.length)).toMatchObject({ ok: false });
    const bare = Buffer.from(JSON.stringify(record));
    expect(decodeRecord(bare, 0, bare.length)).toEqual({
      ok: false,
      reason: 'no crc field at the end of the line',
    });
  });
});

describe('crc32Range', () => {
  it('equals zlib.crc32 over every length 0..64 and every start alignment', () => {
    const bytes = Buffer.from(Array.from({ length: 80 }, (_, i) => (i * 131 + 7) & 0xff));
    for (let start = 0; start < 8; start++) {
      for (let length = 0; length <= 64; length++) {
        const end = start + length;
        expect(crc32Range(bytes, start, end)).toBe(crc32(bytes.subarray(start, end)));
      }
    }
  });
});
