// A journal opened for writing keeps its records on disk (an index in memory) and builds them when read; a
// replay visitor sees them while they are recovered, or from the open instance. Records read back are
// checked against what recovery accepted: a journal changed on disk under an open instance is refused.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { encodeRecord } from '../../../src/core/journal/recordCodec';
import { recoverJournal } from '../../../src/core/journal/recover';
import type { JournalRecord } from '../../../src/core/journal/types';
import { cleanupTempDirs, makeTempDir } from './testFs';

afterEach(cleanupTempDirs);

const rec = (seq: number, data: Record<string, unknown> = { seq, text: 'ü ✓' }): JournalRecord => ({
  v: 1,
  seq,
  eventId: `e${seq}`,
  type: seq % 2 ? 'browser.checkpoint' : 'agent.done',
  at: '2025-01-01T00:00:00.000Z',
  data,
});

/** A journal file of `n` records (one written in another spelling), and each record's end offset. */
function writeJournal(dir: string, n: number): { records: JournalRecord[]; ends: number[] } {
  const records = Array.from({ length: n }, (_, i) => rec(i + 1));
  const lines = records.map((r) => encodeRecord(r).line);
  // A valid line that is not in the canonical form (escaped eventId): parsed and kept at recovery.
  const body = JSON.stringify(records[2]).replace('"eventId":"e3"', '"eventId":"\\u00653"');
  lines[2] = `${body.slice(0, -1)},"crc":"${crc32(body).toString(16).padStart(8, '0')}"}\n`;
  const text = lines.join('');
  writeFileSync(join(dir, 's1.jsonl'), text);
  const ends: number[] = [];
  let at = 0;
  for (const l of lines) {
    at += Buffer.byteLength(l);
    ends.push(at);
  }
  expect(recoverJournal(Buffer.from(text), 's1', { reference: true }).records).toEqual(records);
  return { records, ends };
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('journal replay and records on disk', () => {
  it('hands every record to the visitor while it recovers, keeping none of them in memory', async () => {
    const dir = makeTempDir();
    const { records } = writeJournal(dir, 40);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const seen: JournalRecord[] = [];
    const j = await jd.openSession('s1', { replay: { from: 0, visit: (r) => seen.push(r) } });
    expect(seen).toEqual(records);
    expect(j.recordCount).toBe(40);
    // Read back from disk, equal to what was visited (the respelled line was kept as parsed).
    expect([...j.replay()]).toEqual(records);
    expect(j.records).toEqual(records);
    expect(await j.append({ eventId: 'e7', type: 't', data: {} })).toEqual({ seq: 7, duplicate: true });
    await jd.close();
  });

  it('visits only the records after `from` (a snapshot prefix), at open and from an open journal', async () => {
    const dir = makeTempDir();
    const { records, ends } = writeJournal(dir, 30);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const first: JournalRecord[] = [];
    const j = await jd.openSession('s1', { replay: { from: ends[24], visit: (r) => first.push(r) } });
    expect(first).toEqual(records.slice(25));
    expect(j.firstEndingAfter(ends[24])).toBe(25);
    expect(j.firstEndingAfter(ends[24] - 1)).toBe(24);
    expect(j.firstEndingAfter(0)).toBe(0);
    // The journal is open already: the visitor is served from it.
    const second: JournalRecord[] = [];
    const again = await jd.openSession('s1', { replay: { from: ends[9], visit: (r) => second.push(r) } });
    expect(again).toBe(j);
    expect(second).toEqual(records.slice(10));
    await j.append({ eventId: 'new', type: 't', data: { n: 1 } });
    const third: JournalRecord[] = [];
    await jd.openSession('s1', { replay: { from: ends[29], visit: (r) => third.push(r) } });
    expect(third.map((r) => r.eventId)).toEqual(['new']);
    await jd.close();
  });

  it('refuses to read a record whose line changed on disk after the journal was opened', async () => {
    const dir = makeTempDir();
    const { ends } = writeJournal(dir, 10);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const j = await jd.openSession('s1');
    const path = join(dir, 's1.jsonl');
    const bytes = readFileSync(path);
    // One byte of record 6's data, same length: only its CRC can tell.
    const at = bytes.indexOf('"seq":6', ends[4] + 20);
    bytes[at + 6] = '7'.charCodeAt(0);
    writeFileSync(path, bytes);
    expect(() => j.records).toThrow(expect.objectContaining({ code: 'journal_changed' }));
    expect(() => [...j.replay()]).toThrow(expect.objectContaining({ code: 'journal_changed' }));
    // Records before it still read.
    const it = j.replay();
    expect(Array.from({ length: 5 }, () => it.next().value?.seq)).toEqual([1, 2, 3, 4, 5]);
    await jd.close();
  });

  it('stops the journal after a failed read-back; reopening recovers it', async () => {
    const dir = makeTempDir();
    const { records, ends } = writeJournal(dir, 10);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const j = await jd.openSession('s1');
    const path = join(dir, 's1.jsonl');
    const original = readFileSync(path);
    const bytes = Buffer.from(original);
    bytes[ends[3] + 40] ^= 0x01; // inside record 5's line
    writeFileSync(path, bytes);
    expect(() => j.records).toThrow(expect.objectContaining({ code: 'journal_changed' }));
    expect(j.latched).toBe(true);
    await expect(j.append({ eventId: 'x', type: 't', data: {} })).rejects.toMatchObject({
      code: 'journal_latched',
    });
    writeFileSync(path, original);
    const reopened = await jd.openSession('s1');
    expect(reopened).not.toBe(j);
    expect(reopened.records).toEqual(records);
    await jd.close();
  });

  it('a visitor passed twice is served twice; what a visitor throws reaches the caller as it is', async () => {
    const dir = makeTempDir();
    const { records } = writeJournal(dir, 8);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const seen: JournalRecord[] = [];
    const visitor = { from: 0, visit: (r: JournalRecord) => seen.push(r) };
    await jd.openSession('s1', { replay: visitor });
    await jd.openSession('s1', { replay: visitor });
    expect(seen).toEqual([...records, ...records]);
    await jd.close();

    const jd2 = await openJournalDir(dir, { heartbeatMs: 0 });
    const boom = new TypeError('fold failed');
    const visit = (r: JournalRecord) => {
      if (r.seq === 4) throw boom;
    };
    await expect(jd2.openSession('s1', { replay: { from: 0, visit } })).rejects.toBe(boom);
    // Nothing was left half open: the next open works.
    expect((await jd2.openSession('s1')).records).toEqual(records);
    await jd2.close();
  });

  it('holds the file open only while records are on disk, and closes it with the journal', async () => {
    const dir = makeTempDir();
    const { records } = writeJournal(dir, 20);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const before = openFds();
    const j = await jd.openSession('s1');
    // The append handle, and the read handle of the records on disk.
    expect(openFds()).toBe(before + 2);
    expect(j.records).toEqual(records);
    await new Promise((r) => setTimeout(r, 20));
    // Every record is built and kept: the read handle is released.
    expect(openFds()).toBe(before + 1);
    await jd.close();
    expect(openFds()).toBeLessThanOrEqual(before);
  });

  it('keeps a short journal in memory and its file closed (below 1 MiB by default)', async () => {
    const dir = makeTempDir();
    const { records } = writeJournal(dir, 20);
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const before = openFds();
    const seen: JournalRecord[] = [];
    const j = await jd.openSession('s1', { replay: { from: 0, visit: (r) => seen.push(r) } });
    expect(openFds()).toBe(before + 1);
    expect(seen).toEqual(records);
    expect(j.records).toEqual(records);
    await jd.close();
  });

  it('after close, a record still on disk cannot be read (journal_closed)', async () => {
    const dir = makeTempDir();
    writeJournal(dir, 5);
    const jd = await openJournalDir(dir, { heartbeatMs: 0, recordsOnDiskFromBytes: 0 });
    const j = await jd.openSession('s1');
    await jd.close();
    expect(() => [...j.replay()]).toThrow(expect.objectContaining({ code: 'journal_closed' }));
  });
});
