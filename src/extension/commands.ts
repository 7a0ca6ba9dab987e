// The command palette surface (category "Live Variants"). Handlers are thin: they check their arguments
// (commands can be run by anyone, with anything) and hand over to SessionActions or the host.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { AGENT_CONTRACT } from '../cli/agentContract';
import { instrumentText, liveScriptUrl, removeInstrumentation } from '../core/instrument';
import { languageForPath } from '../core/markers/language';
import { replaceDocumentText } from './documentEdit';
import { parseLensArgs } from './lensArgs';
import type { LiveHost } from './liveHost';
import { errorText, type Log } from './log';
import type { SessionActions } from './sessionActions';

export const VIEW_ID = 'liveVariants.sessions';

/**
 * A forwarded port (loopback host, root path) can go into a script tag; a proxy URL (code-server's
 * `/proxy/<port>/`, a tunnel's host name) would not survive in a file that may be committed.
 */
function isPlainForward(url: vscode.Uri): boolean {
  const host = url.authority.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '127.0.0.1' || host === '::1';
  return loopback && (url.path === '' || url.path === '/');
}

export function registerCommands(host: LiveHost, actions: SessionActions, log: Log): vscode.Disposable[] {
  const guarded =
    (name: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]) => {
      try {
        await fn(...args);
      } catch (e) {
        log.warn(`${name} failed: ${errorText(e)}`);
        void vscode.window.showErrorMessage(`Live Variants: ${name} failed: ${errorText(e)}`);
      }
    };

  /** The bridge's script URL as the page's browser will reach it. */
  const scriptUrl = async (): Promise<string> => {
    await host.ensureStarted();
    const bridge = host.backend?.bridge;
    if (!bridge) {
      throw new Error(
        vscode.workspace.isTrusted
          ? 'the bridge is not running; run "Live Variants: Start Bridge" first'
          : 'the bridge does not run in an untrusted workspace',
      );
    }
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(bridge.url));
    if (isPlainForward(external)) return liveScriptUrl(external.toString(true));
    log.info(
      `the bridge is reached at ${external.toString(true)} from the browser; the tag keeps ${bridge.url}`,
    );
    return liveScriptUrl(bridge.url);
  };

  const pageDocument = async (title: string): Promise<vscode.TextDocument | undefined> => {
    const active = vscode.window.activeTextEditor?.document;
    if (active && languageForPath(active.fileName) !== null) return active;
    const files = await vscode.workspace.findFiles('**/*.{html,htm}', '**/node_modules/**', 200);
    const picked = await vscode.window.showQuickPick(
      files.map((uri) => ({
        label: basename(uri.fsPath),
        description: vscode.workspace.asRelativePath(uri),
        uri,
      })),
      { title },
    );
    return picked ? vscode.workspace.openTextDocument(picked.uri) : undefined;
  };

  return [
    vscode.commands.registerCommand('liveVariants.resumeSession', () => actions.resume()),
    vscode.commands.registerCommand('liveVariants.acceptVariant', (raw?: unknown) =>
      actions.accept(parseLensArgs(raw)),
    ),
    vscode.commands.registerCommand('liveVariants.discardVariants', (raw?: unknown) =>
      actions.discard(parseLensArgs(raw)),
    ),
    vscode.commands.registerCommand('liveVariants.markCleanupComplete', (raw?: unknown) =>
      actions.markComplete(parseLensArgs(raw)),
    ),
    vscode.commands.registerCommand('liveVariants.showSessionStatus', () => actions.showStatus()),
    vscode.commands.registerCommand('liveVariants.openSessions', async () => {
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      void host.ensureStarted();
    }),
    vscode.commands.registerCommand(
      'liveVariants.startBridge',
      guarded('Start bridge', async () => {
        if (!vscode.workspace.isTrusted) throw new Error('the bridge does not run in an untrusted workspace');
        await host.startBridge();
        const url = host.backend?.bridge?.url;
        if (url) void vscode.window.showInformationMessage(`Live Variants: bridge listening on ${url}`);
      }),
    ),
    vscode.commands.registerCommand(
      'liveVariants.stopBridge',
      guarded('Stop bridge', async () => {
        await host.stopBridge();
        void vscode.window.showInformationMessage(
          'Live Variants: bridge stopped; sessions stay available here.',
        );
      }),
    ),
    vscode.commands.registerCommand(
      'liveVariants.rotateToken',
      guarded('Rotate token', async () => {
        if (!(await host.rotateToken())) throw new Error('this window does not run the bridge');
        void vscode.window.showInformationMessage(
          'Live Variants: token rotated. Open pages reconnect on reload; new terminals get the new token.',
        );
      }),
    ),
    vscode.commands.registerCommand(
      'liveVariants.instrumentPage',
      guarded('Instrument page', async () => {
        const doc = await pageDocument('Instrument which page?');
        if (!doc) return;
        const result = instrumentText(doc.getText(), { path: doc.fileName, scriptUrl: await scriptUrl() });
        if (!result.changed) {
          void vscode.window.showInformationMessage(
            `Live Variants: ${basename(doc.fileName)} is already instrumented.`,
          );
          return;
        }
        if (!(await replaceDocumentText(doc, result.text)))
          throw new Error('the document changed; try again');
        void vscode.window.showInformationMessage(
          `Live Variants: ${result.status} the live script in ${basename(doc.fileName)} (${result.scriptUrl}).`,
        );
      }),
    ),
    vscode.commands.registerCommand(
      'liveVariants.removeInstrumentation',
      guarded('Remove instrumentation', async () => {
        const doc = await pageDocument('Remove the live script from which page?');
        if (!doc) return;
        const result = removeInstrumentation(doc.getText(), { path: doc.fileName });
        if (!result.changed) {
          void vscode.window.showInformationMessage(
            `Live Variants: ${basename(doc.fileName)} has no live script.`,
          );
          return;
        }
        if (!(await replaceDocumentText(doc, result.text)))
          throw new Error('the document changed; try again');
      }),
    ),
    vscode.commands.registerCommand('liveVariants.copyAgentInstructions', async () => {
      await vscode.env.clipboard.writeText(AGENT_CONTRACT);
      void vscode.window.showInformationMessage('Live Variants: agent instructions copied to the clipboard.');
    }),
    vscode.commands.registerCommand('liveVariants.openPreview', (raw?: unknown) =>
      actions.openPreview(parseLensArgs(raw)),
    ),
  ];
}
