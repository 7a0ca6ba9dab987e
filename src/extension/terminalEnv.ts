// Integrated terminals get the bridge (LIVE_VARIANTS_URL, LIVE_VARIANTS_TOKEN) and the CLI on PATH through
// the environment variable collection. The collection is not persisted: the token is never written to VS
// Code's storage, and a stopped bridge leaves no stale values behind after a reload.
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import type { BridgeEndpoint } from './backend';
import { ensureShim } from './cliShim';
import { errorText, type Log } from './log';

export class TerminalEnv {
  private shimDir: string | undefined;
  private current: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    const env = context.environmentVariableCollection;
    env.persistent = false;
    env.description = 'Live Variants: the bridge URL and token, and the live-variants command';
  }

  /** Puts the bundled CLI on PATH (once). */
  async installCli(): Promise<void> {
    if (this.shimDir) return;
    try {
      const cli = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'cli.js').fsPath;
      this.shimDir = await ensureShim(
        join(this.context.globalStorageUri.fsPath, 'bin'),
        process.execPath,
        cli,
      );
      this.context.environmentVariableCollection.prepend('PATH', `${this.shimDir}${delimiter}`);
    } catch (e) {
      this.log.warn(`could not install the live-variants command for terminals: ${errorText(e)}`);
    }
  }

  /** Points new terminals at `bridge` (undefined: no bridge; the CLI then reads the journal itself). */
  update(bridge: BridgeEndpoint | undefined): void {
    const key = bridge ? `${bridge.url} ${bridge.token}` : undefined;
    if (key === this.current) return;
    this.current = key;
    const env = this.context.environmentVariableCollection;
    if (bridge) {
      env.replace('LIVE_VARIANTS_URL', bridge.url);
      env.replace('LIVE_VARIANTS_TOKEN', bridge.token);
    } else {
      env.delete('LIVE_VARIANTS_URL');
      env.delete('LIVE_VARIANTS_TOKEN');
    }
  }
}
