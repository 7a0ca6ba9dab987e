// File names the CLI sends or prints are workspace-relative and `/`-separated, whatever the current directory.

import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `file` (relative to `cwd`, or absolute) as a workspace-relative path; unchanged when it lies outside `root`. */
export function workspaceFile(root: string, cwd: string, file: string): string {
  const abs = resolve(cwd, file);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return sep === '/' ? rel : rel.split(sep).join('/');
}
