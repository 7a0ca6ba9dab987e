// Each session records the git branch and HEAD it was created on: a `session.context` record written in the
// same write as the creating generate, read from a real repository made with git in a temp dir.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BRANCH_READ_TIMEOUT_MS,
  persistFold,
  readBranchBounded,
  replayRecords,
  restoreFold,
  SessionEngine,
  viewOf,
} from '../../../src/core/engine';
import { readBranch } from '../../../src/core/git';
import { type JournalFs, nodeJournalFs } from '../../../src/core/journal/journalFs';
import { git as runGit } from '../../helpers/git';

const SID = 'c0ffee01';
let base: string;
let repo: string;
let journalDir: string;

const git = (...args: string[]) => runGit(repo, ...args);

/** A repository with one commit on `main`, switched to a new branch `feature/hero`; returns HEAD. */
function repoOnFeatureBranch(): string {
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'index.html'), '<main></main>\n');
  git('add', 'index.html');
  git('commit', '-q', '-m', 'first');
  git('switch', '-q', '-c', 'feature/hero');
  return git('rev-parse', 'HEAD');
}

const generate = (eventId: string, sessionId = SID) => ({
  type: 'generate',
  sessionId,
  eventId,
  mode: 'replace',
  count: 3,
  element: { tag: 'section', id: 'hero', classes: ['hero'], pagePath: '/' },
});

const open = (extra: Partial<Parameters<typeof SessionEngine.open>[0]> = {}) =>
  SessionEngine.open({ journalDir, readBranch: () => readBranch(repo), ...extra });

function journalLines(sessionId = SID): Record<string, unknown>[] {
  return readFileSync(join(journalDir, `${sessionId}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'lv-engine-branch-'));
  repo = join(base, 'ws');
  mkdirSync(repo);
  journalDir = join(base, 'journal');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('session.context: the branch a session was created on', () => {
  it('journals {branch, head} right after the creating generate and exposes it on the view', async () => {
    const head = repoOnFeatureBranch();
    const engine = await open();
    const r = await engine.submitBrowserEvent(generate('g1'));
    expect(r).toEqual({ sessionId: SID, seq: 1, duplicate: false, accepted: true, phase: 'generating' });
    expect(engine.records(SID).map((x) => [x.seq, x.eventId, x.type, x.data])).toEqual([
      [1, 'g1', 'browser.generate', expect.objectContaining({ count: 3 })],
      [2, '#session.context', 'session.context', { branch: 'feature/hero', head }],
    ]);
    expect(engine.view(SID)?.branch).toEqual({ branch: 'feature/hero', head });
    expect(engine.view(SID)?.diagnostics).toEqual([]);
    await engine.close();
    expect(journalLines().map((l) => l.type)).toEqual(['browser.generate', 'session.context']);
  });

  it('writes the generate and its context in one write, so a crash keeps both or neither', async () => {
    repoOnFeatureBranch();
    const writes: string[] = [];
    const fs: JournalFs = {
      ...nodeJournalFs,
      async open(path, flags) {
        const h = await nodeJournalFs.open(path, flags);
        if (!path.endsWith(`${SID}.jsonl`)) return h;
        return {
          ...h,
          write: (buffer, offset, length, position) => {
            writes.push(Buffer.from(buffer.subarray(offset, offset + length)).toString('utf8'));
            return h.write(buffer, offset, length, position);
          },
        };
      },
    };
    const engine = await open({ fs });
    await engine.submitBrowserEvent(generate('g1'));
    expect(writes).toHaveLength(1);
    expect(writes[0].split('\n').map((l) => (l === '' ? '' : JSON.parse(l).type))).toEqual([
      'browser.generate',
      'session.context',
      '',
    ]);
    await engine.close();
  });

  it('a failed write of the creating batch leaves neither record; the retried generate writes both', async () => {
    repoOnFeatureBranch();
    let failNext = true;
    const fs: JournalFs = {
      ...nodeJournalFs,
      async open(path, flags) {
        const h = await nodeJournalFs.open(path, flags);
        if (!path.endsWith(`${SID}.jsonl`)) return h;
        return {
          ...h,
          async write(buffer, offset, length, position) {
            if (!failNext) return h.write(buffer, offset, length, position);
            failNext = false;
            // The generate's line reaches the file, the context's does not: a torn batch.
            const firstLine = buffer.subarray(offset, offset + length).indexOf(10) + 1;
            await h.write(buffer, offset, firstLine, position);
            throw Object.assign(new Error('EIO: injected'), { code: 'EIO' });
          },
        };
      },
    };
    const engine = await open({ fs });
    const err = await engine.submitBrowserEvent(generate('g1')).catch((e: { code: string }) => e);
    expect(err).toMatchObject({ code: 'journal_io_failed' });
    const retry = await engine.submitBrowserEvent(generate('g1'));
    expect(retry).toMatchObject({ seq: 1, duplicate: false, accepted: true });
    expect(engine.records(SID).map((x) => x.type)).toEqual(['browser.generate', 'session.context']);
    await engine.close();
    expect(journalLines().map((l) => l.type)).toEqual(['browser.generate', 'session.context']);
  });

  it('later generates of the session record nothing more', async () => {
    const head = repoOnFeatureBranch();
    const engine = await open();
    await engine.submitBrowserEvent(generate('g1'));
    git('switch', '-q', 'main');
    await engine.submitBrowserEvent(generate('g2'));
    expect(engine.records(SID).map((x) => x.type)).toEqual([
      'browser.generate',
      'session.context',
      'browser.generate',
    ]);
    expect(engine.view(SID)?.branch).toEqual({ branch: 'feature/hero', head });
    await engine.close();
  });

  it('two generates creating the same session at once record one context, after the first', async () => {
    const head = repoOnFeatureBranch();
    const engine = await open();
    const [a, b] = await Promise.all([
      engine.submitBrowserEvent(generate('g1')),
      engine.submitBrowserEvent(generate('g2')),
    ]);
    expect([a.seq, b.seq].sort()).toEqual([1, 3]);
    const records = engine.records(SID);
    expect(records.map((x) => [x.seq, x.type])).toEqual([
      [1, 'browser.generate'],
      [2, 'session.context'],
      [3, 'browser.generate'],
    ]);
    expect(records[1].data).toEqual({ branch: 'feature/hero', head });
    // Live equals replay: the owed generate is the second one, under the same item id.
    const live = engine.view(SID)!;
    expect(live.pending.map((w) => w.id)).toEqual([`${SID}-3`]);
    expect(viewOf(replayRecords(SID, records), live.journalBytes)).toEqual(live);
    await engine.close();
  });

  it('records {branch: null, head: null} outside a repository', async () => {
    const engine = await open();
    await engine.submitBrowserEvent(generate('g1'));
    expect(engine.records(SID)[1]).toMatchObject({
      type: 'session.context',
      data: { branch: null, head: null },
    });
    expect(engine.view(SID)?.branch).toEqual({ branch: null, head: null });
    await engine.close();
  });

  it('records a detached HEAD as {branch: null, head}', async () => {
    const head = repoOnFeatureBranch();
    git('switch', '-q', '--detach', 'HEAD');
    const engine = await open();
    await engine.submitBrowserEvent(generate('g1'));
    expect(engine.view(SID)?.branch).toEqual({ branch: null, head });
    await engine.close();
  });

  it('a branch read that fails records the branch as unknown and reports branch_unreadable', async () => {
    const reported: string[] = [];
    const engine = await open({
      readBranch: () => Promise.reject(new Error('HEAD is damaged')),
      onDiagnostic: (d) => reported.push(`${d.code} ${d.sessionId}: ${d.message}`),
    });
    const r = await engine.submitBrowserEvent(generate('g1'));
    expect(r.accepted).toBe(true);
    expect(engine.records(SID)[1].data).toEqual({ branch: null, head: null });
    expect(reported).toEqual([
      `branch_unreadable ${SID}: The git branch of session ${SID} is recorded as unknown: HEAD is damaged.`,
    ]);
    await engine.close();
  });

  it('without readBranch the engine writes no context record and the view says null', async () => {
    const engine = await SessionEngine.open({ journalDir });
    await engine.submitBrowserEvent(generate('g1'));
    expect(engine.records(SID).map((x) => x.type)).toEqual(['browser.generate']);
    expect(engine.view(SID)?.branch).toBeNull();
    await engine.close();
  });

  it('survives a restart: snapshot + tail and full replay both give the recorded branch', async () => {
    const head = repoOnFeatureBranch();
    let engine = await open({ snapshotEvery: 1 });
    await engine.submitBrowserEvent(generate('g1'));
    await engine.submitBrowserEvent(generate('g2'));
    const live = engine.view(SID)!;
    await engine.close();
    engine = await open();
    expect(engine.view(SID)).toEqual(live);
    expect(engine.view(SID)?.branch).toEqual({ branch: 'feature/hero', head });
    await engine.close();
    rmSync(join(journalDir, `${SID}.snapshot.json`));
    engine = await open();
    expect(engine.view(SID)).toEqual(live);
    await engine.close();
  });
});

describe('session.context in the fold', () => {
  const records = [
    {
      seq: 1,
      eventId: 'g1',
      type: 'browser.generate',
      at: '2026-01-01T00:00:00.000Z',
      data: {
        mode: 'replace',
        count: 2,
        element: { tag: 'div', classes: [] },
        enqueue: { kind: 'generate' },
      },
    },
    {
      seq: 2,
      eventId: '#session.context',
      type: 'session.context',
      at: '2026-01-01T00:00:00.000Z',
      data: { branch: 'main', head: 'a'.repeat(40) },
    },
  ];

  it('replay keeps the branch and raises no unreadable_event diagnostic', () => {
    const fold = replayRecords(SID, records);
    expect(fold.branch).toEqual({ branch: 'main', head: 'a'.repeat(40) });
    expect(fold.diagnostics).toEqual([]);
    expect(fold.lastSeq).toBe(2);
  });

  it('snapshot + tail equals replay at every split point', () => {
    const full = replayRecords(SID, records);
    for (let cut = 0; cut <= records.length; cut++) {
      const head = replayRecords(SID, records.slice(0, cut));
      const restored = restoreFold(SID, persistFold(head));
      expect(persistFold(replayRecords(SID, records.slice(cut), restored))).toEqual(persistFold(full));
    }
  });

  it('a snapshot written before sessions recorded branches restores with branch null', () => {
    const { branch: _b, ...old } = persistFold(replayRecords(SID, records.slice(0, 1)));
    expect(restoreFold(SID, old).branch).toBeNull();
  });

  it('malformed context data becomes nulls instead of throwing', () => {
    const fold = replayRecords(SID, [{ ...records[1], data: { branch: 7, head: ['x'] } }]);
    expect(fold.branch).toEqual({ branch: null, head: null });
  });
});

describe('readBranchBounded', () => {
  it('answers unknown when the read does not answer in time', async () => {
    const r = await readBranchBounded(() => new Promise(() => {}), 20);
    expect(r).toEqual({ point: { branch: null, head: null }, problem: 'no answer within 20 ms' });
    expect(BRANCH_READ_TIMEOUT_MS).toBe(2000);
  });

  it('keeps only branch and head of what the reader returns', async () => {
    const r = await readBranchBounded(async () =>
      Object.assign({ branch: 'main', head: 'b'.repeat(40) }, { worktree: false, via: 'files' }),
    );
    expect(r).toEqual({ point: { branch: 'main', head: 'b'.repeat(40) } });
  });

  it('turns a reader that throws synchronously into unknown', async () => {
    const r = await readBranchBounded(() => {
      throw new Error('boom');
    });
    expect(r).toEqual({ point: { branch: null, head: null }, problem: 'boom' });
  });
});
