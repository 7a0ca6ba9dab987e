// The I/O half of status: find the files with markers (a workspace scan, or only the files sessions name),
// read the session files' text for the completion check, and turn read failures into data. Nothing here
// decides anything; computeStatus does.

import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SessionView } from '../engine/view';
import { type ReadBranchOptions, readBranch } from '../git/readBranch';
import { scanText } from '../markers/scan';
import { gitIgnoredSet, scanWorkspace, type WorkspaceScanOptions } from '../markers/workspaceScan';
import type { OwedItem } from '../queue/types';
import { inspectArtifacts } from './artifacts';
import { isKnownBranch } from './branch';
import type { BranchInfo, CompletedSessionStatus, StatusDiagnostic, StatusFile, StatusInputs } from './types';

export interface GatherOptions {
  root: string;
  sessions: SessionView[];
  now?: Date;
  completed?: CompletedSessionStatus[];
  includeCompleted?: boolean;
  owed?: OwedItem[];
  browserConnected?: (sessionId: string) => boolean;
  agentsOnline?: number;
  bridge?: { running: boolean; url: string | null };
  queueClockNow?: number;
  lastActivity?: Record<string, string>;
  /** `workspace` (default) scans every source file; `sessions` reads only session files and `extraFiles`. */
  scope?: 'workspace' | 'sessions';
  /** More workspace-relative files to scan (e.g. from a marker index) when `scope` is `sessions`. */
  extraFiles?: readonly string[];
  workspace?: Pick<WorkspaceScanOptions, 'extraExts' | 'excludes' | 'isIgnored'>;
  /** The journal directory: each active session's artifacts are checked in `<journalDir>/<id>.artifacts/`. */
  journalDir?: string;
  /** How to read the workspace's branch when the files do not tell (tests inject a git runner). */
  git?: ReadBranchOptions;
}

type Read = { text: string } | { error: { code: string; message: string } };

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'the file does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

/** Workspace-relative `/` path, or null when the path leaves the workspace. */
function confine(root: string, path: string): string | null {
  const abs = isAbsolute(path) ? resolve(path) : resolve(root, path);
  const rel = relative(resolve(root), abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

async function readText(root: string, rel: string): Promise<Read> {
  try {
    const buf = await readFile(join(root, rel));
    const text = buf.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(buf)) {
      return { error: { code: 'unsupported_encoding', message: 'the file is not valid UTF-8' } };
    }
    return { text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'read_failed';
    return { error: { code, message: READ_ERRORS[code] ?? (e instanceof Error ? e.message : String(e)) } };
  }
}

/** Files the sessions name: where their markers are said to be, else where the page guessed. */
function sessionFiles(
  root: string,
  sessions: readonly SessionView[],
): { files: string[]; outside: string[] } {
  const files = new Set<string>();
  const outside = new Set<string>();
  for (const s of sessions) {
    if (s.phase === 'complete') continue;
    const named = s.context.file ?? s.context.fileHint;
    if (named === null || named === '') continue;
    const rel = confine(root, named);
    if (rel === null) outside.add(named);
    else files.add(rel);
  }
  return { files: [...files].sort(), outside: [...outside].sort() };
}

/** The workspace's branch, read once per status and only when some session recorded one. */
async function workspaceBranch(
  root: string,
  sessions: readonly SessionView[],
  git: ReadBranchOptions | undefined,
  findings: StatusDiagnostic[],
): Promise<BranchInfo | null | 'unreadable'> {
  if (!sessions.some((s) => s.phase !== 'complete' && isKnownBranch(s.branch))) return null;
  try {
    const state = await readBranch(root, git);
    return state === null ? null : { branch: state.branch, head: state.head };
  } catch (e) {
    findings.push({
      code: 'branch_unreadable',
      message: `${e instanceof Error ? e.message : String(e)} Until it can be read, no session is taken as complete from its markers.`,
    });
    return 'unreadable';
  }
}

async function sessionArtifacts(
  journalDir: string,
  sessions: readonly SessionView[],
): Promise<NonNullable<StatusInputs['artifacts']>> {
  const active = sessions.filter((s) => s.phase !== 'complete');
  const found = await Promise.all(active.map((s) => inspectArtifacts(journalDir, s.sessionId)));
  return Object.fromEntries(active.map((s, i) => [s.sessionId, found[i]]));
}

export async function gatherStatusInputs(opts: GatherOptions): Promise<StatusInputs> {
  const { root } = opts;
  const named = sessionFiles(root, opts.sessions);
  const byPath = new Map<string, StatusFile>();
  if ((opts.scope ?? 'workspace') === 'workspace') {
    for (const hit of await scanWorkspace(root, opts.workspace)) {
      byPath.set(hit.file, { path: hit.file, scan: hit.scan, generated: hit.scan.generated });
    }
  }
  const toRead = new Set(named.files);
  for (const f of opts.extraFiles ?? []) {
    const rel = confine(root, f);
    if (rel !== null && !byPath.has(rel)) toRead.add(rel);
  }
  const paths = [...toRead].sort();
  const isIgnored = opts.workspace?.isIgnored;
  const ignored = isIgnored === undefined ? await gitIgnoredSet(root, paths) : null;
  for (const rel of paths) {
    const read = await readText(root, rel);
    if ('error' in read) {
      byPath.set(rel, { path: rel, generated: false, error: read.error });
      continue;
    }
    const generated = ignored !== null ? ignored.has(rel) : (await isIgnored?.(rel)) === true;
    const known = byPath.get(rel);
    // A workspace hit keeps its scan; the text is what the completion check needs.
    const scan = known?.scan ?? scanText(read.text, { path: rel, generated });
    byPath.set(rel, { path: rel, scan, text: read.text, generated: generated || scan.generated });
  }
  for (const name of named.outside) {
    byPath.set(name, {
      path: name,
      generated: false,
      error: { code: 'outside_workspace', message: `the path is outside the workspace ${root}` },
    });
  }
  const findings: StatusDiagnostic[] = [];
  const currentBranch = await workspaceBranch(root, opts.sessions, opts.git, findings);
  const artifacts =
    opts.journalDir !== undefined ? await sessionArtifacts(opts.journalDir, opts.sessions) : {};
  return {
    now: opts.now ?? new Date(),
    sessions: opts.sessions,
    completed: opts.completed,
    includeCompleted: opts.includeCompleted ?? false,
    owed: opts.owed ?? [],
    files: [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    browserConnected: opts.browserConnected ?? (() => false),
    agentsOnline: opts.agentsOnline ?? 0,
    bridge: opts.bridge ?? { running: false, url: null },
    queueClockNow: opts.queueClockNow,
    lastActivity: opts.lastActivity,
    root,
    currentBranch,
    artifacts,
    findings,
  };
}
