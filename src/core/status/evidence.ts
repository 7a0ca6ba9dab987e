// What the source says, indexed by session id: every file's variant blocks, carbonize blocks, param-values
// comments and marker problems, plus the diagnostics of files that could not be read or scanned.

import { scanText } from '../markers/scan';
import type {
  CarbonizeBlock,
  MarkerProblem,
  ParamValuesComment,
  ScanResult,
  VariantBlock,
} from '../markers/types';
import type { StatusDiagnostic, StatusFile } from './types';

/** One file's markers for one session. */
export interface FileEvidence {
  path: string;
  generated: boolean;
  generatedReason: string | null;
  blocks: VariantBlock[];
  carbonize: CarbonizeBlock[];
  paramValues: ParamValuesComment[];
  problems: MarkerProblem[];
}

export interface ReadFile {
  file: StatusFile;
  scan: ScanResult | null;
}

export interface SourceIndex {
  /** Files with markers of a session, in path order. */
  bySession: Map<string, FileEvidence[]>;
  /** Every input file by normalized path. */
  files: Map<string, ReadFile>;
  /** Diagnostics per session id (marker problems, unreadable files are added by the caller). */
  problemDiagnostics: Map<string, StatusDiagnostic[]>;
  /** Diagnostics that name no session: problems without an id, unreadable and unscannable files. */
  fileDiagnostics: StatusDiagnostic[];
}

/** `/` separators, no leading `./`; absolute paths under `root` become workspace-relative. */
export function normalizePath(path: string, root?: string): string {
  let p = path.replace(/\\/g, '/');
  if (root !== undefined && root !== '') {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (p.startsWith(`${r}/`)) p = p.slice(r.length + 1);
  }
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}

export function unreadableDiagnostic(
  path: string,
  error: { code: string; message: string },
): StatusDiagnostic {
  return {
    code: 'source_unreadable',
    message: `Cannot read ${path} (${error.code}): ${error.message}`,
    file: path,
  };
}

function problemDiagnostic(path: string, p: MarkerProblem, generatedReason: string | null): StatusDiagnostic {
  const message =
    p.code === 'markers_in_generated_file'
      ? `${path} is generated (${generatedReason ?? 'generated'}): the markers of session ${p.sessionId} there must move to the true source`
      : p.message;
  return {
    code: p.code,
    message,
    ...(p.sessionId !== null ? { sessionId: p.sessionId } : {}),
    file: path,
    line: p.line,
  };
}

function scanOf(file: StatusFile, path: string): ScanResult | null {
  if (file.scan !== undefined) return file.scan;
  if (file.text === undefined) return null;
  return scanText(file.text, { path, generated: file.generated });
}

function evidenceFor(
  map: Map<string, FileEvidence>,
  path: string,
  scan: ScanResult,
  generated: boolean,
  id: string,
) {
  let ev = map.get(id);
  if (ev === undefined) {
    ev = {
      path,
      generated,
      generatedReason: scan.generatedReason ?? (generated ? 'git ignores it' : null),
      blocks: [],
      carbonize: [],
      paramValues: [],
      problems: [],
    };
    map.set(id, ev);
  }
  return ev;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export function indexSource(files: readonly StatusFile[], root?: string): SourceIndex {
  const index: SourceIndex = {
    bySession: new Map(),
    files: new Map(),
    problemDiagnostics: new Map(),
    fileDiagnostics: [],
  };
  const sorted = files
    .map((file) => ({ file, path: normalizePath(file.path, root) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { file, path } of sorted) {
    if (file.error !== undefined) {
      index.files.set(path, { file, scan: null });
      index.fileDiagnostics.push(unreadableDiagnostic(path, file.error));
      continue;
    }
    let scan: ScanResult | null;
    try {
      scan = scanOf(file, path);
    } catch (e) {
      // The scanner is meant never to throw; if it does, one bad file must not take status down.
      scan = null;
      index.fileDiagnostics.push({
        code: 'source_unscannable',
        message: `Scanning ${path} failed: ${e instanceof Error ? e.message : String(e)}`,
        file: path,
      });
    }
    index.files.set(path, { file, scan });
    if (scan === null) continue;
    const generated = file.generated || scan.generated;
    const perFile = new Map<string, FileEvidence>();
    const at = (id: string) => evidenceFor(perFile, path, scan, generated, id);
    for (const b of scan.blocks) at(b.sessionId).blocks.push(b);
    for (const c of scan.carbonize) at(c.sessionId).carbonize.push(c);
    for (const pv of scan.paramValues) at(pv.sessionId).paramValues.push(pv);
    for (const p of scan.problems) {
      const d = problemDiagnostic(path, p, scan.generatedReason ?? (generated ? 'git ignores it' : null));
      if (p.sessionId === null) index.fileDiagnostics.push(d);
      else {
        at(p.sessionId).problems.push(p);
        push(index.problemDiagnostics, p.sessionId, d);
      }
    }
    // A file only the caller knows to be generated (git ignores it) was scanned without that verdict.
    if (generated && !scan.generated) {
      for (const [id, ev] of perFile) {
        const line = firstLine(ev);
        if (line === null) continue;
        const p: MarkerProblem = {
          code: 'markers_in_generated_file',
          severity: 'error',
          sessionId: id,
          line,
          offset: 0,
          message: '',
        };
        ev.problems.push(p);
        push(index.problemDiagnostics, id, problemDiagnostic(path, p, 'git ignores it'));
      }
    }
    for (const [id, ev] of perFile) push(index.bySession, id, ev);
  }
  return index;
}

/** Error problems other than "generated" (which has its own action): rewrites of the session refuse. */
export function blockingProblems(evidence: readonly FileEvidence[]): MarkerProblem[] {
  return evidence.flatMap((e) =>
    e.problems.filter((p) => p.severity === 'error' && p.code !== 'markers_in_generated_file'),
  );
}

/** 1-based line of the first marker in an evidence entry, or null when it holds only problems. */
export function firstLine(e: FileEvidence): number | null {
  const lines = [
    ...e.blocks.map((b) => b.range.startLine),
    ...e.carbonize.map((c) => c.range.startLine),
    ...e.paramValues.map((p) => p.range.startLine),
  ];
  return lines.length === 0 ? null : Math.min(...lines);
}

/** Whether an evidence entry holds markers proper (not only problems). */
export function hasMarkers(e: FileEvidence): boolean {
  return e.blocks.length > 0 || e.carbonize.length > 0 || e.paramValues.length > 0;
}
