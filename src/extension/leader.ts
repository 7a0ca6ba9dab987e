// This window holds the journal lock: the session engine runs in the extension host, with the bridge in
// front of it in a trusted workspace (startBridge recovers the journal before it listens, so nothing is
// accepted before recovery). The bridge runs with acceptBy 'agent', so it never rewrites source itself:
// either this window applies accepts as WorkspaceEdits (EditorApplier) or agents do (docs/vscode.md).

import { type BridgeOps, createBridgeOps } from '../bridge/operations';
import { type Bridge, startBridge } from '../bridge/server';
import { SourceApplier } from '../bridge/sourceApplier';
import { observeFile } from '../bridge/sourceObserver';
import { SessionEngine, type SessionView } from '../core/engine';
import { LiveVariantsError } from '../core/errors';
import { readBranch } from '../core/git/readBranch';
import { readSessionJournal } from '../core/journal';
import { pruneArchive } from '../core/journal/archive';
import { nodeJournalFs } from '../core/journal/journalFs';
import type { SessionEvent } from '../core/machine';
import { WORK_KINDS, type WorkKind } from '../core/queue';
import type { StatusReport } from '../core/status';
import type {
  AcceptRequest,
  ActionOutcome,
  BridgeEndpoint,
  LiveBackend,
  SessionRequest,
  TimelinePage,
} from './backend';
import { type ApplierDeps, EDITOR_AGENT_ID, EditorApplier } from './editorApplier';
import { errorText, type Log } from './log';
import type { LiveSettings } from './settings';
import { standaloneStatus } from './standaloneStatus';

export interface LeaderOptions {
  root: string;
  journalDir: string;
  settings: LiveSettings;
  trusted: boolean;
  withBridge: boolean;
  liveScriptPath: string;
  log: Log;
  editor: Omit<ApplierDeps, 'engine' | 'root' | 'log' | 'leaseMs'>;
  /** Workspace-relative files known to hold markers (for status without a bridge). */
  markerFiles: () => string[];
}

/**
 * Accept and discard work belongs to this window's editor: agents' polls lease every other kind but never
 * these (the bridge wakes parked polls the moment a browser accept is journaled, before this window hears of
 * it). Replace with a bridge option when one exists (see docs/vscode.md, "Who applies an accept").
 */
function reserveDecisionsForEditor(engine: SessionEngine): void {
  const lease = engine.lease.bind(engine);
  engine.lease = (request = {}) => {
    if (request.agentId === EDITOR_AGENT_ID) return lease(request);
    const kinds = (request.kinds ?? WORK_KINDS).filter((k) => k !== 'accept' && k !== 'discard');
    return kinds.length === 0 ? undefined : lease({ ...request, kinds });
  };
}

/** Phases in which the user can still choose a variant or discard them. */
const UNDECIDED = new Set(['variants_written', 'cycling']);
const BEFORE_VARIANTS = new Set(['generating', 'source_wrapped']);

export class Leader implements LiveBackend {
  readonly role = 'leader';
  private readonly applier: EditorApplier | undefined;
  private readonly ops: BridgeOps;

  private constructor(
    private readonly o: LeaderOptions,
    readonly engine: SessionEngine,
    readonly bridgeServer: Bridge | undefined,
  ) {
    this.ops =
      bridgeServer?.ops ??
      createBridgeOps({
        engine,
        root: o.root,
        acceptBy: 'agent',
        // Never called with acceptBy 'agent'; createBridgeOps wants one.
        applier: new SourceApplier(engine, o.root, () => {}),
        connectedSessions: () => new Set(),
        bridgeUrl: () => '',
      });
    if (o.settings.acceptAppliedBy === 'extension') {
      reserveDecisionsForEditor(engine);
      this.applier = new EditorApplier({
        ...o.editor,
        engine,
        root: o.root,
        log: o.log,
        leaseMs: o.settings.leaseMs,
      });
    }
  }

  static async open(o: LeaderOptions): Promise<Leader> {
    const onDiagnostic = (d: { code: string; message: string; sessionId?: string }) =>
      o.log.warn(`${d.code}${d.sessionId ? ` [${d.sessionId}]` : ''}: ${d.message}`);
    let leader: Leader;
    if (o.withBridge) {
      const bridge = await startBridge({
        root: o.root,
        journalDir: o.journalDir,
        port: o.settings.bridgePort === 0 ? undefined : o.settings.bridgePort,
        allowedOrigins: o.settings.allowedOrigins,
        acceptBy: 'agent',
        leaseMs: o.settings.leaseMs,
        liveScriptPath: o.liveScriptPath,
        log: (level, message) => o.log.write(level, message),
      });
      leader = new Leader(o, bridge.engine, bridge);
    } else {
      const engine = await SessionEngine.open({
        journalDir: o.journalDir,
        readBranch: () => readBranch(o.root),
        acceptBy: 'agent',
        leaseMs: o.settings.leaseMs,
        onDiagnostic,
      });
      leader = new Leader(o, engine, undefined);
    }
    void leader.prune();
    return leader;
  }

  get journalDir(): string {
    return this.engine.journalDir;
  }

  get bridge(): BridgeEndpoint | undefined {
    return this.bridgeServer ? { url: this.bridgeServer.url, token: this.bridgeServer.token } : undefined;
  }

  get appliedBy() {
    return this.o.settings.acceptAppliedBy;
  }

  /** Retention: completed sessions older than the setting leave the archive. */
  private async prune(): Promise<void> {
    const days = this.o.settings.retentionDays;
    if (days <= 0) return;
    try {
      const pruned = await pruneArchive(nodeJournalFs, this.journalDir, {
        olderThanMs: days * 86_400_000,
        now: new Date(),
      });
      if (pruned.length > 0) this.o.log.info(`retention: pruned ${pruned.length} completed session(s)`);
    } catch (e) {
      this.o.log.warn(`retention: pruning the archive failed: ${errorText(e)}`);
    }
  }

  async status(): Promise<StatusReport> {
    if (this.bridgeServer) return (await this.ops.status({ all: false })) as unknown as StatusReport;
    return standaloneStatus({
      engine: this.engine,
      root: this.o.root,
      trusted: this.o.trusted,
      markerFiles: this.o.markerFiles(),
    });
  }

  isArchived(sessionId: string): boolean {
    return this.engine.isArchived(sessionId);
  }

  async timeline(sessionId: string, start: number, count: number): Promise<TimelinePage> {
    let records = this.engine.records(sessionId);
    if (records.length === 0) {
      try {
        records = (await readSessionJournal(this.journalDir, sessionId)).records;
      } catch {
        records = [];
      }
    }
    return { sessionId, total: records.length, start, records: records.slice(start, start + count) };
  }

  /**
   * The session's view, journaled if it is known only from its markers, resumed if stranded, and told about
   * variants the scanner sees but the journal has not recorded yet.
   */
  private async prepare(req: SessionRequest): Promise<SessionView> {
    const id = req.sessionId;
    const { engine } = this;
    if (engine.isArchived(id)) {
      throw new LiveVariantsError('session_complete', `Session ${id} is already complete.`, 'sessionId');
    }
    let view = engine.view(id);
    if (!view) {
      if (!req.hint || req.hint.count === 0) {
        throw new LiveVariantsError('session_not_found', `No active session ${id}.`, 'sessionId');
      }
      await engine.submit(
        id,
        `adopt-source:${id}`,
        { type: 'source.variants_seen', count: req.hint.count, file: req.hint.file },
        { create: true },
      );
      view = engine.view(id);
    }
    if (view?.phase === 'stranded') {
      await engine.submit(id, `resume:${view.lastSeq}`, { type: 'session.resume' });
      view = engine.view(id);
    }
    if (view && BEFORE_VARIANTS.has(view.phase) && req.hint && req.hint.count > 0) {
      const seen: SessionEvent = { type: 'source.variants_seen', count: req.hint.count, file: req.hint.file };
      if (engine.wouldAccept(id, seen)) {
        await engine.submit(id, `observed:${seen.type}:${req.hint.count}:${view.lastSeq}`, seen);
        view = engine.view(id);
      }
    }
    if (!view) throw new LiveVariantsError('session_not_found', `No active session ${id}.`, 'sessionId');
    return view;
  }

  private async decide(view: SessionView, event: SessionEvent, kind: WorkKind): Promise<SessionView> {
    const viaAgent = this.o.settings.acceptAppliedBy === 'agent';
    const r = await this.engine.submit(
      view.sessionId,
      `vscode-${kind}:${view.sessionId}:${view.lastSeq}`,
      event,
      {
        enqueue: viaAgent ? kind : undefined,
        extra: { by: 'vscode' },
      },
    );
    if (!r.accepted) {
      throw new LiveVariantsError(
        'transition_rejected',
        `Session ${view.sessionId} is ${r.phase}: ${r.diagnostic?.message ?? `the ${kind} was refused`}.`,
        'sessionId',
      );
    }
    return this.engine.view(view.sessionId) ?? view;
  }

  private async finish(view: SessionView): Promise<ActionOutcome> {
    if (this.applier && (view.phase === 'accept_pending' || view.phase === 'discard_pending')) {
      return this.applier.apply(view.sessionId);
    }
    return { kind: 'queued', sessionId: view.sessionId, phase: view.phase };
  }

  async accept(req: AcceptRequest): Promise<ActionOutcome> {
    let view = await this.prepare(req);
    if (view.phase === 'accept_pending') {
      if (view.context.acceptedVariant !== req.variant) {
        throw new LiveVariantsError(
          'conflicting_operation',
          `Session ${view.sessionId} already accepted variant ${view.context.acceptedVariant}.`,
          'variant',
        );
      }
    } else if (UNDECIDED.has(view.phase)) {
      view = await this.decide(view, { type: 'browser.accept', variant: req.variant }, 'accept');
    } else {
      throw new LiveVariantsError(
        'transition_rejected',
        `Session ${view.sessionId} is ${view.phase}; there is nothing to accept now.`,
        'sessionId',
      );
    }
    return this.finish(view);
  }

  async discard(req: SessionRequest): Promise<ActionOutcome> {
    let view = await this.prepare(req);
    if (view.phase !== 'discard_pending') {
      if (view.phase === 'accept_pending' || view.phase === 'accepted_source_pending') {
        throw new LiveVariantsError(
          'transition_rejected',
          `Session ${view.sessionId} was accepted; it can no longer be discarded.`,
          'sessionId',
        );
      }
      view = await this.decide(view, { type: 'browser.discard' }, 'discard');
    }
    return this.finish(view);
  }

  complete(sessionId: string, force: boolean): Promise<Record<string, unknown>> {
    return this.ops.complete(sessionId, force);
  }

  resume(sessionId?: string): Promise<Record<string, unknown>> {
    return this.ops.resume(sessionId);
  }

  async observe(absPath: string): Promise<void> {
    if (this.bridgeServer) await this.bridgeServer.observe(absPath);
    else await observeFile(this.engine, this.o.root, absPath);
  }

  async reconcile(): Promise<void> {
    await this.applier?.reconcile();
  }

  async close(): Promise<void> {
    if (this.bridgeServer) await this.bridgeServer.close('extension stopped');
    else await this.engine.close();
  }
}
