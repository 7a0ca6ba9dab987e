// The `live-variants` command for integrated terminals: a tiny launcher in the extension's global storage
// that runs the bundled CLI (dist/cli.js) with the extension host's own runtime. In desktop VS Code that
// runtime is Electron, which behaves as Node with ELECTRON_RUN_AS_NODE=1; plain Node ignores the variable.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ShimFile {
  name: string;
  text: string;
  mode: number;
}

function posixQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The launcher files for a platform (both a POSIX script and, on Windows, a .cmd). */
export function shimFiles(runtime: string, cliPath: string, platform: NodeJS.Platform): ShimFile[] {
  const sh: ShimFile = {
    name: 'live-variants',
    text: `#!/bin/sh\n# Written by the Live Variants extension: runs its bundled CLI.\nELECTRON_RUN_AS_NODE=1 exec ${posixQuote(runtime)} ${posixQuote(cliPath)} "$@"\n`,
    mode: 0o755,
  };
  if (platform !== 'win32') return [sh];
  return [
    sh,
    {
      name: 'live-variants.cmd',
      text: `@echo off\r\nrem Written by the Live Variants extension: runs its bundled CLI.\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${runtime}" "${cliPath}" %*\r\n`,
      mode: 0o755,
    },
  ];
}

/** Writes the launcher into `<dir>` when missing or different; returns the directory to put on PATH. */
export async function ensureShim(dir: string, runtime: string, cliPath: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const f of shimFiles(runtime, cliPath, process.platform)) {
    const path = join(dir, f.name);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current !== f.text) await writeFile(path, f.text, { mode: f.mode });
    await chmod(path, f.mode);
  }
  return dir;
}
