import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { readSessionJournal } from '../../../src/core/journal/readSessionJournal';
import { cleanupTempDirs, makeTempDir } from './testFs';

afterEach(cleanupTempDirs);

async function sessionWith(n: number) {
  const dir = makeTempDir();
  const jd = await openJournalDir(dir, { heartbeatMs: 0 });
  const j = await jd.openSession('s1');
  for (let i = 1; i <= n; i++) await j.append({ eventId: `e${i}`, type: 't', data: { i } });
  return { dir, jd, j };
}

describe('snapshot cache', () => {
  it('round-trips: the snapshot describes the prefix up to its seq and the tail is the rest', async () => {
    const { dir, jd, j } = await sessionWith(5);
    const written = await j.writeSnapshot({ sum: 6 }, 3);
    expect(written).toEqual({
      v: 1,
      sessionId: 's1',
      journalBytes: expect.any(Number),
      seq: 3,
      lastCrc: expect.stringMatching(/^[0-9a-f]{8}$/),
      state: { sum: 6 },
    });
    const lines = readFileSync(join(dir, 's1.jsonl'), 'utf8').split('\n');
    expect(written.journalBytes).toBe(Buffer.byteLength(`${lines.slice(0, 3).join('\n')}\n`));
    expect(JSON.parse(readFileSync(join(dir, 's1.snapshot.json'), 'utf8'))).toEqual(written);

    const read = await j.readSnapshot<{ sum: number }>();
    expect(read.snapshot?.state).toEqual({ sum: 6 });
    expect(read.tail.map((r) => r.seq)).toEqual([4, 5]);
    await jd.close();

    const jd2 = await openJournalDir(dir, { heartbeatMs: 0 });
    const j2 = await jd2.openSession('s1');
    const again = await j2.readSnapshot();
    expect(again.snapshot?.seq).toBe(3);
    expect(again.tail.map((r) => r.eventId)).toEqual(['e4', 'e5']);
    await jd2.close();
  });

  it('defaults to the last committed record, and seq 0 describes the empty prefix', async () => {
    const { jd, j } = await sessionWith(2);
    expect((await j.writeSnapshot({})).seq).toBe(2);
    expect((await j.readSnapshot()).tail).toEqual([]);
    expect(await j.writeSnapshot({ empty: true }, 0)).toEqual({
      v: 1,
      sessionId: 's1',
      journalBytes: 0,
      seq: 0,
      state: { empty: true },
    });
    expect((await j.readSnapshot()).tail.map((r) => r.seq)).toEqual([1, 2]);
    await expect(j.writeSnapshot({}, 9)).rejects.toMatchObject({
      code: 'journal_bad_input',
      field: 'upToSeq',
    });
    await jd.close();
  });

  it('reports no snapshot and no diagnostic when there is none', async () => {
    const { jd, j } = await sessionWith(2);
    const read = await j.readSnapshot();
    expect(read).toEqual({ snapshot: undefined, tail: j.records.slice() });
    await jd.close();
  });

  const broken: Array<[string, string | ((s: Record<string, unknown>) => unknown), string, RegExp]> = [
    ['garbage bytes', 'not json{', 'snapshot_unreadable', /not valid JSON/],
    ['a JSON array', '[1,2]', 'snapshot_unreadable', /not a JSON object/],
    ['a missing state', (s) => ({ ...s, state: undefined }), 'snapshot_unreadable', /state is missing/],
    ['a negative seq', (s) => ({ ...s, seq: -1 }), 'snapshot_unreadable', /malformed/],
    [
      'another session id',
      (s) => ({ ...s, sessionId: 'other' }),
      'snapshot_mismatch',
      /belongs to session other/,
    ],
    [
      'journalBytes past the end',
      (s) => ({ ...s, journalBytes: 99_999 }),
      'snapshot_mismatch',
      /describes 99999 bytes/,
    ],
    ['a seq the journal lacks', (s) => ({ ...s, seq: 42 }), 'snapshot_mismatch', /no record with seq 42/],
    [
      'a wrong end offset',
      (s) => ({ ...s, journalBytes: (s.journalBytes as number) - 1 }),
      'snapshot_mismatch',
      /does not end at byte/,
    ],
    [
      'a wrong crc',
      (s) => ({ ...s, lastCrc: '00000000' }),
      'snapshot_mismatch',
      /has crc [0-9a-f]{8}, not 00000000/,
    ],
    ['seq 0 with bytes', (s) => ({ ...s, seq: 0 }), 'snapshot_mismatch', /seq 0 must describe 0 bytes/],
  ];
  for (const [what, change, code, message] of broken) {
    it(`ignores a snapshot with ${what} (${code}) and hands back the whole journal`, async () => {
      const { dir, jd, j } = await sessionWith(3);
      const good = await j.writeSnapshot({ n: 2 }, 2);
      const path = join(dir, 's1.snapshot.json');
      writeFileSync(path, typeof change === 'string' ? change : JSON.stringify(change({ ...good })));
      const read = await j.readSnapshot();
      expect(read.snapshot).toBeUndefined();
      expect(read.tail.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect('diagnostic' in read && read.diagnostic).toMatchObject({ code, sessionId: 's1', message });
      expect(j.diagnostics.map((d) => d.code)).toEqual([code]);
      await jd.close();
    });
  }

  it('ignores a snapshot whose journal was cut shorter than it describes', async () => {
    const { dir, jd, j } = await sessionWith(3);
    const snap = await j.writeSnapshot({ n: 3 });
    await jd.close();
    truncateSync(join(dir, 's1.jsonl'), snap.journalBytes - 10);
    const jd2 = await openJournalDir(dir, { heartbeatMs: 0 });
    const j2 = await jd2.openSession('s1');
    const read = await j2.readSnapshot();
    expect(read.snapshot).toBeUndefined();
    expect(read.tail.map((r) => r.seq)).toEqual([1, 2]);
    expect(j2.diagnostics.map((d) => d.code)).toEqual(['torn_tail_truncated', 'snapshot_mismatch']);
    await jd2.close();
  });

  it('ignores a snapshot whose prefix now has a skipped corrupt line', async () => {
    const { dir, jd, j } = await sessionWith(3);
    await j.writeSnapshot({ n: 3 });
    await jd.close();
    const path = join(dir, 's1.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"e1"', '"eX"'));
    const read = await readSessionJournal(dir, 's1', { withSnapshot: true });
    expect(read.records.map((r) => r.seq)).toEqual([2, 3]);
    expect(read.snapshot).toMatchObject({ snapshot: undefined, diagnostic: { code: 'snapshot_mismatch' } });
    const snap = read.snapshot;
    expect(snap && 'diagnostic' in snap ? snap.diagnostic?.message : '').toContain(
      'skipped corrupt line (line 1)',
    );
  });

  it('removes a temp file left by a crash mid-snapshot when the session opens', async () => {
    const { dir, jd, j } = await sessionWith(1);
    await j.writeSnapshot({ ok: 1 });
    await jd.close();
    writeFileSync(join(dir, 's1.snapshot.json.tmp'), '{"half');
    const jd2 = await openJournalDir(dir, { heartbeatMs: 0 });
    const j2 = await jd2.openSession('s1');
    expect(existsSync(join(dir, 's1.snapshot.json.tmp'))).toBe(false);
    expect((await j2.readSnapshot()).snapshot?.state).toEqual({ ok: 1 });
    await jd2.close();
  });

  it('serialises concurrent snapshot writes: the last one requested wins', async () => {
    const { dir, jd, j } = await sessionWith(4);
    await Promise.all([1, 2, 3, 4].map((seq) => j.writeSnapshot({ seq }, seq)));
    expect(JSON.parse(readFileSync(join(dir, 's1.snapshot.json'), 'utf8')).seq).toBe(4);
    await jd.close();
  });
});
