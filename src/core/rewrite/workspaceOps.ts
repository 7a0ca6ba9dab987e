// File-level wrap / accept / discard for the CLI and the headless bridge: find the file, refuse
// generated ones, apply the pure rewrite, write atomically. VS Code uses the pure functions instead and
// applies their edit as a WorkspaceEdit.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { LiveVariantsError } from '../errors';
import { generatedHeaderMarker } from '../markers/generated';
import { type ExtraExtensions, languageForPath } from '../markers/language';
import {
  forEachFileBytes,
  gitIgnoredSet,
  listSourceFiles,
  scanWorkspace,
  workspaceRelative,
} from '../markers/workspaceScan';
import { type AcceptOptions, acceptVariant } from './accept';
import { discardVariants } from './discard';
import type { ElementCandidate } from './findElement';
import type { RewriteResult, SessionRewriteOptions } from './session';
import { applyEdit } from './textEdit';
import { checkWrapOptions, type WrapOptions, type WrapResult, wrapCandidates, wrapElement } from './wrap';
import { writeFileAtomic } from './writeFileAtomic';

export interface WorkspaceOptions {
  extraExts?: ExtraExtensions;
  excludes?: readonly string[];
  /** Whether git ignores a workspace-relative path; default asks `git check-ignore`. */
  isIgnored?: (relPath: string) => boolean | Promise<boolean>;
}

export interface FileOutcome {
  /** Workspace-relative, `/`-separated. */
  file: string;
  path: string;
}

/** Reads a file as UTF-8, refusing files that would not survive the round trip byte for byte. */
export async function readTextExact(path: string): Promise<string> {
  const buf = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new LiveVariantsError('file_not_found', `cannot read ${path}: ${e.code ?? e.message}`, 'file');
  });
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) {
    throw new LiveVariantsError(
      'unsupported_encoding',
      `${path} is not valid UTF-8; it is left untouched`,
      'file',
    );
  }
  return text;
}

async function ignoredByGit(root: string, rel: string, opts: WorkspaceOptions): Promise<boolean> {
  if (opts.isIgnored !== undefined) return opts.isIgnored(rel);
  return (await gitIgnoredSet(root, [rel])).has(rel);
}

function absolute(root: string, file: string): string {
  return isAbsolute(file) ? file : join(root, file);
}

export interface WrapInWorkspaceOptions
  extends WorkspaceOptions,
    Omit<WrapOptions, 'path' | 'generated' | 'language' | 'extraExts'> {
  /** The file to wrap in (workspace-relative or absolute); searched for when absent. */
  file?: string;
}

/** Maps a page URL's path to likely source file names (`/docs/a` → `docs/a.html`, `docs/a/index.html`). */
function urlFileHints(pageUrl: string | undefined): string[] {
  if (!pageUrl) return [];
  let path: string;
  try {
    path = new URL(pageUrl, 'http://localhost').pathname;
  } catch {
    return [];
  }
  const clean = decodeURIComponent(path)
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.[a-z]+$/i, '');
  return clean === '' ? ['index'] : [clean, `${clean}/index`];
}

function stem(file: string): string {
  return file.replace(/\.[^./]+$/, '');
}

export async function wrapInWorkspace(
  root: string,
  opts: WrapInWorkspaceOptions,
): Promise<WrapResult & FileOutcome> {
  checkWrapOptions({ ...opts, path: opts.file ?? '' });
  let rel: string;
  if (opts.file !== undefined) rel = workspaceRelative(root, opts.file);
  else {
    const files = await listSourceFiles(root, opts);
    const needles = [
      opts.element?.id,
      ...(typeof opts.element?.classes === 'string'
        ? opts.element.classes.split(/\s+/)
        : (opts.element?.classes ?? [])),
    ]
      .map((s) => s?.trim())
      .filter((s): s is string => !!s);
    const found: { file: string; candidates: ElementCandidate[]; generated: boolean }[] = [];
    const needleBytes = needles.map((n) => Buffer.from(n, 'utf8'));
    await forEachFileBytes(root, files, (file, bytes) => {
      if (needleBytes.length > 0 && !needleBytes.some((n) => bytes.indexOf(n) !== -1)) return;
      const language = languageForPath(file, opts.extraExts);
      if (language === null) return;
      const text = bytes.toString('utf8');
      const { candidates } = wrapCandidates(text, language, opts.element);
      if (candidates.length > 0)
        found.push({ file, candidates, generated: generatedHeaderMarker(text) !== null });
    });
    const ignored = opts.isIgnored ?? (() => false);
    const gitSet =
      opts.isIgnored === undefined
        ? await gitIgnoredSet(
            root,
            found.map((f) => f.file),
          )
        : new Set<string>();
    for (const f of found) if (gitSet.has(f.file) || (await ignored(f.file))) f.generated = true;
    let source = found.filter((f) => !f.generated);
    if (source.length === 0) {
      const gen = found.find((f) => f.generated);
      if (gen !== undefined) {
        throw new LiveVariantsError(
          'file_is_generated',
          `the element is only in generated file ${gen.file}; wrap it in its true source`,
          'file',
          { file: gen.file, generatedMatch: gen.file },
        );
      }
      throw new LiveVariantsError(
        'element_not_found',
        'no source file contains the picked element',
        'element',
      );
    }
    if (source.length > 1) {
      const hints = urlFileHints(opts.element?.pageUrl);
      const byUrl = source.filter((f) =>
        hints.some((h) => stem(f.file) === h || stem(f.file).endsWith(`/${h}`)),
      );
      if (byUrl.length === 1) source = byUrl;
    }
    const all = source.flatMap((f) =>
      f.candidates.map((c) => ({ file: f.file, startLine: c.startLine, endLine: c.endLine, tag: c.tag })),
    );
    if (source.length > 1) {
      throw new LiveVariantsError(
        'element_ambiguous',
        `${all.length} elements in ${source.length} files match the picked element; pass a file`,
        'element',
        { candidates: all },
      );
    }
    rel = source[0].file;
  }
  const path = absolute(root, rel);
  const text = await readTextExact(path);
  const generated = await ignoredByGit(root, rel, opts);
  const result = wrapElement(text, { ...opts, path: rel, generated });
  if (result.edit !== null) await writeFileAtomic(path, applyEdit(text, result.edit));
  return { ...result, file: rel, path };
}

export interface SessionInWorkspaceOptions
  extends WorkspaceOptions,
    Omit<SessionRewriteOptions, 'path' | 'generated' | 'language' | 'extraExts'> {
  /** The file holding the session (workspace-relative or absolute); found by a workspace scan when absent. */
  file?: string;
}

/** The one file holding the session's markers, or null when no file does. */
async function sessionFile(root: string, opts: SessionInWorkspaceOptions): Promise<string | null> {
  if (opts.file !== undefined) return workspaceRelative(root, opts.file);
  const id = opts.sessionId;
  const scans = await scanWorkspace(root, opts);
  const files = scans
    .filter(
      (s) =>
        s.scan.blocks.some((b) => b.sessionId === id) || s.scan.carbonize.some((c) => c.sessionId === id),
    )
    .map((s) => s.file);
  if (files.length > 1) {
    throw new LiveVariantsError(
      'malformed_markers',
      `session ${id} has markers in ${files.length} files: ${files.join(', ')}`,
      'sessionId',
      {
        files,
        problems: files.map((f) => ({
          code: 'duplicate_id',
          severity: 'error',
          sessionId: id,
          file: f,
          message: `session ${id} also has markers in ${f}`,
        })),
      },
    );
  }
  return files[0] ?? null;
}

async function rewriteInWorkspace(
  root: string,
  opts: SessionInWorkspaceOptions,
  rewrite: (text: string, o: SessionRewriteOptions) => RewriteResult,
): Promise<RewriteResult & { file: string | null; path: string | null }> {
  const rel = await sessionFile(root, opts);
  const base: SessionRewriteOptions = {
    sessionId: opts.sessionId,
    recorded: opts.recorded,
    extraExts: opts.extraExts,
  };
  if (rel === null) return { ...rewrite('', base), file: null, path: null };
  const path = absolute(root, rel);
  const text = await readTextExact(path);
  const generated = await ignoredByGit(root, rel, opts);
  const result = rewrite(text, { ...base, path: rel, generated });
  if (result.status === 'applied') await writeFileAtomic(path, applyEdit(text, result.edit));
  return { ...result, file: rel, path };
}

export function acceptInWorkspace(
  root: string,
  opts: SessionInWorkspaceOptions & Pick<AcceptOptions, 'variant' | 'params'>,
): Promise<RewriteResult & { file: string | null; path: string | null }> {
  return rewriteInWorkspace(root, opts, (text, o) =>
    acceptVariant(text, { ...o, variant: opts.variant, params: opts.params }),
  );
}

export function discardInWorkspace(
  root: string,
  opts: SessionInWorkspaceOptions,
): Promise<RewriteResult & { file: string | null; path: string | null }> {
  return rewriteInWorkspace(root, opts, discardVariants);
}
