import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { readSessionJournal } from '../../../src/core/journal/readSessionJournal';
import type { AppendInput } from '../../../src/core/journal/types';
import { cleanupTempDirs, makeTempDir } from './testFs';

afterEach(cleanupTempDirs);

describe('secret guard', () => {
  const secretData: Array<[Record<string, unknown>, string]> = [
    [{ token: 'abc' }, 'data.token'],
    [{ Authorization: 'Bearer x' }, 'data.Authorization'],
    [{ deep: { list: [{ a: 1 }, { TOKEN: 'x' }] } }, 'data.deep.list[1].TOKEN'],
    [{ headers: { authorization: undefined } }, 'data.headers.authorization'],
  ];
  for (const [data, field] of secretData) {
    it(`refuses data with a credential key at ${field} and writes nothing`, async () => {
      const dir = makeTempDir();
      const jd = await openJournalDir(dir, { heartbeatMs: 0 });
      const j = await jd.openSession('s1');
      await expect(j.append({ eventId: 'e1', type: 't', data })).rejects.toMatchObject({
        code: 'journal_secret_refused',
        field,
      });
      expect(statSync(join(dir, 's1.jsonl')).size).toBe(0);
      expect(await j.append({ eventId: 'e1', type: 't', data: { tokens: 3, tokenCount: 1 } })).toEqual({
        seq: 1,
        duplicate: false,
      });
      await jd.close();
    });
  }

  it('refuses a snapshot state that carries a credential key', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    await expect(j.writeSnapshot({ agents: [{ token: 'x' }] })).rejects.toMatchObject({
      code: 'journal_secret_refused',
      field: 'state.agents[0].token',
    });
    await jd.close();
  });
});

describe('append input checks', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const bad: Array<[string, unknown, string]> = [
    ['an empty eventId', { eventId: '', type: 't', data: {} }, 'eventId'],
    ['a non-string eventId', { eventId: 7, type: 't', data: {} }, 'eventId'],
    ['an eventId over 256 characters', { eventId: 'e'.repeat(257), type: 't', data: {} }, 'eventId'],
    ['an empty type', { eventId: 'e', type: '', data: {} }, 'type'],
    ['an unparseable at', { eventId: 'e', type: 't', at: 'yesterday', data: {} }, 'at'],
    ['array data', { eventId: 'e', type: 't', data: [] }, 'data'],
    ['null data', { eventId: 'e', type: 't', data: null }, 'data'],
    ['a function value', { eventId: 'e', type: 't', data: { f: () => 1 } }, 'data.f'],
    ['NaN', { eventId: 'e', type: 't', data: { n: Number.NaN } }, 'data.n'],
    ['a bigint', { eventId: 'e', type: 't', data: { n: 1n } }, 'data.n'],
    ['a Date instance', { eventId: 'e', type: 't', data: { d: new Date(0) } }, 'data.d'],
    ['undefined in an array', { eventId: 'e', type: 't', data: { a: [1, undefined] } }, 'data.a[1]'],
    ['a cycle', { eventId: 'e', type: 't', data: cyclic }, expect.stringMatching(/^data(\.self)+$/)],
  ];
  for (const [what, input, field] of bad) {
    it(`refuses ${what} with journal_bad_input on ${typeof field === 'string' ? field : 'the cycle'}`, async () => {
      const dir = makeTempDir();
      const jd = await openJournalDir(dir, { heartbeatMs: 0 });
      const j = await jd.openSession('s1');
      await expect(j.append(input as AppendInput)).rejects.toMatchObject({
        code: 'journal_bad_input',
        field,
      });
      expect(j.records).toEqual([]);
      await jd.close();
    });
  }

  it('stores a "__proto__" key as data, not as a prototype', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    const j = await jd.openSession('s1');
    const data = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    await j.append({ eventId: 'e', type: 't', data });
    expect(Object.keys(j.records[0].data)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const back = await readSessionJournal(dir, 's1');
    expect(Object.keys(back.records[0].data)).toEqual(['__proto__']);
    await jd.close();
  });
});

describe('session ids', () => {
  const badIds: unknown[] = ['', '../x', 'a/b', 'a\\b', 'a.b', 'x'.repeat(65), 'sp ace', 'é', 42, undefined];
  it('accepts [A-Za-z0-9_-]{1,64}', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    for (const id of ['a', 'A-b_9', 'x'.repeat(64), 'deadbeef']) await jd.openSession(id);
    expect(await jd.listSessions()).toEqual(['A-b_9', 'a', 'deadbeef', 'x'.repeat(64)]);
    await jd.close();
  });
  for (const id of badIds) {
    it(`refuses ${JSON.stringify(id) ?? 'undefined'} everywhere with invalid_session_id`, async () => {
      const dir = makeTempDir();
      const jd = await openJournalDir(dir, { heartbeatMs: 0 });
      const expected = { code: 'invalid_session_id', field: 'sessionId' };
      await expect(jd.openSession(id as string)).rejects.toMatchObject(expected);
      await expect(jd.archiveSession(id as string)).rejects.toMatchObject(expected);
      await expect(jd.writeArtifact(id as string, 'a.png', Buffer.from('x'))).rejects.toMatchObject(expected);
      await expect(jd.listArtifacts(id as string)).rejects.toMatchObject(expected);
      expect(() => jd.artifactPath(id as string, 'a.png')).toThrow(expect.objectContaining(expected));
      await expect(readSessionJournal(dir, id as string)).rejects.toMatchObject(expected);
      expect(await jd.listSessions()).toEqual([]);
      await jd.close();
    });
  }
});
