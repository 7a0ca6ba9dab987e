import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveVariantsError } from '../../../src/core/errors';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { nodeJournalFs } from '../../../src/core/journal/journalFs';
import { MAX_RECORD_BYTES } from '../../../src/core/journal/sessionJournal';
import { cleanupTempDirs, instrumentFs, makeTempDir, manualGate } from './testFs';

const fixedNow = () => new Date('2025-01-02T03:04:05.000Z');

afterEach(cleanupTempDirs);

async function openFresh(opts: Parameters<typeof openJournalDir>[1] = {}) {
  const dir = makeTempDir();
  const jd = await openJournalDir(dir, { now: fixedNow, heartbeatMs: 0, ...opts });
  return { dir, jd };
}

describe('SessionJournal appends', () => {
  it('gives dense seqs from 1 and writes one CRC-framed line per record', async () => {
    const { dir, jd } = await openFresh();
    const j = await jd.openSession('s1');
    expect(await j.append({ eventId: 'e1', type: 'browser.generate', data: { n: 1 } })).toEqual({
      seq: 1,
      duplicate: false,
    });
    expect(await j.append({ eventId: 'e2', type: 'agent.done', data: { ok: true } })).toEqual({
      seq: 2,
      duplicate: false,
    });
    const lines = readFileSync(join(dir, 's1.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const body =
      '{"v":1,"seq":1,"eventId":"e1","type":"browser.generate","at":"2025-01-02T03:04:05.000Z","data":{"n":1}}';
    const crc = crc32(body).toString(16).padStart(8, '0');
    expect(lines[0]).toBe(`${body.slice(0, -1)},"crc":"${crc}"}`);
    expect(j.records.map((r) => [r.seq, r.eventId, r.type])).toEqual([
      [1, 'e1', 'browser.generate'],
      [2, 'e2', 'agent.done'],
    ]);
    expect(j.byteLength).toBe(statSync(join(dir, 's1.jsonl')).size);
    await jd.close();
  });

  it('answers a duplicate eventId with the original seq and writes nothing', async () => {
    const { dir, jd } = await openFresh();
    const j = await jd.openSession('s1');
    await j.append({ eventId: 'e1', type: 't', data: { a: 1 } });
    await j.append({ eventId: 'e2', type: 't', data: {} });
    const size = statSync(join(dir, 's1.jsonl')).size;
    expect(await j.append({ eventId: 'e1', type: 'other', data: { a: 2 } })).toEqual({
      seq: 1,
      duplicate: true,
    });
    expect(statSync(join(dir, 's1.jsonl')).size).toBe(size);
    expect(j.records).toHaveLength(2);
    expect(await j.append({ eventId: 'e3', type: 't', data: {} })).toEqual({ seq: 3, duplicate: false });
    await jd.close();
  });

  it('answers duplicates inside one batch with the first seq, after it is durable', async () => {
    const { dir, jd } = await openFresh();
    const j = await jd.openSession('s1');
    const results = await Promise.all([
      j.append({ eventId: 'a', type: 't', data: {} }),
      j.append({ eventId: 'a', type: 't', data: { x: 1 } }),
      j.append({ eventId: 'b', type: 't', data: {} }),
      j.append({ eventId: 'b', type: 't', data: {} }),
    ]);
    expect(results).toEqual([
      { seq: 1, duplicate: false },
      { seq: 1, duplicate: true },
      { seq: 2, duplicate: false },
      { seq: 2, duplicate: true },
    ]);
    expect(readFileSync(join(dir, 's1.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
    await jd.close();
  });

  it('shares one write and one fdatasync among appends issued together', async () => {
    const fs = instrumentFs(nodeJournalFs);
    const { jd } = await openFresh({ fs });
    const j = await jd.openSession('s1');
    const syncsBefore = fs.datasyncs;
    const writesBefore = fs.writes;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => j.append({ eventId: `e${i}`, type: 't', data: { i } })),
    );
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(fs.datasyncs - syncsBefore).toBe(1);
    expect(fs.writes - writesBefore).toBe(1);
    expect(j.syncCount).toBe(1);
    await jd.close();
  });

  it('batches appends that arrive during a sync into the next single sync, acking each only after its own sync', async () => {
    const fs = instrumentFs(nodeJournalFs);
    const { jd } = await openFresh({ fs });
    const j = await jd.openSession('s1');
    const gates = [manualGate(), manualGate()];
    let syncIndex = 0;
    fs.gate = () => gates[syncIndex++].wait();
    const acked: string[] = [];
    const first = j.append({ eventId: 'first', type: 't', data: {} }).then(() => acked.push('first'));
    await new Promise((r) => setTimeout(r, 20)); // the first batch is now waiting in fdatasync
    expect(syncIndex).toBe(1);
    const later = Array.from({ length: 10 }, (_, i) =>
      j.append({ eventId: `late${i}`, type: 't', data: {} }).then(() => acked.push(`late${i}`)),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(acked).toEqual([]);
    expect(j.records).toHaveLength(0);
    gates[0].open();
    await first;
    await new Promise((r) => setTimeout(r, 20)); // second batch is waiting in its fdatasync
    expect(acked).toEqual(['first']);
    expect(syncIndex).toBe(2);
    expect(j.records).toHaveLength(1);
    gates[1].open();
    await Promise.all(later);
    expect(acked).toHaveLength(11);
    expect(j.records.map((r) => r.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(j.syncCount).toBe(2);
    fs.gate = undefined;
    await jd.close();
  });

  it('reopens from disk with the same records and continues the seq, duplicates still detected', async () => {
    const { dir, jd } = await openFresh();
    const j = await jd.openSession('s1');
    for (let i = 1; i <= 5; i++) await j.append({ eventId: `e${i}`, type: 't', data: { i } });
    const before = j.records.map((r) => ({ ...r }));
    await jd.close();

    const jd2 = await openJournalDir(dir, { now: fixedNow, heartbeatMs: 0 });
    const j2 = await jd2.openSession('s1');
    expect(j2.records).toEqual(before);
    expect(j2.diagnostics).toEqual([]);
    expect(await j2.append({ eventId: 'e3', type: 't', data: {} })).toEqual({ seq: 3, duplicate: true });
    expect(await j2.append({ eventId: 'e6', type: 't', data: {} })).toEqual({ seq: 6, duplicate: false });
    expect(j2.hasEvent('e6')).toBe(6);
    expect(j2.hasEvent('nope')).toBeUndefined();
    await jd2.close();
  });

  it('keeps its own copy of the data: mutating the caller object later changes nothing', async () => {
    const { jd } = await openFresh();
    const j = await jd.openSession('s1');
    const data = { nested: { list: [1, 2] }, skip: undefined };
    await j.append({ eventId: 'e1', type: 't', data });
    data.nested.list.push(3);
    expect(j.records[0].data).toEqual({ nested: { list: [1, 2] } });
    expect('skip' in j.records[0].data).toBe(false);
    await jd.close();
  });

  it('stamps at with the injected clock unless the caller gives one', async () => {
    const { jd } = await openFresh();
    const j = await jd.openSession('s1');
    await j.append({ eventId: 'e1', type: 't', data: {} });
    await j.append({ eventId: 'e2', type: 't', data: {}, at: '2024-12-31T23:59:59.000Z' });
    expect(j.records.map((r) => r.at)).toEqual(['2025-01-02T03:04:05.000Z', '2024-12-31T23:59:59.000Z']);
    await jd.close();
  });

  it('returns the cached instance for a second openSession of the same id', async () => {
    const { jd } = await openFresh();
    const [a, b] = await Promise.all([jd.openSession('s1'), jd.openSession('s1')]);
    expect(a).toBe(b);
    expect(await jd.openSession('s1')).toBe(a);
    expect(await jd.openSession('s2')).not.toBe(a);
    expect(await jd.listSessions()).toEqual(['s1', 's2']);
    await jd.close();
  });

  it('refuses a record larger than MAX_RECORD_BYTES without using up a seq', async () => {
    const { jd } = await openFresh();
    const j = await jd.openSession('s1');
    const big = 'x'.repeat(MAX_RECORD_BYTES);
    await expect(j.append({ eventId: 'big', type: 't', data: { big } })).rejects.toMatchObject({
      code: 'journal_record_too_large',
      field: 'data',
    });
    expect(await j.append({ eventId: 'small', type: 't', data: {} })).toEqual({ seq: 1, duplicate: false });
    await jd.close();
  });

  it('rejects appends after close with journal_closed, and waits for appends in flight when closing', async () => {
    const { jd } = await openFresh();
    const j = await jd.openSession('s1');
    const inFlight = j.append({ eventId: 'e1', type: 't', data: {} });
    await j.close();
    expect(await inFlight).toEqual({ seq: 1, duplicate: false });
    const err = await j.append({ eventId: 'e2', type: 't', data: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveVariantsError);
    expect((err as LiveVariantsError).code).toBe('journal_closed');
    // openSession after close reopens from disk
    const again = await jd.openSession('s1');
    expect(again).not.toBe(j);
    expect(again.records.map((r) => r.eventId)).toEqual(['e1']);
    await jd.close();
  });
});
