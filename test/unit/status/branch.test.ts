// Branch context in status (issue #7): the branch a session's `session.context` record names, against the
// workspace's branch now, read from real git repositories and real journals (written through the journal API
// the way the engine writes them).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridge } from '../../../src/bridge/server';
import { offlineStatus } from '../../../src/cli/commands/status';
import { replayRecords, viewOf } from '../../../src/core/engine';
import { branchDiagnostic } from '../../../src/core/git';
import { readSessionJournal } from '../../../src/core/journal';
import {
  computeStatus,
  gatherStatusInputs,
  type SessionStatus,
  type StatusReport,
} from '../../../src/core/status';
import { file, fixture, inputs, Journal, NOW } from './helpers';
import { git, initRepo, writeJournal } from './repo';

const PLAN = '7c0ffee1';
const HERO = '3f9a1c2e';
/** pricing.html as it is on `other`: no markers of any session. */
const PLAIN = '<main class="pricing">\n  <article class="plan"><h2>Pro</h2></article>\n</main>\n';

let base: string;
let root: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'lv-branch-')));
  root = join(base, 'site');
  mkdirSync(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** An accepted session on pricing.html; `context` adds the `session.context` record after the generate. */
function accepted(context?: { branch: string | null; head: string | null }): Journal {
  const j = new Journal(PLAN).generate(2);
  if (context !== undefined) j.event('session.context', context);
  return j
    .ack(1, 'generate', { type: 'done', file: 'pricing.html', count: 2 })
    .checkpoint(1, '2', { lift: 0.75 })
    .event('browser.accept', { variant: '2' });
}

/**
 * main: pricing.html with the session's markers (committed); other: the file before them. Returns the commit
 * main is on.
 */
function repoWithMarkersOnMain(): string {
  writeFileSync(join(root, '.gitignore'), '.live-variants/\n');
  writeFileSync(join(root, 'pricing.html'), PLAIN);
  initRepo(root);
  git(root, 'branch', 'other');
  writeFileSync(join(root, 'pricing.html'), fixture('styled-knobs.html'));
  git(root, 'commit', '-q', '-am', 'variants');
  return git(root, 'rev-parse', 'HEAD');
}

const journalDir = () => join(root, '.live-variants', 'journal');
const conn = () => ({ root, journalDir: journalDir(), endpoint: null, problem: null, discovery: null });

function only(report: StatusReport): SessionStatus {
  expect(report.sessions.map((s) => s.sessionId)).toEqual([PLAN]);
  return report.sessions[0];
}

describe('a session created on main while the workspace is on another branch', () => {
  it('reports branch_changed, completes nothing, and is back to normal after `git switch main`', async () => {
    const head = repoWithMarkersOnMain();
    await writeJournal(journalDir(), accepted({ branch: 'main', head }));

    const onMain = only(await offlineStatus(conn(), { all: false, now: NOW }));
    expect(onMain.branch).toEqual({ branch: 'main', head });
    expect(onMain.diagnostics).toEqual([]);
    expect(onMain.nextAction.action).toBe('run_accept_cleanup');
    expect(onMain.nextAction.command).toBe(`live-variants complete ${PLAN}`);

    git(root, 'switch', '-q', 'other');
    const other = git(root, 'rev-parse', 'HEAD');
    const report = await offlineStatus(conn(), { all: false, now: NOW });
    const s = only(report);
    const changed = {
      code: 'branch_changed',
      sessionId: PLAN,
      message: `Session ${PLAN} was started on branch "main", but the workspace is now on branch "other". Its markers may be missing here only because this branch never had them: run \`git switch main\` before writing, accepting or cleaning up; nothing is treated as complete meanwhile.`,
      suggestedAction: 'git switch main',
      expected: { branch: 'main', head },
      current: { branch: 'other', head: other },
    };
    expect(s.diagnostics).toEqual([changed]);
    expect(report.effects).toEqual([]);
    expect(report.nextAction).toEqual({
      action: 'run_accept_cleanup',
      reason: `Session ${PLAN} was created on branch "main", but the workspace is now on branch "other": switch back with \`git switch main\`, then run \`live-variants status\` again. Until then do not write, accept or clean up anything for this session; its markers may be missing here only because this branch never had them, so nothing is treated as complete.`,
      sessionId: PLAN,
      phase: 'accept_pending',
      file: 'pricing.html',
      variant: '2',
      paramValues: { lift: 0.75 },
      lease: null,
      branch: { branch: 'main', head },
      diagnostics: [
        changed,
        {
          code: 'bridge_not_running',
          message:
            'The bridge is not running, so no browser events or leases flow: start it (VS Code "Live Variants: Start Bridge", or live-variants serve)',
        },
      ],
      command: 'git switch main',
    });

    git(root, 'switch', '-q', 'main');
    const back = only(await offlineStatus(conn(), { all: false, now: NOW }));
    expect(back.diagnostics).toEqual([]);
    expect(back.nextAction.action).toBe('run_accept_cleanup');
    expect(back.nextAction.command).toBe(`live-variants complete ${PLAN}`);
  });

  it('without the record (an older journal) the clean file on the other branch still completes the session', async () => {
    repoWithMarkersOnMain();
    await writeJournal(journalDir(), accepted());
    git(root, 'switch', '-q', 'other');
    const report = await offlineStatus(conn(), { all: false, now: NOW });
    const s = only(report);
    expect(s.branch).toBeNull();
    expect(s.diagnostics).toEqual([]);
    expect(s.nextAction.action).toBe('acknowledge_completion');
    expect(report.effects.map((e) => e.type)).toEqual(['record_synthetic_completion']);
  });

  it('the bridge reports the same and records no completion while the branch differs', async () => {
    const head = repoWithMarkersOnMain();
    await writeJournal(journalDir(), accepted({ branch: 'main', head }));
    git(root, 'switch', '-q', 'other');
    // Accepts applied by an agent: status alone decides here (the bridge's own applier is not under test).
    const bridge = await startBridge({ root, acceptBy: 'agent' });
    try {
      const report = (await bridge.ops.status({ all: false })) as unknown as StatusReport;
      const s = only(report);
      expect(s.phase).toBe('accept_pending');
      expect(s.diagnostics.map((d) => d.code)).toEqual(['branch_changed']);
      expect(s.nextAction.command).toBe('git switch main');
      expect(report.effects).toEqual([]);
      const journal = await readSessionJournal(journalDir(), PLAN);
      expect(journal.archived).toBe(false);
      expect(journal.records.map((r) => r.type)).not.toContain('cleanup.completed');

      git(root, 'switch', '-q', 'main');
      const back = only((await bridge.ops.status({ all: false })) as unknown as StatusReport);
      expect(back.diagnostics).toEqual([]);
      expect(back.nextAction.action).toBe('run_accept_cleanup');
    } finally {
      await bridge.close();
    }
  });
});

describe('linked worktrees', () => {
  it("compare with the worktree's own branch, not the main checkout's", async () => {
    writeFileSync(join(root, 'index.html'), '<main></main>\n');
    initRepo(root);
    const wt = join(base, 'wt');
    git(root, 'worktree', 'add', '-q', '-b', 'feat', wt);
    writeFileSync(join(wt, '.gitignore'), '.live-variants/\n');
    const head = git(wt, 'rev-parse', 'HEAD');
    const wtJournal = join(wt, '.live-variants', 'journal');
    await writeJournal(
      wtJournal,
      new Journal(HERO).generate(2).event('session.context', { branch: 'feat', head }),
    );
    const wtConn = { root: wt, journalDir: wtJournal, endpoint: null, problem: null, discovery: null };

    const same = await offlineStatus(wtConn, { all: false, now: NOW });
    expect(same.sessions[0].branch).toEqual({ branch: 'feat', head });
    expect(same.sessions[0].diagnostics).toEqual([]);
    expect(same.nextAction.action).toBe('poll_for_pending_event');

    git(wt, 'switch', '-q', '-c', 'spike');
    const moved = await offlineStatus(wtConn, { all: false, now: NOW });
    expect(moved.sessions[0].diagnostics).toEqual([
      branchDiagnostic({ sessionId: HERO, branch: 'feat', head }, { branch: 'spike', head }),
    ]);
    expect(moved.nextAction.action).toBe('poll_for_pending_event');
    expect(moved.nextAction.command).toBe('git switch feat');
    // The main checkout never moved: it is still on main.
    expect(git(root, 'branch', '--show-current')).toBe('main');
  });
});

describe('a branch that cannot be read', () => {
  it('is a report-wide branch_unreadable, and no session with a recorded branch completes from its markers', async () => {
    const head = repoWithMarkersOnMain();
    writeFileSync(join(root, 'pricing.html'), PLAIN);
    writeFileSync(join(root, '.git', 'HEAD'), 'garbage\n');
    const records = accepted({ branch: 'main', head }).records;
    const view = viewOf(replayRecords(PLAN, records), 1000);
    const noGit = {
      git: () => Promise.reject(Object.assign(new Error('spawn git ENOENT'), { code: 'ENOENT' })),
    };
    const got = await gatherStatusInputs({
      root,
      sessions: [view],
      now: NOW,
      git: noGit,
      workspace: { isIgnored: () => false },
    });
    expect(got.currentBranch).toBe('unreadable');
    const report = computeStatus(got);
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('run_accept_cleanup');
    expect(report.diagnostics.map((d) => d.code)).toEqual(['branch_unreadable', 'bridge_not_running']);
    expect(report.diagnostics[0].message).toMatch(
      /^The git branch of .* could not be read: .*git did not run \(ENOENT\)\. Until it can be read, no session is taken as complete from its markers\.$/,
    );
  });

  it('is not even read when no session recorded a branch', async () => {
    repoWithMarkersOnMain();
    writeFileSync(join(root, '.git', 'HEAD'), 'garbage\n');
    const records = accepted().records;
    const view = viewOf(replayRecords(PLAN, records), 1000);
    const got = await gatherStatusInputs({
      root,
      sessions: [view],
      now: NOW,
      git: { git: () => Promise.reject(new Error('git must not run')) },
      workspace: { isIgnored: () => false },
    });
    expect(got.currentBranch).toBeNull();
    expect(got.findings).toEqual([]);
  });
});

describe('computeStatus with branch context', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);

  /** An accepted session on pricing.html, created on `branch` at commit A. */
  function acceptedOn(branch: string | null) {
    return new Journal(PLAN)
      .generate(2)
      .event('session.context', { branch, head: A })
      .ack(1, 'generate', { type: 'done', file: 'pricing.html', count: 2 })
      .checkpoint(1, '2')
      .event('browser.accept', { variant: '2' })
      .view();
  }

  it('puts work on the checked-out branch before a session waiting for a switch back', () => {
    const hero = new Journal(HERO, Date.parse('2025-03-01T09:00:00.000Z'))
      .generate(3)
      .event('session.context', { branch: 'main', head: A })
      .view();
    const report = computeStatus(
      inputs({
        sessions: [acceptedOn('feature/hero'), hero],
        files: [file('pricing.html', PLAIN)],
        currentBranch: { branch: 'main', head: B },
      }),
    );
    expect(report.sessions.map((s) => [s.sessionId, s.nextAction.action, s.nextAction.command])).toEqual([
      [HERO, 'poll_for_pending_event', 'live-variants poll'],
      [PLAN, 'run_accept_cleanup', 'git switch feature/hero'],
    ]);
    expect(report.effects).toEqual([]);
    expect(report.sessions[1].branch).toEqual({ branch: 'feature/hero', head: A });
    expect(report.sessions[0].branch).toEqual({ branch: 'main', head: A });
    expect(report.sessions[0].diagnostics).toEqual([]);
  });

  it('a session started on a detached HEAD asks to go back to its commit', () => {
    const hero = new Journal(HERO).generate(3).event('session.context', { branch: null, head: A }).view();
    const report = computeStatus(inputs({ sessions: [hero], currentBranch: { branch: null, head: B } }));
    expect(report.nextAction.command).toBe(`git switch --detach ${A}`);
    expect(report.nextAction.reason).toMatch(
      /^Session 3f9a1c2e was created on a detached HEAD at aaaaaaa, but the workspace is now on a detached HEAD at bbbbbbb: switch back with `git switch --detach a{40}`/,
    );
  });

  it('a clean file on the session branch still completes (the record alone holds nothing)', () => {
    const report = computeStatus(
      inputs({
        sessions: [acceptedOn('main')],
        files: [file('pricing.html', PLAIN)],
        currentBranch: { branch: 'main', head: B },
      }),
    );
    expect(report.nextAction.action).toBe('acknowledge_completion');
    expect(report.nextAction.diagnostics).toEqual([]);
  });

  it('a stranded session on another branch is told to switch back before resuming', () => {
    const view = new Journal(HERO)
      .generate(3)
      .event('session.context', { branch: 'main', head: A })
      .event('session.strand', { reason: 'bridge restarted' })
      .view();
    const report = computeStatus(inputs({ sessions: [view], currentBranch: { branch: 'other', head: B } }));
    expect(report.nextAction.command).toBe('git switch main');
    expect(report.nextAction.diagnostics.map((d) => d.code)).toEqual(['session_stranded', 'branch_changed']);
  });
});
