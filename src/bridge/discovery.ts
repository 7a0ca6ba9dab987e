// How the CLI and the browser tooling find a running bridge, and how a restarted bridge keeps its port and
// token. Two files in `<workspace>/.live-variants/` (directory 0700, gitignored by a `*` .gitignore inside):
//
//   bridge.json           {protocol:1, pid, port, token, journalDir, startedAt}  — exists while a bridge runs;
//                         removed by that bridge on a clean stop; a dead pid marks it stale.
//   bridge-identity.json  {version:1, port, token, journalDir?}                   — outlives the bridge so a
//                         restart reuses the port and token (open tabs reconnect) and the CLI can find the
//                         journal while no bridge runs. `rotateToken` replaces its token.
//
// Both are 0600, written by temp file + fsync + rename. A file readable by group or others, owned by another
// user, or reached through a symlink is refused, not repaired: it may have been committed or planted, and its
// token must be treated as known to others. (The bridge replaces a refused identity with a fresh one.)
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LiveVariantsError } from '../core/errors';
import { newToken as defaultNewToken } from './security';

export const DISCOVERY_DIR = '.live-variants';
export const DISCOVERY_FILE = 'bridge.json';
export const IDENTITY_FILE = 'bridge-identity.json';
export const DISCOVERY_PROTOCOL = 1;

const GITIGNORE_TEXT =
  '# Written by Live Variants: bridge discovery holds a token; nothing here belongs in git.\n*\n';
const MAX_FILE_BYTES = 64 * 1024;
const CHECK_PERMISSIONS = process.platform !== 'win32';

export interface BridgeDiscovery {
  protocol: 1;
  pid: number;
  port: number;
  token: string;
  journalDir: string;
  startedAt: string;
}

export interface BridgeIdentity {
  /** 0 until the bridge has bound a port for the first time. */
  port: number;
  token: string;
  journalDir?: string;
}

export interface DiscoveryRead {
  discovery: BridgeDiscovery;
  /** The recorded pid is not running: the bridge died without removing the file. */
  stale: boolean;
}

export interface IdentityLoad {
  identity: BridgeIdentity;
  /** `created`: there was none, or the old one was refused (see `discarded`). */
  source: 'persisted' | 'created';
  discarded?: 'invalid' | 'insecure';
}

export function discoveryDirPath(workspace: string): string {
  return join(resolve(workspace), DISCOVERY_DIR);
}
export function discoveryFilePath(workspace: string): string {
  return join(discoveryDirPath(workspace), DISCOVERY_FILE);
}
export function identityFilePath(workspace: string): string {
  return join(discoveryDirPath(workspace), IDENTITY_FILE);
}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function ownedByOtherUser(uid: number): boolean {
  return CHECK_PERMISSIONS && typeof process.getuid === 'function' && uid !== process.getuid();
}

/** Creates `.live-variants/` (0700) with its `.gitignore`; refuses a symlink or a directory owned by someone else. */
export async function ensureDiscoveryDir(workspace: string): Promise<string> {
  const dir = discoveryDirPath(workspace);
  try {
    await fsp.mkdir(dir, { mode: 0o700 });
  } catch (err) {
    if (errnoOf(err) !== 'EEXIST') throw writeFailed(dir, err);
  }
  const st = await fsp.lstat(dir);
  if (!st.isDirectory() || ownedByOtherUser(st.uid)) {
    throw new LiveVariantsError(
      'insecure_discovery_dir',
      `${dir} must be a real directory owned by you (not a symlink); remove it and start the bridge again.`,
      'discoveryDir',
    );
  }
  // mkdir's mode is filtered by the umask, and an existing directory may be looser: it holds a token.
  if (CHECK_PERMISSIONS && (st.mode & 0o777) !== 0o700) await fsp.chmod(dir, 0o700);
  await ensureGitignore(dir);
  return dir;
}

async function ensureGitignore(dir: string): Promise<void> {
  const path = join(dir, '.gitignore');
  let current: string | null = null;
  try {
    const st = await fsp.lstat(path);
    if (st.isFile()) current = await fsp.readFile(path, 'utf8');
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw writeFailed(path, err);
  }
  if (current?.split(/\r?\n/).some((line) => line.trim() === '*')) return;
  await writeFileAtomic(path, GITIGNORE_TEXT, 0o644);
}

function writeFailed(path: string, err: unknown): LiveVariantsError {
  return new LiveVariantsError(
    'discovery_write_failed',
    `Could not write ${path} (${errnoOf(err) ?? 'error'}).`,
    'path',
  );
}

/** temp + fsync + fchmod + rename + directory fsync, so readers see the old file or the new one, never half. */
async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fsp.open(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      mode,
    );
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
      // The umask narrowed (or a platform ignored) the open mode; set it exactly.
      if (CHECK_PERMISSIONS) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw writeFailed(path, err);
  }
  await fsyncDir(dirname(path));
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}

/** Reads a 0600 JSON file of ours; null when absent. Throws `insecure_discovery_file` / `invalid_discovery_file`. */
async function readPrivateJson(path: string): Promise<unknown | null> {
  const dirStat = await fsp.lstat(dirname(path)).catch((err: unknown) => {
    if (errnoOf(err) === 'ENOENT') return null;
    throw invalid(path, `its folder cannot be read (${errnoOf(err) ?? 'error'})`);
  });
  if (dirStat === null) return null;
  if (!dirStat.isDirectory()) throw insecure(path, 'its folder is a symlink or not a directory');
  let handle: FileHandle;
  try {
    handle = await fsp.open(
      path,
      constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0),
    );
  } catch (err) {
    const code = errnoOf(err);
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw insecure(path, 'it is a symlink');
    throw invalid(path, `it cannot be opened (${code ?? 'error'})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw insecure(path, 'it is not a regular file');
    if (CHECK_PERMISSIONS && (st.mode & 0o077) !== 0) {
      throw insecure(
        path,
        `its mode is ${(st.mode & 0o777).toString(8)}, readable by other users (must be 600)`,
      );
    }
    if (ownedByOtherUser(st.uid)) throw insecure(path, 'it belongs to another user');
    if (st.size > MAX_FILE_BYTES) throw invalid(path, 'it is too large');
    const text = await handle.readFile('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalid(path, 'it is not valid JSON');
    }
  } finally {
    await handle.close();
  }
}

function insecure(path: string, why: string): LiveVariantsError {
  return new LiveVariantsError(
    'insecure_discovery_file',
    `Refusing ${path}: ${why}. Its token may be known to others; delete it and restart the bridge (or run Rotate Token).`,
    'path',
  );
}
function invalid(path: string, why: string): LiveVariantsError {
  return new LiveVariantsError('invalid_discovery_file', `Cannot use ${path}: ${why}.`, 'path');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,512}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isPort(value: unknown, allowZero: boolean): value is number {
  return Number.isInteger(value) && (value as number) >= (allowZero ? 0 : 1) && (value as number) <= 65535;
}
function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096;
}

function validateDiscovery(path: string, value: unknown): BridgeDiscovery {
  if (!isRecord(value)) throw invalid(path, 'it is not a JSON object');
  if (value.protocol !== DISCOVERY_PROTOCOL) {
    throw invalid(path, `it speaks bridge protocol ${JSON.stringify(value.protocol)}, this tool speaks 1`);
  }
  if (!Number.isInteger(value.pid) || (value.pid as number) <= 0)
    throw invalid(path, '"pid" is not a process id');
  if (!isPort(value.port, false)) throw invalid(path, '"port" is not a TCP port');
  if (typeof value.token !== 'string' || !TOKEN_SHAPE.test(value.token))
    throw invalid(path, '"token" is malformed');
  if (!isNonEmptyString(value.journalDir)) throw invalid(path, '"journalDir" is missing');
  if (!isNonEmptyString(value.startedAt) || Number.isNaN(Date.parse(value.startedAt))) {
    throw invalid(path, '"startedAt" is not a timestamp');
  }
  return {
    protocol: DISCOVERY_PROTOCOL,
    pid: value.pid as number,
    port: value.port,
    token: value.token,
    journalDir: value.journalDir,
    startedAt: value.startedAt,
  };
}

function validateIdentity(path: string, value: unknown): BridgeIdentity {
  if (!isRecord(value) || value.version !== 1) throw invalid(path, 'it is not a version 1 identity');
  if (!isPort(value.port, true)) throw invalid(path, '"port" is not a TCP port');
  if (typeof value.token !== 'string' || !TOKEN_SHAPE.test(value.token))
    throw invalid(path, '"token" is malformed');
  const identity: BridgeIdentity = { port: value.port, token: value.token };
  if (value.journalDir !== undefined) {
    if (!isNonEmptyString(value.journalDir)) throw invalid(path, '"journalDir" is malformed');
    identity.journalDir = value.journalDir;
  }
  return identity;
}

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

/** Publishes a running bridge. Validates what it writes so readers never see a malformed file of ours. */
export async function writeDiscovery(
  workspace: string,
  info: Omit<BridgeDiscovery, 'protocol'>,
): Promise<BridgeDiscovery> {
  const path = discoveryFilePath(workspace);
  const discovery = validateDiscovery(path, { protocol: DISCOVERY_PROTOCOL, ...info });
  await ensureDiscoveryDir(workspace);
  await writeFileAtomic(path, `${JSON.stringify(discovery, null, 2)}\n`, 0o600);
  return discovery;
}

/**
 * The running bridge's coordinates, or null when no file exists. `stale` when its pid is gone (a pid reused by
 * an unrelated process reads as alive; callers that must be sure probe `GET /v1/health`).
 */
export async function readDiscovery(
  workspace: string,
  options: { isPidAlive?: (pid: number) => boolean } = {},
): Promise<DiscoveryRead | null> {
  const path = discoveryFilePath(workspace);
  const raw = await readPrivateJson(path);
  if (raw === null) return null;
  const discovery = validateDiscovery(path, raw);
  const alive = (options.isPidAlive ?? isPidAlive)(discovery.pid);
  return { discovery, stale: !alive };
}

/** Removes bridge.json if it names `pid` (default: this process); another bridge's file is left alone. */
export async function removeDiscovery(workspace: string, pid: number = process.pid): Promise<boolean> {
  const path = discoveryFilePath(workspace);
  let recorded: unknown;
  try {
    const raw = await readPrivateJson(path);
    recorded = isRecord(raw) ? raw.pid : undefined;
  } catch {
    return false;
  }
  if (recorded !== pid) return false;
  try {
    await fsp.unlink(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw writeFailed(path, err);
  }
}

/** The persisted identity, or null when there is none. Throws when it is insecure or malformed. */
export async function readIdentity(workspace: string): Promise<BridgeIdentity | null> {
  const path = identityFilePath(workspace);
  const raw = await readPrivateJson(path);
  return raw === null ? null : validateIdentity(path, raw);
}

export async function saveIdentity(workspace: string, identity: BridgeIdentity): Promise<void> {
  const path = identityFilePath(workspace);
  const checked = validateIdentity(path, { version: 1, ...identity });
  await ensureDiscoveryDir(workspace);
  await writeFileAtomic(path, `${JSON.stringify({ version: 1, ...checked }, null, 2)}\n`, 0o600);
}

/**
 * For a starting bridge: the persisted port and token, or a fresh token (port 0: bind any, then `saveIdentity`
 * with the port obtained). An insecure or malformed identity is replaced, never trusted.
 */
export async function loadIdentity(
  workspace: string,
  options: { newToken?: () => string } = {},
): Promise<IdentityLoad> {
  let discarded: IdentityLoad['discarded'];
  try {
    const identity = await readIdentity(workspace);
    if (identity !== null) return { identity, source: 'persisted' };
  } catch (err) {
    if (!(err instanceof LiveVariantsError)) throw err;
    if (err.code === 'insecure_discovery_file') discarded = 'insecure';
    else if (err.code === 'invalid_discovery_file') discarded = 'invalid';
    else throw err;
  }
  const identity: BridgeIdentity = { port: 0, token: (options.newToken ?? defaultNewToken)() };
  if (discarded !== undefined) await fsp.rm(identityFilePath(workspace), { force: true, recursive: true });
  await saveIdentity(workspace, identity);
  return discarded === undefined
    ? { identity, source: 'created' }
    : { identity, source: 'created', discarded };
}

/**
 * Persists a new token, keeping port and journalDir. The running bridge must switch to the returned token and
 * rewrite bridge.json (`writeDiscovery`); requests with the old token fail from then on.
 */
export async function rotateToken(
  workspace: string,
  options: { newToken?: () => string } = {},
): Promise<BridgeIdentity> {
  let current: BridgeIdentity | null = null;
  try {
    current = await readIdentity(workspace);
  } catch (err) {
    if (!(err instanceof LiveVariantsError)) throw err;
    await fsp.rm(identityFilePath(workspace), { force: true, recursive: true });
  }
  const next: BridgeIdentity = {
    ...(current ?? { port: 0 }),
    token: (options.newToken ?? defaultNewToken)(),
  };
  await saveIdentity(workspace, next);
  return next;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest folder at or above `startDir` that holds `.live-variants/bridge.json`,
 * `.live-variants/bridge-identity.json` or `.git` (a directory, or a file in worktrees); null at the root.
 */
export async function findWorkspaceRoot(startDir: string): Promise<string | null> {
  let dir = resolve(startDir);
  for (;;) {
    if (
      (await exists(join(dir, DISCOVERY_DIR, DISCOVERY_FILE))) ||
      (await exists(join(dir, DISCOVERY_DIR, IDENTITY_FILE))) ||
      (await exists(join(dir, '.git')))
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
