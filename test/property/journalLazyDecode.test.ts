// The fast paths of recovery (canonical lines checked by their bytes and built on first read, or built at
// once parsing only their data; the journal read from a file in chunks that cut lines anywhere) against
// the reference (every line parsed with JSON.parse at once), on random journals that mix canonical lines,
// valid lines in other spellings, lines whose CRC is valid but whose JSON is not, garbage, flipped bytes and
// damaged newlines: records (and the bytes they re-encode to), ends, crcs, diagnostics, torn tail, valid
// length, max seq and the eventId lookups (before and after the records are built) are identical.
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/core/journal/recordCodec';
import { type RecoveredJournal, type RecoverOptions, recoverJournal } from '../../src/core/journal/recover';
import { recoverJournalFile } from '../../src/core/journal/recoverFile';
import type { JournalRecord } from '../../src/core/journal/types';
import { recoverySummary } from '../unit/journal/recoverySummary';
import { memoryFs } from '../unit/journal/testFs';

const LAZY: RecoverOptions = { lazyUpTo: Number.POSITIVE_INFINITY };
const EAGER: RecoverOptions = { reference: true };
const FAST: RecoverOptions = {};
const framed = (body: string) =>
  `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}\n`;

const record = fc.record({
  seqStep: fc.integer({ min: -1, max: 3 }),
  id: fc.nat(12),
  type: fc.constantFrom('t', 'browser.checkpoint', 'tÿpe'),
  at: fc.constantFrom('2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.001Z', 'x'),
  data: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
});

const segment = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('canonical' as const), record }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('respelled' as const),
      record,
      how: fc.constantFrom('spaces', 'escapedId', 'escapedData'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('badJson' as const),
      record,
      at: fc.nat(),
      byte: fc.constantFrom(...Buffer.from('{}[]:,"\\ 0-.etx'), 0x01, 0xff),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 30 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('flipped' as const),
      record,
      at: fc.nat(),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'joinNext' as const }) },
);

type Segment = typeof segment extends fc.Arbitrary<infer T> ? T : never;

function build(segments: Segment[]): Buffer {
  let text = Buffer.alloc(0);
  let seq = 0;
  const body = (r: {
    seqStep: number;
    id: number;
    type: string;
    at: string;
    data: Record<string, unknown>;
  }) => {
    seq = Math.max(1, seq + r.seqStep);
    const { line } = encodeRecord({ v: 1, seq, eventId: `e${r.id}`, type: r.type, at: r.at, data: r.data });
    return line.slice(0, line.indexOf(',"crc":"')) + '}';
  };
  const add = (bytes: Buffer | string) => {
    text = Buffer.concat([text, typeof bytes === 'string' ? Buffer.from(bytes) : bytes]);
  };
  for (const s of segments) {
    if (s.kind === 'garbage') add(Buffer.from(s.bytes));
    else if (s.kind === 'joinNext') {
      // The newline that ended the previous line becomes a space: two records on one line.
      if (text.length > 0 && text[text.length - 1] === 0x0a) text[text.length - 1] = 0x20;
    } else if (s.kind === 'canonical') add(framed(body(s.record)));
    else if (s.kind === 'respelled') {
      const b = body(s.record);
      const respelled =
        s.how === 'spaces'
          ? b.replace(/,"(v|seq|eventId|type|at|data)":/g, ', "$1" :')
          : s.how === 'escapedId'
            ? b.replace('"eventId":"e', '"eventId":"\\u0065')
            : b.replace(/"data":\{(\}?)/, (_, empty: string) => `"data":{"\\u00fc\\n":"\\""${empty || ','}`);
      add(framed(respelled));
    } else if (s.kind === 'badJson') {
      const b = Buffer.from(body(s.record));
      const dataStart = b.indexOf('"data":') + 7;
      const at = dataStart + (s.at % (b.length - 1 - dataStart));
      b[at] = s.byte;
      add(framed(b.toString('latin1')));
    } else {
      const line = Buffer.from(framed(body(s.record)));
      line[s.at % (line.length - 1)] ^= s.mask;
      add(line);
    }
  }
  return text;
}

/** Every eventId the generator can write (and spellings it cannot), looked up before and after building. */
const probeIds = [...Array.from({ length: 13 }, (_, i) => `e${i}`), 'e', 'x', 'e10 ', ''];

function outcome(buf: Buffer, opts: RecoverOptions) {
  return summary(recoverJournal(buf, 's', opts));
}

function summary(out: RecoveredJournal) {
  return recoverySummary(out, probeIds);
}

describe('recovery: fast paths against the JSON.parse reference', () => {
  it('finds exactly the same on random journals (1,500 runs)', () => {
    let lazyLines = 0;
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 20 }), fc.nat(), (segments, cut) => {
        const buf = build(segments);
        lazyLines += recoverJournal(buf, 's', LAZY).recordList.unbuiltCount;
        const reference = outcome(buf, EAGER);
        const lazy = outcome(buf, LAZY);
        expect(lazy).toEqual(reference);
        expect(outcome(buf, FAST)).toEqual(reference);
        // Lazy up to any byte, built at once after it.
        expect(outcome(buf, { lazyUpTo: cut % (buf.length + 1) })).toEqual(reference);
        expect(lazy.lookups).toEqual(probeIds.map((id) => lazy.records.findIndex((r) => r.eventId === id)));
      }),
      { numRuns: 1500, seed: 21 },
    );
    // The fast path was taken (the comparison would be vacuous otherwise).
    expect(lazyLines).toBeGreaterThan(1000);
  });

  it('reads a file in chunks of any size, lazy and replayed from any byte, as the whole buffer (500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 20 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        fc.option(fc.nat()),
        fc.nat(),
        async (segments, chunkBytes, lazyCut, limitCut, replayCut, onDiskCut) => {
          const buf = build(segments);
          const fs = memoryFs();
          await fs.mkdir('/j');
          fs.put('/j/s.jsonl', buf);
          const lazyUpTo = lazyCut % (buf.length + 1);
          const limit = limitCut % (buf.length + 2);
          const from = replayCut === null ? undefined : replayCut % (buf.length + 1);
          const visited: JournalRecord[] = [];
          const read = await recoverJournalFile(fs, '/j/s.jsonl', 's', {
            chunkBytes,
            lazyUpTo,
            limit,
            withCutBytes: true,
            onDiskFromBytes: onDiskCut % (buf.length + 2),
            replay: from === undefined ? undefined : { from, visit: (r) => visited.push(r) },
          });
          const within = buf.subarray(0, Math.min(limit, buf.length));
          const reference = recoverJournal(within, 's', EAGER);
          const streamed = read === undefined ? [] : [...read.recovered.recordList.iterate()];
          expect(streamed).toEqual(reference.records);
          if (from !== undefined) {
            expect(visited).toEqual(reference.records.filter((_, i) => reference.ends[i] > from));
          }
          expect(read && summary(read.recovered)).toEqual(summary(reference));
          const cutAt = read?.recovered.torn?.offset ?? within.length;
          expect(read?.cut?.bytes).toEqual(cutAt < buf.length ? buf.subarray(cutAt) : undefined);
          await read?.recovered.recordList.close();
        },
      ),
      { numRuns: 500, seed: 22 },
    );
  });
});
