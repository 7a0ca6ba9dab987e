import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournalDir } from '../../../src/core/journal/journalDir';
import { nodeJournalFs } from '../../../src/core/journal/journalFs';
import { listSessionsReadOnly, readSessionJournal } from '../../../src/core/journal/readSessionJournal';
import { cleanupTempDirs, instrumentFs, makeTempDir, memoryFs } from './testFs';

afterEach(cleanupTempDirs);

const DAY = 24 * 60 * 60 * 1000;

describe('archive', () => {
  it('moves journal and snapshot to archive/, deletes artifacts, and keeps the session readable', async () => {
    const dir = makeTempDir();
    const archivedAt = new Date('2025-03-01T12:00:00.000Z');
    const jd = await openJournalDir(dir, { heartbeatMs: 0, now: () => archivedAt });
    const j = await jd.openSession('done1');
    await j.append({ eventId: 'e1', type: 't', data: { x: 1 } });
    await j.writeSnapshot({ count: 1 });
    await jd.writeArtifact('done1', 'shot.png', Buffer.from('png'));
    await jd.openSession('live1');

    await jd.archiveSession('done1');
    expect(readdirSync(dir).sort()).toEqual(['archive', 'live1.jsonl', 'writer.lock']);
    expect(readdirSync(join(dir, 'archive')).sort()).toEqual(['done1.jsonl', 'done1.snapshot.json']);
    expect(statSync(join(dir, 'archive', 'done1.jsonl')).mtimeMs).toBe(archivedAt.getTime());
    expect(await jd.listSessions()).toEqual(['live1']);
    expect(await jd.listArchived()).toEqual(['done1']);
    expect(j.closed).toBe(true);

    const audit = await readSessionJournal(dir, 'done1', { withSnapshot: true });
    expect(audit.archived).toBe(true);
    expect(audit.records.map((r) => r.data)).toEqual([{ x: 1 }]);
    expect(audit.snapshot?.snapshot?.state).toEqual({ count: 1 });

    await expect(jd.openSession('done1')).rejects.toMatchObject({
      code: 'session_archived',
      field: 'sessionId',
    });
    await jd.archiveSession('done1'); // idempotent
    await expect(jd.archiveSession('never')).rejects.toMatchObject({ code: 'session_not_found' });
    await jd.close();
  });

  it('lists and opens active sessions without touching archive/ (50 archived sessions cost nothing)', async () => {
    const mem = memoryFs();
    const setup = await openJournalDir('/ws', { fs: mem, heartbeatMs: 0 });
    for (let i = 0; i < 50; i++) {
      const j = await setup.openSession(`old${i}`);
      await j.append({ eventId: 'e', type: 't', data: {} });
      await setup.archiveSession(`old${i}`);
    }
    for (const id of ['a', 'b', 'c', 'd']) await setup.openSession(id);
    await setup.close();

    const fs = instrumentFs(mem);
    const jd = await openJournalDir('/ws', { fs, heartbeatMs: 0 });
    expect(await jd.listSessions()).toEqual(['a', 'b', 'c', 'd']);
    const touchedArchive = fs.calls.filter((c) => c.includes('/ws/archive'));
    expect(touchedArchive).toEqual([]);
    // opening a session costs one look-up of its own name in the archive, nothing more
    await jd.openSession('a');
    expect(fs.calls.filter((c) => c.includes('/ws/archive'))).toEqual(['stat /ws/archive/a.jsonl']);
    expect(await listSessionsReadOnly('/ws', { fs: mem })).toEqual(['a', 'b', 'c', 'd']);
    expect(await listSessionsReadOnly('/ws', { fs: mem, archived: true })).toHaveLength(50);
    await jd.close();
  });

  it('prunes archived sessions older than the age by archive time, across restarts, and reports them', async () => {
    const dir = makeTempDir();
    let now = new Date('2025-01-01T00:00:00.000Z');
    const jd = await openJournalDir(dir, { heartbeatMs: 0, now: () => now });
    for (const [id, day] of [
      ['jan1', 0],
      ['jan5', 4],
      ['jan9', 8],
    ] as const) {
      now = new Date(Date.parse('2025-01-01T00:00:00.000Z') + day * DAY);
      const j = await jd.openSession(id);
      await j.append({ eventId: 'e', type: 't', data: {} });
      await jd.archiveSession(id);
    }
    await jd.close();

    const restarted = await openJournalDir(dir, { heartbeatMs: 0 });
    const at = new Date('2025-01-10T00:00:00.000Z');
    expect(await restarted.prune({ olderThanMs: 7 * DAY, now: at })).toEqual(['jan1']);
    expect(await restarted.prune({ olderThanMs: 7 * DAY, now: at })).toEqual([]);
    expect(await restarted.prune({ olderThanMs: 2 * DAY, now: at })).toEqual(['jan5']);
    expect(await restarted.listArchived()).toEqual(['jan9']);
    expect(restarted.diagnostics.map((d) => [d.code, d.sessionId])).toEqual([
      ['session_pruned', 'jan1'],
      ['session_pruned', 'jan5'],
    ]);
    expect(readdirSync(join(dir, 'archive'))).toEqual(['jan9.jsonl']);
    await expect(restarted.prune({ olderThanMs: -1 })).rejects.toMatchObject({ code: 'journal_bad_input' });
    await restarted.close();
  });

  it('moves torn-tail sidecars with the journal and prunes them with it', async () => {
    const mem = memoryFs(() => 0);
    await mem.mkdir('/ws');
    mem.put('/ws/s.jsonl', Buffer.from('torn bytes'));
    const jd = await openJournalDir('/ws', { fs: mem, heartbeatMs: 0, now: () => new Date(1000) });
    await jd.openSession('s');
    await jd.archiveSession('s');
    expect(
      mem
        .paths()
        .filter((f) => f.includes('archive'))
        .sort(),
    ).toEqual(['/ws/archive/s.jsonl', '/ws/archive/s.jsonl.torn-0']);
    expect(await jd.prune({ olderThanMs: 10, now: new Date(5000) })).toEqual(['s']);
    expect(mem.paths().filter((f) => f.includes('archive'))).toEqual([]);
    await jd.close();
  });
});

describe('artifacts', () => {
  it('stores, lists and locates artifacts beside the session until it is archived', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    await jd.openSession('s1');
    const path = await jd.writeArtifact('s1', 'annotation-1.png', Buffer.from([1, 2, 3]));
    expect(path).toBe(join(dir, 's1.artifacts', 'annotation-1.png'));
    expect(jd.artifactPath('s1', 'annotation-1.png')).toBe(path);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await jd.writeArtifact('s1', 'b.txt', Buffer.from('b'));
    expect(await jd.listArtifacts('s1')).toEqual(['annotation-1.png', 'b.txt']);
    expect(await jd.missingArtifacts('s1', ['b.txt', 'gone.png'])).toEqual([
      {
        code: 'artifact_missing',
        sessionId: 's1',
        message: `Artifact gone.png of session s1 is missing from ${join(dir, 's1.artifacts')}.`,
      },
    ]);
    await jd.archiveSession('s1');
    expect(existsSync(join(dir, 's1.artifacts'))).toBe(false);
    await expect(jd.writeArtifact('s1', 'late.png', Buffer.from('x'))).rejects.toMatchObject({
      code: 'session_not_found',
    });
    expect(await jd.listArtifacts('s1')).toEqual([]);
    await jd.close();
  });

  it('refuses names with separators, dotfiles, traversal and names over 128 characters', async () => {
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { heartbeatMs: 0 });
    await jd.openSession('s1');
    for (const name of ['', 'a/b', 'a\\b', '.hidden', '..', '../x', 'x'.repeat(129), 'sp ace', 'nul\0']) {
      await expect(jd.writeArtifact('s1', name, Buffer.from('x'))).rejects.toMatchObject({
        code: 'invalid_artifact_name',
        field: 'name',
      });
      expect(() => jd.artifactPath('s1', name)).toThrow(
        expect.objectContaining({ code: 'invalid_artifact_name' }),
      );
    }
    expect(jd.artifactPath('s1', 'x'.repeat(128))).toBe(join(dir, 's1.artifacts', 'x'.repeat(128)));
    expect(existsSync(join(dir, 's1.artifacts'))).toBe(false);
    await jd.close();
  });

  it('never lists a half-written artifact', async () => {
    const fs = instrumentFs(nodeJournalFs);
    const dir = makeTempDir();
    const jd = await openJournalDir(dir, { fs, heartbeatMs: 0 });
    await jd.openSession('s1');
    await jd.writeArtifact('s1', 'a.png', Buffer.from('x'));
    expect(fs.calls).toContain(
      `rename ${join(dir, 's1.artifacts', '.a.png.tmp')} ${join(dir, 's1.artifacts', 'a.png')}`,
    );
    await jd.close();
  });
});
