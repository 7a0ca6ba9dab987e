// `npm run test:electron` (scripts/test-electron.mjs bundles this file and suite.ts): the extension in a real
// desktop VS Code that @vscode/test-electron downloads, for machines with internet access. The code-server
// tests (test/vscode/*.test.ts) cover the same surface where VS Code cannot be downloaded.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSampleSite } from '../helpers/workspaces';

/** The part of @vscode/test-electron's documented API this runner uses. */
interface TestElectron {
  runTests(options: {
    extensionDevelopmentPath: string;
    extensionTestsPath: string;
    launchArgs?: string[];
    extensionTestsEnv?: Record<string, string | undefined>;
    version?: string;
  }): Promise<number>;
}

async function main(): Promise<void> {
  const root = process.cwd();
  const suite = resolve(process.argv[2] ?? '');
  // Resolved from the project at run time (this file runs bundled from a temp folder).
  const { runTests } = createRequire(join(root, 'package.json'))('@vscode/test-electron') as TestElectron;
  const workspace = join(mkdtempSync(join(tmpdir(), 'lv-electron-')), 'site');
  await writeSampleSite(workspace, {
    bridgePort: 0,
    siteUrl: 'http://127.0.0.1:9',
    sessions: 'hero',
    demoDir: join(root, 'demo'),
  });
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    version: process.env.VSCODE_VERSION ?? 'stable',
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    extensionTestsEnv: { LIVE_VARIANTS_TEST_WORKSPACE: workspace },
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
