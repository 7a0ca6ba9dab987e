// Problems panel entries for markers: malformed or duplicated markers (from the scanner), markers inside
// generated files, and orphaned markers (start without end, or markers of a session that already completed).
import * as vscode from 'vscode';
import type { MarkerProblem, ScanResult } from '../core/markers/types';
import type { LiveHost } from './liveHost';
import type { FileScan, MarkerIndex } from './markerIndex';

const SOURCE = 'Live Variants';

function rangeAt(file: FileScan, line: number, offset: number): vscode.Range {
  if (file.document) {
    const start = file.document.positionAt(offset);
    return new vscode.Range(start, file.document.lineAt(start.line).range.end);
  }
  return new vscode.Range(Math.max(0, line - 1), 0, Math.max(0, line - 1), 1000);
}

function problemDiagnostic(file: FileScan, p: MarkerProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    rangeAt(file, p.line, p.offset),
    p.message,
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = SOURCE;
  d.code = p.code;
  return d;
}

/** Markers of sessions the journal says are complete: nothing will ever act on them. */
function orphans(file: FileScan, scan: ScanResult, completed: (id: string) => boolean): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  const seen = new Set<string>();
  for (const m of [...scan.blocks, ...scan.carbonize]) {
    if (seen.has(m.sessionId) || !completed(m.sessionId)) continue;
    seen.add(m.sessionId);
    const d = new vscode.Diagnostic(
      rangeAt(file, m.range.startLine, m.range.start),
      `Session ${m.sessionId} is complete, but its markers are still here (orphaned): remove them or finish the cleanup.`,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = SOURCE;
    d.code = 'orphaned_markers';
    out.push(d);
  }
  return out;
}

export function createDiagnostics(index: MarkerIndex, host: LiveHost): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('liveVariants');
  let published = '';
  const publish = () => {
    const completed = (id: string) => host.backend?.isArchived(id) === true;
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const file of index.files()) {
      const list = file.scan.problems.map((p) => problemDiagnostic(file, p));
      list.push(...orphans(file, file.scan, completed));
      if (list.length > 0) entries.push([file.uri, list]);
    }
    // Host changes are frequent (every journal write); the Problems panel only hears about real changes.
    const signature = JSON.stringify(
      entries.map(([uri, list]) => [
        uri.toString(),
        list.map((d) => [d.code, d.message, d.range.start.line]),
      ]),
    );
    if (signature === published) return;
    published = signature;
    collection.clear();
    for (const [uri, list] of entries) collection.set(uri, list);
  };
  publish();
  return vscode.Disposable.from(collection, index.onDidChange(publish), host.onDidChange(publish));
}
