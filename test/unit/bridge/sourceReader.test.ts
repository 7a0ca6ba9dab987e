import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_FILE_LIMIT } from '../../../src/bridge/security';
import { readWorkspaceSource, validateSourcePath } from '../../../src/bridge/sourceReader';
import { LiveVariantsError } from '../../../src/core/errors';

const CANARY = `CANARY-${randomBytes(8).toString('hex')}`;

// Created at load time: the payload table below names absolute paths inside it.
const base = mkdtempSync(join(tmpdir(), 'lv-source-'));
const ws = join(base, 'ws');
const outside = join(base, 'outside');

function write(path: string, text: string | Buffer) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  // Outside the workspace, including a sibling whose name starts with the workspace's name.
  write(join(outside, 'canary.txt'), CANARY);
  write(join(base, 'ws-evil', 'canary.txt'), CANARY);
  // Legit files.
  write(join(ws, 'index.html'), '<h1>home</h1>\n');
  write(join(ws, 'src', 'components', 'Card.tsx'), 'export const Card = () => <div />;\n');
  write(join(ws, 'src', 'ünïcødé', '日本語.html'), '<p>こんにちは</p>\n');
  write(join(ws, 'my dir', 'file with spaces.vue'), '<template><p/></template>\n');
  write(join(ws, '50% off.html'), '<b>sale</b>\n');
  write(join(ws, 'src', 'real.html'), '<i>real</i>\n');
  write(join(ws, 'a', 'b', 'c', 'd', 'e', 'f.txt'), 'deep\n');
  write(join(ws, 'empty.txt'), '');
  write(join(ws, 'binary.bin'), Buffer.from([0x3c, 0xff, 0xfe, 0x00]));
  mkdirSync(join(ws, 'dir'));
  mkdirSync(join(ws, 'docs'));
  // Forbidden files inside the workspace carry the canary too.
  write(join(ws, '.git', 'config'), `[core]\n# ${CANARY}\n`);
  write(join(ws, '.git', 'HEAD'), `ref: ${CANARY}\n`);
  write(join(ws, '.env'), `SECRET=${CANARY}\n`);
  write(join(ws, '.env.local'), `SECRET=${CANARY}\n`);
  write(join(ws, '.gitignore'), `${CANARY}\n`);
  write(join(ws, '.live-variants', 'bridge.json'), `{"token":"${CANARY}"}`);
  write(join(ws, '.live-variants', 'bridge-identity.json'), `{"token":"${CANARY}"}`);
  write(join(ws, 'src', '.hidden', 'x.html'), CANARY);
  write(join(ws, 'node_modules', '.bin', 'x'), CANARY);
  // Symlinks: inside to inside (allowed), and every way out.
  symlinkSync('real.html', join(ws, 'src', 'link-inside.html'));
  symlinkSync('../outside/canary.txt', join(ws, 'link-file'));
  symlinkSync('../outside', join(ws, 'link-dir'));
  symlinkSync('/etc/passwd', join(ws, 'passwd'));
  symlinkSync(join(outside, 'canary.txt'), join(ws, 'abs-link'));
  symlinkSync('../../outside', join(ws, 'src', 'up'));
  symlinkSync('../ws-evil', join(ws, 'evil'));
  symlinkSync('../.git/config', join(ws, 'docs', 'gitcfg'));
  symlinkSync('../.env', join(ws, 'docs', 'envlink'));
  symlinkSync('../.live-variants', join(ws, 'docs', 'lv'));
  symlinkSync('loop', join(ws, 'loop'));
  symlinkSync('../outside/missing.txt', join(ws, 'dangling'));
  symlinkSync('/dev/null', join(ws, 'dev-null'));
  symlinkSync('/', join(ws, 'fsroot'));
  execFileSync('mkfifo', [join(ws, 'fifo')]);
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

type Code = 'invalid_path' | 'path_not_allowed' | 'not_found';

// ------------------------------------------------------------------------------------------------ payloads

function hostilePayloads(): Array<[string, unknown, Code]> {
  const table: Array<[string, unknown, Code]> = [];
  const add = (group: string, payload: unknown, code: Code) => table.push([group, payload, code]);

  // `..` in every position, towards every target.
  const targets = ['outside/canary.txt', 'ws-evil/canary.txt', 'etc/passwd'];
  const climbs = [
    '../',
    '../../',
    '../../../../../../../../',
    'src/../../',
    'src/components/../../../',
    'a/b/c/../../../../',
  ];
  for (const target of targets)
    for (const climb of climbs) add('dot-dot', climb + target, 'path_not_allowed');
  for (const p of [
    '..',
    'src/..',
    'src/components/..',
    'a/../index.html',
    'index.html/..',
    'src/../src/real.html',
  ]) {
    add('dot-dot', p, 'path_not_allowed');
  }

  // Still %-encoded after the single decode the caller does (double encoding and friends).
  for (const p of [
    '%2e%2e/outside/canary.txt',
    '%2E%2E/outside/canary.txt',
    '..%2foutside%2fcanary.txt',
    '%2e%2e%2foutside%2fcanary.txt',
    '%2e%2e%5coutside%5ccanary.txt',
    'src%2f..%2f..%2foutside%2fcanary.txt',
    'src/%2e%2e/%2e%2e/outside/canary.txt',
    '%252e%252e%252foutside%252fcanary.txt',
    '..%c0%af..%c0%afoutside/canary.txt',
    '..%e0%80%afoutside/canary.txt',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '%2fetc%2fpasswd',
    '%5c..%5coutside',
    'index.html%00.png',
    '%00',
    '.%2e/outside/canary.txt',
    '%2egit/config',
    '%2eenv',
  ]) {
    add('encoded', p, 'invalid_path');
  }

  // Absolute paths, inside or not.
  for (const p of [
    '/etc/passwd',
    '/etc/shadow',
    '//etc/passwd',
    '/',
    '/proc/self/environ',
    `${base}/outside/canary.txt`,
    `${base}/ws/index.html`,
    'C:/Windows/win.ini',
    'c:secret.txt',
  ]) {
    add('absolute', p, 'path_not_allowed');
  }
  add('absolute', 'file:///etc/passwd', 'invalid_path');

  // Backslashes.
  for (const p of [
    '..\\outside\\canary.txt',
    'src\\..\\..\\outside\\canary.txt',
    '\\etc\\passwd',
    'C:\\Windows\\win.ini',
    '\\\\server\\share\\x',
    'src\\components\\Card.tsx',
    '..\\..\\..\\etc\\passwd',
    'src/..\\..\\outside/canary.txt',
  ]) {
    add('backslash', p, 'invalid_path');
  }

  // NUL, control characters, broken Unicode.
  for (const p of [
    'index.html\u0000',
    '\u0000',
    '..\u0000/outside/canary.txt',
    'src/\u0000../../outside/canary.txt',
    'index.html\u0000.png',
    'src/\ncomponents/Card.tsx',
    '\r\n',
    'a\tb',
    'index.html\u007f',
    '\ud800.html',
    'x\udc00',
  ]) {
    add('control', p, 'invalid_path');
  }

  // Dotfiles and dot-folders, and the home-directory shorthand (a literal folder here, then a dotdir).
  for (const p of [
    '.git/config',
    '.git/HEAD',
    '.git',
    '.env',
    '.env.local',
    '.gitignore',
    '.live-variants/bridge.json',
    '.live-variants/bridge-identity.json',
    'src/.hidden/x.html',
    'node_modules/.bin/x',
    '.',
    './index.html',
    'src/./components/Card.tsx',
    '...',
    '.../outside/canary.txt',
    '.ssh/id_rsa',
    '~/.ssh/id_rsa',
    '.DS_Store',
  ]) {
    add('dotfile', p, 'path_not_allowed');
  }

  // Real symlinks out of the workspace, to the filesystem root, to dotfiles inside it, and loops.
  for (const p of [
    'link-file',
    'link-dir',
    'link-dir/canary.txt',
    'passwd',
    'abs-link',
    'src/up',
    'src/up/canary.txt',
    'evil/canary.txt',
    'docs/gitcfg',
    'docs/envlink',
    'docs/lv/bridge.json',
    'loop',
    'dev-null',
    'fsroot/etc/passwd',
    `fsroot${base}/outside/canary.txt`,
  ]) {
    add('symlink', p, 'path_not_allowed');
  }
  add('symlink', 'dangling', 'not_found');

  // Not regular files.
  for (const p of ['fifo', 'dir', 'src', 'a/b']) add('special', p, 'path_not_allowed');

  // Very long.
  add('long', `${'a/'.repeat(600)}x`, 'invalid_path');
  add('long', `${'../'.repeat(400)}etc/passwd`, 'invalid_path');
  add('long', 'x'.repeat(256), 'invalid_path');
  add('long', 'é'.repeat(200), 'invalid_path');
  add('long', `${'a/'.repeat(511)}b`, 'not_found');
  add('long', `${'../'.repeat(300)}etc/passwd`, 'path_not_allowed');

  // Empty, malformed, not a string.
  for (const p of [
    '',
    'src//components/Card.tsx',
    'src/',
    'index.html/',
    undefined,
    null,
    42,
    ['index.html'],
  ]) {
    add('malformed', p, 'invalid_path');
  }

  // Query strings decoded exactly once, as the route does.
  for (const [query, code] of [
    ['path=..%2F..%2Foutside%2Fcanary.txt', 'path_not_allowed'],
    ['path=%2E%2E%2Foutside%2Fcanary.txt', 'path_not_allowed'],
    ['path=%2Fetc%2Fpasswd', 'path_not_allowed'],
    ['path=%252e%252e%252foutside%252fcanary.txt', 'invalid_path'],
    ['path=..%5Coutside%5Ccanary.txt', 'invalid_path'],
    ['path=index.html%00', 'invalid_path'],
    ['path=.git%2Fconfig', 'path_not_allowed'],
    ['path=%2Eenv', 'path_not_allowed'],
    ['path=src%2Fup%2Fcanary.txt', 'path_not_allowed'],
    ['path=', 'invalid_path'],
  ] as const) {
    add('query', new URLSearchParams(query).get('path'), code);
  }
  return table;
}

const PAYLOADS = hostilePayloads();

async function outcome(payload: unknown): Promise<{ code: string; seen: string }> {
  try {
    const result = await readWorkspaceSource(ws, payload);
    return { code: 'read', seen: JSON.stringify(result) };
  } catch (err) {
    if (!(err instanceof LiveVariantsError)) return { code: `threw ${String(err)}`, seen: String(err) };
    return { code: err.code, seen: JSON.stringify(err.toBody()) };
  }
}

describe('readWorkspaceSource refuses hostile paths', () => {
  it('has at least 100 payloads', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(
    PAYLOADS.map(([group, payload, code]) => [group, JSON.stringify(payload)?.slice(0, 80), payload, code]),
  )('%s %s', async (_group, _shown, payload, code) => {
    const { code: got, seen } = await outcome(payload);
    expect(got).toBe(code);
    expect(seen).not.toContain(CANARY);
    expect(seen).not.toContain('root:x:0:0');
  });

  it('keeps the canary out of every answer to every payload', async () => {
    const answers = await Promise.all(PAYLOADS.map(([, payload]) => outcome(payload)));
    expect(answers.filter((a) => a.code === 'read')).toEqual([]);
    expect(answers.map((a) => a.seen).join('\n')).not.toContain(CANARY);
  });
});

describe('readWorkspaceSource reads legit files', () => {
  const legit: Array<[string, string]> = [
    ['index.html', '<h1>home</h1>\n'],
    ['src/components/Card.tsx', 'export const Card = () => <div />;\n'],
    ['src/ünïcødé/日本語.html', '<p>こんにちは</p>\n'],
    ['my dir/file with spaces.vue', '<template><p/></template>\n'],
    ['50% off.html', '<b>sale</b>\n'],
    ['src/link-inside.html', '<i>real</i>\n'],
    ['a/b/c/d/e/f.txt', 'deep\n'],
    ['empty.txt', ''],
  ];
  it.each(legit)('reads %s', async (path, text) => {
    const result = await readWorkspaceSource(ws, path);
    expect(result).toEqual({
      path,
      text,
      size: Buffer.byteLength(text),
      mtimeMs: statSync(join(ws, path)).mtimeMs,
    });
  });

  it('reads a path that arrived URL-encoded once', async () => {
    const path = new URLSearchParams('path=my%20dir%2Ffile%20with%20spaces.vue').get('path');
    expect((await readWorkspaceSource(ws, path)).text).toBe('<template><p/></template>\n');
    const unicode = new URLSearchParams(`path=${encodeURIComponent('src/ünïcødé/日本語.html')}`).get('path');
    expect((await readWorkspaceSource(ws, unicode)).path).toBe('src/ünïcødé/日本語.html');
  });

  it('works when the workspace root itself is reached through a symlink', async () => {
    const alias = join(base, 'alias');
    symlinkSync(ws, alias);
    expect((await readWorkspaceSource(alias, 'index.html')).text).toBe('<h1>home</h1>\n');
    expect((await outcome(undefined)).code).toBe('invalid_path');
  });

  it('returns not_found for missing files, without the file system error', async () => {
    for (const path of ['missing.html', 'src/components/Missing.tsx', 'index.html/child']) {
      await expect(readWorkspaceSource(ws, path)).rejects.toMatchObject({
        code: 'not_found',
        field: 'path',
        message: `No file ${path} in the workspace.`,
      });
    }
  });

  it('returns not_found when the workspace folder is gone', async () => {
    await expect(readWorkspaceSource(join(base, 'nope'), 'index.html')).rejects.toMatchObject({
      code: 'not_found',
      field: 'root',
    });
  });
});

describe('readWorkspaceSource limits', () => {
  it('refuses a file one byte over the cap and reads one exactly at it', async () => {
    write(join(ws, 'cap', 'at.txt'), 'x'.repeat(1024));
    write(join(ws, 'cap', 'over.txt'), 'x'.repeat(1025));
    expect((await readWorkspaceSource(ws, 'cap/at.txt', { maxBytes: 1024 })).size).toBe(1024);
    await expect(readWorkspaceSource(ws, 'cap/over.txt', { maxBytes: 1024 })).rejects.toMatchObject({
      code: 'file_too_large',
      field: 'path',
      message: 'cap/over.txt is larger than 1024 bytes.',
    });
  });

  it('caps files at 5 MiB by default', async () => {
    expect(SOURCE_FILE_LIMIT).toBe(5 * 1024 * 1024);
    write(join(ws, 'cap', 'huge.txt'), Buffer.alloc(SOURCE_FILE_LIMIT + 1, 0x61));
    await expect(readWorkspaceSource(ws, 'cap/huge.txt')).rejects.toMatchObject({ code: 'file_too_large' });
  });

  it('refuses bytes that are not UTF-8 text', async () => {
    await expect(readWorkspaceSource(ws, 'binary.bin')).rejects.toMatchObject({
      code: 'not_text_file',
      message: 'binary.bin is not UTF-8 text.',
    });
  });
});

describe('validateSourcePath', () => {
  it('splits a clean path into segments', () => {
    expect(validateSourcePath('src/components/Card.tsx')).toEqual(['src', 'components', 'Card.tsx']);
  });

  it('states why a path is refused without echoing it', () => {
    const messages = ['../x', '.env', '/etc/passwd', 'a\\b', '%2e', ''].map((p) => {
      try {
        validateSourcePath(p);
        return 'accepted';
      } catch (err) {
        return (err as LiveVariantsError).message;
      }
    });
    expect(messages).toEqual([
      'The path may not climb out with "..".',
      'Dotfiles and dot-folders (.git, .env, .live-variants, …) are never served.',
      'The path must be relative to the workspace, not absolute.',
      'Use forward slashes in the path.',
      'The path still contains %-escapes after decoding; encode it exactly once.',
      'Give a workspace-relative file path, e.g. path=src/index.html.',
    ]);
  });
});
