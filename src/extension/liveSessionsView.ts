// The Live Sessions webview view (its own activity-bar container). The host sends the whole view state on
// every change, timeline pages on request, the agents whenever they change and the log of the agent the view
// shows; the view sends the user's clicks. Every message from the view is validated (parseViewMessage)
// before anything acts on it.
import * as vscode from 'vscode';
import { type HostMessage, parseViewMessage, type ViewMessage } from '../../webview-ui/protocol';
import type { AgentActions } from './agentActions';
import { buildAgentsState } from './agentCards';
import { AgentLogRelay } from './agentLogRelay';
import type { AgentsMonitor } from './agentsMonitor';
import { VIEW_ID } from './commands';
import type { LiveHost } from './liveHost';
import { errorText, type Log } from './log';
import type { MarkerIndex } from './markerIndex';
import type { SessionActions } from './sessionActions';
import { timelineRow } from './timelineSummary';
import { buildViewState } from './viewState';
import { webviewHtml } from './webviewHtml';

const COMMAND_OF = {
  startBridge: 'liveVariants.startBridge',
  openPreview: 'liveVariants.openPreview',
  showStatus: 'liveVariants.showSessionStatus',
  copyInstructions: 'liveVariants.copyAgentInstructions',
  resume: 'liveVariants.resumeSession',
} as const;

export class LiveSessionsView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly id = VIEW_ID;
  private view: vscode.WebviewView | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly logRelay: AgentLogRelay;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: LiveHost,
    private readonly index: MarkerIndex,
    private readonly actions: SessionActions,
    private readonly agents: { monitor: AgentsMonitor; actions: AgentActions },
    private readonly log: Log,
  ) {
    this.logRelay = new AgentLogRelay({
      endpoint: () => this.host.backend?.bridge,
      post: (m) => this.post(m),
    });
    this.subscriptions.push(
      host.onDidChange(() => {
        this.postState();
        this.logRelay.endpointChanged();
      }),
      agents.monitor.onChange(() => this.postAgents()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = webviewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css')).toString(),
      bundleStyleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    this.subscriptions.push(
      view.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      view.onDidChangeVisibility(() => {
        // The agent list is read, and a log streamed, only while someone can see them.
        this.agents.monitor.setAgentsWanted(view.visible);
        this.logRelay.setVisible(view.visible);
        this.postState();
        this.postAgents();
      }),
      view.onDidDispose(() => {
        if (this.view !== view) return;
        this.view = undefined;
        this.agents.monitor.setAgentsWanted(false);
        this.logRelay.dispose();
      }),
    );
    this.agents.monitor.setAgentsWanted(view.visible);
    this.logRelay.setVisible(view.visible);
    void this.host.ensureStarted();
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  postState(): void {
    if (!this.view?.visible) return;
    const backend = this.host.backend;
    this.post({
      type: 'state',
      state: buildViewState({
        role: this.host.role,
        roleDetail: this.host.roleDetail,
        bridgeUrl: backend?.bridge?.url ?? null,
        appliedBy: backend?.appliedBy ?? this.host.settings.acceptAppliedBy,
        report: this.host.report,
        lineOf: (id) => this.index.lineOf(id),
      }),
    });
  }

  postAgents(): void {
    if (!this.view?.visible) return;
    this.post({ type: 'agents', agents: buildAgentsState(this.agents.monitor.snapshot) });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parseViewMessage(raw);
    if (!m) {
      this.log.warn('ignored a malformed message from the Live Sessions view');
      return;
    }
    try {
      await this.handle(m);
    } catch (e) {
      this.log.warn(`Live Sessions view: ${m.type} failed: ${errorText(e)}`);
    }
  }

  private async handle(m: ViewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.postState();
        this.postAgents();
        return;
      case 'accept':
      case 'discard': {
        this.post({ type: 'busy', sessionId: m.sessionId, busy: true });
        try {
          if (m.type === 'accept') await this.actions.accept({ sessionId: m.sessionId, variant: m.variant });
          else await this.actions.discard({ sessionId: m.sessionId });
        } finally {
          this.post({ type: 'busy', sessionId: m.sessionId, busy: false });
        }
        return;
      }
      case 'open':
        await this.actions.openSession(m.sessionId);
        return;
      case 'openLocation':
        await this.actions.openAt(m.file, m.line);
        return;
      case 'fix':
        await this.actions.fixSession(m.sessionId);
        return;
      case 'timeline': {
        const backend = this.host.backend;
        if (!backend) return;
        const page = await backend.timeline(m.sessionId, m.start, m.count);
        this.post({
          type: 'timeline',
          sessionId: m.sessionId,
          total: page.total,
          start: page.start,
          rows: page.records.map(timelineRow),
        });
        return;
      }
      case 'command':
        await vscode.commands.executeCommand(COMMAND_OF[m.command]);
        return;
      case 'followLog':
        this.logRelay.follow(m.agentId, m.stream);
        return;
      case 'interrupt':
        await this.agents.actions.interrupt(m.agentId);
        return;
      case 'answer':
        await this.agents.actions.answer(m.questionId, m.value);
        return;
      case 'resumeWork':
        await this.agents.actions.resumeWork();
        return;
    }
  }

  dispose(): void {
    this.logRelay.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
