// Truncation at every byte offset of a 200-record journal: exactly the complete records come back, at most
// one torn-tail diagnostic, never an exception. Pure recovery for all offsets, the real file path for a sample.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../src/core/journal/journalDir';
import { encodeRecord } from '../../src/core/journal/recordCodec';
import { recoverJournal } from '../../src/core/journal/recover';
import type { JournalRecord } from '../../src/core/journal/types';
import { cleanupTempDirs, makeTempDir } from '../unit/journal/testFs';

afterAll(cleanupTempDirs);

const records: JournalRecord[] = Array.from({ length: 200 }, (_, i) => ({
  v: 1,
  seq: i + 1,
  eventId: `evt-${i + 1}`,
  type: i % 3 === 0 ? 'checkpoint' : 'done',
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  data: i % 7 === 0 ? { s: 'ü✓日' } : { i },
}));
const lines = records.map((r) => Buffer.from(encodeRecord(r).line));
const full = Buffer.concat(lines);
const ends: number[] = [];
let offset = 0;
for (const l of lines) {
  offset += l.length;
  ends.push(offset);
}
const boundaries = new Set([0, ...ends]);
const completeBefore = (k: number) => ends.filter((e) => e <= k).length;

describe('truncation at every byte offset', () => {
  it(`recovers exactly the complete records for all ${full.length + 1} prefixes`, () => {
    let exceptions = 0;
    const failures: string[] = [];
    for (let k = 0; k <= full.length; k++) {
      let out: ReturnType<typeof recoverJournal>;
      try {
        out = recoverJournal(full.subarray(0, k), 's');
      } catch {
        exceptions++;
        continue;
      }
      // Plain checks in the loop (expect() per offset would dominate the run time); failures are collected.
      const n = completeBefore(k);
      const torn = out.diagnostics.filter((d) => d.code === 'torn_tail_truncated').length;
      const ok =
        out.records.length === n &&
        (n === 0 || out.records[n - 1].seq === n) &&
        torn === (boundaries.has(k) ? 0 : 1) &&
        out.diagnostics.length === torn &&
        out.validLength === (n === 0 ? 0 : ends[n - 1]);
      if (!ok)
        failures.push(`offset ${k}: ${out.records.length} records, ${out.diagnostics.length} diagnostics`);
    }
    expect(failures).toEqual([]);
    expect(exceptions).toBe(0);
    expect(recoverJournal(full, 's').records).toEqual(records);
  });

  it('through the real file path: the file is cut to the last complete record and appends continue', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const offsets = [
      1,
      17,
      ends[0] - 1,
      ends[0],
      ends[0] + 1,
      ends[99] - 1,
      ends[99] + 40,
      full.length - 1,
      full.length,
    ];
    for (let s = 0; s < 30; s++) offsets.push(Math.floor((((s * 7919) % 1000) / 1000) * full.length));
    for (const [i, k] of offsets.entries()) {
      const id = `t${i}`;
      writeFileSync(join(dir, `${id}.jsonl`), full.subarray(0, k));
      const j = await jd.openSession(id);
      const n = completeBefore(k);
      expect(j.records.length).toBe(n);
      const keep = n === 0 ? 0 : ends[n - 1];
      expect(j.byteLength).toBe(keep);
      expect(readFileSync(join(dir, `${id}.jsonl`)).length).toBe(keep);
      const torn = j.diagnostics.filter((d) => d.code === 'torn_tail_truncated');
      expect(torn.length).toBe(boundaries.has(k) ? 0 : 1);
      if (torn.length === 1) {
        expect(readFileSync(torn[0].sidecar!)).toEqual(full.subarray(keep, k));
      }
      expect(await j.append({ eventId: 'after', type: 't', data: {} })).toEqual({
        seq: n + 1,
        duplicate: false,
      });
    }
    await jd.close();
    expect(readdirSync(dir).filter((f) => f.includes('.torn-')).length).toBe(
      offsets.filter((k) => !boundaries.has(k)).length,
    );
  });
});
