// Which files hold markers, and what the scanner finds in them. Open documents are scanned from their text
// (cached by uri + version, so CodeLens, diagnostics and commands share one scan per edit); files that are not
// open come from one background workspace scan, kept current by a file watcher. Git's verdict on a file
// (ignored = generated) is asked once per file, and never in an untrusted workspace.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { BUILT_IN_EXTENSIONS, languageForPath } from '../core/markers/language';
import { scanText } from '../core/markers/scan';
import type { ScanResult } from '../core/markers/types';
import { gitIgnoredSet, scanWorkspace } from '../core/markers/workspaceScan';
import type { BlockHint } from './backend';
import { errorText, type Log } from './log';
import { relativeInside } from './paths';

interface DocEntry {
  version: number;
  rel: string;
  scan: ScanResult;
}

export interface FileScan {
  /** Workspace-relative (absolute for a document outside the workspace). */
  rel: string;
  uri: vscode.Uri;
  scan: ScanResult;
  /** The open document the scan came from; undefined for a file read from disk. */
  document?: vscode.TextDocument;
}

function hasMarkers(scan: ScanResult): boolean {
  return (
    scan.blocks.length > 0 ||
    scan.carbonize.length > 0 ||
    scan.paramValues.length > 0 ||
    scan.problems.length > 0
  );
}

export const MARKER_GLOB = `**/*.{${BUILT_IN_EXTENSIONS.map((e) => e.slice(1)).join(',')}}`;

export class MarkerIndex implements vscode.Disposable {
  private readonly docs = new Map<string, DocEntry>();
  private readonly disk = new Map<string, ScanResult>();
  private readonly ignored = new Map<string, boolean>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly fileEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** A file with markers changed on disk (saved here, or written by an agent). */
  readonly onDidChangeFile = this.fileEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [this.emitter, this.fileEmitter];
  private workspaceScanned = false;
  private changeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string | undefined,
    private readonly trusted: () => boolean,
    private readonly log: Log,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (languageForPath(e.document.fileName) === null) return;
        if (this.docs.has(e.document.uri.toString()) || e.document.getText().includes('impeccable-'))
          this.changed();
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (this.scanDocument(d)) this.changed();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.docs.delete(d.uri.toString())) this.changed();
      }),
    );
  }

  /** Coalesces bursts (typing) into one change notification. */
  private changed(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.emitter.fire();
    }, 150);
  }

  private relOf(uri: vscode.Uri): string {
    return (this.root && relativeInside(this.root, uri.fsPath)) ?? uri.fsPath;
  }

  /** The scan of an open document (undefined when its type never carries markers). */
  scanDocument(doc: vscode.TextDocument): ScanResult | undefined {
    if (languageForPath(doc.fileName) === null) return undefined;
    const key = doc.uri.toString();
    const cached = this.docs.get(key);
    if (cached && cached.version === doc.version) return cached.scan;
    const rel = this.relOf(doc.uri);
    const text = doc.getText();
    if (!text.includes('impeccable-')) {
      if (cached) this.docs.delete(key);
      return cached ? scanText('', { path: doc.fileName }) : undefined;
    }
    const scan = scanText(text, { path: doc.fileName, generated: this.ignored.get(rel) });
    this.docs.set(key, { version: doc.version, rel, scan });
    if (doc.uri.scheme === 'file' && !this.ignored.has(rel)) void this.checkIgnored(rel);
    return scan;
  }

  /** Asks git once whether a file is ignored; a yes rescans it as generated. */
  private async checkIgnored(rel: string): Promise<void> {
    if (!this.root || !this.trusted() || isAbsolute(rel)) {
      this.ignored.set(rel, false);
      return;
    }
    this.ignored.set(rel, false);
    try {
      const set = await gitIgnoredSet(this.root, [rel]);
      if (!set.has(rel)) return;
      this.ignored.set(rel, true);
      for (const [key, entry] of this.docs) if (entry.rel === rel) this.docs.delete(key);
      this.changed();
    } catch {
      // Not a git repository, or git is missing: only the header test decides.
    }
  }

  async isGitIgnored(rel: string): Promise<boolean> {
    if (!this.ignored.has(rel)) await this.checkIgnored(rel);
    return this.ignored.get(rel) === true;
  }

  /** Scans the workspace once in the background (time-sliced in core); later changes come from the watcher. */
  startWorkspaceScan(): void {
    if (this.workspaceScanned || !this.root) return;
    this.workspaceScanned = true;
    const root = this.root;
    const started = performance.now();
    void scanWorkspace(root, this.trusted() ? {} : { isIgnored: () => false })
      .then((hits) => {
        for (const hit of hits) {
          this.disk.set(hit.file, hit.scan);
          this.ignored.set(hit.file, hit.scan.generated && hit.scan.generatedReason === 'git ignores it');
        }
        this.log.info(
          `marker scan: ${hits.length} file(s) with markers (${Math.round(performance.now() - started)} ms)`,
        );
        this.changed();
      })
      .catch((e) => this.log.warn(`marker scan failed: ${errorText(e)}`));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, MARKER_GLOB));
    const rescan = (uri: vscode.Uri) => void this.rescanFile(uri);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(rescan),
      watcher.onDidChange(rescan),
      watcher.onDidDelete((uri) => {
        if (this.disk.delete(this.relOf(uri))) this.changed();
      }),
    );
  }

  private async rescanFile(uri: vscode.Uri): Promise<void> {
    const rel = this.relOf(uri);
    if (isAbsolute(rel) || /(^|\/)(node_modules|\.git|dist|build|\.live-variants)\//.test(rel)) return;
    let text: string;
    try {
      text = await readFile(uri.fsPath, 'utf8');
    } catch {
      if (this.disk.delete(rel)) this.changed();
      return;
    }
    const had = this.disk.has(rel);
    if (!text.includes('impeccable-')) {
      if (had) {
        this.disk.delete(rel);
        this.changed();
      }
      return;
    }
    this.disk.set(rel, scanText(text, { path: rel, generated: await this.isGitIgnored(rel) }));
    this.changed();
    this.fileEmitter.fire(uri);
  }

  /** Every file with markers: open documents from their text, the others from disk. */
  files(): FileScan[] {
    const out: FileScan[] = [];
    const seen = new Set<string>();
    for (const doc of vscode.workspace.textDocuments) {
      const scan = this.scanDocument(doc);
      if (!scan || !hasMarkers(scan)) continue;
      const rel = this.relOf(doc.uri);
      seen.add(rel);
      out.push({ rel, uri: doc.uri, scan, document: doc });
    }
    if (this.root) {
      for (const [rel, scan] of this.disk) {
        if (!seen.has(rel)) out.push({ rel, uri: vscode.Uri.file(join(this.root, rel)), scan });
      }
    }
    return out;
  }

  /** Workspace-relative files holding markers (for status without a bridge). */
  markerFiles(): string[] {
    return this.files()
      .map((f) => f.rel)
      .filter((rel) => !isAbsolute(rel));
  }

  private find(sessionId: string): { file: FileScan; line: number; count: number } | undefined {
    for (const file of this.files()) {
      const block = file.scan.blocks.find((b) => b.sessionId === sessionId);
      if (block) return { file, line: block.range.startLine, count: block.foundCount };
      const carbon = file.scan.carbonize.find((c) => c.sessionId === sessionId);
      if (carbon) return { file, line: carbon.range.startLine, count: 0 };
    }
    return undefined;
  }

  locate(sessionId: string): string | undefined {
    return this.find(sessionId)?.file.rel;
  }

  lineOf(sessionId: string): number | null {
    return this.find(sessionId)?.line ?? null;
  }

  hintFor(sessionId: string): BlockHint | undefined {
    const found = this.find(sessionId);
    return found ? { file: found.file.rel, count: found.count } : undefined;
  }

  /** Variant blocks in open documents (a context key for `when` clauses). */
  openBlockCount(): number {
    let n = 0;
    for (const doc of vscode.workspace.textDocuments) n += this.scanDocument(doc)?.blocks.length ?? 0;
    return n;
  }

  dispose(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    for (const d of this.subscriptions) d.dispose();
  }
}
