// The window's live session runtime and its lifecycle. Starting means: this window becomes the journal's one
// writer (the leader: engine in-process, bridge in front of it when the workspace is trusted), or, when
// another process holds the journal lock, a follower of that process's bridge (found via
// .live-variants/bridge.json). A journal that cannot be opened never breaks activation: the host reports
// `failed` and the rest of the surface keeps working. Lifecycle operations run one at a time.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { discoveryDirPath, readDiscovery, readIdentity } from '../bridge/discovery';
import { isLiveVariantsError } from '../core/errors';
import type { StatusReport } from '../core/status';
import type { LiveBackend } from './backend';
import { Follower } from './follower';
import { resolveJournalDir } from './journalLocation';
import { watchJournal } from './journalWatcher';
import { Leader } from './leader';
import { errorText, type Log } from './log';
import type { MarkerIndex } from './markerIndex';
import { type LiveSettings, needsRestart } from './settings';
import type { HostRole } from './statusBarModel';

/** How long a completed session keeps showing in the status bar once nothing else is active. */
const COMPLETED_VISIBLE_MS = 60_000;
const WAITING_RETRY_MS = 3000;

/** The workspace folder sessions belong to: the first holding `.live-variants/`, else the first. */
export function workspaceRoot(): string | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const withState = folders.find((f) => existsSync(discoveryDirPath(f.uri.fsPath)));
  return (withState ?? folders[0])?.uri.fsPath;
}

export interface HostDeps {
  context: vscode.ExtensionContext;
  log: Log;
  index: MarkerIndex;
  settings: LiveSettings;
  /** performance.now() when activate() began (timing spans are measured from it). */
  activatedAt: number;
  /** A rewrite was refused; the UI shows it. */
  onRefused(sessionId: string, code: string, message: string): void;
}

export class LiveHost implements vscode.Disposable {
  role: HostRole = 'dormant';
  roleDetail = '';
  backend: LiveBackend | undefined;
  report: StatusReport | undefined;
  recentlyCompleted: string | undefined;
  settings: LiveSettings;
  private bridgeWanted: boolean;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private watcher: vscode.Disposable | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private completedTimer: NodeJS.Timeout | undefined;
  private lifecycle: Promise<void> = Promise.resolve();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private firstStart = true;
  /** The "waiting for the journal" line is logged once per wait, not on every retry. */
  private waitingLogged = false;
  private lastStatusError: string | undefined;
  private disposed = false;
  private readonly fileSubscription: vscode.Disposable;

  constructor(private readonly deps: HostDeps) {
    this.settings = deps.settings;
    this.bridgeWanted = deps.settings.bridgeAutoStart;
    this.fileSubscription = deps.index.onDidChangeFile((uri) => {
      this.backend
        ?.observe(uri.fsPath)
        .catch((e) => deps.log.warn(`observing ${uri.fsPath} failed: ${errorText(e)}`));
    });
  }

  get root(): string | undefined {
    return workspaceRoot();
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  get active(): boolean {
    return this.role === 'leader' || this.role === 'follower';
  }

  /** Whether activation should start right away: the workspace already has live-variants state. */
  hasWorkspaceState(): boolean {
    const root = this.root;
    return root !== undefined && existsSync(discoveryDirPath(root));
  }

  private setRole(role: HostRole, detail: string): void {
    this.role = role;
    this.roleDetail = detail;
    this.emitter.fire();
  }

  private run(op: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(op, op);
    this.lifecycle = next.catch((e) => this.deps.log.error(`lifecycle: ${errorText(e)}`));
    return this.lifecycle;
  }

  /** Starts unless already running (or starting). Safe to call from any command. */
  ensureStarted(): Promise<void> {
    return this.run(async () => {
      if (this.active || this.disposed) return;
      await this.startNow();
    });
  }

  restart(): Promise<void> {
    return this.run(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  startBridge(): Promise<void> {
    this.bridgeWanted = true;
    return this.restart();
  }

  stopBridge(): Promise<void> {
    this.bridgeWanted = false;
    return this.restart();
  }

  async updateSettings(next: LiveSettings): Promise<void> {
    const prev = this.settings;
    this.settings = next;
    if (next.bridgeAutoStart !== prev.bridgeAutoStart) this.bridgeWanted = next.bridgeAutoStart;
    if (this.active && (needsRestart(prev, next) || next.bridgeAutoStart !== prev.bridgeAutoStart)) {
      await this.restart();
    }
  }

  async rotateToken(): Promise<boolean> {
    const backend = this.backend;
    if (!(backend instanceof Leader) || !backend.bridgeServer) return false;
    await backend.bridgeServer.rotateToken();
    this.emitter.fire();
    return true;
  }

  private async startNow(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const root = this.root;
    if (!root) {
      this.setRole('dormant', 'Open a folder to use Live Variants.');
      return;
    }
    this.setRole('starting', '');
    const { log } = this.deps;
    const trusted = this.trusted;
    const identity = trusted ? await readIdentity(root).catch(() => null) : null;
    const journal = resolveJournalDir({
      location: this.settings.journalLocation,
      path: this.settings.journalPath,
      root,
      storageDir: this.deps.context.storageUri?.fsPath,
      trusted,
      identityJournalDir: identity?.journalDir,
      exists: existsSync,
    });
    log.info(`journal: ${journal.dir} (${journal.why})`);
    const withBridge = trusted && this.bridgeWanted;
    if (!trusted)
      log.info('workspace not trusted: the bridge stays off; sessions are read and decided here only');
    const started = performance.now();
    let leader: Leader | undefined;
    try {
      leader = await this.openLeader(root, journal.dir, withBridge);
    } catch (e) {
      if (isLiveVariantsError(e) && e.code === 'journal_locked') {
        await this.follow(root, e.message);
        return;
      }
      if (withBridge && isLiveVariantsError(e) && e.code !== 'journal_io_failed') {
        log.error(`the bridge could not start (${errorText(e)}); sessions stay available in this window`);
        void vscode.window.showWarningMessage(`Live Variants: the bridge could not start: ${e.message}`);
        try {
          leader = await this.openLeader(root, journal.dir, false);
        } catch (e2) {
          this.fail(e2);
          return;
        }
      } else {
        this.fail(e);
        return;
      }
    }
    const now = performance.now();
    log.timing(withBridge && leader.bridgeServer ? 'leader.bridge' : 'leader.engine', now - started, {
      sessions: leader.engine.activeSessions().length,
    });
    if (this.firstStart) {
      this.firstStart = false;
      log.timing(
        leader.bridgeServer ? 'bridge.accepting.sinceActivation' : 'engine.ready.sinceActivation',
        now - this.deps.activatedAt,
      );
    }
    if (this.disposed) {
      await leader.close();
      return;
    }
    this.attach(leader);
  }

  private openLeader(root: string, journalDir: string, withBridge: boolean): Promise<Leader> {
    const { index, log, context } = this.deps;
    return Leader.open({
      root,
      journalDir,
      settings: this.settings,
      trusted: this.trusted,
      withBridge,
      liveScriptPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'live.js').fsPath,
      log,
      markerFiles: () => index.markerFiles(),
      editor: {
        isGitIgnored: (rel) => index.isGitIgnored(rel),
        locate: (id) => index.locate(id),
        onRefused: this.deps.onRefused,
      },
    });
  }

  private fail(e: unknown): void {
    this.deps.log.error(`could not open the journal: ${errorText(e)}`);
    this.setRole('failed', isLiveVariantsError(e) ? e.message : errorText(e));
  }

  /** Another process writes the journal: follow its bridge, or wait for the lock to free up. */
  private async follow(root: string, why: string): Promise<void> {
    const { log } = this.deps;
    const read = await readDiscovery(root).catch(() => null);
    if (read && !read.stale) {
      const follower = new Follower(read.discovery);
      if (await follower.healthy()) {
        log.info(`journal held by pid ${read.discovery.pid}: following its bridge at ${follower.bridge.url}`);
        this.attach(follower);
        return;
      }
    }
    if (!this.waitingLogged)
      log.info(`${why} No bridge to follow yet; retrying every ${WAITING_RETRY_MS / 1000} s.`);
    this.waitingLogged = true;
    this.setRole(
      'waiting',
      'Another process holds the journal; waiting for it to publish a bridge or let go.',
    );
    this.retryTimer = setTimeout(() => void this.ensureStarted(), WAITING_RETRY_MS);
  }

  private attach(backend: LiveBackend): void {
    this.waitingLogged = false;
    this.backend = backend;
    this.watcher = watchJournal({ dir: backend.journalDir, onChange: () => this.refresh() });
    this.deps.index.startWorkspaceScan();
    this.setRole(backend.role, backend.role === 'follower' ? `following ${backend.bridge?.url ?? ''}` : '');
    this.refresh();
  }

  private async stopNow(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.watcher?.dispose();
    this.watcher = undefined;
    const backend = this.backend;
    this.backend = undefined;
    this.report = undefined;
    if (backend) {
      try {
        await backend.close();
      } catch (e) {
        this.deps.log.warn(`closing the ${backend.role} failed: ${errorText(e)}`);
      }
    }
    if (!this.disposed) this.setRole('dormant', '');
  }

  /** Recomputes the report (coalesced: one at a time, one more if asked meanwhile). */
  refresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.refreshNow().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.refresh();
      }
    });
  }

  /** Resolves once a refresh that starts after this call has finished. */
  async refreshed(): Promise<void> {
    if (this.refreshing) await this.refreshing;
    this.refresh();
    await this.refreshing;
  }

  private async refreshNow(): Promise<void> {
    const backend = this.backend;
    if (!backend) return;
    backend
      .reconcile()
      .catch((e) => this.deps.log.warn(`applying pending decisions failed: ${errorText(e)}`));
    try {
      const report = await backend.status();
      if (backend !== this.backend) return;
      this.lastStatusError = undefined;
      this.noteCompletions(backend, report);
      this.report = report;
      this.emitter.fire();
    } catch (e) {
      if (backend !== this.backend) return;
      if (backend.role === 'follower' && isLiveVariantsError(e) && e.code === 'bridge_unreachable') {
        this.deps.log.info('the bridge this window followed is gone; taking over');
        void this.restart();
        return;
      }
      const message = `status failed: ${errorText(e)}`;
      // A failure that persists is logged once, not on every tick.
      if (message !== this.lastStatusError) this.deps.log.warn(message);
      this.lastStatusError = message;
      return;
    }
  }

  private noteCompletions(backend: LiveBackend, next: StatusReport): void {
    const still = new Set(next.sessions.map((s) => s.sessionId));
    for (const s of this.report?.sessions ?? []) {
      if (still.has(s.sessionId) || backend.isArchived(s.sessionId) === false) continue;
      this.deps.log.info(`session ${s.sessionId} is complete`);
      this.recentlyCompleted = s.sessionId;
      if (this.completedTimer) clearTimeout(this.completedTimer);
      this.completedTimer = setTimeout(() => {
        this.recentlyCompleted = undefined;
        this.emitter.fire();
      }, COMPLETED_VISIBLE_MS);
    }
  }

  /** Stops everything (deactivate); the journal lock and bridge.json are released before it resolves. */
  async shutdown(): Promise<void> {
    this.disposed = true;
    if (this.completedTimer) clearTimeout(this.completedTimer);
    await this.run(() => this.stopNow());
  }

  dispose(): void {
    void this.shutdown();
    this.fileSubscription.dispose();
    this.emitter.dispose();
  }
}
