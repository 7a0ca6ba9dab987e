// Context keys for `when` clauses in package.json (menus, the palette). Set only when a value changes.
import * as vscode from 'vscode';
import type { LiveHost } from './liveHost';
import type { MarkerIndex } from './markerIndex';

export function trackContextKeys(host: LiveHost, index: MarkerIndex): vscode.Disposable {
  const last = new Map<string, unknown>();
  const set = (key: string, value: unknown) => {
    if (last.get(key) === value) return;
    last.set(key, value);
    void vscode.commands.executeCommand('setContext', `liveVariants.${key}`, value);
  };
  const update = () => {
    const sessions = host.report?.sessions ?? [];
    set('role', host.role);
    set('running', host.active);
    set('bridgeRunning', host.backend?.bridge !== undefined);
    set('sessionCount', sessions.length);
    set('blockCount', index.openBlockCount());
    set(
      'cleanupOwed',
      sessions.some(
        (s) =>
          s.phase === 'accepted_source_pending' ||
          (s.phase === 'stranded' && s.strandedFrom === 'accepted_source_pending'),
      ),
    );
  };
  update();
  return vscode.Disposable.from(host.onDidChange(update), index.onDidChange(update));
}
