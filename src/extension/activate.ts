import type * as vscode from 'vscode';

// Activation stays cheap: nothing is read or started here until a later issue wires the engine in.
export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {}
