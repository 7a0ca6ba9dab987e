// Composition root. Activation only wires things up (the target is a few milliseconds); the engine and the
// bridge start in the background right after, when the workspace has live-variants state or markers, or
// when a command or the view asks. Diagnostics go to the "Live Variants" log channel.
import * as vscode from 'vscode';
import { AgentActions } from './agentActions';
import { AgentsMonitor } from './agentsMonitor';
import { LiveCodeLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { trackContextKeys } from './contextKeys';
import { createDiagnostics } from './diagnostics';
import { LiveHost, workspaceRoot } from './liveHost';
import { LiveSessionsView } from './liveSessionsView';
import { Log } from './log';
import { MARKER_GLOB, MarkerIndex } from './markerIndex';
import { QuestionNotifier } from './questionNotifier';
import { SessionActions } from './sessionActions';
import { readSettings, SETTINGS_SECTION } from './settings';
import { createStatusBar } from './statusBar';
import { TerminalEnv } from './terminalEnv';

let running: LiveHost | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const activatedAt = performance.now();
  const log = new Log(vscode.window.createOutputChannel('Live Variants', { log: true }));
  const config = () => readSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION));
  const index = new MarkerIndex(workspaceRoot(), () => vscode.workspace.isTrusted, log);
  const refused = new Set<string>();
  const host = new LiveHost({
    context,
    log,
    index,
    settings: config(),
    activatedAt,
    onRefused: (sessionId, code, message) => {
      // Once per session and reason: reconciliation retries must not repeat the message.
      if (refused.has(`${sessionId}:${code}`)) return;
      refused.add(`${sessionId}:${code}`);
      void vscode.window.showErrorMessage(`Live Variants: session ${sessionId} was not applied: ${message}`);
    },
  });
  running = host;
  const actions = new SessionActions(host, index, log);
  // Agents and their questions are read from the bridge only while one runs (it starts in the background).
  const monitor = new AgentsMonitor();
  const agentActions = new AgentActions(host, monitor, log);
  const notifier = new QuestionNotifier(agentActions, () => monitor.snapshot);
  const view = new LiveSessionsView(
    context.extensionUri,
    host,
    index,
    actions,
    { monitor, actions: agentActions },
    log,
  );
  const terminals = new TerminalEnv(context, log);
  const lenses = new LiveCodeLensProvider(index);
  let lensRegistration: vscode.Disposable | undefined;
  const registerLenses = (enabled: boolean) => {
    lensRegistration?.dispose();
    lensRegistration = enabled
      ? vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: MARKER_GLOB }, lenses)
      : undefined;
  };
  registerLenses(host.settings.codeLens);

  context.subscriptions.push(
    log.channel,
    index,
    view,
    { dispose: () => lensRegistration?.dispose() },
    vscode.window.registerWebviewViewProvider(LiveSessionsView.id, view),
    createStatusBar(host),
    createDiagnostics(index, host),
    trackContextKeys(host, index),
    ...registerCommands(host, actions, log),
    vscode.commands.registerCommand('liveVariants.interruptAgent', (agentId?: unknown) =>
      agentActions.interrupt(agentId),
    ),
    monitor.onQuestions((pending) => notifier.update(pending)),
    { dispose: () => monitor.dispose() },
    host.onDidChange(() => {
      monitor.setEndpoint(host.backend?.bridge);
      terminals.update(host.backend?.bridge);
      if (host.active) void terminals.installCli();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      const next = config();
      if (next.codeLens !== host.settings.codeLens) registerLenses(next.codeLens);
      void host.updateSettings(next);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: starting the bridge');
      void host.restart();
    }),
    // A workspace without live-variants state starts as soon as an editor shows markers.
    index.onDidChange(() => {
      if (host.role === 'dormant' && index.files().length > 0) void host.ensureStarted();
    }),
  );

  log.timing('activate', performance.now() - activatedAt);
  if (host.hasWorkspaceState() || index.files().length > 0) void host.ensureStarted();
}

export async function deactivate(): Promise<void> {
  const host = running;
  running = undefined;
  // Releases the journal lock and removes bridge.json before the extension host exits.
  await host?.shutdown();
}
