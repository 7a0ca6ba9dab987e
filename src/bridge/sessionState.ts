// The session state a browser sees (state pushes, `GET /v1/state`): the machine's view without journal internals.

import type { SessionView } from '../core/engine';

export interface SessionState {
  sessionId: string;
  phase: string;
  file: string | null;
  mode: string | null;
  count: number | null;
  generation: number;
  variantsSeen: number;
  visibleVariant: string | null;
  params: Record<string, unknown>;
  acceptedVariant: string | null;
  acceptedParams: Record<string, unknown> | null;
  outcome: string | null;
  lastSeq: number;
  checkpoints: { owner: string; revision: number }[];
  /** Work owed to agents for this session, by kind. */
  owed: string[];
}

export function sessionStateOf(view: SessionView): SessionState {
  const c = view.context;
  return {
    sessionId: view.sessionId,
    phase: view.phase,
    file: c.file,
    mode: c.mode,
    count: c.count,
    generation: c.generation,
    variantsSeen: c.variantsSeen,
    visibleVariant: c.visibleVariant,
    params: { ...c.params },
    acceptedVariant: c.acceptedVariant,
    acceptedParams: c.acceptedParams ? { ...c.acceptedParams } : null,
    outcome: c.outcome,
    lastSeq: view.lastSeq,
    checkpoints: c.checkpoints.map((x) => ({ owner: x.owner, revision: x.revision })),
    owed: view.pending.map((w) => w.kind),
  };
}

/** What a completed (archived) session looks like to a page that still holds it. */
export function completedState(sessionId: string): SessionState {
  return {
    sessionId,
    phase: 'complete',
    file: null,
    mode: null,
    count: null,
    generation: 0,
    variantsSeen: 0,
    visibleVariant: null,
    params: {},
    acceptedVariant: null,
    acceptedParams: null,
    outcome: null,
    lastSeq: 0,
    checkpoints: [],
    owed: [],
  };
}
