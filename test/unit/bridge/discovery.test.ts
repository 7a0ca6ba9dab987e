import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BridgeDiscovery,
  discoveryDirPath,
  discoveryFilePath,
  findWorkspaceRoot,
  identityFilePath,
  isPidAlive,
  loadIdentity,
  readDiscovery,
  readIdentity,
  removeDiscovery,
  rotateToken,
  saveIdentity,
  writeDiscovery,
} from '../../../src/bridge/discovery';
import { LiveVariantsError } from '../../../src/core/errors';

const TOKEN_A = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const TOKEN_B = 'q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s';

let root: string;
let ws: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-discovery-'));
  ws = join(root, 'workspace');
  mkdirSync(ws);
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function info(overrides: Partial<BridgeDiscovery> = {}): Omit<BridgeDiscovery, 'protocol'> {
  return {
    pid: process.pid,
    port: 43117,
    token: TOKEN_A,
    journalDir: '/home/dev/.vscode-server/data/User/workspaceStorage/abc/live-variants',
    startedAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LiveVariantsError) return err.code;
    throw err;
  }
  return 'resolved';
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn');
  return child.pid;
}

describe('writeDiscovery / readDiscovery', () => {
  it('writes bridge.json 0600 in a 0700 folder that carries a * .gitignore', async () => {
    await writeDiscovery(ws, info());
    expect(mode(discoveryDirPath(ws))).toBe(0o700);
    expect(mode(discoveryFilePath(ws))).toBe(0o600);
    const gitignore = readFileSync(join(discoveryDirPath(ws), '.gitignore'), 'utf8');
    expect(gitignore.split('\n')).toContain('*');
  });

  it('keeps 0600 and 0700 even under a umask of 000', async () => {
    const previous = process.umask(0o000);
    try {
      await writeDiscovery(ws, info());
      await saveIdentity(ws, { port: 43117, token: TOKEN_A });
    } finally {
      process.umask(previous);
    }
    expect(mode(discoveryDirPath(ws))).toBe(0o700);
    expect(mode(discoveryFilePath(ws))).toBe(0o600);
    expect(mode(identityFilePath(ws))).toBe(0o600);
  });

  it('is ignored by git', async () => {
    execFileSync('git', ['init', '-q', ws]);
    await writeDiscovery(ws, info());
    await saveIdentity(ws, { port: 1, token: TOKEN_A });
    const ignored = execFileSync('git', ['-C', ws, 'status', '--porcelain', '--ignored'], {
      encoding: 'utf8',
    });
    expect(ignored).toBe('!! .live-variants/\n');
  });

  it('round-trips every field and reports a live pid as not stale', async () => {
    const written = await writeDiscovery(ws, info());
    expect(written).toEqual({ protocol: 1, ...info() });
    expect(JSON.parse(readFileSync(discoveryFilePath(ws), 'utf8'))).toEqual({ protocol: 1, ...info() });
    expect(await readDiscovery(ws)).toEqual({ discovery: { protocol: 1, ...info() }, stale: false });
  });

  it('marks a file whose pid has exited as stale', async () => {
    const pid = deadPid();
    expect(isPidAlive(pid)).toBe(false);
    await writeDiscovery(ws, info({ pid }));
    expect(await readDiscovery(ws)).toEqual({ discovery: { protocol: 1, ...info({ pid }) }, stale: true });
  });

  it('isPidAlive knows this process and refuses impossible pids', () => {
    expect(isPidAlive(process.pid)).toBe(true);
    expect(isPidAlive(0)).toBe(false);
    expect(isPidAlive(-1)).toBe(false);
    expect(isPidAlive(1.5)).toBe(false);
  });

  it('returns null when no bridge has published itself', async () => {
    expect(await readDiscovery(ws)).toBeNull();
    mkdirSync(discoveryDirPath(ws));
    expect(await readDiscovery(ws)).toBeNull();
  });

  it.each([
    ['644', 0o644],
    ['640', 0o640],
    ['604', 0o604],
    ['620', 0o620],
    ['602', 0o602],
    ['666', 0o666],
  ])('refuses a bridge.json with mode %s (group or other bits set)', async (_name, bad) => {
    await writeDiscovery(ws, info());
    chmodSync(discoveryFilePath(ws), bad);
    expect(await codeOf(readDiscovery(ws))).toBe('insecure_discovery_file');
  });

  it('refuses a bridge.json that is a symlink, even to a 0600 file', async () => {
    const elsewhere = join(root, 'planted.json');
    writeFileSync(elsewhere, JSON.stringify({ protocol: 1, ...info() }), { mode: 0o600 });
    mkdirSync(discoveryDirPath(ws), { mode: 0o700 });
    symlinkSync(elsewhere, discoveryFilePath(ws));
    expect(await codeOf(readDiscovery(ws))).toBe('insecure_discovery_file');
  });

  it('refuses a .live-variants folder that is a symlink, for reading and for writing', async () => {
    const target = join(root, 'elsewhere');
    mkdirSync(target, { mode: 0o755 });
    symlinkSync(target, discoveryDirPath(ws));
    expect(await codeOf(writeDiscovery(ws, info()))).toBe('insecure_discovery_dir');
    expect(readdirSync(target)).toEqual([]);
    expect(mode(target)).toBe(0o755);
    writeFileSync(join(target, 'bridge.json'), JSON.stringify({ protocol: 1, ...info() }), { mode: 0o600 });
    expect(await codeOf(readDiscovery(ws))).toBe('insecure_discovery_file');
  });

  const malformed: Array<[string, string]> = [
    ['not JSON', '{"protocol":1,'],
    ['an array', '[1]'],
    ['another protocol', JSON.stringify({ ...info(), protocol: 2 })],
    ['no token', JSON.stringify({ protocol: 1, ...info(), token: undefined })],
    ['a short token', JSON.stringify({ protocol: 1, ...info(), token: 'abc' })],
    ['port 0', JSON.stringify({ protocol: 1, ...info(), port: 0 })],
    ['port 70000', JSON.stringify({ protocol: 1, ...info(), port: 70000 })],
    ['a string pid', JSON.stringify({ protocol: 1, ...info(), pid: '12' })],
    ['no journalDir', JSON.stringify({ protocol: 1, ...info(), journalDir: '' })],
    ['a bad timestamp', JSON.stringify({ protocol: 1, ...info(), startedAt: 'yesterday' })],
  ];
  it.each(malformed)('refuses a bridge.json with %s as invalid', async (_name, text) => {
    mkdirSync(discoveryDirPath(ws), { mode: 0o700 });
    writeFileSync(discoveryFilePath(ws), text, { mode: 0o600 });
    expect(await codeOf(readDiscovery(ws))).toBe('invalid_discovery_file');
  });

  it('refuses to write a malformed discovery and writes nothing', async () => {
    expect(await codeOf(writeDiscovery(ws, info({ port: 70000 })))).toBe('invalid_discovery_file');
    expect(readdirSync(ws)).toEqual([]);
  });

  it('tightens an existing loose folder and repairs a .gitignore without a * line', async () => {
    mkdirSync(discoveryDirPath(ws), { mode: 0o755 });
    chmodSync(discoveryDirPath(ws), 0o755);
    writeFileSync(join(discoveryDirPath(ws), '.gitignore'), 'journal/\n');
    await writeDiscovery(ws, info());
    expect(mode(discoveryDirPath(ws))).toBe(0o700);
    expect(readFileSync(join(discoveryDirPath(ws), '.gitignore'), 'utf8').split('\n')).toContain('*');
  });

  it('leaves a .gitignore that already ignores everything as it is', async () => {
    mkdirSync(discoveryDirPath(ws), { mode: 0o700 });
    writeFileSync(join(discoveryDirPath(ws), '.gitignore'), '# mine\n*\n');
    await writeDiscovery(ws, info());
    expect(readFileSync(join(discoveryDirPath(ws), '.gitignore'), 'utf8')).toBe('# mine\n*\n');
  });

  it('replaces the file atomically and leaves no temp files behind', async () => {
    await writeDiscovery(ws, info());
    await writeDiscovery(ws, info({ port: 5000 }));
    expect(readdirSync(discoveryDirPath(ws)).sort()).toEqual(['.gitignore', 'bridge.json']);
    expect((await readDiscovery(ws))?.discovery.port).toBe(5000);
  });
});

describe('removeDiscovery', () => {
  it('removes the file only when it names our pid', async () => {
    await writeDiscovery(ws, info({ pid: process.pid + 100000 }));
    expect(await removeDiscovery(ws)).toBe(false);
    expect(await readDiscovery(ws, { isPidAlive: () => true })).not.toBeNull();
    await writeDiscovery(ws, info());
    expect(await removeDiscovery(ws)).toBe(true);
    expect(await readDiscovery(ws)).toBeNull();
    expect(await removeDiscovery(ws)).toBe(false);
  });

  it('removes the file for an explicit pid and leaves an insecure file alone', async () => {
    await writeDiscovery(ws, info({ pid: 4242 }));
    expect(await removeDiscovery(ws, 4242)).toBe(true);
    await writeDiscovery(ws, info());
    chmodSync(discoveryFilePath(ws), 0o644);
    expect(await removeDiscovery(ws)).toBe(false);
    expect(statSync(discoveryFilePath(ws)).isFile()).toBe(true);
  });
});

describe('identity (persisted port and token)', () => {
  it('creates a token on first start, with port 0 until a port is bound', async () => {
    const first = await loadIdentity(ws, { newToken: () => TOKEN_A });
    expect(first).toEqual({ identity: { port: 0, token: TOKEN_A }, source: 'created' });
    expect(mode(identityFilePath(ws))).toBe(0o600);
    expect(mode(discoveryDirPath(ws))).toBe(0o700);
  });

  it('reuses the persisted port and token on restart', async () => {
    await loadIdentity(ws, { newToken: () => TOKEN_A });
    await saveIdentity(ws, { port: 43117, token: TOKEN_A, journalDir: '/j' });
    await writeDiscovery(ws, info());
    await removeDiscovery(ws);
    const again = await loadIdentity(ws, { newToken: () => TOKEN_B });
    expect(again).toEqual({
      identity: { port: 43117, token: TOKEN_A, journalDir: '/j' },
      source: 'persisted',
    });
    expect(await readIdentity(ws)).toEqual({ port: 43117, token: TOKEN_A, journalDir: '/j' });
  });

  it('rotateToken changes the token and keeps port and journal', async () => {
    await saveIdentity(ws, { port: 43117, token: TOKEN_A, journalDir: '/j' });
    const rotated = await rotateToken(ws, { newToken: () => TOKEN_B });
    expect(rotated).toEqual({ port: 43117, token: TOKEN_B, journalDir: '/j' });
    expect((await loadIdentity(ws)).identity.token).toBe(TOKEN_B);
    const real = await rotateToken(ws);
    expect(real.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(real.token).not.toBe(TOKEN_B);
    expect(mode(identityFilePath(ws))).toBe(0o600);
  });

  it('rotateToken works when no identity exists yet', async () => {
    expect(await rotateToken(ws, { newToken: () => TOKEN_B })).toEqual({ port: 0, token: TOKEN_B });
  });

  it('never trusts an identity readable by others (e.g. committed to git) and replaces it', async () => {
    mkdirSync(discoveryDirPath(ws), { mode: 0o700 });
    writeFileSync(identityFilePath(ws), JSON.stringify({ version: 1, port: 43117, token: TOKEN_A }));
    chmodSync(identityFilePath(ws), 0o644);
    expect(await codeOf(readIdentity(ws))).toBe('insecure_discovery_file');
    const loaded = await loadIdentity(ws, { newToken: () => TOKEN_B });
    expect(loaded).toEqual({
      identity: { port: 0, token: TOKEN_B },
      source: 'created',
      discarded: 'insecure',
    });
    expect(mode(identityFilePath(ws))).toBe(0o600);
  });

  it('replaces a malformed identity', async () => {
    mkdirSync(discoveryDirPath(ws), { mode: 0o700 });
    writeFileSync(identityFilePath(ws), '{"version":1,"port":"x"', { mode: 0o600 });
    const loaded = await loadIdentity(ws, { newToken: () => TOKEN_B });
    expect(loaded).toEqual({
      identity: { port: 0, token: TOKEN_B },
      source: 'created',
      discarded: 'invalid',
    });
    expect(await readIdentity(ws)).toEqual({ port: 0, token: TOKEN_B });
  });

  it('refuses to save an identity with a malformed token', async () => {
    expect(await codeOf(saveIdentity(ws, { port: 1, token: 'short' }))).toBe('invalid_discovery_file');
  });
});

describe('findWorkspaceRoot', () => {
  it('walks up to the nearest folder with .git', async () => {
    mkdirSync(join(ws, '.git'));
    mkdirSync(join(ws, 'src', 'components'), { recursive: true });
    expect(await findWorkspaceRoot(join(ws, 'src', 'components'))).toBe(ws);
    expect(await findWorkspaceRoot(ws)).toBe(ws);
  });

  it('stops at a nearer folder holding bridge.json', async () => {
    mkdirSync(join(ws, '.git'));
    const app = join(ws, 'packages', 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    await writeDiscovery(app, info());
    expect(await findWorkspaceRoot(join(app, 'src'))).toBe(app);
  });

  it('recognises a persisted identity and a .git file (worktree)', async () => {
    const a = join(ws, 'a');
    mkdirSync(join(a, 'deep'), { recursive: true });
    await saveIdentity(a, { port: 1, token: TOKEN_A });
    expect(await findWorkspaceRoot(join(a, 'deep'))).toBe(a);
    const b = join(ws, 'b');
    mkdirSync(join(b, 'deep'), { recursive: true });
    writeFileSync(join(b, '.git'), 'gitdir: /somewhere/.git/worktrees/b\n');
    expect(await findWorkspaceRoot(join(b, 'deep'))).toBe(b);
  });

  it('ignores a .live-variants folder without bridge files', async () => {
    mkdirSync(join(ws, '.git'));
    mkdirSync(join(ws, 'sub', '.live-variants'), { recursive: true });
    expect(await findWorkspaceRoot(join(ws, 'sub'))).toBe(ws);
  });

  it('returns null when nothing up to the file-system root qualifies', async () => {
    mkdirSync(join(ws, 'x', 'y'), { recursive: true });
    expect(await findWorkspaceRoot(join(ws, 'x', 'y'))).toBeNull();
  });
});
