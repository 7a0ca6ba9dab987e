// What the user does to sessions from VS Code: accept, discard, mark complete, resume (with the fix for the
// next action), open. Commands, CodeLens and the Live Sessions view all end up here, so each flow exists
// once. Every flow re-reads the current state: arguments carry a session id, never positions.
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { isLiveVariantsError } from '../core/errors';
import type { SessionStatus, StatusReport } from '../core/status';
import type { ActionOutcome, LiveBackend } from './backend';
import type { LensArgs } from './lensArgs';
import type { LiveHost } from './liveHost';
import { errorText, type Log } from './log';
import type { MarkerIndex } from './markerIndex';
import { type FixKind, fixesFor } from './nextActionFix';
import { askPreviewUrl, sessionPageUrl, showPreview } from './preview';
import { actionTitle, currentSession, phaseLabel } from './sessionLabels';

const CHOOSING = new Set(['variants_written', 'cycling']);

interface Finding {
  marker?: unknown;
  line?: unknown;
  excerpt?: unknown;
  why?: unknown;
  file?: unknown;
}

export class SessionActions {
  constructor(
    private readonly host: LiveHost,
    private readonly index: MarkerIndex,
    private readonly log: Log,
  ) {}

  private async backend(): Promise<LiveBackend> {
    await this.host.ensureStarted();
    const backend = this.host.backend;
    if (!backend) {
      throw new Error(
        this.host.roleDetail || 'Live Variants is not running in this window (see the Live Variants output).',
      );
    }
    return backend;
  }

  private async report(): Promise<StatusReport | undefined> {
    if (!this.host.backend) await this.host.ensureStarted();
    if (!this.host.report) await this.host.refreshed();
    return this.host.report;
  }

  private fail(what: string, e: unknown): void {
    this.log.warn(`${what} failed: ${errorText(e)}`);
    const message = isLiveVariantsError(e) ? e.message : errorText(e);
    void vscode.window.showErrorMessage(`Live Variants: ${what} failed: ${message}`);
  }

  private announce(verb: string, outcome: ActionOutcome, variant?: string): void {
    const id = outcome.sessionId;
    if (outcome.kind === 'applied') {
      const where = outcome.file ? ` in ${outcome.file}` : '';
      const what =
        verb === 'accept'
          ? `Accepted variant ${variant} of ${id}${where}`
          : `Discarded the variants of ${id}${where}`;
      vscode.window.setStatusBarMessage(
        `$(check) ${what}${outcome.carbonize ? ' (cleanup owed)' : ''}`,
        5000,
      );
      this.log.info(`${what}; session is ${outcome.phase}`);
    } else if (outcome.kind === 'queued') {
      void vscode.window.showInformationMessage(
        `Live Variants: the ${verb} of ${id} is recorded; ${this.host.backend?.role === 'follower' ? 'the window that owns the journal' : 'the agent'} applies it.`,
      );
    } else {
      void vscode.window.showErrorMessage(
        `Live Variants: the ${verb} of ${id} was not applied: ${outcome.message}`,
      );
    }
  }

  /** Accept: from a lens or the view (session and variant given) or the palette (quick pick). */
  async accept(args?: LensArgs): Promise<void> {
    try {
      let sessionId = args?.sessionId;
      let variant = args?.variant;
      if (!sessionId || !variant) {
        const picked = await this.pickVariant();
        if (!picked) return;
        ({ sessionId, variant } = picked);
      }
      const backend = await this.backend();
      const outcome = await backend.accept({ sessionId, variant, hint: this.index.hintFor(sessionId) });
      this.announce('accept', outcome, variant);
    } catch (e) {
      this.fail('Accept', e);
    } finally {
      this.host.refresh();
    }
  }

  async discard(args?: LensArgs): Promise<void> {
    try {
      const sessionId =
        args?.sessionId ?? (await this.pickSession('Discard the variants of which session?', discardable));
      if (!sessionId) return;
      if (!args?.sessionId) {
        const ok = await vscode.window.showWarningMessage(
          `Discard the variants of session ${sessionId} and restore the original?`,
          { modal: true },
          'Discard',
        );
        if (ok !== 'Discard') return;
      }
      const backend = await this.backend();
      this.announce('discard', await backend.discard({ sessionId, hint: this.index.hintFor(sessionId) }));
    } catch (e) {
      this.fail('Discard', e);
    } finally {
      this.host.refresh();
    }
  }

  /** Runs the completion check (via the journal owner) and lists what is left when it is not clean. */
  async markComplete(args?: LensArgs): Promise<void> {
    try {
      const sessionId =
        args?.sessionId ??
        (await this.pickSession(
          'Mark which session complete?',
          (s) => s.phase === 'accepted_source_pending',
        ));
      if (!sessionId) return;
      const backend = await this.backend();
      await this.saveSessionDocuments(sessionId);
      try {
        await backend.complete(sessionId, false);
        void vscode.window.showInformationMessage(`Live Variants: session ${sessionId} is complete.`);
      } catch (e) {
        if (!isLiveVariantsError(e) || e.code !== 'not_clean') throw e;
        const findings = Array.isArray(e.detail?.findings) ? (e.detail.findings as Finding[]) : [];
        await this.showFindings(backend, sessionId, findings);
      }
    } catch (e) {
      this.fail('Mark cleanup complete', e);
    } finally {
      this.host.refresh();
    }
  }

  /** The check reads the disk: unsaved cleanup in an editor would otherwise count as not done. */
  private async saveSessionDocuments(sessionId: string): Promise<void> {
    const file = this.index.locate(sessionId);
    const root = this.host.root;
    if (file === undefined || root === undefined) return;
    const target = isAbsolute(file) ? resolve(file) : resolve(root, file);
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && doc.uri.scheme === 'file' && resolve(doc.uri.fsPath) === target) await doc.save();
    }
  }

  private async showFindings(backend: LiveBackend, sessionId: string, findings: Finding[]): Promise<void> {
    type Item = vscode.QuickPickItem & { finding?: Finding; force?: boolean };
    const items: Item[] = findings.map((f) => ({
      label: `$(warning) ${String(f.marker ?? 'marker')}`,
      description: `${String(f.file ?? '')}:${String(f.line ?? '?')}`,
      detail: `${String(f.why ?? '')} — ${String(f.excerpt ?? '')}`,
      finding: f,
    }));
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: '$(check-all) Mark complete anyway',
      description: 'the leftovers are intended',
      force: true,
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: `Session ${sessionId} is not clean yet: ${findings.length} marker(s) left`,
      placeHolder: 'Pick one to go to it',
    });
    if (!picked) return;
    if (picked.force) {
      await backend.complete(sessionId, true);
      void vscode.window.showInformationMessage(`Live Variants: session ${sessionId} marked complete.`);
      return;
    }
    const f = picked.finding;
    if (f && typeof f.file === 'string') await this.openAt(f.file, typeof f.line === 'number' ? f.line : 1);
  }

  /** Resume Live Session: shows the next action and offers its fix. */
  async resume(): Promise<void> {
    try {
      const report = await this.report();
      if (!report) {
        void vscode.window.showWarningMessage(`Live Variants: ${this.host.roleDetail || 'not running'}`);
        return;
      }
      let session = currentSession(report);
      if (report.sessions.length > 1) {
        const id = await this.pickSession('Resume which session?', () => true, report);
        if (!id) return;
        session = report.sessions.find((s) => s.sessionId === id);
      }
      const next = session?.nextAction ?? report.nextAction;
      const fixes = fixesFor(next, session, { appliedBy: this.host.backend?.appliedBy ?? 'remote' });
      const head = session
        ? `Live session ${session.sessionId} (${phaseLabel(session)}): ${actionTitle(next.action)} [${next.action}].`
        : `${actionTitle(next.action)} [${next.action}].`;
      const choice = await vscode.window.showInformationMessage(
        `${head} ${next.reason}`,
        ...fixes.map((f) => f.label),
      );
      const fix = fixes.find((f) => f.label === choice);
      if (fix) await this.runFix(fix.kind, session, next.file);
    } catch (e) {
      this.fail('Resume', e);
    }
  }

  /** The view's next-action button: the primary fix of that session. */
  async fixSession(sessionId: string): Promise<void> {
    const report = await this.report();
    const session = report?.sessions.find((s) => s.sessionId === sessionId);
    if (!session) return;
    const fix = fixesFor(session.nextAction, session, {
      appliedBy: this.host.backend?.appliedBy ?? 'remote',
    })[0];
    if (fix) await this.runFix(fix.kind, session, session.nextAction.file);
  }

  private async runFix(
    kind: FixKind,
    session: SessionStatus | undefined,
    file: string | null,
  ): Promise<void> {
    try {
      const id = session?.sessionId;
      switch (kind) {
        case 'resume':
        case 'requeue': {
          const r = await (await this.backend()).resume(id);
          const n = Array.isArray(r.resumed) ? r.resumed.length : 0;
          void vscode.window.showInformationMessage(
            n > 0
              ? `Live Variants: resumed ${id ?? 'sessions'} (${n} step(s)).`
              : 'Live Variants: nothing needed re-queueing.',
          );
          break;
        }
        case 'apply':
          if (id && session?.phase === 'accept_pending') {
            await this.accept({ sessionId: id, variant: session.variant ?? undefined });
          } else if (id) await this.discard({ sessionId: id });
          break;
        case 'complete':
          if (id) await this.markComplete({ sessionId: id });
          break;
        case 'openPreview':
          await this.openPreview(id ? { sessionId: id } : undefined);
          break;
        case 'openFile':
          if (file) await this.openAt(file, (id && this.index.lineOf(id)) || 1);
          break;
        case 'copyInstructions':
          await vscode.commands.executeCommand('liveVariants.copyAgentInstructions');
          break;
      }
    } finally {
      this.host.refresh();
    }
  }

  async openPreview(args?: LensArgs): Promise<void> {
    try {
      let url = args?.sessionId ? await sessionPageUrl(this.host.backend, args.sessionId) : undefined;
      url ??= this.host.settings.previewUrl || (await askPreviewUrl(''));
      if (url) await showPreview(url);
    } catch (e) {
      this.fail('Open preview', e);
    }
  }

  /** Opens the session's file at its markers. */
  async openSession(sessionId: string): Promise<void> {
    const file =
      this.index.locate(sessionId) ?? this.host.report?.sessions.find((s) => s.sessionId === sessionId)?.file;
    if (!file) {
      void vscode.window.showInformationMessage(
        `Live Variants: no file is known for session ${sessionId} yet.`,
      );
      return;
    }
    await this.openAt(file, this.index.lineOf(sessionId) ?? 1);
  }

  async openAt(file: string, line: number): Promise<void> {
    const root = this.host.root;
    const uri =
      isAbsolute(file) || !root ? vscode.Uri.file(file) : vscode.Uri.joinPath(vscode.Uri.file(root), file);
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
  }

  async showStatus(): Promise<void> {
    try {
      const backend = await this.backend();
      const report = await backend.status();
      const doc = await vscode.workspace.openTextDocument({
        language: 'json',
        content: `${JSON.stringify(report, null, 2)}\n`,
      });
      await vscode.window.showTextDocument(doc, { preview: false });
    } catch (e) {
      this.fail('Show session status', e);
    }
  }

  private async pickSession(
    title: string,
    filter: (s: SessionStatus) => boolean,
    known?: StatusReport,
  ): Promise<string | undefined> {
    const report = known ?? (await this.report());
    const sessions = (report?.sessions ?? []).filter(filter);
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage('Live Variants: no session fits.');
      return undefined;
    }
    if (sessions.length === 1) return sessions[0].sessionId;
    const picked = await vscode.window.showQuickPick(
      sessions.map((s) => ({ label: s.sessionId, description: phaseLabel(s), detail: s.file ?? undefined })),
      { title },
    );
    return picked?.label;
  }

  /** Every variant the user could accept now: journal sessions awaiting a choice and blocks only in source. */
  private async pickVariant(): Promise<{ sessionId: string; variant: string } | undefined> {
    const report = await this.report();
    type Item = vscode.QuickPickItem & { sessionId: string; variant: string };
    const items: Item[] = [];
    for (const s of report?.sessions ?? []) {
      const phase = s.phase === 'stranded' ? (s.strandedFrom ?? s.phase) : s.phase;
      if (!CHOOSING.has(phase)) continue;
      const n = s.variantsFound ?? s.count ?? 0;
      for (let v = 1; v <= n; v++) {
        items.push({
          label: `Accept ${v}`,
          description: `session ${s.sessionId} · ${phaseLabel(s)}`,
          detail: s.file ?? undefined,
          sessionId: s.sessionId,
          variant: String(v),
        });
      }
    }
    for (const s of report?.sourceSessions ?? []) {
      if (s.kind !== 'variants' || !s.recoverable) continue;
      for (let v = 1; v <= (s.foundCount ?? 0); v++) {
        items.push({
          label: `Accept ${v}`,
          description: `session ${s.sessionId} · in source only`,
          detail: s.file,
          sessionId: s.sessionId,
          variant: String(v),
        });
      }
    }
    if (items.length === 0) {
      void vscode.window.showInformationMessage('Live Variants: no session is waiting for a choice.');
      return undefined;
    }
    return vscode.window.showQuickPick(items, { title: 'Accept which variant?', matchOnDescription: true });
  }
}

function discardable(s: SessionStatus): boolean {
  const phase = s.phase === 'stranded' ? (s.strandedFrom ?? s.phase) : s.phase;
  return !['accept_pending', 'accepted_source_pending', 'complete'].includes(phase);
}
