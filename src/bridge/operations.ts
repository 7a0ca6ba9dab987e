// What the bridge does beyond routing, shared by HTTP routes, the socket and the VS Code extension:
// submit a browser-style event, compute status (and record its effects), resume owed work, complete.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AcceptBy, SessionEngine, SessionView } from '../core/engine';
import { LiveVariantsError } from '../core/errors';
import type { SessionEvent } from '../core/machine';
import { scanWorkspace } from '../core/markers/workspaceScan';
import type { WorkKind } from '../core/queue';
import { completionFindings, type Finding } from '../core/rewrite/completion';
import { branchHold } from '../core/status/branchHold';
import type { SourceApplier } from './sourceApplier';
import { reportStatus } from './status';

export interface BridgeOps {
  submitBrowserEvent(event: unknown): Promise<Record<string, unknown>>;
  status(q: { all: boolean; sessionId?: string }): Promise<Record<string, unknown>>;
  resume(sessionId?: string): Promise<Record<string, unknown>>;
  complete(sessionId: string, force: boolean): Promise<Record<string, unknown>>;
}

export interface OpsDeps {
  engine: SessionEngine;
  root: string;
  acceptBy: AcceptBy;
  applier: SourceApplier;
  connectedSessions: () => Set<string>;
  bridgeUrl: () => string;
  agentsOnline?: () => number;
}

/** The work each phase owes, when nobody holds it. */
function owedKindFor(view: SessionView, acceptBy: AcceptBy): WorkKind | undefined {
  switch (view.phase) {
    case 'generating':
    case 'source_wrapped':
      return 'generate';
    case 'accept_pending':
      return acceptBy === 'agent' ? 'accept' : undefined;
    case 'discard_pending':
      return acceptBy === 'agent' ? 'discard' : undefined;
    case 'accepted_source_pending':
      return 'carbonize_cleanup';
    default:
      return undefined;
  }
}

/** Files holding the session's markers: the one the journal names, else a workspace scan. */
async function sessionFiles(
  root: string,
  view: SessionView | undefined,
  sessionId: string,
): Promise<string[]> {
  if (view?.context.file) return [view.context.file];
  const scans = await scanWorkspace(root);
  return scans
    .filter(
      (s) =>
        s.scan.blocks.some((b) => b.sessionId === sessionId) ||
        s.scan.carbonize.some((c) => c.sessionId === sessionId) ||
        s.scan.paramValues.some((p) => p.sessionId === sessionId),
    )
    .map((s) => s.file);
}

export function createBridgeOps(deps: OpsDeps): BridgeOps {
  const { engine, root, acceptBy, applier } = deps;

  const ops: BridgeOps = {
    async submitBrowserEvent(event) {
      const r = await engine.submitBrowserEvent(event);
      const eventId = (event as { eventId?: unknown }).eventId;
      return { eventId, ...r };
    },

    status(q) {
      return reportStatus(deps, q);
    },

    async resume(sessionId) {
      const targets = sessionId
        ? [engine.view(sessionId)].filter((v): v is SessionView => v !== undefined)
        : engine.activeSessions();
      if (sessionId && targets.length === 0) {
        throw new LiveVariantsError('session_not_found', `No active session ${sessionId}.`, 'sessionId');
      }
      const resumed: Record<string, unknown>[] = [];
      for (const view of targets) {
        let v = view;
        if (v.phase === 'stranded') {
          await engine.submit(v.sessionId, `resume:${v.lastSeq}`, { type: 'session.resume' });
          v = engine.view(v.sessionId) ?? v;
          resumed.push({ sessionId: v.sessionId, action: 'resumed', phase: v.phase });
        }
        const kind = owedKindFor(v, acceptBy);
        if (kind) {
          const itemId = await engine.requeue(v.sessionId, kind);
          if (itemId) resumed.push({ sessionId: v.sessionId, action: 'requeued', kind, itemId });
        }
        if (acceptBy === 'bridge' && (v.phase === 'accept_pending' || v.phase === 'discard_pending')) {
          applier.onChange(v.sessionId);
          resumed.push({ sessionId: v.sessionId, action: 'apply_source', phase: v.phase });
        }
      }
      return { resumed };
    },

    async complete(sessionId, force) {
      if (engine.isArchived(sessionId)) return { sessionId, phase: 'complete', alreadyComplete: true };
      const view = engine.view(sessionId);
      if (!view)
        throw new LiveVariantsError('session_not_found', `No active session ${sessionId}.`, 'sessionId');
      const branch = await branchHold(root, view);
      if (branch.holdCompletion && !force) {
        throw new LiveVariantsError(
          'branch_changed',
          branch.diagnostic?.message ??
            `The git branch cannot be read, so session ${sessionId}'s missing markers prove nothing; pass force to complete it anyway.`,
          'sessionId',
          branch.diagnostic ? { diagnostic: branch.diagnostic } : {},
        );
      }
      const findings: (Finding & { file: string })[] = [];
      for (const file of await sessionFiles(root, view, sessionId)) {
        let text: string;
        try {
          text = await readFile(join(root, file), 'utf8');
        } catch {
          continue; // a file that is gone holds no markers
        }
        for (const f of completionFindings(text, sessionId, { path: file })) findings.push({ ...f, file });
      }
      if (findings.length > 0 && !force) {
        throw new LiveVariantsError(
          'not_clean',
          `Session ${sessionId} still has ${findings.length} marker(s) in source; clean them up or pass force.`,
          'sessionId',
          { findings },
        );
      }
      let v = view;
      if (v.phase === 'stranded') {
        await engine.submit(sessionId, `resume:${v.lastSeq}`, { type: 'session.resume' });
        v = engine.view(sessionId) ?? v;
      }
      const event: SessionEvent = { type: 'cleanup.completed', synthetic: false };
      const r = await engine.submit(sessionId, `complete:${sessionId}:${v.lastSeq}`, event);
      if (!r.accepted) {
        throw new LiveVariantsError(
          'transition_rejected',
          `Session ${sessionId} is ${r.phase}; it cannot be completed now (${r.diagnostic?.message ?? 'rejected'}).`,
          'sessionId',
          { phase: r.phase },
        );
      }
      return {
        sessionId,
        phase: r.phase,
        seq: r.seq,
        duplicate: r.duplicate,
        findings,
        forced: force && findings.length > 0,
      };
    },
  };
  return ops;
}
