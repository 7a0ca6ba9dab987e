// 20,000 random single-byte flips (seeded): no modified record is ever accepted, every record the flip did
// not touch is still recovered, never an exception, at most one torn-tail diagnostic. In memory through
// recoverJournal, then a sample through the real file path (open for writing, then append).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../src/core/journal/journalDir';
import { encodeRecord } from '../../src/core/journal/recordCodec';
import { recoverJournal } from '../../src/core/journal/recover';
import type { JournalRecord } from '../../src/core/journal/types';
import { cleanupTempDirs, makeTempDir, seededRandom } from '../unit/journal/testFs';

afterAll(cleanupTempDirs);

const records: JournalRecord[] = Array.from({ length: 30 }, (_, i) => ({
  v: 1,
  seq: i + 1,
  eventId: `evt-${i + 1}`,
  type: 'checkpoint',
  at: '2025-01-01T00:00:00.000Z',
  data: i % 5 === 0 ? { note: 'ü✓', copy: { v: 1, seq: 99 } } : { i },
}));
const lines = records.map((r) => encodeRecord(r).line);
const full = Buffer.from(lines.join(''));
const starts: number[] = [];
for (let i = 0, at = 0; i < lines.length; i++) {
  starts.push(at);
  at += Buffer.byteLength(lines[i]);
}
/** Index of the record whose bytes (newline included) contain offset p. */
const damagedIndex = (p: number) => {
  let i = starts.length - 1;
  while (starts[i] > p) i--;
  return i;
};

interface Flip {
  at: number;
  mask: number;
}
function flips(count: number, seed: number): Flip[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    at: Math.floor(rand() * full.length),
    mask: 1 + Math.floor(rand() * 255),
  }));
}
const apply = ({ at, mask }: Flip) => {
  const copy = Buffer.from(full);
  copy[at] ^= mask;
  return copy;
};

/** Problems with one recovery of a flipped buffer (empty when it behaves). */
function judge(flip: Flip, got: readonly JournalRecord[], tornCount: number): string[] {
  const problems: string[] = [];
  const damaged = damagedIndex(flip.at);
  const bySeq = new Map(got.map((r) => [r.seq, r]));
  for (const r of got) {
    const original = records[r.seq - 1];
    if (original === undefined || encodeRecord(r).line !== lines[r.seq - 1]) {
      problems.push(`accepted a modified record seq ${r.seq}`);
    }
  }
  records.forEach((r, i) => {
    if (i !== damaged && !bySeq.has(r.seq)) problems.push(`lost undamaged record seq ${r.seq}`);
  });
  if (tornCount > 1) problems.push(`${tornCount} torn-tail diagnostics`);
  return problems.map((p) => `flip at ${flip.at} mask ${flip.mask}: ${p}`);
}

describe('single-byte flips', () => {
  it('20,000 flips in memory: 0 modified records accepted, every undamaged record recovered', () => {
    const problems: string[] = [];
    let exceptions = 0;
    let damagedRecovered = 0;
    for (const flip of flips(20_000, 0x5eed)) {
      try {
        const out = recoverJournal(apply(flip), 's');
        const torn = out.diagnostics.filter((d) => d.code === 'torn_tail_truncated').length;
        problems.push(...judge(flip, out.records, torn));
        if (out.records.some((r) => r.seq === damagedIndex(flip.at) + 1)) damagedRecovered++;
      } catch {
        exceptions++;
      }
    }
    expect(exceptions).toBe(0);
    expect(problems.slice(0, 10)).toEqual([]);
    // A damaged record comes back only when the flipped byte was its newline (then its bytes are intact).
    const newlineFlips = flips(20_000, 0x5eed).filter((f) => full[f.at] === 0x0a && f.at !== full.length - 1);
    expect(damagedRecovered).toBe(newlineFlips.length);
  });

  it('200 flips through the real file path: opening recovers the same records, then appends continue', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const problems: string[] = [];
    for (const [i, flip] of flips(200, 0xf11e).entries()) {
      const bytes = apply(flip);
      const id = `f${i}`;
      writeFileSync(join(dir, `${id}.jsonl`), bytes);
      const j = await jd.openSession(id);
      const expected = recoverJournal(bytes, id);
      const torn = j.diagnostics.filter((d) => d.code === 'torn_tail_truncated').length;
      problems.push(...judge(flip, j.records, torn));
      if (JSON.stringify(j.records) !== JSON.stringify(expected.records))
        problems.push(`${id}: file path differs`);
      const next = await j.append({ eventId: 'after', type: 't', data: {} });
      if (next.seq !== expected.maxSeq + 1) problems.push(`${id}: next seq ${next.seq}`);
      await j.close();
    }
    expect(problems).toEqual([]);
    await jd.close();
  });
});
