// Resolving a ref to a commit by reading files: the loose ref file first (which may itself be symbolic),
// then `packed-refs` (after `git pack-refs`, or refs git never wrote loose). Per-worktree refs (HEAD,
// refs/bisect, refs/worktree, refs/rewritten) live in the worktree's git directory, all others in the common
// directory. Anything this reader does not understand is a GitLayoutError, so the caller can ask git.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { GitLayoutError, type GitLocation } from './gitDir';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const MAX_SYMREF_DEPTH = 5;
const PER_WORKTREE = ['refs/bisect/', 'refs/worktree/', 'refs/rewritten/'];

export function isObjectId(s: string): boolean {
  return OBJECT_ID.test(s);
}

/** A ref name this reader will turn into a path: no `..`, no absolute or backslash paths, no empty parts. */
export function isSafeRefName(ref: string): boolean {
  if (ref.length === 0 || ref.length > 1024 || ref.startsWith('/') || ref.includes('\\')) return false;
  return ref.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

export type HeadContent = { kind: 'symbolic'; ref: string } | { kind: 'detached'; oid: string };

/** Parses the text of HEAD or of a loose ref file. */
export function parseRefContent(text: string, what: string): HeadContent {
  const t = text.trim();
  if (t.startsWith('ref:')) {
    const ref = t.slice(4).trim();
    if (!isSafeRefName(ref)) throw new GitLayoutError(`${what} names an unusable ref ${JSON.stringify(ref)}`);
    return { kind: 'symbolic', ref };
  }
  if (isObjectId(t)) return { kind: 'detached', oid: t };
  throw new GitLayoutError(`${what} is neither "ref: <name>" nor an object id`);
}

/** The commit `ref` points at; null when the ref does not exist (an unborn branch). */
export async function resolveRef(loc: GitLocation, ref: string, depth = 0): Promise<string | null> {
  if (depth > MAX_SYMREF_DEPTH)
    throw new GitLayoutError(`symbolic refs nest deeper than ${MAX_SYMREF_DEPTH} at ${ref}`);
  const base = ref === 'HEAD' || PER_WORKTREE.some((p) => ref.startsWith(p)) ? loc.gitDir : loc.commonDir;
  const path = join(base, ...ref.split('/'));
  let text: string | undefined;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Missing (or a directory of that name): the ref may be packed.
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') {
      throw new GitLayoutError(`${path} could not be read (${code ?? String(e)})`);
    }
  }
  if (text !== undefined) {
    const content = parseRefContent(text, path);
    return content.kind === 'detached' ? content.oid : resolveRef(loc, content.ref, depth + 1);
  }
  return findPackedRef(loc.commonDir, ref);
}

/** The object id `packed-refs` lists for `ref` (peeled `^` lines and comments skipped); null when absent. */
export async function findPackedRef(commonDir: string, ref: string): Promise<string | null> {
  let text: string;
  try {
    text = await fsp.readFile(join(commonDir, 'packed-refs'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new GitLayoutError(
      `packed-refs could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.endsWith('\r', end) ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1) === ref && isObjectId(line.slice(0, space))) {
      return line.slice(0, space);
    }
  }
  return null;
}
