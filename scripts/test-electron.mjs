#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// `npm run test:electron`: bundles test/vscode/electron/{runTest,suite}.ts and runs them. Needs the dev
// dependency @vscode/test-electron and internet access (it downloads VS Code into .vscode-test/). Run
// `npm run build` first: the extension is loaded from this folder (package.json + dist/).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const out = mkdtempSync(join(tmpdir(), 'lv-electron-build-'));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: ['test/vscode/electron/runTest.ts'],
  outfile: join(out, 'runTest.cjs'),
  external: ['@vscode/test-electron'],
});
await build({
  ...common,
  entryPoints: ['test/vscode/electron/suite.ts'],
  outfile: join(out, 'suite.cjs'),
  external: ['vscode'],
});
const r = spawnSync(process.execPath, [join(out, 'runTest.cjs'), join(out, 'suite.cjs')], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
