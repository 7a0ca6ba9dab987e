// Marker scan throughput: a generated tree of 20,000 files / ~200 MB with 50 marker files, scanned by
// scanWorkspace and by ripgrep (`rg -l`, single-threaded and default) in the same run; plus the cost of
// rescanning one changed 1 MB file. The tree lives in a temp dir and is deleted afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanText } from '../src/core/markers/scan';
import { scanWorkspace } from '../src/core/markers/workspaceScan';
import { type BenchResult, percentile } from './types';

const FILES = 20_000;
const MARKER_FILES = 50;
const TARGET_BYTES = 200 * 1024 * 1024;
const DIRS = 200;
const EXTS = ['.html', '.tsx', '.vue', '.jsx', '.svelte', '.astro'];
const RG = '/usr/bin/rg';

function filler(bytes: number, seed: number): string {
  const row = (i: number) =>
    `      <li class="item item-${(seed + i) % 97}" data-k="${i}"><a href="/p/${seed}/${i}">Entry ${i} of page ${seed}</a> <span>${'lorem ipsum dolor sit amet '.repeat(1 + (i % 3))}</span></li>\n`;
  let out = `<section class="page-${seed}">\n    <ul>\n`;
  let i = 0;
  while (out.length < bytes - 40) out += row(i++);
  return `${out}    </ul>\n</section>\n`;
}

function markerBlock(id: string): string {
  return [
    `  <!-- impeccable-variants-start ${id} -->`,
    `  <div data-impeccable-variants="${id}" data-impeccable-variant-count="2" style="display: contents">`,
    '    <!-- Original -->',
    '    <div data-impeccable-variant="original">',
    '      <h1 class="title">Hello</h1>',
    '    </div>',
    '    <!-- Variants: insert below this line -->',
    '    <div data-impeccable-variant="1">',
    '      <h1 class="title title--big">Hello</h1>',
    '    </div>',
    '    <div data-impeccable-variant="2" style="display: none">',
    '      <h1 class="title title--serif">Hello</h1>',
    '    </div>',
    '  </div>',
    `  <!-- impeccable-variants-end ${id} -->`,
    '',
  ].join('\n');
}

function generateTree(root: string): number {
  const per = Math.floor(TARGET_BYTES / FILES);
  const markerEvery = Math.floor(FILES / MARKER_FILES);
  const bodies = Array.from({ length: 16 }, (_, k) => filler(per, k));
  let bytes = 0;
  for (let d = 0; d < DIRS; d++) mkdirSync(join(root, `pkg${d % 20}`, `dir${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const d = i % DIRS;
    let text = bodies[i % bodies.length];
    if (i % markerEvery === 0 && i / markerEvery < MARKER_FILES) {
      const id = (0x10000000 + i).toString(16);
      text = text.replace('    <ul>\n', `${markerBlock(id)}    <ul>\n`);
    }
    writeFileSync(join(root, `pkg${d % 20}`, `dir${d}`, `f${i}${EXTS[i % EXTS.length]}`), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e6];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e6];
}

function rgList(root: string, extra: string[]): number {
  try {
    const out = execFileSync(RG, ['-l', ...extra, 'impeccable-variants-start', root], {
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    return out.split('\n').filter((l) => l !== '').length;
  } catch (e) {
    // rg exits 1 when nothing matched.
    if ((e as { status?: number }).status === 1) return 0;
    throw e;
  }
}

export default async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'lv-markers-bench-'));
  const results: BenchResult[] = [];
  try {
    const bytes = generateTree(root);
    const mb = bytes / (1024 * 1024);
    results.push({ metric: 'tree size', value: Math.round(mb), unit: `MB in ${FILES} files` });

    // The three scanners run interleaved, five rounds after a warm-up, and each keeps its best round: on a
    // shared machine that is the fairest view of what each can do.
    const hasRg = existsSync(RG);
    const tools: { label: string; run: () => Promise<number> }[] = [
      {
        label: 'scanWorkspace',
        run: async () =>
          (await scanWorkspace(root, { isIgnored: () => false })).filter((s) => s.scan.blocks.length > 0)
            .length,
      },
    ];
    if (hasRg) {
      tools.push({ label: 'rg -j1', run: async () => rgList(root, ['-j1']) });
      tools.push({ label: 'rg (default threads)', run: async () => rgList(root, []) });
    }
    const bestMs = new Map<string, number>();
    const found = new Map<string, number>();
    for (const t of tools) await t.run();
    for (let round = 0; round < 5; round++) {
      for (const t of tools) {
        const [n, ms] = await timeAsync(t.run);
        found.set(t.label, n);
        bestMs.set(t.label, Math.min(ms, bestMs.get(t.label) ?? Number.POSITIVE_INFINITY));
      }
    }
    const oursMs = bestMs.get('scanWorkspace') as number;
    for (const t of tools) {
      const ms = bestMs.get(t.label) as number;
      const n = found.get(t.label) as number;
      results.push({
        metric: `${t.label} marker files`,
        value: n,
        unit: 'files',
        target: `= ${MARKER_FILES}`,
        ok: n === MARKER_FILES,
      });
      results.push({ metric: `${t.label} full scan`, value: ms, unit: 'ms' });
      results.push({ metric: `${t.label} throughput`, value: FILES / (ms / 1000), unit: 'files/s' });
      results.push({ metric: `${t.label} throughput`, value: mb / (ms / 1000), unit: 'MB/s' });
    }
    if (hasRg) {
      // The target is against single-threaded rg (scanWorkspace runs on one thread); the comparison with
      // rg's default thread pool is reported for information.
      const j1 = (100 * (bestMs.get('rg -j1') as number)) / oursMs;
      results.push({
        metric: 'scanWorkspace vs rg -j1',
        value: j1,
        unit: '% of rg throughput',
        target: '>= 50',
        ok: j1 >= 50,
      });
      const all = (100 * (bestMs.get('rg (default threads)') as number)) / oursMs;
      results.push({
        metric: 'scanWorkspace vs rg (default threads)',
        value: all,
        unit: '% of rg throughput (info)',
      });
    } else {
      results.push({ metric: 'ripgrep', value: 0, unit: `missing at ${RG} (apt-get install -y ripgrep)` });
    }

    // Rescan of one changed 1 MB file with markers: what an editor does on every keystroke.
    const big = markerBlock('deadbeef') + filler(1024 * 1024, 7) + markerBlock('feedf00d');
    const samples: number[] = [];
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 20; i++) scanText(`${big}<!-- warm ${i} -->`, { path: 'big.html' });
    for (let i = 0; i < 200; i++) {
      // A new document version, flattened as an editor hands it over; the harness's own garbage is
      // collected outside the timed region.
      const edited = `${big.slice(0, 5000 + i)}x${big.slice(5000 + i)}`;
      edited.includes('\u0000');
      gc?.();
      const [scan, ms] = time(() => scanText(edited, { path: 'big.html' }));
      if (scan.blocks.length !== 2) throw new Error('rescan lost a block');
      samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    results.push({
      metric: 'rescan 1 MB file p50',
      value: percentile(samples, 50),
      unit: 'ms',
      target: '<= 5',
      ok: percentile(samples, 50) <= 5,
    });
    results.push({
      metric: 'rescan 1 MB file p95',
      value: percentile(samples, 95),
      unit: 'ms',
      target: '<= 5',
      ok: percentile(samples, 95) <= 5,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}
