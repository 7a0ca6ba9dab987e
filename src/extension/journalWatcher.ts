// Tells the window that the journal changed, whoever wrote it (this window's bridge, another window, a
// headless bridge, the CLI): appends, archiving and new sessions all touch the journal folder. A slow tick
// covers what changes without a write (leases running out) and file systems where watching is unreliable.
import { type FSWatcher, watch } from 'node:fs';
import type * as vscode from 'vscode';

export interface JournalWatcherOptions {
  dir: string;
  onChange: () => void;
  /** Coalescing window for bursts of writes. */
  debounceMs?: number;
  tickMs?: number;
}

/** File names whose changes mean nothing to the UI (lock heartbeats, temp files of atomic writes). */
function isNoise(name: string | null): boolean {
  return name !== null && (name === 'writer.lock' || name.endsWith('.tmp') || name.includes('.lock.'));
}

export function watchJournal(opts: JournalWatcherOptions): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      opts.onChange();
    }, opts.debounceMs ?? 40);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(opts.dir, { persistent: false }, (_event, name) => {
      if (!isNoise(typeof name === 'string' ? name : null)) fire();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    // No watching here (the folder is gone, or the platform refuses): the tick still refreshes.
  }
  const tick = setInterval(fire, opts.tickMs ?? 5000);
  tick.unref();
  return {
    dispose() {
      watcher?.close();
      clearInterval(tick);
      if (timer) clearTimeout(timer);
    },
  };
}
