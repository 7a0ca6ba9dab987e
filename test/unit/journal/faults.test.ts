import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { nodeJournalFs } from '../../../src/core/journal/journalFs';
import { readSessionJournal } from '../../../src/core/journal/readSessionJournal';
import type { AppendResult } from '../../../src/core/journal/types';
import { cleanupTempDirs, type FaultOp, instrumentFs, makeTempDir, manualGate } from './testFs';

afterEach(cleanupTempDirs);

type Outcome = { ok: true; result: AppendResult } | { ok: false; code: string; detail: unknown };
const settle = (p: Promise<AppendResult>): Promise<Outcome> =>
  p.then(
    (result) => ({ ok: true as const, result }),
    (e: { code: string; detail: unknown }) => ({ ok: false as const, code: e.code, detail: e.detail }),
  );

const cases: Array<{ op: FaultOp; code: string; partial?: number }> = [
  { op: 'write', code: 'EIO' },
  { op: 'write', code: 'ENOSPC' },
  { op: 'write', code: 'EIO', partial: 100 },
  { op: 'datasync', code: 'EIO' },
  { op: 'datasync', code: 'ENOSPC' },
];

describe('I/O failures latch the journal', () => {
  for (const fault of cases) {
    const label = `${fault.code} on ${fault.op}${fault.partial ? ` after ${fault.partial} bytes` : ''}`;
    it(`${label}: the whole batch is rejected, later appends reject journal_latched, reopen shows only acknowledged records`, async () => {
      const dir = makeTempDir();
      const fs = instrumentFs(nodeJournalFs);
      const jd = await openJournalDir(dir, { fs, heartbeatMs: 0 });
      const j = await jd.openSession('s1');
      await j.append({ eventId: 'ok1', type: 't', data: {} });
      await j.append({ eventId: 'ok2', type: 't', data: {} });
      const durable = j.byteLength;

      fs.faults.push(fault);
      const batch = ['f1', 'f2', 'f3'].map((id) =>
        settle(j.append({ eventId: id, type: 't', data: { id } })),
      );
      const dupOfPending = settle(j.append({ eventId: 'f1', type: 't', data: {} }));
      const outcomes = await Promise.all([...batch, dupOfPending]);
      for (const o of outcomes) {
        expect(o).toEqual({
          ok: false,
          code: 'journal_io_failed',
          detail: { errno: fault.code, phase: fault.op === 'write' ? 'write' : 'sync' },
        });
      }
      expect(j.latched).toBe(true);
      expect(j.diagnostics.map((d) => d.code)).toEqual(['journal_latched']);
      // Even an eventId that was acknowledged before is refused now: no answer at all after a failure.
      for (const id of ['ok1', 'new']) {
        expect(await settle(j.append({ eventId: id, type: 't', data: {} }))).toMatchObject({
          ok: false,
          code: 'journal_latched',
        });
      }
      expect(j.records.map((r) => r.eventId)).toEqual(['ok1', 'ok2']);
      expect(j.byteLength).toBe(durable);

      // Reopening in this process cuts the file back to the last acknowledged byte.
      const reopened = await jd.openSession('s1');
      expect(reopened).not.toBe(j);
      expect(reopened.latched).toBe(false);
      expect(reopened.records.map((r) => r.eventId)).toEqual(['ok1', 'ok2']);
      expect(readFileSync(join(dir, 's1.jsonl')).length).toBe(durable);
      const bytesLanded = fault.op === 'datasync' || (fault.partial ?? 0) > 0;
      expect(reopened.diagnostics.map((d) => d.code)).toEqual(bytesLanded ? ['torn_tail_truncated'] : []);
      expect(existsSync(join(dir, `s1.jsonl.torn-${durable}`))).toBe(bytesLanded);
      // A retry of the failed eventIds is a fresh append, durably acknowledged.
      expect(await reopened.append({ eventId: 'f1', type: 't', data: {} })).toEqual({
        seq: 3,
        duplicate: false,
      });
      expect(await reopened.append({ eventId: 'ok2', type: 't', data: {} })).toEqual({
        seq: 2,
        duplicate: true,
      });
      await jd.close();
    });
  }

  it('appends queued while the failing sync is in flight are rejected too, never acknowledged', async () => {
    const dir = makeTempDir();
    const fs = instrumentFs(nodeJournalFs);
    const jd = await openJournalDir(dir, { fs, heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    const gate = manualGate();
    fs.gate = gate.wait;
    fs.faults.push({ op: 'datasync', code: 'EIO' });
    const first = settle(j.append({ eventId: 'a', type: 't', data: {} }));
    await new Promise((r) => setTimeout(r, 20));
    const queued = [
      settle(j.append({ eventId: 'b', type: 't', data: {} })),
      settle(j.append({ eventId: 'c', type: 't', data: {} })),
    ];
    gate.open();
    const all = await Promise.all([first, ...queued]);
    expect(all.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
      'journal_io_failed',
      'journal_io_failed',
      'journal_io_failed',
    ]);
    expect(fs.datasyncs).toBe(2); // the one at open, the failed one; nothing after the failure
    fs.gate = undefined;
    await jd.close();
  });

  it('after a process restart, complete lines of a batch whose sync failed may be read back; none was acknowledged', async () => {
    const dir = makeTempDir();
    const fs = instrumentFs(nodeJournalFs);
    const jd = await openJournalDir(dir, { fs, heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    await j.append({ eventId: 'ok1', type: 't', data: {} });
    fs.faults.push({ op: 'datasync', code: 'EIO' });
    const failed = await settle(j.append({ eventId: 'f1', type: 't', data: {} }));
    expect(failed.ok).toBe(false);
    await jd.close();
    // A new process knows nothing of the failure: the bytes are in the file, so the record is there.
    const view = await readSessionJournal(dir, 's1');
    expect(view.records.map((r) => r.eventId)).toEqual(['ok1', 'f1']);
  });

  it('a read that fails while a journal opens rejects the open (journal_io_failed); the next open works', async () => {
    const dir = makeTempDir();
    const fs = instrumentFs(nodeJournalFs);
    const jd = await openJournalDir(dir, { fs, heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    for (let i = 0; i < 5; i++) await j.append({ eventId: `e${i}`, type: 't', data: { i } });
    await jd.close();

    const jd2 = await openJournalDir(dir, { fs, heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    fs.faults.push({ op: 'read', code: 'EIO' });
    const err = await jd2.openSession('s1').catch((e) => e);
    expect(err).toMatchObject({ code: 'journal_io_failed', detail: { errno: 'EIO' } });
    const again = await jd2.openSession('s1');
    // Records on disk: a read that fails when one is built is an error too, never a wrong or missing record.
    fs.faults.push({ op: 'read', code: 'EIO' });
    expect(() => again.records).toThrow(
      expect.objectContaining({ code: 'journal_io_failed', detail: { errno: 'EIO' } }),
    );
    // The failed read stopped the journal; reopening reads every record.
    expect(again.latched).toBe(true);
    const third = await jd2.openSession('s1');
    expect(third.records.map((r) => r.eventId)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    await jd2.close();
  });

  it('a read-back that fails part way spoils no other record (the window is dropped before it is refilled)', async () => {
    const dir = makeTempDir();
    const fs = instrumentFs(nodeJournalFs);
    const jd = await openJournalDir(dir, { fs, heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    // ~1.6 MB: more than the 1 MiB a sequential read-back reads at once.
    const pad = 'x'.repeat(4000);
    for (let i = 0; i < 400; i++) await j.append({ eventId: `e${i}`, type: 't', data: { i, pad } });
    await jd.close();
    const jd2 = await openJournalDir(dir, { fs, heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const k = await jd2.openSession('s1');
    const it = k.replay();
    expect(it.next().value?.eventId).toBe('e0'); // a window of the first bytes is read
    fs.faults.push({ op: 'read', code: 'EIO', partial: 65536 });
    expect(() => [...k.replay(300)]).toThrow(expect.objectContaining({ code: 'journal_io_failed' }));
    // Records of the earlier window read fine (their bytes were not half overwritten).
    expect(it.next().value?.eventId).toBe('e1');
    expect([...it].map((r) => r.eventId)).toHaveLength(398);
    await jd2.close();
  });
});
