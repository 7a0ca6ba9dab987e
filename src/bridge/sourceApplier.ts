// Bridge-side accept/discard: once a user's accept or discard is durable, the bridge rewrites the source
// itself (deterministic, idempotent) and journals what it did, so the choice reaches the source even when
// no agent runs. A crash between the intent and the result is resumed by `reconcile` at the next start.

import type { SessionEngine, SessionView } from '../core/engine';
import { isLiveVariantsError } from '../core/errors';
import { acceptInWorkspace, discardInWorkspace } from '../core/rewrite/workspaceOps';
import { branchHold } from '../core/status/branchHold';

export type ApplierLog = (level: 'info' | 'warn' | 'error', message: string) => void;

const MAX_EDIT_TEXT = 64 * 1024;
/** While a session is held on another branch, look again this often (a branch switch changes no session). */
export const BRANCH_RETRY_MS = 2_000;

export class SourceApplier {
  private readonly inFlight = new Set<string>();
  /** Sessions whose last attempt failed with a refusal; retried only when the session changes. */
  private readonly refused = new Map<string, number>();
  /** Sessions held because the workspace is on another branch, with their retry timers. */
  private readonly held = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly engine: SessionEngine,
    private readonly root: string,
    private readonly log: ApplierLog,
  ) {}

  /** Applies every pending accept/discard (startup, and after each change). */
  reconcile(): void {
    for (const view of this.engine.activeSessions()) this.maybeApply(view);
  }

  onChange(sessionId: string): void {
    const phase = this.engine.phase(sessionId);
    if (phase !== 'accept_pending' && phase !== 'discard_pending') return;
    const view = this.engine.view(sessionId);
    if (view) this.maybeApply(view);
  }

  private maybeApply(view: SessionView): void {
    if (view.phase !== 'accept_pending' && view.phase !== 'discard_pending') return;
    if (this.inFlight.has(view.sessionId)) return;
    if (this.refused.get(view.sessionId) === view.lastSeq) return;
    this.inFlight.add(view.sessionId);
    const run = branchHold(this.root, view).then((check) => {
      if (check.holdCompletion) return this.hold(view, check.diagnostic?.message);
      this.release(view.sessionId);
      return view.phase === 'accept_pending' ? this.applyAccept(view) : this.applyDiscard(view);
    });
    void run
      .catch((e) => {
        this.refused.set(view.sessionId, view.lastSeq);
        const code = isLiveVariantsError(e) ? e.code : 'internal';
        const message = isLiveVariantsError(e) ? e.message : 'unexpected error';
        this.log('warn', `accept/discard of ${view.sessionId} not applied (${code}): ${message}`);
      })
      .finally(() => this.inFlight.delete(view.sessionId));
  }

  private hold(view: SessionView, why: string | undefined): void {
    if (!this.held.has(view.sessionId)) {
      this.log('warn', `${view.phase} of ${view.sessionId} held: ${why ?? 'the git branch cannot be read.'}`);
    }
    clearTimeout(this.held.get(view.sessionId));
    const timer = setTimeout(() => {
      const now = this.engine.view(view.sessionId);
      if (now) this.maybeApply(now);
      else this.release(view.sessionId);
    }, BRANCH_RETRY_MS);
    timer.unref();
    this.held.set(view.sessionId, timer);
  }

  private release(sessionId: string): void {
    clearTimeout(this.held.get(sessionId));
    this.held.delete(sessionId);
  }

  /** Stops the branch retries (bridge shutdown). */
  close(): void {
    for (const id of [...this.held.keys()]) this.release(id);
  }

  private async applyAccept(view: SessionView): Promise<void> {
    const c = view.context;
    const variant = c.acceptedVariant;
    if (variant === null) return;
    const params = (c.acceptedParams ?? {}) as Record<string, number | string | boolean>;
    const result = await acceptInWorkspace(this.root, {
      sessionId: view.sessionId,
      variant,
      params,
      file: c.file ?? undefined,
      recorded: { outcome: 'accepted', variant },
    });
    const edit =
      result.status === 'applied'
        ? {
            file: result.file,
            lines: result.blockLines,
            start: result.edit.start,
            end: result.edit.end,
            ...(result.edit.newText.length <= MAX_EDIT_TEXT ? { newText: result.edit.newText } : {}),
          }
        : { file: result.file, alreadyApplied: true };
    await this.engine.submit(
      view.sessionId,
      `accept-applied:${view.sessionId}`,
      { type: 'accept.applied', carbonize: result.carbonize, variant, params },
      { extra: { edit, by: 'bridge' }, enqueue: result.carbonize ? 'carbonize_cleanup' : undefined },
    );
    this.log('info', `accepted variant ${variant} of ${view.sessionId} in ${result.file ?? '(no file)'}`);
  }

  private async applyDiscard(view: SessionView): Promise<void> {
    let file: string | null = null;
    let edit: Record<string, unknown>;
    try {
      const result = await discardInWorkspace(this.root, {
        sessionId: view.sessionId,
        file: view.context.file ?? undefined,
        recorded: { outcome: 'discarded' },
      });
      file = result.file;
      edit =
        result.status === 'applied'
          ? { file, lines: result.blockLines, start: result.edit.start, end: result.edit.end }
          : { file, alreadyApplied: true };
    } catch (e) {
      // Nothing of the session is in source (the agent never wrapped): there is nothing to restore.
      if (!isLiveVariantsError(e) || e.code !== 'session_not_found') throw e;
      edit = { file: null, nothingToRestore: true };
    }
    await this.engine.submit(
      view.sessionId,
      `discard-applied:${view.sessionId}`,
      { type: 'discard.applied' },
      { extra: { edit, by: 'bridge' } },
    );
    this.log('info', `discarded variants of ${view.sessionId}${file ? ` in ${file}` : ''}`);
  }
}
