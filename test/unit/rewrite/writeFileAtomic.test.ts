import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/rewrite/writeFileAtomic';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lv-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the content, keeps the file mode and leaves no temp file behind', async () => {
    const path = join(dir, 'page.html');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    await writeFileAtomic(path, 'new\r\ncontent');
    expect(readFileSync(path, 'utf8')).toBe('new\r\ncontent');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['page.html']);
  });

  it('creates a file that did not exist', async () => {
    await writeFileAtomic(join(dir, 'new.html'), Buffer.from([0xe2, 0x82, 0xac]));
    expect(readFileSync(join(dir, 'new.html'), 'utf8')).toBe('€');
  });

  it('fails without touching anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.html'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});
