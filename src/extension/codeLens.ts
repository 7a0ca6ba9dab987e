// CodeLens over every variant block (`Accept 1 · Accept 2 · … · Discard · Show in preview`) and carbonize
// block (`Mark cleanup complete`) in open documents. Lenses carry the session id, never ranges: a click
// re-resolves the block in the document's current text.
import * as vscode from 'vscode';
import { problemsForSession } from '../core/markers/scan';
import type { LensArgs } from './lensArgs';
import type { MarkerIndex } from './markerIndex';

function lineRange(line: number): vscode.Range {
  return new vscode.Range(line - 1, 0, line - 1, 0);
}

export class LiveCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly index: MarkerIndex) {
    this.onDidChangeCodeLenses = index.onDidChange;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const scan = this.index.scanDocument(doc);
    if (!scan) return [];
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    for (const block of scan.blocks) {
      const range = lineRange(block.range.startLine);
      const id = block.sessionId;
      if (scan.generated) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `$(warning) Generated file: persist session ${id} in the true source`,
            command: 'workbench.actions.view.problems',
          }),
        );
        continue;
      }
      const errors = problemsForSession(scan, id, block.range).filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `$(warning) Markers of ${id} are malformed: ${errors[0].message}`,
            command: 'workbench.actions.view.problems',
          }),
        );
        continue;
      }
      const variants = block.variants
        .map((v) => v.key)
        .filter((k): k is number => typeof k === 'number')
        .sort((a, b) => a - b);
      for (const n of variants) {
        const args: LensArgs = { sessionId: id, variant: String(n), uri };
        lenses.push(
          new vscode.CodeLens(range, {
            title: `Accept ${n}`,
            tooltip: `Keep variant ${n} of session ${id} and remove the rest`,
            command: 'liveVariants.acceptVariant',
            arguments: [args],
          }),
        );
      }
      lenses.push(
        new vscode.CodeLens(range, {
          title: 'Discard',
          tooltip: `Restore the original of session ${id}`,
          command: 'liveVariants.discardVariants',
          arguments: [{ sessionId: id, uri } satisfies LensArgs],
        }),
        new vscode.CodeLens(range, {
          title: 'Show in preview',
          command: 'liveVariants.openPreview',
          arguments: [{ sessionId: id } satisfies LensArgs],
        }),
      );
    }
    for (const carbon of scan.carbonize) {
      lenses.push(
        new vscode.CodeLens(lineRange(carbon.range.startLine), {
          title: 'Mark cleanup complete',
          tooltip: `Check that session ${carbon.sessionId} left nothing behind, then record it complete`,
          command: 'liveVariants.markCleanupComplete',
          arguments: [{ sessionId: carbon.sessionId, uri } satisfies LensArgs],
        }),
      );
    }
    return lenses;
  }
}
