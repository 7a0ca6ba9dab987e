import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitIgnoredSet, listSourceFiles, scanWorkspace } from '../../../src/core/markers/workspaceScan';

const block = (id: string) =>
  `<!-- impeccable-variants-start ${id} -->\n<div data-impeccable-variants="${id}" data-impeccable-variant-count="1" style="display: contents">\n<div data-impeccable-variant="original"><p>o</p></div>\n<div data-impeccable-variant="1"><p>1</p></div>\n</div>\n<!-- impeccable-variants-end ${id} -->\n`;

let root: string;
function put(rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-ws-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scanWorkspace', () => {
  it('lists the files with markers, skipping node_modules, .git, dist, build, excludes and other extensions', async () => {
    put('index.html', block('a0000001'));
    put('src/App.tsx', `export const A = () => (\n${block('a0000002')});\n`);
    put('src/plain.vue', '<template><p>no markers</p></template>');
    put('src/notes.md', block('a0000003'));
    put('node_modules/x/index.html', block('a0000004'));
    put('dist/index.html', block('a0000005'));
    put('build/index.html', block('a0000006'));
    put('pkg/build/index.html', block('a0000007'));
    put('.git/x.html', block('a0000008'));
    put('vendor/lib.html', block('a0000009'));
    put('src/keep.html', `<p>impeccable-variants-start is mentioned but not a marker</p>`);
    const found = await scanWorkspace(root, { excludes: ['vendor/'], isIgnored: () => false });
    expect(found.map((f) => [f.file, f.scan.blocks.map((b) => b.sessionId)])).toEqual([
      ['index.html', ['a0000001']],
      ['src/App.tsx', ['a0000002']],
    ]);
    expect(found[0].path).toBe(join(root, 'index.html'));
  });

  it('scans configured extra extensions', async () => {
    put('page.php', block('b0000001'));
    expect(
      (await scanWorkspace(root, { extraExts: ['.php'], isIgnored: () => false })).map((f) => f.file),
    ).toEqual(['page.php']);
  });

  it('marks files git ignores as generated, asking git only about the files with markers', async () => {
    execFileSync('git', ['init', '-q', root]);
    put('.gitignore', 'public/\n');
    put('public/index.html', block('c0000001'));
    put('src/index.html', block('c0000002'));
    const found = await scanWorkspace(root);
    expect(found.map((f) => [f.file, f.scan.generated, f.scan.problems.map((p) => p.code)])).toEqual([
      ['public/index.html', true, ['markers_in_generated_file']],
      ['src/index.html', false, []],
    ]);
    expect(await gitIgnoredSet(root, ['public/index.html', 'src/index.html'])).toEqual(
      new Set(['public/index.html']),
    );
  });

  it('treats nothing as ignored outside a git repository', async () => {
    put('a.html', block('d0000001'));
    expect(await gitIgnoredSet(root, ['a.html'])).toEqual(new Set());
  });

  it('reads files larger than its read buffer whole', async () => {
    put('big.html', `${'<p>filler</p>\n'.repeat(40_000)}${block('e0000001')}`);
    const found = await scanWorkspace(root, { isIgnored: () => false });
    expect(found[0].scan.blocks[0].range.startLine).toBe(40_001);
  });

  it('stops with the abort reason when aborted', async () => {
    put('a.html', block('f0000001'));
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(listSourceFiles(root, { signal: ac.signal })).rejects.toThrow('stop');
    await expect(scanWorkspace(root, { signal: ac.signal, isIgnored: () => false })).rejects.toThrow('stop');
  });
});
