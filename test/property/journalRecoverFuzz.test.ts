// Recovery on arbitrary mixes of valid lines, garbage and mutated lines: never throws, never invents a
// record (each one is literally in the input just before its terminator), keeps seq increasing and eventIds
// unique, reports at most one torn tail and keeps everything before it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/core/journal/recordCodec';
import { recoverJournal } from '../../src/core/journal/recover';

const segment = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('line' as const),
      seqStep: fc.integer({ min: 0, max: 3 }),
      id: fc.nat(30),
      data: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 40 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      at: fc.nat(),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  },
);

type Segment = typeof segment extends fc.Arbitrary<infer T> ? T : never;

function build(segments: Segment[]): Buffer {
  const parts: Buffer[] = [];
  let seq = 0;
  for (const s of segments) {
    if (s.kind === 'garbage') {
      parts.push(Buffer.from(s.bytes));
      continue;
    }
    let data: Record<string, unknown> = { n: parts.length };
    if (s.kind === 'line') {
      seq += s.seqStep;
      const v = s.data;
      data =
        typeof v === 'object' && v !== null && !Array.isArray(v)
          ? (v as Record<string, unknown>)
          : { value: v };
    } else {
      seq += 1;
    }
    const eventId = s.kind === 'line' ? `e${s.id}` : `m${seq}`;
    const line = Buffer.from(
      encodeRecord({ v: 1, seq: Math.max(seq, 1), eventId, type: 't', at: 'x', data }).line,
    );
    if (s.kind === 'mutated') line[s.at % line.length] ^= s.mask;
    parts.push(line);
  }
  return Buffer.concat(parts);
}

describe('recoverJournal on arbitrary input', () => {
  it('never throws, never invents records, keeps its invariants (2,000 runs)', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 25 }), (segments) => {
        const buf = build(segments);
        const out = recoverJournal(buf, 's');
        const ids = new Set<string>();
        let lastSeq = 0;
        let lastEnd = 0;
        out.records.forEach((r, i) => {
          expect(r.seq).toBeGreaterThan(lastSeq);
          expect(ids.has(r.eventId)).toBe(false);
          ids.add(r.eventId);
          const text = Buffer.from(encodeRecord(r).line.slice(0, -1));
          const end = out.ends[i] - 1;
          expect(buf.subarray(end - text.length, end).equals(text)).toBe(true);
          expect(out.ends[i]).toBeGreaterThan(lastEnd);
          expect(out.ends[i]).toBeLessThanOrEqual(out.validLength);
          lastSeq = r.seq;
          lastEnd = out.ends[i];
        });
        const torn = out.diagnostics.filter((d) => d.code === 'torn_tail_truncated');
        expect(torn.length).toBeLessThanOrEqual(1);
        expect(out.validLength).toBe(out.torn === undefined ? buf.length : out.torn.offset);
        if (out.torn) {
          const nl = buf.indexOf(10, out.torn.offset); // the torn region is the last line only
          expect(nl === -1 || nl === buf.length - 1).toBe(true);
        }
        expect(out.maxSeq).toBe(lastSeq);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
