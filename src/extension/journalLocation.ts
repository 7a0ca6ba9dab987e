// Where the journal lives. VS Code's workspace storage by default (DESIGN.md §4); a journal already in the
// workspace (one a headless `live-variants serve` or the CLI wrote) is kept, so sessions started without VS
// Code continue in it. Pure apart from the injected `exists`.
import { isAbsolute, join } from 'node:path';
import type { JournalLocation } from './settings';

export interface JournalLocationInput {
  location: JournalLocation;
  /** Absolute override from settings; empty for none. */
  path: string;
  root: string;
  /** `context.storageUri` as a path; undefined when VS Code gives the window none. */
  storageDir: string | undefined;
  trusted: boolean;
  /** `journalDir` from `.live-variants/bridge-identity.json`, when it has one. */
  identityJournalDir: string | undefined;
  exists: (path: string) => boolean;
}

export interface ResolvedJournal {
  dir: string;
  why: string;
}

export function workspaceJournalDir(root: string): string {
  return join(root, '.live-variants', 'journal');
}

export function resolveJournalDir(input: JournalLocationInput): ResolvedJournal {
  const inWorkspace = workspaceJournalDir(input.root);
  // A path from workspace files or settings decides where we write: only a trusted workspace may steer it.
  if (input.trusted && input.path !== '' && isAbsolute(input.path)) {
    return { dir: input.path, why: 'liveVariants.journal.path' };
  }
  if (input.location === 'workspace' || input.storageDir === undefined) {
    return { dir: inWorkspace, why: input.location === 'workspace' ? 'setting' : 'no workspace storage' };
  }
  const storage = join(input.storageDir, 'journal');
  if (input.location === 'workspaceStorage') return { dir: storage, why: 'setting' };
  if (input.exists(inWorkspace)) return { dir: inWorkspace, why: 'existing journal in the workspace' };
  const recorded = input.identityJournalDir;
  if (input.trusted && recorded !== undefined && isAbsolute(recorded) && input.exists(recorded)) {
    return { dir: recorded, why: 'journal recorded in bridge-identity.json' };
  }
  return { dir: storage, why: 'workspace storage' };
}
