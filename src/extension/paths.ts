// Workspace-relative paths as the journal and the status report spell them: `/`-separated, no `..`.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `/`-separated path of `abs` under `root`; undefined when it lies outside. */
export function relativeInside(root: string, abs: string): string | undefined {
  const rel = relative(resolve(root), resolve(abs));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** Like `relativeInside`, but a path outside the workspace is kept absolute (messages still name it). */
export function workspaceRelative(root: string, abs: string): string {
  return relativeInside(root, abs) ?? abs;
}
