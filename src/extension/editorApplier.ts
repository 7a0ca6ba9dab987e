// Accept and discard applied by VS Code (`liveVariants.acceptAppliedBy: extension`): the rewrite is computed
// by core on the document's current text (unsaved changes included) and applied as one WorkspaceEdit, so the
// user can undo it. A document without unsaved changes is saved afterwards, so agents and the status
// reconciler (which read the disk) see the result; a document that had unsaved changes is left for the user
// to save. The journal gets `accept.applied` / `discard.applied` with `{by: 'vscode', edit}`.
//
// Work comes from two places: a session the user decided in VS Code (journaled without a work item, so no
// agent ever sees it), and an accept or discard from the browser, which the bridge (run with acceptBy
// 'agent') queues as work: this window leases it as agent `vscode`. The lease makes sure only one writer
// applies it; the rewrite being idempotent covers a lease that expired while its edit was being saved.
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { SessionEngine, SessionView } from '../core/engine';
import { isLiveVariantsError, LiveVariantsError } from '../core/errors';
import type { LeaseGrant } from '../core/queue';
import { acceptVariant } from '../core/rewrite/accept';
import { discardVariants } from '../core/rewrite/discard';
import type { RewriteResult } from '../core/rewrite/session';
import { branchHold } from '../core/status/branchHold';
import type { ActionOutcome } from './backend';
import { errorText, type Log } from './log';
import { workspaceRelative } from './paths';

export const EDITOR_AGENT_ID = 'vscode';
/** The journal keeps the replacement text of edits up to this size (the same limit as the bridge). */
const MAX_EDIT_TEXT = 64 * 1024;
const MAX_EDIT_ATTEMPTS = 3;

export interface ApplierDeps {
  engine: SessionEngine;
  root: string;
  log: Log;
  leaseMs: number;
  /** Whether git ignores the file (a generated file is never rewritten). */
  isGitIgnored(relPath: string): Promise<boolean>;
  /** Where a session's markers are when the journal names no file: open editors, then the marker index. */
  locate(sessionId: string): string | undefined;
  /** A rewrite was refused; shown to the user once per session and reason. */
  onRefused(sessionId: string, code: string, message: string): void;
}

type Kind = 'accept' | 'discard';

function kindOf(view: SessionView): Kind | undefined {
  if (view.phase === 'accept_pending') return 'accept';
  if (view.phase === 'discard_pending') return 'discard';
  return undefined;
}

export class EditorApplier {
  private readonly inFlight = new Map<string, Promise<ActionOutcome>>();
  /** Session → lastSeq of a refused attempt: not retried until the session changes. */
  private readonly refused = new Map<string, number>();
  /** Sessions held because the workspace is on another branch than they began on (logged once each). */
  private readonly held = new Set<string>();

  constructor(private readonly deps: ApplierDeps) {}

  /** Applies everything owed to this window: queued browser decisions, then decisions without work items. */
  async reconcile(): Promise<void> {
    const { engine } = this.deps;
    const runs: Promise<unknown>[] = [];
    for (;;) {
      const grant = engine.lease({
        kinds: ['accept', 'discard'],
        agentId: EDITOR_AGENT_ID,
        leaseMs: this.deps.leaseMs,
      });
      if (grant === undefined) break;
      runs.push(this.applyGrant(grant));
    }
    for (const view of engine.activeSessions()) {
      const kind = kindOf(view);
      if (kind === undefined || this.inFlight.has(view.sessionId)) continue;
      if (this.refused.get(view.sessionId) === view.lastSeq) continue;
      // Queued work of this session is somebody's lease (an agent's, or ours above): leave it to them.
      if (engine.owed(view.sessionId).some((o) => o.item.kind === kind)) continue;
      runs.push(this.apply(view.sessionId));
    }
    await Promise.all(runs);
  }

  /** Applies the session's pending accept or discard now (at most one run per session at a time). */
  apply(sessionId: string): Promise<ActionOutcome> {
    const running = this.inFlight.get(sessionId);
    if (running) return running;
    const run = this.run(sessionId).finally(() => this.inFlight.delete(sessionId));
    this.inFlight.set(sessionId, run);
    return run;
  }

  private async applyGrant(grant: LeaseGrant): Promise<void> {
    const { engine, log } = this.deps;
    const outcome = await this.apply(grant.item.sessionId);
    // A completed session's work was dropped with it; only a session still open owes the ack.
    if (engine.view(grant.item.sessionId) === undefined) return;
    // Held on another branch: no ack, so the lease runs out and the work is owed again.
    if (this.held.has(grant.item.sessionId)) return;
    const result =
      outcome.kind === 'refused'
        ? { type: 'error', message: `${outcome.code}: ${outcome.message}` }
        : { type: 'done' };
    try {
      await engine.ack(grant.lease.leaseId, result);
    } catch (e) {
      log.warn(`ack of ${grant.item.id} not recorded: ${errorText(e)}`);
    }
  }

  private async run(sessionId: string): Promise<ActionOutcome> {
    const view = this.deps.engine.view(sessionId);
    const kind = view ? kindOf(view) : undefined;
    if (!view || !kind) {
      return { kind: 'queued', sessionId, phase: view?.phase ?? 'complete' };
    }
    // On another branch the session's markers are missing only because that branch never had them: applying
    // there would journal "already applied" (or "nothing to restore") and lose the user's choice.
    const branch = await branchHold(this.deps.root, view);
    if (branch.holdCompletion) {
      if (!this.held.has(sessionId)) {
        this.deps.log.warn(
          `${kind} of ${sessionId} held: ${branch.diagnostic?.message ?? 'the git branch cannot be read.'}`,
        );
      }
      this.held.add(sessionId);
      return { kind: 'queued', sessionId, phase: view.phase };
    }
    this.held.delete(sessionId);
    try {
      return await this.rewrite(view, kind);
    } catch (e) {
      const code = isLiveVariantsError(e) ? e.code : 'internal';
      const message = errorText(e);
      this.refused.set(sessionId, this.deps.engine.view(sessionId)?.lastSeq ?? view.lastSeq);
      this.deps.log.warn(`${kind} of ${sessionId} not applied (${code}): ${message}`);
      this.deps.onRefused(sessionId, code, message);
      return { kind: 'refused', sessionId, phase: view.phase, code, message };
    }
  }

  private async rewrite(view: SessionView, kind: Kind): Promise<ActionOutcome> {
    const { root } = this.deps;
    const id = view.sessionId;
    const c = view.context;
    const file = c.file ?? this.deps.locate(id) ?? null;
    if (file === null) {
      if (kind === 'accept') {
        throw new LiveVariantsError(
          'session_not_found',
          `No markers of session ${id} were found in the workspace.`,
        );
      }
      return this.record(view, kind, null, { file: null, nothingToRestore: true }, false);
    }
    const uri = vscode.Uri.file(isAbsolute(file) ? file : join(root, file));
    const rel = workspaceRelative(root, uri.fsPath);
    const generated = await this.deps.isGitIgnored(rel);
    const doc = await vscode.workspace.openTextDocument(uri);
    const compute = (text: string): RewriteResult | 'nothing' => {
      try {
        return kind === 'accept'
          ? acceptVariant(text, {
              sessionId: id,
              variant: c.acceptedVariant ?? '',
              params: c.acceptedParams ?? {},
              path: rel,
              generated,
              recorded: { outcome: 'accepted', variant: c.acceptedVariant ?? '' },
            })
          : discardVariants(text, {
              sessionId: id,
              path: rel,
              generated,
              recorded: { outcome: 'discarded' },
            });
      } catch (e) {
        // A discard of a session the agent never wrapped has nothing to restore.
        if (kind === 'discard' && isLiveVariantsError(e) && e.code === 'session_not_found') return 'nothing';
        throw e;
      }
    };
    // The edit carries the document version it was computed on, so a change in between (typing, a reload
    // from disk after an agent's write) makes VS Code refuse it: compute again on the new text.
    for (let attempt = 1; ; attempt++) {
      const result = compute(doc.getText());
      if (result === 'nothing') {
        return this.record(view, kind, rel, { file: rel, nothingToRestore: true }, false);
      }
      if (result.status === 'alreadyApplied') {
        return this.record(view, kind, rel, { file: rel, alreadyApplied: true }, result.carbonize);
      }
      const wasDirty = doc.isDirty;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(
        uri,
        new vscode.Range(doc.positionAt(result.edit.start), doc.positionAt(result.edit.end)),
        result.edit.newText,
      );
      if (await vscode.workspace.applyEdit(edit)) return this.saved(view, kind, doc, rel, result, wasDirty);
      if (attempt === MAX_EDIT_ATTEMPTS) {
        throw new LiveVariantsError(
          'edit_rejected',
          `VS Code did not apply the ${kind} to ${rel} (the document kept changing); try again.`,
        );
      }
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }

  private async saved(
    view: SessionView,
    kind: Kind,
    doc: vscode.TextDocument,
    rel: string,
    result: Extract<RewriteResult, { status: 'applied' }>,
    wasDirty: boolean,
  ): Promise<ActionOutcome> {
    const c = view.context;
    const id = view.sessionId;
    const journaled = {
      file: rel,
      lines: result.blockLines,
      start: result.edit.start,
      end: result.edit.end,
      saved: !wasDirty,
      ...(result.edit.newText.length <= MAX_EDIT_TEXT ? { newText: result.edit.newText } : {}),
    };
    this.deps.log.info(
      `${kind === 'accept' ? `accepted variant ${c.acceptedVariant} of` : 'discarded'} ${id} in ${rel}`,
    );
    // Journaled before the save: a status check between the save and the record would otherwise find the
    // markers gone and record a completion of its own.
    const outcome = await this.record(view, kind, rel, journaled, result.carbonize);
    if (!wasDirty) await doc.save();
    return outcome;
  }

  /** Journals what the rewrite did (the same event ids the bridge's applier uses: one of them ever counts). */
  private async record(
    view: SessionView,
    kind: Kind,
    file: string | null,
    edit: Record<string, unknown>,
    carbonize: boolean,
  ): Promise<ActionOutcome> {
    const { engine } = this.deps;
    const id = view.sessionId;
    const c = view.context;
    const r =
      kind === 'accept'
        ? await engine.submit(
            id,
            `accept-applied:${id}`,
            {
              type: 'accept.applied',
              carbonize,
              variant: c.acceptedVariant ?? '',
              params: c.acceptedParams ?? {},
            },
            { extra: { by: EDITOR_AGENT_ID, edit }, enqueue: carbonize ? 'carbonize_cleanup' : undefined },
          )
        : await engine.submit(
            id,
            `discard-applied:${id}`,
            { type: 'discard.applied' },
            { extra: { by: EDITOR_AGENT_ID, edit } },
          );
    if (!r.accepted && !r.duplicate) {
      throw new LiveVariantsError(
        'transition_rejected',
        r.diagnostic?.message ?? `The ${kind} was not recorded.`,
      );
    }
    return { kind: 'applied', sessionId: id, phase: r.phase, file, carbonize };
  }
}
