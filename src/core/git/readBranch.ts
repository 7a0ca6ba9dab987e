// The branch and HEAD commit of a workspace, read from the repository's files without spawning git (a
// status call may run this for every session; a process spawn costs milliseconds, a file read
// microseconds). Only when the files are in a form this reader does not know (reftable, a damaged HEAD)
// does it ask `git` itself.
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { LiveVariantsError } from '../errors';
import { findGitDir, GitLayoutError, type GitLocation } from './gitDir';
import { isObjectId, parseRefContent, resolveRef } from './refs';

export interface BranchState {
  /** The checked-out branch (`main`, `feature/x`); null when HEAD is detached. */
  branch: string | null;
  /** The commit HEAD points at; null on an unborn branch (no commit yet). */
  head: string | null;
  /** True in a linked worktree (`git worktree add`). */
  worktree: boolean;
  /** This worktree's git directory (watch `<gitDir>/HEAD` to notice a switch). */
  gitDir: string;
  /** `files`: read from the repository's files; `git`: the git command answered. */
  via: 'files' | 'git';
}

/** Runs git with `args` in `cwd`; resolves its exit code and stdout (never rejects for a non-zero exit). */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<{ code: number; stdout: string }>;

export interface ReadBranchOptions {
  /** How to ask git when the files cannot be read (default: spawn `git`, 5 s timeout). */
  git?: GitRunner;
}

const BRANCH_PREFIX = 'refs/heads/';
/** What HEAD says in a reftable repository, whose refs are not files. */
const REFTABLE_HEAD = 'refs/heads/.invalid';

/**
 * The branch state of the repository containing `root`; null when `root` is not inside a git work tree.
 * Throws a LiveVariantsError (`branch_unreadable`) only when neither the files nor git could tell.
 */
export async function readBranch(root: string, opts: ReadBranchOptions = {}): Promise<BranchState | null> {
  let loc: GitLocation | null;
  try {
    loc = await findGitDir(root);
  } catch (e) {
    if (!(e instanceof GitLayoutError)) throw e;
    return askGit(root, opts.git ?? spawnGit, e.message);
  }
  if (loc === null) return null;
  try {
    return await readFromFiles(loc);
  } catch (e) {
    if (!(e instanceof GitLayoutError)) throw e;
    return askGit(root, opts.git ?? spawnGit, e.message);
  }
}

async function readFromFiles(loc: GitLocation): Promise<BranchState> {
  const headPath = join(loc.gitDir, 'HEAD');
  const text = await fsp.readFile(headPath, 'utf8').catch((e: unknown) => {
    throw new GitLayoutError(
      `${headPath} could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  });
  const content = parseRefContent(text, headPath);
  const base = { worktree: loc.worktree, gitDir: loc.gitDir, via: 'files' as const };
  if (content.kind === 'detached') return { ...base, branch: null, head: content.oid };
  if (content.ref === REFTABLE_HEAD || (await exists(join(loc.commonDir, 'reftable')))) {
    throw new GitLayoutError('the repository stores its refs in a reftable');
  }
  const branch = content.ref.startsWith(BRANCH_PREFIX)
    ? content.ref.slice(BRANCH_PREFIX.length)
    : content.ref;
  return { ...base, branch, head: await resolveRef(loc, content.ref) };
}

async function exists(path: string): Promise<boolean> {
  return fsp.stat(path).then(
    () => true,
    () => false,
  );
}

async function askGit(root: string, git: GitRunner, why: string): Promise<BranchState | null> {
  const unreadable = (detail: string) =>
    new LiveVariantsError(
      'branch_unreadable',
      `The git branch of ${root} could not be read: ${why}; ${detail}.`,
      'root',
    );
  let dirs: { code: number; stdout: string };
  try {
    dirs = await git(['rev-parse', '--absolute-git-dir', '--git-common-dir', '--is-inside-work-tree'], root);
  } catch (e) {
    throw unreadable(`git did not run (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  // A `.git` was found but git does not take it for a repository: damaged, not "no repository".
  if (dirs.code !== 0) throw unreadable('git does not recognise the repository either');
  const [gitDir = '', commonDir = '', inside = ''] = dirs.stdout.split('\n').map((l) => l.trim());
  if (inside !== 'true') return null;
  const sym = await git(['symbolic-ref', '-q', 'HEAD'], root);
  const rev = await git(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], root);
  const head = rev.code === 0 && isObjectId(rev.stdout.trim()) ? rev.stdout.trim() : null;
  const ref = sym.code === 0 ? sym.stdout.trim() : null;
  if (ref === null && head === null) throw unreadable('git reports neither a branch nor a commit for HEAD');
  const branch = ref === null ? null : ref.startsWith(BRANCH_PREFIX) ? ref.slice(BRANCH_PREFIX.length) : ref;
  // `--git-common-dir` may be relative to the cwd; a linked worktree's differs from its git dir.
  const worktree = commonDir !== '' && !(await sameDir(gitDir, resolve(root, commonDir)));
  return { branch, head, worktree, gitDir, via: 'git' };
}

async function sameDir(a: string, b: string): Promise<boolean> {
  const real = (p: string) => fsp.realpath(p).catch(() => resolve(p));
  return (await real(a)) === (await real(b));
}

const spawnGit: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd,
        timeout: 5_000,
        windowsHide: true,
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      },
      (error, stdout) => {
        if (error && typeof (error as { code?: unknown }).code !== 'number') reject(error);
        else
          resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stdout: String(stdout) });
      },
    );
  });
