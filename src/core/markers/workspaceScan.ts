// Workspace scan: every file under a root that carries markers. Files are read as bytes into one reused
// buffer and searched for `impeccable-` before anything is decoded, so a large tree costs about one
// open/read/close per file. The work runs on the calling thread in slices of a few milliseconds with a
// yield between them (the extension host stays responsive); git's ignore verdict (a generated file) is
// asked only for the few files that matched.
import { spawn } from 'node:child_process';
import { closeSync, constants, type Dirent, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { compileIgnore } from './ignore';
import { type ExtraExtensions, extensionOf, extensionTable, languageForExt } from './language';
import { scanText } from './scan';
import type { ScanResult } from './types';

/** Directory names never descended into. */
export const ALWAYS_SKIPPED_DIRS: readonly string[] = ['node_modules', '.git', 'dist', 'build'];

export interface WorkspaceScanOptions {
  extraExts?: ExtraExtensions;
  /** `.gitignore`-style patterns relative to the root; matching files and directories are skipped. */
  excludes?: readonly string[];
  /** Whether git ignores a file (workspace-relative, `/`-separated); default asks `git check-ignore`. */
  isIgnored?: (relPath: string) => boolean | Promise<boolean>;
  signal?: AbortSignal;
}

export interface WorkspaceFileScan {
  /** Workspace-relative, `/`-separated. */
  file: string;
  /** Absolute path. */
  path: string;
  scan: ScanResult;
}

const NEEDLE = Buffer.from('impeccable-', 'latin1');
/** How long one slice of synchronous work may run before yielding to the event loop. */
const SLICE_MS = 8;

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** Yields to the event loop when the current slice has run long enough. */
function slicer(signal: AbortSignal | undefined): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    sliceStart = performance.now();
  };
}

/** Files under `root` whose extension carries markers, honouring the skip list and excludes. */
export async function listSourceFiles(
  root: string,
  opts: Pick<WorkspaceScanOptions, 'extraExts' | 'excludes' | 'signal'> = {},
): Promise<string[]> {
  const table = extensionTable(opts.extraExts);
  const ignore = compileIgnore(opts.excludes ?? []);
  const skip = new Set(ALWAYS_SKIPPED_DIRS);
  const files: string[] = [];
  const dirs: string[] = [''];
  opts.signal?.throwIfAborted();
  const maybeYield = slicer(opts.signal);
  while (dirs.length > 0) {
    await maybeYield();
    const rel = dirs.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true });
    } catch {
      continue; // vanished or unreadable: nothing to report there
    }
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!skip.has(e.name) && !ignore.ignores(childRel, true)) dirs.push(childRel);
      } else if (e.isFile() && table.has(extensionOf(e.name)) && !ignore.ignores(childRel, false)) {
        files.push(childRel);
      }
    }
  }
  return files.sort();
}

/** Reads whole files into one growing buffer; returns the bytes read (a view valid until the next read). */
class FileReader {
  private buf = Buffer.allocUnsafe(256 * 1024);

  read(path: string): Buffer | null {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY);
    } catch {
      return null;
    }
    try {
      let len = 0;
      for (;;) {
        const want = this.buf.length - len;
        const n = readSync(fd, this.buf, len, want, null);
        len += n;
        if (n === 0 || n < want) break;
        // Buffer full: the file is larger; grow to its size (plus room to see EOF) and go on.
        const size = fstatSync(fd).size;
        const grown = Buffer.allocUnsafe(Math.max(size + 1, this.buf.length * 2));
        this.buf.copy(grown, 0, 0, len);
        this.buf = grown;
      }
      return this.buf.subarray(0, len);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }
}

/** Runs `git check-ignore` once for many paths; an empty set when git or the repository is missing. */
export function gitIgnoredSet(root: string, relPaths: readonly string[]): Promise<Set<string>> {
  return new Promise((resolve) => {
    if (relPaths.length === 0) return resolve(new Set());
    let out = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', ['-C', root, 'check-ignore', '--stdin', '-z'], {
        stdio: ['pipe', 'pipe', 'ignore'],
      });
    } catch {
      return resolve(new Set());
    }
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(new Set());
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      out += d;
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(new Set(out.split('\0').filter((s) => s !== '')));
    });
    child.stdin?.on('error', () => {});
    child.stdin?.end(relPaths.join('\0'));
  });
}

function hasFindings(scan: ScanResult): boolean {
  return (
    scan.blocks.length > 0 ||
    scan.carbonize.length > 0 ||
    scan.paramValues.length > 0 ||
    scan.problems.length > 0
  );
}

/**
 * Calls `visit` with each file's bytes (a view that is only valid during the call), in time slices;
 * unreadable files are skipped.
 */
export async function forEachFileBytes(
  root: string,
  files: readonly string[],
  visit: (file: string, bytes: Buffer) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = new FileReader();
  const maybeYield = slicer(signal);
  // Plain concatenation: path.join's normalisation is measurable at tens of thousands of files.
  const base = root.endsWith('/') || root.endsWith(sep) ? root : `${root}/`;
  for (const file of files) {
    await maybeYield();
    const bytes = reader.read(base + file);
    if (bytes !== null) visit(file, bytes);
  }
}

export async function scanWorkspace(
  root: string,
  opts: WorkspaceScanOptions = {},
): Promise<WorkspaceFileScan[]> {
  const table = extensionTable(opts.extraExts);
  const files = await listSourceFiles(root, opts);
  const hits: { file: string; text: string }[] = [];
  await forEachFileBytes(
    root,
    files,
    (file, bytes) => {
      if (bytes.indexOf(NEEDLE) !== -1) hits.push({ file, text: bytes.toString('utf8') });
    },
    opts.signal,
  );
  let ignored: (f: string) => boolean | Promise<boolean>;
  if (opts.isIgnored !== undefined) ignored = opts.isIgnored;
  else {
    const set = await gitIgnoredSet(
      root,
      hits.map((h) => h.file),
    );
    ignored = (f) => set.has(f);
  }
  const out: WorkspaceFileScan[] = [];
  for (const h of hits) {
    const ext = extensionOf(h.file);
    const language = languageForExt(ext, table.get(ext) ?? 'html');
    const scan = scanText(h.text, { language, generated: await ignored(h.file) });
    if (hasFindings(scan)) out.push({ file: h.file, path: join(root, h.file), scan });
  }
  return out;
}

/** Workspace-relative `/` path of an absolute or root-relative path. */
export function workspaceRelative(root: string, path: string): string {
  return toPosix(isAbsolute(path) ? relative(root, path) : path);
}
