import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveJournalDir } from '../../../src/extension/journalLocation';

const root = '/ws';
const storage = '/storage/abc';
const base = {
  location: 'auto' as const,
  path: '',
  root,
  storageDir: storage,
  trusted: true,
  identityJournalDir: undefined,
  exists: () => false,
};

describe('resolveJournalDir', () => {
  it('uses workspace storage by default', () => {
    expect(resolveJournalDir(base)).toEqual({ dir: join(storage, 'journal'), why: 'workspace storage' });
  });

  it('keeps a journal that already lives in the workspace (written headless or by the CLI)', () => {
    const exists = (p: string) => p === '/ws/.live-variants/journal';
    expect(resolveJournalDir({ ...base, exists }).dir).toBe('/ws/.live-variants/journal');
  });

  it('follows the journal recorded in bridge-identity.json only when trusted and present', () => {
    const exists = (p: string) => p === '/elsewhere/journal';
    const input = { ...base, identityJournalDir: '/elsewhere/journal', exists };
    expect(resolveJournalDir(input).dir).toBe('/elsewhere/journal');
    expect(resolveJournalDir({ ...input, trusted: false }).dir).toBe(join(storage, 'journal'));
    expect(resolveJournalDir({ ...input, exists: () => false }).dir).toBe(join(storage, 'journal'));
  });

  it('honours the location setting', () => {
    expect(resolveJournalDir({ ...base, location: 'workspace' }).dir).toBe('/ws/.live-variants/journal');
    const exists = () => true;
    expect(resolveJournalDir({ ...base, location: 'workspaceStorage', exists }).dir).toBe(
      join(storage, 'journal'),
    );
  });

  it('takes an absolute path override in trusted workspaces only', () => {
    expect(resolveJournalDir({ ...base, path: '/data/j' }).dir).toBe('/data/j');
    expect(resolveJournalDir({ ...base, path: 'relative/j' }).dir).toBe(join(storage, 'journal'));
    expect(resolveJournalDir({ ...base, path: '/data/j', trusted: false }).dir).toBe(
      join(storage, 'journal'),
    );
  });

  it('falls back to the workspace when VS Code gives no storage', () => {
    expect(resolveJournalDir({ ...base, storageDir: undefined }).dir).toBe('/ws/.live-variants/journal');
  });
});
