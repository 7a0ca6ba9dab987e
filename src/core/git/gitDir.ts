// Finding a workspace's git directory by reading files, the way git itself does (gitrepository-layout(5)):
// walk up from the workspace to the first `.git`; a `.git` *file* holds `gitdir: <path>` (linked worktrees,
// submodules); a linked worktree's git directory holds `commondir`, the path of the shared repository where
// branches and packed-refs live.
import { promises as fsp } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface GitLocation {
  /** The directory holding `.git` (the worktree's top level). */
  topLevel: string;
  /** This worktree's git directory (HEAD lives here). */
  gitDir: string;
  /** The shared repository directory (refs/heads, packed-refs); equals gitDir outside linked worktrees. */
  commonDir: string;
  /** True for a linked worktree (`git worktree add`). */
  worktree: boolean;
}

/** Why the file reading gave up: the caller may ask git itself. */
export class GitLayoutError extends Error {}

export async function findGitDir(start: string): Promise<GitLocation | null> {
  let dir = resolve(start);
  for (;;) {
    const dotGit = join(dir, '.git');
    const st = await fsp.stat(dotGit).catch(() => undefined);
    if (st?.isDirectory()) return locate(dir, dotGit);
    if (st?.isFile()) return locate(dir, await readGitdirFile(dotGit));
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

async function readGitdirFile(path: string): Promise<string> {
  const text = await fsp.readFile(path, 'utf8').catch((e: unknown) => {
    throw new GitLayoutError(`${path} could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  });
  const m = /^gitdir: *(.+?)\s*$/m.exec(text);
  if (!m) throw new GitLayoutError(`${path} does not say "gitdir: <path>"`);
  return isAbsolute(m[1]) ? m[1] : resolve(dirname(path), m[1]);
}

async function locate(topLevel: string, gitDir: string): Promise<GitLocation> {
  const common = await fsp.readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
  if (common === undefined) return { topLevel, gitDir, commonDir: gitDir, worktree: false };
  const rel = common.trim();
  if (rel === '') throw new GitLayoutError(`${join(gitDir, 'commondir')} is empty`);
  return { topLevel, gitDir, commonDir: isAbsolute(rel) ? rel : resolve(gitDir, rel), worktree: true };
}
