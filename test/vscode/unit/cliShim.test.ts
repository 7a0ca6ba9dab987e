import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureShim, shimFiles } from '../../../src/extension/cliShim';

describe('shimFiles', () => {
  it('runs the bundled CLI with the host runtime as Node, quoting paths for the shell', () => {
    const [sh] = shimFiles("/opt/Code It's/code", '/ext/dist/cli.js', 'linux');
    expect(sh.name).toBe('live-variants');
    expect(sh.mode).toBe(0o755);
    expect(sh.text).toBe(
      "#!/bin/sh\n# Written by the Live Variants extension: runs its bundled CLI.\nELECTRON_RUN_AS_NODE=1 exec '/opt/Code It'\\''s/code' '/ext/dist/cli.js' \"$@\"\n",
    );
  });

  it('adds a .cmd launcher on Windows', () => {
    const files = shimFiles('C:\\Code\\Code.exe', 'C:\\ext\\dist\\cli.js', 'win32');
    expect(files.map((f) => f.name)).toEqual(['live-variants', 'live-variants.cmd']);
    expect(files[1].text).toContain(
      'set ELECTRON_RUN_AS_NODE=1\r\n"C:\\Code\\Code.exe" "C:\\ext\\dist\\cli.js" %*\r\n',
    );
  });
});

describe('ensureShim', () => {
  it('writes an executable launcher and repairs a changed one', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lv-shim-')), 'bin');
    expect(await ensureShim(dir, process.execPath, '/ext/dist/cli.js')).toBe(dir);
    const path = join(dir, 'live-variants');
    expect(statSync(path).mode & 0o777).toBe(0o755);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, 'tampered');
    await ensureShim(dir, process.execPath, '/ext/dist/cli.js');
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
