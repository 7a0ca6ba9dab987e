import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { encodeRecord } from '../../../src/core/journal/recordCodec';
import { recoverJournal } from '../../../src/core/journal/recover';
import type { JournalRecord } from '../../../src/core/journal/types';
import { cleanupTempDirs, makeTempDir } from './testFs';

afterEach(cleanupTempDirs);

const rec = (seq: number, eventId = `e${seq}`): JournalRecord => ({
  v: 1,
  seq,
  eventId,
  type: 't',
  at: '2025-01-01T00:00:00.000Z',
  data: { seq },
});
const line = (r: JournalRecord) => encodeRecord(r).line;
/** A line whose CRC is valid for its own bytes, whatever the body says. */
const framed = (body: string) =>
  `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}\n`;

describe('recoverJournal', () => {
  it('reads intact lines with their end offsets and no diagnostics', () => {
    const lines = [line(rec(1)), line(rec(2)), line(rec(3))];
    const buf = Buffer.from(lines.join(''));
    const out = recoverJournal(buf, 's');
    expect(out.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(out.ends).toEqual([
      Buffer.byteLength(lines[0]),
      Buffer.byteLength(lines[0] + lines[1]),
      buf.length,
    ]);
    expect(out.diagnostics).toEqual([]);
    expect(out.torn).toBeUndefined();
    expect(out.validLength).toBe(buf.length);
    expect(out.maxSeq).toBe(3);
  });

  it('skips a CRC-mismatched middle line with its 1-based line number and byte offset', () => {
    const l1 = line(rec(1));
    const l2 = line(rec(2)).replace('"seq":2}', '"seq":9}'); // data changed, crc kept
    const l3 = line(rec(3));
    const out = recoverJournal(Buffer.from(l1 + l2 + l3), 's');
    expect(out.records.map((r) => r.seq)).toEqual([1, 3]);
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]).toMatchObject({
      code: 'corrupt_line_skipped',
      sessionId: 's',
      line: 2,
      offset: Buffer.byteLength(l1),
    });
    expect(out.diagnostics[0].message).toMatch(/^Line 2 at byte \d+: crc mismatch/);
  });

  it('skips bad JSON, a bad shape and an empty line, each reported once', () => {
    const l1 = line(rec(1));
    const notJson = 'this is not json at all\n';
    const badShape = framed('{"v":1,"seq":2,"eventId":"x","type":"t","at":"a"}'); // no data key
    const empty = '\n';
    const l5 = line(rec(5));
    const text = l1 + notJson + badShape + empty + l5;
    const out = recoverJournal(Buffer.from(text), 's');
    expect(out.records.map((r) => r.seq)).toEqual([1, 5]);
    expect(out.diagnostics.map((d) => [d.code, d.line, d.offset])).toEqual([
      ['corrupt_line_skipped', 2, l1.length],
      ['corrupt_line_skipped', 3, l1.length + notJson.length],
      ['corrupt_line_skipped', 4, l1.length + notJson.length + badShape.length],
    ]);
    expect(out.diagnostics[1].message).toContain('keys must be v,seq,eventId,type,at,data,crc');
    expect(out.diagnostics[2].message).toContain('empty line');
  });

  it('treats an unterminated last line as torn, reported once', () => {
    const l1 = line(rec(1));
    const l2 = line(rec(2));
    const buf = Buffer.from(l1 + l2.slice(0, 30));
    const out = recoverJournal(buf, 's');
    expect(out.records.map((r) => r.seq)).toEqual([1]);
    expect(out.torn).toEqual({ offset: l1.length, length: 30, line: 2 });
    expect(out.validLength).toBe(l1.length);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ code: 'torn_tail_truncated', line: 2, offset: l1.length }),
    ]);
  });

  it('treats a complete record missing only its newline as torn', () => {
    const l1 = line(rec(1));
    const l2 = line(rec(2));
    const out = recoverJournal(Buffer.from(l1 + l2.slice(0, -1)), 's');
    expect(out.records.map((r) => r.seq)).toEqual([1]);
    expect(out.torn?.offset).toBe(l1.length);
  });

  it('treats a terminated last line that fails its CRC as torn, not as a corrupt middle line', () => {
    const l1 = line(rec(1));
    const l2 = line(rec(2)).replace('"e2"', '"e7"');
    const out = recoverJournal(Buffer.from(l1 + l2), 's');
    expect(out.records.map((r) => r.seq)).toEqual([1]);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['torn_tail_truncated']);
    expect(out.torn).toEqual({ offset: l1.length, length: l2.length, line: 2 });
  });

  it('accepts seq gaps but skips a seq that does not increase and a repeated eventId', () => {
    const l1 = line(rec(1));
    const l4 = line(rec(4));
    const back = line(rec(3)); // 3 after 4
    const dupId = line(rec(5, 'e1'));
    const l6 = line(rec(6));
    const out = recoverJournal(Buffer.from(l1 + l4 + back + dupId + l6), 's');
    expect(out.records.map((r) => r.seq)).toEqual([1, 4, 6]);
    expect(out.maxSeq).toBe(6);
    expect(out.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [3, expect.stringContaining('seq 3 does not follow seq 4')],
      [4, expect.stringContaining('eventId "e1" repeats seq 1')],
    ]);
  });

  it('recovers both records when the newline between them is damaged, and reports the damaged byte', () => {
    const l1 = line(rec(1));
    const l2 = line(rec(2));
    const l3 = line(rec(3));
    const buf = Buffer.from(l1 + l2 + l3);
    buf[l1.length + l2.length - 1] = 0x20; // newline after record 2 becomes a space
    const out = recoverJournal(buf, 's');
    expect(out.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(out.ends).toEqual([l1.length, l1.length + l2.length, buf.length]);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({ code: 'corrupt_line_skipped', line: 2, offset: l1.length + l2.length - 1 }),
    ]);
  });

  it('recovers a record that follows garbage on the same line', () => {
    const l1 = line(rec(1));
    const l2 = line(rec(2));
    const out = recoverJournal(Buffer.from(`${l1}GARBAGE${l2}`), 's');
    expect(out.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(out.diagnostics).toEqual([expect.objectContaining({ line: 2, offset: l1.length })]);
  });

  it('never throws and returns nothing for pure garbage', () => {
    const out = recoverJournal(Buffer.from([0, 1, 2, 10, 255, 254, 10, 0x7b, 10]), 's');
    expect(out.records).toEqual([]);
    expect(out.diagnostics.map((d) => d.code)).toEqual([
      'corrupt_line_skipped',
      'corrupt_line_skipped',
      'torn_tail_truncated',
    ]);
  });
});

describe('recovery when a session is opened for writing', () => {
  it('truncates a torn tail, keeps its bytes in a sidecar, reports one diagnostic, then appends cleanly', async () => {
    const dir = makeTempDir();
    const l1 = line(rec(1));
    const l2 = line(rec(2));
    const torn = l2.slice(0, 25);
    writeFileSync(join(dir, 's1.jsonl'), l1 + torn);
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    const sidecar = join(dir, `s1.jsonl.torn-${l1.length}`);
    expect(j.diagnostics).toEqual([
      {
        code: 'torn_tail_truncated',
        sessionId: 's1',
        line: 2,
        offset: l1.length,
        sidecar,
        message: expect.stringContaining('25 bytes'),
      },
    ]);
    expect(readFileSync(sidecar, 'utf8')).toBe(torn);
    expect(readFileSync(join(dir, 's1.jsonl'), 'utf8')).toBe(l1);
    expect(await j.append({ eventId: 'e2', type: 't', data: {} })).toEqual({ seq: 2, duplicate: false });
    await jd.close();
    const jd2 = await openJournalDir(dir, { heartbeatMs: 0 });
    const j2 = await jd2.openSession('s1');
    expect(j2.records.map((r) => r.eventId)).toEqual(['e1', 'e2']);
    expect(j2.diagnostics).toEqual([]);
    await jd2.close();
  });

  it('leaves a corrupt middle line in place, reports it on every open, and appends after max seq + 1', async () => {
    const dir = makeTempDir();
    const l1 = line(rec(1));
    const bad = '{"v":1,"seq":2,"broken\n';
    const l5 = line(rec(5));
    writeFileSync(join(dir, 's1.jsonl'), l1 + bad + l5);
    for (let round = 0; round < 2; round++) {
      const jd = await openJournalDir(dir, { heartbeatMs: 0 });
      const j = await jd.openSession('s1');
      expect(j.diagnostics.map((d) => [d.code, d.line, d.offset])).toEqual([
        ['corrupt_line_skipped', 2, l1.length],
      ]);
      if (round === 0)
        expect(await j.append({ eventId: 'n', type: 't', data: {} })).toEqual({ seq: 6, duplicate: false });
      await jd.close();
    }
    expect(existsSync(join(dir, `s1.jsonl.torn-${l1.length}`))).toBe(false);
  });
});
