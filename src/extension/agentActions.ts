// What the user does to agents from VS Code: interrupt one (the palette's quick pick or the view's button),
// answer a question (a notification or the view), resume owed work. Every flow reports its outcome once and
// refreshes the agents and the sessions right after.
import * as vscode from 'vscode';
import { isAgentId } from '../../webview-ui/protocol';
import { timeAgo } from '../../webview-ui/timeAgo';
import type { AgentView } from '../core/agents';
import { isLiveVariantsError } from '../core/errors';
import type { AgentsApi } from './agentsApi';
import type { AgentsMonitor } from './agentsMonitor';
import type { LiveHost } from './liveHost';
import { errorText, type Log } from './log';

export const INTERRUPT_REASON = 'Interrupted from VS Code';

const ANSWERED_IN: Record<string, string> = { vscode: 'VS Code', browser: 'the browser', cli: 'the CLI' };

const PRESENCE_ICON: Record<AgentView['presence'], string> = {
  online: '$(circle-filled)',
  idle: '$(circle-large-outline)',
  offline: '$(circle-slash)',
};

interface AgentPick extends vscode.QuickPickItem {
  agentId: string;
}

export class AgentActions {
  constructor(
    private readonly host: LiveHost,
    private readonly monitor: AgentsMonitor,
    private readonly log: Log,
  ) {}

  private async api(): Promise<AgentsApi> {
    await this.host.ensureStarted();
    this.monitor.setEndpoint(this.host.backend?.bridge);
    const api = this.monitor.api;
    if (!api) {
      throw new Error(
        this.host.trusted
          ? 'the bridge is not running; agents reach VS Code through it ("Live Variants: Start Bridge")'
          : 'the bridge does not run in an untrusted workspace, so no agent can reach this window',
      );
    }
    return api;
  }

  private fail(what: string, e: unknown): void {
    this.log.warn(`${what} failed: ${errorText(e)}`);
    const message = isLiveVariantsError(e) ? e.message : errorText(e);
    void vscode.window.showErrorMessage(`Live Variants: ${what} failed: ${message}`);
  }

  /** Interrupts `agentId`, or the agent picked from a quick pick when none is given. */
  async interrupt(agentId?: unknown): Promise<void> {
    try {
      const api = await this.api();
      const agents = await api.agents();
      let target = isAgentId(agentId) ? agentId : undefined;
      if (!target) {
        if (agents.length === 0) {
          void vscode.window.showInformationMessage('Live Variants: no agent has reached the bridge yet.');
          return;
        }
        target = (await this.pickAgent(agents))?.agentId;
        if (!target) return;
      }
      const name = agents.find((a) => a.agentId === target)?.name ?? target;
      const r = await api.interrupt(target, INTERRUPT_REASON);
      const work =
        r.revoked > 0
          ? `${r.revoked} lease${r.revoked === 1 ? '' : 's'} revoked; the work is owed again.`
          : 'It held no work.';
      const told = r.known
        ? 'Its next poll tells it to stop.'
        : 'The bridge has not heard from it yet; it is told on its first poll.';
      this.log.info(`interrupted agent ${target} (${r.revoked} lease(s) revoked)`);
      void vscode.window.showInformationMessage(`Live Variants: interrupted ${name}. ${work} ${told}`);
    } catch (e) {
      this.fail('Interrupt agent', e);
    } finally {
      this.monitor.pollNow();
      this.host.refresh();
    }
  }

  private pickAgent(agents: AgentView[]): Thenable<AgentPick | undefined> {
    const now = Date.now();
    const rank = { online: 0, idle: 1, offline: 2 };
    const items: AgentPick[] = [...agents]
      .sort((a, b) => rank[a.presence] - rank[b.presence] || a.name.localeCompare(b.name))
      .map((a) => ({
        agentId: a.agentId,
        label: `${PRESENCE_ICON[a.presence]} ${a.name}`,
        description: `${a.presence} · ${a.lease ? `${a.lease.kind} of ${a.lease.sessionId}` : 'no work leased'}`,
        detail: `${a.agentId} · ${a.harness} · last ${a.lastAction.action} ${timeAgo(a.lastAction.at, now)}`,
      }));
    return vscode.window.showQuickPick(items, {
      title: 'Interrupt which agent?',
      placeHolder: 'Its work is revoked and owed again; its next poll tells it to stop.',
      matchOnDescription: true,
      matchOnDetail: true,
    });
  }

  /** Answers a question; the first answer wins everywhere, so a late one is told which answer won. */
  async answer(questionId: string, value: string): Promise<void> {
    try {
      const api = await this.api();
      const r = await api.answer(questionId, value);
      if (r.accepted) {
        this.log.info(`answered question ${questionId}`);
        vscode.window.setStatusBarMessage(`$(check) Live Variants: answered "${value}"`, 5000);
      } else {
        void vscode.window.showInformationMessage(
          `Live Variants: that question was already answered in ${ANSWERED_IN[r.by] ?? r.by}: "${r.value}".`,
        );
      }
    } catch (e) {
      if (isLiveVariantsError(e) && e.code === 'question_not_found') {
        void vscode.window.showWarningMessage('Live Variants: the bridge no longer knows that question.');
      } else {
        this.fail('Answer', e);
      }
    } finally {
      this.monitor.pollNow();
    }
  }

  /** Resumes stranded sessions and owes their lost work again (`POST /v1/resume`). */
  async resumeWork(): Promise<void> {
    try {
      await this.host.ensureStarted();
      const backend = this.host.backend;
      if (!backend) throw new Error(this.host.roleDetail || 'Live Variants is not running in this window.');
      const r = await backend.resume();
      const resumed = Array.isArray(r.resumed) ? r.resumed.length : 0;
      void vscode.window.showInformationMessage(
        resumed > 0
          ? `Live Variants: resumed ${resumed} session${resumed === 1 ? '' : 's'}; their work is queued again.`
          : 'Live Variants: nothing to resume; no session lost its work.',
      );
    } catch (e) {
      this.fail('Resume', e);
    } finally {
      this.host.refresh();
      this.monitor.pollNow();
    }
  }
}
