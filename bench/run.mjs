// `npm run bench`: bundles every bench/*.bench.ts, runs each in its own Node process (so RSS figures are
// its own), writes bench/results/<name>.json and prints one table. Benchmarks are measurements, not tests.
// Usage: node --expose-gc bench/run.mjs [name-filter]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const outDir = mkdtempSync(join(tmpdir(), 'lv-bench-'));

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
const rows = [];
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  const outfile = join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [join(here, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const resultFile = join(outDir, `${name}.json`);
  process.stderr.write(`bench: ${name}…\n`);
  execFileSync(process.execPath, ['--expose-gc', join(here, 'harness.cjs'), outfile, resultFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: join(here, '..'),
  });
  const results = JSON.parse(readFileSync(resultFile, 'utf8'));
  const doc = { name, at: new Date().toISOString(), node: process.version, cpus: 2, results };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  for (const r of results) rows.push({ bench: name, ...r });
}

const fmt = (v) =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? '');
const header = ['bench', 'metric', 'value', 'unit', 'target', 'ok'];
const table = [
  header,
  ...rows.map((r) => [
    r.bench,
    r.metric,
    fmt(r.value),
    r.unit,
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  ]),
];
const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join('  '));
