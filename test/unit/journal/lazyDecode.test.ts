// Recovery checks canonical lines by their bytes and keeps them as bytes up to `lazyUpTo` (built on first
// read), builds later canonical lines at once parsing only their data, and parses every other line whole.
// Each path must give exactly what decoding every line with JSON.parse (the `reference` decode) gives.
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { encodeRecord } from '../../../src/core/journal/recordCodec';
import { crc32AppendByte } from '../../../src/core/journal/recordFrame';
import { type RecoverOptions, recoverJournal } from '../../../src/core/journal/recover';
import { buildSnapshot, matchSnapshot } from '../../../src/core/journal/snapshot';
import type { JournalRecord } from '../../../src/core/journal/types';
import { recoverySummary } from './recoverySummary';
import { cleanupTempDirs, makeTempDir, seededRandom } from './testFs';

afterEach(cleanupTempDirs);

const rec = (seq: number, data: Record<string, unknown> = { seq }, over: Partial<JournalRecord> = {}) =>
  ({
    v: 1,
    seq,
    eventId: `e${seq}`,
    type: 't',
    at: '2025-01-01T00:00:00.000Z',
    data,
    ...over,
  }) as JournalRecord;
const line = (r: JournalRecord) => encodeRecord(r).line;
/** A line whose CRC is valid for its own bytes, whatever the body says. */
/** Every line lazily (byte-checked, built on read); the JSON.parse reference; canonical lines built at once. */
const LAZY: RecoverOptions = { lazyUpTo: Number.POSITIVE_INFINITY };
const EAGER: RecoverOptions = { reference: true };
const FAST: RecoverOptions = {};
const framed = (body: string) =>
  `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}\n`;

/** Every eventId the tests below write (and one they do not), looked up before and after building. */
const probeIds = [
  'e1',
  'e2',
  'e3',
  'e4',
  'e5',
  'e6',
  'e7',
  'e9',
  'café',
  'b7f3c2d1-00000001-4a5e-9c1f-checkpoint',
];

function outcome(buf: Buffer, opts: RecoverOptions) {
  return recoverySummary(recoverJournal(buf, 's', opts), probeIds);
}

describe('lazy decode of canonical lines', () => {
  it('builds records identical to the eager decode, down to the bytes they re-encode to', () => {
    const records = [
      rec(1, { text: 'héllo "q"\n\t\\ ✓ 😀', list: [1, -2.5, 1e21, 5e-324, null, true, false, [], {}] }),
      rec(2, {}),
      rec(3, JSON.parse('{"__proto__":{"polluted":true},"constructor":1}')),
      rec(4, { nested: { deeper: { deepest: ['a', { b: 'c' }] } }, '': 'empty key', ü: 'ü' }),
      rec(5, { n: 1 }, { type: 'browser.checkpoint', at: '2025-06-07T08:09:10.123Z' }),
      rec(9, { n: 2 }, { eventId: 'b7f3c2d1-00000001-4a5e-9c1f-checkpoint' }),
    ];
    const lines = records.map(line);
    const buf = Buffer.from(lines.join(''));
    const lazy = recoverJournal(buf, 's', LAZY);
    expect(lazy.recordList.unbuiltCount).toBe(records.length);
    expect(lazy.records).toEqual(records);
    expect(lazy.recordList.unbuiltCount).toBe(0);
    expect(lazy.records.map(line)).toEqual(lines);
    expect(Object.hasOwn(lazy.records[2].data, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(lazy.records[2].data)).toBe(Object.prototype);
    expect(outcome(buf, LAZY)).toEqual(outcome(buf, EAGER));
    expect(outcome(buf, FAST)).toEqual(outcome(buf, EAGER));
  });

  it('keeps the lines that end by lazyUpTo as bytes, and builds the later ones at once', () => {
    const lines = [rec(1), rec(2), rec(3)].map(line);
    const buf = Buffer.from(lines.join(''));
    const unbuilt = (lazyUpTo: number) => recoverJournal(buf, 's', { lazyUpTo }).recordList.unbuiltCount;
    expect(unbuilt(buf.length)).toBe(3);
    expect(unbuilt(lines[0].length + lines[1].length)).toBe(2);
    expect(unbuilt(lines[0].length + lines[1].length - 1)).toBe(1);
    expect(unbuilt(0)).toBe(0);
    expect(recoverJournal(buf, 's').recordList.unbuiltCount).toBe(0);
    expect(recoverJournal(buf, 's', { lazyUpTo: buf.length, reference: true }).recordList.unbuiltCount).toBe(
      0,
    );
  });

  it('keeps records with alternating type and time of the same length apart', () => {
    const records = Array.from({ length: 6 }, (_, i) =>
      rec(
        i + 1,
        { i },
        { type: i % 2 ? 'tA' : 'tB', at: i % 3 ? '2025-01-01T00:00:00.001Z' : '2025-01-01T00:00:00.002Z' },
      ),
    );
    const out = recoverJournal(Buffer.from(records.map(line).join('')), 's', LAZY);
    expect(out.records).toEqual(records);
  });

  it('reports a line whose CRC is valid but whose data is not JSON, once, with line and byte offset', () => {
    const l1 = line(rec(1));
    const prefix = '{"v":1,"seq":2,"eventId":"e2","type":"t","at":"a","data":';
    const bad = ['{"a":}', '{"a":01}', '{"a":"x\u0001"}', '{"a":tru}', '{"a":1,}', '{"a" 1}', '{"a":[1}'];
    const badLines = bad.map((data) => framed(`${prefix}${data}}`));
    const l9 = line(rec(9));
    const text = l1 + badLines.join('') + l9;
    for (const opts of [LAZY, EAGER, FAST]) {
      const out = recoverJournal(Buffer.from(text), 's', opts);
      expect(out.records.map((r) => r.seq)).toEqual([1, 9]);
      let offset = l1.length;
      expect(out.diagnostics).toEqual(
        badLines.map((l, i) => {
          const d = {
            code: 'corrupt_line_skipped',
            sessionId: 's',
            line: i + 2,
            offset,
            message: `Line ${i + 2} at byte ${offset}: not valid JSON; skipped.`,
          };
          offset += l.length;
          return d;
        }),
      );
    }
  });

  it('parses valid lines that are not canonical at once, with the same result as the eager decode', () => {
    const lines = [
      line(rec(1)),
      framed('{"v":1, "seq":2, "eventId":"e2", "type":"t", "at":"a", "data":{ "x" : 1 } }'),
      framed('{"v":1,"seq":3,"eventId":"caf\\u00e9","type":"t","at":"a","data":{}}'),
      framed('{"v":1,"seq":4,"eventId":"e4","type":"tÿpe","at":"a","data":{}}'),
      framed('{"v":1,"seq":1234567890123456,"eventId":"e5","type":"t","at":"a","data":{}}'),
      framed('{"v":1,"v":1,"seq":1234567890123457,"eventId":"e6","type":"t","at":"a","data":{}}'),
      framed('{"v":1.0,"seq":1234567890123458,"eventId":"e7","type":"t","at":"a","data":{}}'),
    ];
    const buf = Buffer.from(lines.join(''));
    const lazy = recoverJournal(buf, 's', LAZY);
    expect(lazy.recordList.unbuiltCount).toBe(1);
    expect(lazy.records.map((r) => [r.seq, r.eventId, r.type, r.data])).toEqual([
      [1, 'e1', 't', { seq: 1 }],
      [2, 'e2', 't', { x: 1 }],
      [3, 'café', 't', {}],
      [4, 'e4', 'tÿpe', {}],
      [1234567890123456, 'e5', 't', {}],
      [1234567890123457, 'e6', 't', {}],
      [1234567890123458, 'e7', 't', {}],
    ]);
    expect(lazy.diagnostics).toEqual([]);
    expect(outcome(buf, LAZY)).toEqual(outcome(buf, EAGER));
    expect(outcome(buf, FAST)).toEqual(outcome(buf, EAGER));
  });

  it('detects a repeated eventId across a canonical line and an escaped spelling of the same id', () => {
    const l1 = line(rec(1, {}, { eventId: 'e2' }));
    const escaped = framed('{"v":1,"seq":2,"eventId":"e\\u0032","type":"t","at":"a","data":{}}');
    const l3 = line(rec(3));
    const buf = Buffer.from(l1 + escaped + l3);
    const out = recoverJournal(buf, 's', LAZY);
    expect(out.records.map((r) => r.seq)).toEqual([1, 3]);
    expect(out.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, `Line 2 at byte ${l1.length}: eventId "e2" repeats seq 1; skipped.`],
    ]);
    expect(outcome(buf, LAZY)).toEqual(outcome(buf, EAGER));
    expect(outcome(buf, FAST)).toEqual(outcome(buf, EAGER));
  });

  it('builds only the records after a matching snapshot', () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(i + 1));
    const buf = Buffer.from(records.map(line).join(''));
    const eager = recoverJournal(buf, 's', EAGER);
    const view = (r: ReturnType<typeof recoverJournal>) => ({
      sessionId: 's',
      records: r.recordList,
      byteLength: r.validLength,
      diagnostics: r.diagnostics,
    });
    const snapshot = buildSnapshot(view(eager), { upTo: 90 }, 90);
    const lazy = recoverJournal(buf, 's', LAZY);
    const read = matchSnapshot(Buffer.from(JSON.stringify(snapshot)), view(lazy));
    expect(read.snapshot).toEqual(snapshot);
    expect(read.tail).toEqual(records.slice(90));
    expect(lazy.recordList.unbuiltCount).toBe(90);
    expect(lazy.records).toEqual(records);
  });

  it('gives the same records after a reopen, before and after appends, in one array that grows', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    for (let i = 0; i < 5; i++) await j.append({ eventId: `a${i}`, type: 't', data: { i, s: 'ü' } });
    const written = [...j.records];
    await jd.close();

    const jd2 = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const j2 = await jd2.openSession('s1');
    expect(j2.lastSeq).toBe(5);
    expect(await j2.append({ eventId: 'a0', type: 't', data: {} })).toEqual({ seq: 1, duplicate: true });
    const records = j2.records;
    expect(records).toEqual(written);
    await j2.append({ eventId: 'b', type: 't', data: { more: true } });
    expect(j2.records).toBe(records);
    expect(records.map((r) => r.eventId)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b']);
    await jd2.close();
  });
});

describe('crc32AppendByte', () => {
  it('equals zlib.crc32 of the bytes followed by one more byte, for every byte value', () => {
    const rand = seededRandom(5);
    for (let byte = 0; byte < 256; byte++) {
      const prefix = Buffer.from(Array.from({ length: byte % 40 }, () => Math.floor(rand() * 256)));
      expect(crc32AppendByte(crc32(prefix), byte)).toBe(crc32(Buffer.concat([prefix, Buffer.from([byte])])));
    }
  });
});
