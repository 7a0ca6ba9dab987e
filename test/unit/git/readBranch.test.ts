// readBranch against real repositories made with git in temp dirs; every answer is checked against what git
// itself says.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLiveVariantsError } from '../../../src/core/errors';
import { type GitRunner, readBranch } from '../../../src/core/git';
import { git } from '../../helpers/git';

let base: string;
let repo: string;

function commit(cwd: string, message: string): string {
  writeFileSync(join(cwd, 'file.txt'), `${message}\n`);
  git(cwd, 'add', 'file.txt');
  git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

/** What git says: the branch (null when detached) and HEAD (null when unborn). */
function gitSays(cwd: string): { branch: string | null; head: string | null } {
  let branch: string | null = null;
  let head: string | null = null;
  try {
    branch = git(cwd, 'symbolic-ref', '--short', '-q', 'HEAD');
  } catch {
    branch = null;
  }
  try {
    head = git(cwd, 'rev-parse', '-q', '--verify', 'HEAD');
  } catch {
    head = null;
  }
  return { branch, head };
}

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'lv-git-')));
  repo = join(base, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('readBranch (files only)', () => {
  it('reads an unborn branch: its name, no commit', async () => {
    expect(await readBranch(repo)).toEqual({
      branch: 'main',
      head: null,
      worktree: false,
      gitDir: join(repo, '.git'),
      via: 'files',
    });
    expect(gitSays(repo)).toEqual({ branch: 'main', head: null });
  });

  it('reads the branch and commit after commits and `git switch -c`, also from a subdirectory', async () => {
    commit(repo, 'one');
    const two = commit(repo, 'two');
    expect(await readBranch(repo)).toMatchObject({ branch: 'main', head: two, via: 'files' });
    git(repo, 'switch', '-q', '-c', 'feature/hero-variants');
    const three = commit(repo, 'three');
    mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
    const state = await readBranch(join(repo, 'src', 'deep'));
    expect(state).toMatchObject({ branch: 'feature/hero-variants', head: three, worktree: false });
    expect({ branch: state!.branch, head: state!.head }).toEqual(gitSays(repo));
  });

  it('reads a detached HEAD as branch null with its commit', async () => {
    const one = commit(repo, 'one');
    commit(repo, 'two');
    git(repo, 'switch', '-q', '--detach', one);
    expect(await readBranch(repo)).toMatchObject({ branch: null, head: one, via: 'files' });
    expect(gitSays(repo)).toEqual({ branch: null, head: one });
  });

  it('follows a linked worktree through its .git file and commondir', async () => {
    const one = commit(repo, 'one');
    const wt = join(base, 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'wt-branch', wt);
    const wtHead = commit(wt, 'in worktree');
    const state = await readBranch(wt);
    expect(state).toMatchObject({ branch: 'wt-branch', head: wtHead, worktree: true, via: 'files' });
    expect(state!.gitDir).toBe(join(repo, '.git', 'worktrees', 'wt'));
    expect({ branch: state!.branch, head: state!.head }).toEqual(gitSays(wt));
    // The main worktree is unaffected and is not a linked worktree.
    expect(await readBranch(repo)).toMatchObject({ branch: 'main', head: one, worktree: false });
  });

  it('reads refs packed by `git pack-refs --all`, and a newer loose ref over a stale packed one', async () => {
    commit(repo, 'one');
    git(repo, 'switch', '-q', '-c', 'packed/branch');
    const two = commit(repo, 'two');
    git(repo, 'pack-refs', '--all');
    expect(existsSync(join(repo, '.git', 'refs', 'heads', 'packed', 'branch'))).toBe(false);
    expect(await readBranch(repo)).toMatchObject({ branch: 'packed/branch', head: two, via: 'files' });
    // A worktree sees the packed refs of the common directory too.
    const wt = join(base, 'wt2');
    git(repo, 'worktree', 'add', '-q', '--detach', wt, 'main');
    git(wt, 'switch', '-q', 'packed/branch', '--ignore-other-worktrees');
    expect(await readBranch(wt)).toMatchObject({ branch: 'packed/branch', head: two, worktree: true });
    const three = commit(repo, 'three');
    expect(await readBranch(repo)).toMatchObject({ head: three });
    expect(gitSays(repo).head).toBe(three);
  });

  it('follows a `.git` file of a separate git dir (not a linked worktree)', async () => {
    const other = join(base, 'other');
    mkdirSync(other);
    git(other, 'init', '-q', '-b', 'trunk', `--separate-git-dir=${join(base, 'other.git')}`);
    const c = commit(other, 'one');
    expect(await readBranch(other)).toMatchObject({
      branch: 'trunk',
      head: c,
      worktree: false,
      gitDir: join(base, 'other.git'),
    });
  });

  it('follows a symbolic ref chain (HEAD → alias → main)', async () => {
    const one = commit(repo, 'one');
    git(repo, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/main');
    git(repo, 'symbolic-ref', 'HEAD', 'refs/heads/alias');
    expect(await readBranch(repo)).toMatchObject({ branch: 'alias', head: one });
  });

  it('answers null outside a repository', async () => {
    const plain = join(base, 'plain');
    mkdirSync(plain);
    // base is a temp dir outside any repository, so nothing above it has a .git either.
    expect(await readBranch(plain)).toBeNull();
  });
});

describe('readBranch fallback to git', () => {
  it('asks git when HEAD is in a form the reader does not know (reftable)', async () => {
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/.invalid\n');
    const calls: string[][] = [];
    const fake: GitRunner = async (args) => {
      calls.push([...args]);
      if (args[0] === 'rev-parse' && args[1] === '--absolute-git-dir') {
        return { code: 0, stdout: `${join(repo, '.git')}\n.git\ntrue\n` };
      }
      if (args[0] === 'symbolic-ref') return { code: 0, stdout: 'refs/heads/main\n' };
      return { code: 0, stdout: `${'a'.repeat(40)}\n` };
    };
    expect(await readBranch(repo, { git: fake })).toEqual({
      branch: 'main',
      head: 'a'.repeat(40),
      worktree: false,
      gitDir: join(repo, '.git'),
      via: 'git',
    });
    expect(calls.map((c) => c[0])).toEqual(['rev-parse', 'symbolic-ref', 'rev-parse']);
  });

  it('asks the real git when HEAD is damaged, and reports branch_unreadable when git cannot tell either', async () => {
    commit(repo, 'one');
    writeFileSync(join(repo, '.git', 'HEAD'), 'garbage\n');
    const e = await readBranch(repo).catch((x: unknown) => x);
    expect(isLiveVariantsError(e) && [e.code, e.field]).toEqual(['branch_unreadable', 'root']);
  });

  it('reports branch_unreadable when git is not installed', async () => {
    writeFileSync(join(repo, '.git', 'HEAD'), 'garbage\n');
    const missing: GitRunner = () =>
      Promise.reject(Object.assign(new Error('spawn git ENOENT'), { code: 'ENOENT' }));
    const e = await readBranch(repo, { git: missing }).catch((x: unknown) => x);
    expect(isLiveVariantsError(e) && e.message).toMatch(/git did not run \(ENOENT\)/);
  });
});
