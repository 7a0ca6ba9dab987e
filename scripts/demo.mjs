#!/usr/bin/env node
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
// `npm start`: the Live Variants demo. Builds the extension and installs it unpacked into a private
// code-server extensions folder, copies demo/ to a temporary workspace with two sessions in progress (the
// pages instrumented, the journal written by the session engine), serves the site, starts code-server on
// the workspace and prints the URLs to open. Ctrl-C stops everything and removes the temporary folder.
//
// Needs code-server (scripts/setup-code-server.sh). Options:
//   --port N      code-server port (default: a free one)
//   --keep        keep the temporary folder after stopping
//   --check       start everything, check that it answers, stop (a smoke test)
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { codeServerBin, freePort, installUnpacked, startCodeServer } from './lib/codeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const bin = codeServerBin(root);
if (!bin) {
  console.error(
    'code-server is not installed. Run: scripts/setup-code-server.sh (about a minute, needs npm).',
  );
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'live-variants-demo-'));
const workspace = join(tmp, 'workspace');
const say = (s) => process.stdout.write(`${s}\n`);

/** The sample-workspace writer is TypeScript shared with the tests: bundle it, then load it. */
async function loadWorkspaces() {
  const outfile = join(tmp, 'workspaces.cjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['test/vscode/helpers/workspaces.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves the workspace as the "dev server": files are read on every request, so edits show on reload. */
function serveSite(dir, port) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    const hidden = file
      .slice(dir.length)
      .split(sep)
      .some((p) => p.startsWith('.'));
    if (req.method !== 'GET' || !file.startsWith(dir + sep) || hidden) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((res) => server.listen(port, '127.0.0.1', () => res(server)));
}

const [sitePort, bridgePort] = [await freePort(), await freePort()];
const siteUrl = `http://127.0.0.1:${sitePort}`;
say('Live Variants demo: building the extension and the sample workspace…');
let site;
let server;
try {
  const { writeSampleSite } = await loadWorkspaces();
  await writeSampleSite(workspace, { bridgePort, siteUrl, demoDir: join(root, 'demo') });
  const extensionsDir = join(tmp, 'extensions');
  await installUnpacked(root, extensionsDir);
  site = await serveSite(workspace, sitePort);
  server = await startCodeServer({
    bin,
    dataDir: join(tmp, 'code-server'),
    extensionsDir,
    folder: workspace,
    port: option('--port') ? Number(option('--port')) : undefined,
  });
} catch (e) {
  site?.close();
  rmSync(tmp, { recursive: true, force: true });
  console.error(`The demo could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await server.stop();
  site.close();
  if (!flag('--keep')) rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

say('');
say(`  VS Code (code-server)  ${server.folderUrl(workspace)}`);
say(`  The site (preview)     ${siteUrl}/index.html   ·   ${siteUrl}/about.html`);
say(`  Bridge                 http://127.0.0.1:${bridgePort}  (starts when the workspace opens in VS Code)`);
say(`  Workspace              ${workspace}`);
say('');
say('  Open the VS Code URL: the status bar shows the session in progress; open index.html for CodeLens,');
say('  the Live Variants activity bar for the Live Sessions view. Ctrl-C stops the demo.');

if (flag('--check')) {
  const ok = [server.folderUrl(workspace), `${siteUrl}/index.html`].map(async (url) => (await fetch(url)).ok);
  const results = await Promise.all(ok);
  say(results.every(Boolean) ? 'check: ok' : 'check: FAILED');
  await stop(results.every(Boolean) ? 0 : 1);
}
