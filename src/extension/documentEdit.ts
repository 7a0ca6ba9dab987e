// Replacing a document's text as one undoable WorkspaceEdit that touches only what changed.
import * as vscode from 'vscode';
import { minimalChange } from './textDiff';

/**
 * Applies `after` to the document. Saves it when it had no unsaved changes before (so tools reading the disk
 * see the result); a document with the user's unsaved work is left for them to save. False when VS Code
 * refused the edit (the document changed meanwhile).
 */
export async function replaceDocumentText(doc: vscode.TextDocument, after: string): Promise<boolean> {
  const before = doc.getText();
  if (before === after) return true;
  const change = minimalChange(before, after);
  const wasDirty = doc.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)),
    change.text,
  );
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  if (!wasDirty) await doc.save();
  return true;
}
