// Shared by the demo, the VS Code tests and the bench: build the extension, install it unpacked into a
// code-server extensions folder, and run code-server (a real VS Code; see scripts/setup-code-server.sh).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The entry points of esbuild.mjs (kept in step with it), built into a folder of our choosing. */
const ENTRIES = [
  {
    in: 'src/extension/activate.ts',
    out: 'extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  { in: 'src/cli/main.ts', out: 'cli.js', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  { in: 'src/browser/live.ts', out: 'live.js', platform: 'browser', format: 'iife' },
  { in: 'webview-ui/main.ts', out: 'webview.js', platform: 'browser', format: 'iife' },
];

export function readManifest(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** `<publisher>.<name>-<version>`: the folder name VS Code expects in an extensions directory. */
export function extensionFolderName(manifest) {
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

export function codeServerBin(root) {
  const bin = join(
    process.env.CODE_SERVER_DIR ?? join(root, '.cache', 'code-server'),
    'node_modules',
    '.bin',
    'code-server',
  );
  return existsSync(bin) ? bin : null;
}

/** Bundles the extension into `<dir>/dist` and copies what the .vsix would hold (package.json, media). */
export async function buildExtensionInto(root, dir, { production = false } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  await Promise.all(
    ENTRIES.map((e) =>
      build({
        absWorkingDir: root,
        entryPoints: [e.in],
        outfile: join(dir, 'dist', e.out),
        bundle: true,
        platform: e.platform,
        format: e.format,
        target: e.platform === 'node' ? 'node20' : 'es2020',
        external: e.external,
        banner: e.banner ? { js: e.banner } : undefined,
        minify: production,
        sourcemap: false,
        legalComments: 'none',
        logLevel: 'warning',
      }),
    ),
  );
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  cpSync(join(root, 'media'), join(dir, 'media'), { recursive: true });
  for (const f of ['README.md', 'CHANGELOG.md']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(dir, f));
  }
  return dir;
}

/** Builds and installs the extension unpacked into `extensionsDir`; returns its folder. */
export async function installUnpacked(root, extensionsDir, opts = {}) {
  const dir = join(extensionsDir, extensionFolderName(readManifest(root)));
  mkdirSync(extensionsDir, { recursive: true });
  return buildExtensionInto(root, dir, opts);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet (no welcome page, tips, or update checks). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.layoutControl.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
};

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts code-server on 127.0.0.1 (no auth, no telemetry, workspace trust off) and resolves once it answers.
 * `stop()` ends it and its children (extension hosts, watchers): it runs in its own process group.
 */
export async function startCodeServer({
  bin,
  dataDir,
  extensionsDir,
  folder,
  port,
  env = {},
  settings = {},
}) {
  const userDataDir = join(dataDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2)}\n`,
  );
  const configFile = join(dataDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const p = port ?? (await freePort());
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${p}`,
    '--config',
    configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
  if (folder) args.push(folder);
  let log = '';
  const child = spawn(bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: join(dataDir, 'xdg-config'), ...env },
  });
  const keep = (d) => {
    log = (log + d.toString()).slice(-20000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${p}`;
  try {
    await waitForHttp(`${url}/healthz`, child, 60_000);
  } catch (e) {
    stopGroup(child);
    throw new Error(`${e.message}\n${log}`);
  }
  return {
    url,
    port: p,
    userDataDir,
    pid: child.pid,
    log: () => log,
    /** The workbench URL for a folder. */
    folderUrl: (dir) => `${url}/?folder=${encodeURIComponent(dir)}`,
    stop: () => stopGroup(child),
  };
}

function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000).unref();
  });
}
