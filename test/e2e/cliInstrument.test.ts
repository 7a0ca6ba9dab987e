// `live-variants instrument` run as a real process on real files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../helpers/bundle';

const run = promisify(execFile);
let cli: string;
let root: string;

beforeAll(async () => {
  cli = await bundleForNode('src/cli/main.ts', {}, { sourcemap: false });
  root = mkdtempSync(join(tmpdir(), 'lv-instr-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function lv(...args: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
  try {
    const { stdout } = await run(process.execPath, [cli, ...args, '--root', root], { cwd: root });
    return { code: 0, out: JSON.parse(stdout) };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, out: JSON.parse(err.stdout) };
  }
}

describe('live-variants instrument', () => {
  it('inserts a token-free script tag into an HTML page, is idempotent, and --remove restores the bytes', async () => {
    const html =
      '<!doctype html>\n<html>\n  <head>\n    <title>x</title>\n  </head>\n  <body><p>hi</p></body>\n</html>\n';
    writeFileSync(join(root, 'index.html'), html);
    const first = await lv('instrument', 'index.html', '--bridge', 'http://127.0.0.1:4321');
    expect(first).toEqual({
      code: 0,
      out: {
        file: 'index.html',
        status: 'inserted',
        changed: true,
        scriptUrl: 'http://127.0.0.1:4321/live.js',
      },
    });
    const text = readFileSync(join(root, 'index.html'), 'utf8');
    expect(text).toContain('<!-- live-variants-start -->');
    expect(text).toContain('src="http://127.0.0.1:4321/live.js"');
    expect(text).not.toMatch(/token/i);
    const again = await lv('instrument', 'index.html', '--bridge', 'http://127.0.0.1:4321');
    expect(again.out.status).toBe('unchanged');
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toBe(text);
    const removed = await lv('instrument', 'index.html', '--remove');
    expect(removed.out).toEqual({ file: 'index.html', status: 'removed', changed: true });
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toBe(html);
    expect((await lv('instrument', 'index.html', '--remove')).out.status).toBe('absent');
  });

  it('uses JSX comments in a TSX entry file', async () => {
    const tsx =
      'export function App() {\n  return (\n    <html>\n      <head>\n        <title>x</title>\n      </head>\n      <body />\n    </html>\n  );\n}\n';
    writeFileSync(join(root, 'App.tsx'), tsx);
    const r = await lv('instrument', 'App.tsx', '--bridge', 'http://127.0.0.1:4321');
    expect(r.code).toBe(0);
    const text = readFileSync(join(root, 'App.tsx'), 'utf8');
    expect(text).toContain('{/* live-variants-start */}');
    await lv('instrument', 'App.tsx', '--remove');
    expect(readFileSync(join(root, 'App.tsx'), 'utf8')).toBe(tsx);
  });

  it('fails with a JSON error and a non-zero exit when no bridge URL is known or the file is missing', async () => {
    writeFileSync(join(root, 'page.html'), '<html><head></head><body></body></html>\n');
    const noUrl = await lv('instrument', 'page.html');
    expect(noUrl.code).not.toBe(0);
    expect(noUrl.out.error).toBe('bridge_not_running');
    const missing = await lv('instrument', 'nope.html', '--bridge', 'http://127.0.0.1:4321');
    expect(missing.code).not.toBe(0);
    expect(missing.out.error).toBe('file_not_found');
  });
});
