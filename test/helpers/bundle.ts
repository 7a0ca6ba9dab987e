// Bundles a TypeScript entry for a real child process (crash tests, bridge restarts). Output goes to a
// per-run temp dir so parallel test files never share a file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const outDir = mkdtempSync(join(tmpdir(), 'lv-bundle-'));

export async function bundleForNode(
  entry: string,
  defines: Record<string, string> = {},
  opts: { sourcemap?: boolean } = {},
): Promise<string> {
  const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, '')}-${Object.keys(defines).length}.cjs`);
  await build({
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: defines,
    logLevel: 'warning',
    // Inline maps make stack traces readable but cost start-up time in children restarted hundreds of times.
    sourcemap: opts.sourcemap === false ? false : 'inline',
  });
  return outfile;
}
