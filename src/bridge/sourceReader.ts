// `GET /v1/source?path=…`: the preview's no-HMR fallback reads a source file through the bridge. The path is
// untrusted: it is checked as text first (cheap, no file system), then resolved with realpath on both sides and
// checked for containment again, then opened without following links and checked once more on the descriptor.
// Nothing is read from a file until every check has passed.
import { constants, promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { LiveVariantsError } from '../core/errors';
import { SOURCE_FILE_LIMIT } from './security';

export interface WorkspaceSource {
  /** The workspace-relative path as requested (forward slashes). */
  path: string;
  text: string;
  mtimeMs: number;
  /** Bytes read. */
  size: number;
}

export interface ReadSourceOptions {
  /** Largest file returned (default SOURCE_FILE_LIMIT, 5 MiB). */
  maxBytes?: number;
}

/** Longest accepted path, in UTF-16 units; real source paths are far shorter. */
export const MAX_SOURCE_PATH_LENGTH = 1024;
const MAX_SEGMENT_BYTES = 255;
const READ_CHUNK = 64 * 1024;

// C0 controls, DEL, and lone UTF-16 surrogates (which Node would silently turn into U+FFFD, a different name).
const CONTROL_OR_LONE_SURROGATE =
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// The caller decodes the query once; a remaining %XX means double encoding (or a literal % escape), refused.
const PERCENT_ESCAPE = /%[0-9a-fA-F]{2}/;

function invalidPath(message: string): LiveVariantsError {
  return new LiveVariantsError('invalid_path', message, 'path');
}
function notAllowed(message: string): LiveVariantsError {
  return new LiveVariantsError('path_not_allowed', message, 'path');
}

/**
 * The segments of an acceptable workspace-relative path, or a refusal: `invalid_path` (400) for malformed text,
 * `path_not_allowed` (403) for absolute paths, `..` and any segment starting with a dot.
 */
export function validateSourcePath(requested: unknown): string[] {
  if (typeof requested !== 'string' || requested === '') {
    throw invalidPath('Give a workspace-relative file path, e.g. path=src/index.html.');
  }
  if (requested.length > MAX_SOURCE_PATH_LENGTH) {
    throw invalidPath(`The path is longer than ${MAX_SOURCE_PATH_LENGTH} characters.`);
  }
  if (CONTROL_OR_LONE_SURROGATE.test(requested)) {
    throw invalidPath('The path contains control characters or invalid Unicode.');
  }
  if (PERCENT_ESCAPE.test(requested)) {
    throw invalidPath('The path still contains %-escapes after decoding; encode it exactly once.');
  }
  if (requested.includes('\\')) throw invalidPath('Use forward slashes in the path.');
  if (requested.startsWith('/') || /^[A-Za-z]:/.test(requested)) {
    throw notAllowed('The path must be relative to the workspace, not absolute.');
  }
  const segments = requested.split('/');
  for (const segment of segments) {
    if (segment === '') throw invalidPath('The path has an empty segment (a doubled or trailing slash).');
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) {
      throw invalidPath(`A path segment is longer than ${MAX_SEGMENT_BYTES} bytes.`);
    }
    if (segment === '..') throw notAllowed('The path may not climb out with "..".');
    if (segment.startsWith('.')) {
      throw notAllowed('Dotfiles and dot-folders (.git, .env, .live-variants, …) are never served.');
    }
  }
  return segments;
}

function fsRefusal(err: unknown, shownPath: string): LiveVariantsError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new LiveVariantsError('not_found', `No file ${shownPath} in the workspace.`, 'path');
    case 'ELOOP':
      return notAllowed('The path runs through a symlink loop or a symlink where none is allowed.');
    case 'ENAMETOOLONG':
      return invalidPath('The path is too long for the file system.');
    case 'EACCES':
    case 'EPERM':
      return notAllowed(`${shownPath} is not readable.`);
    default:
      return new LiveVariantsError(
        'not_found',
        `${shownPath} could not be read (${code || 'error'}).`,
        'path',
      );
  }
}

/** `real` is strictly inside `rootReal` (the trailing separator keeps `/ws-evil` out of `/ws`) and has no
 * dot segment below it (a symlink inside the workspace may still lead to `.git/config`). */
function assertInside(rootReal: string, real: string): void {
  const prefix = rootReal.endsWith(sep) ? rootReal : rootReal + sep;
  if (!real.startsWith(prefix)) throw notAllowed('The path leads outside the workspace (through a symlink).');
  if (
    relative(rootReal, real)
      .split(sep)
      .some((segment) => segment.startsWith('.'))
  ) {
    throw notAllowed('The path leads to a dotfile or dot-folder (through a symlink).');
  }
}

/**
 * Between realpath and open a folder on the way could be swapped for a symlink. The descriptor knows what was
 * really opened: on Linux /proc names it; elsewhere the opened inode must still be the one at the checked path.
 */
async function assertDescriptorInside(
  handle: FileHandle,
  st: Stats,
  rootReal: string,
  real: string,
): Promise<void> {
  let opened: string | null = null;
  try {
    opened = await fsp.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    opened = null;
  }
  if (opened?.startsWith(sep)) {
    assertInside(rootReal, opened);
    return;
  }
  const again = await fsp.stat(real);
  if (again.dev !== st.dev || again.ino !== st.ino)
    throw notAllowed('The file changed while it was being opened.');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a text file inside the workspace `root`. `requestedPath` is the query value, URL-decoded once by the
 * caller. Refusals: `invalid_path` 400, `path_not_allowed` 403, `not_found` 404, `file_too_large` 413,
 * `not_text_file` 415.
 */
export async function readWorkspaceSource(
  root: string,
  requestedPath: unknown,
  options: ReadSourceOptions = {},
): Promise<WorkspaceSource> {
  const maxBytes = options.maxBytes ?? SOURCE_FILE_LIMIT;
  const segments = validateSourcePath(requestedPath);
  const shownPath = segments.join('/');

  let rootReal: string;
  try {
    rootReal = await fsp.realpath(root);
  } catch {
    throw new LiveVariantsError('not_found', 'The workspace folder does not exist.', 'root');
  }
  let real: string;
  try {
    real = await fsp.realpath(join(rootReal, ...segments));
  } catch (err) {
    throw fsRefusal(err, shownPath);
  }
  assertInside(rootReal, real);

  let handle: FileHandle;
  try {
    // O_NOFOLLOW: the last component must still be what realpath saw. O_NONBLOCK: a FIFO must not hang us.
    handle = await fsp.open(
      real,
      constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
    );
  } catch (err) {
    throw fsRefusal(err, shownPath);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notAllowed(`${shownPath} is not a regular file.`);
    await assertDescriptorInside(handle, st, rootReal, real);
    if (st.size > maxBytes) throw tooLarge(shownPath, maxBytes);
    const bytes = await readCapped(handle, maxBytes, shownPath);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new LiveVariantsError('not_text_file', `${shownPath} is not UTF-8 text.`, 'path');
    }
    return { path: shownPath, text, mtimeMs: st.mtimeMs, size: bytes.length };
  } finally {
    await handle.close();
  }
}

function tooLarge(shownPath: string, maxBytes: number): LiveVariantsError {
  return new LiveVariantsError('file_too_large', `${shownPath} is larger than ${maxBytes} bytes.`, 'path', {
    limit: maxBytes,
  });
}

/** Reads to the end, refusing as soon as more than `maxBytes` arrive (the file may grow after fstat). */
async function readCapped(handle: FileHandle, maxBytes: number, shownPath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw tooLarge(shownPath, maxBytes);
    chunks.push(chunk.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total);
}
