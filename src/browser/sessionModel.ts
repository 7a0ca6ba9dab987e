// The page's view of its live session: what it keeps locally (so a reload or a dropped socket loses nothing)
// and how it yields to the bridge. The bridge's state is the truth; the page's own unacknowledged actions
// (a queued checkpoint, an accept not yet durable) are the only things that win over it, because they are
// on their way to the bridge.
import type { KeyValueStore } from './outbox';
import { CHOOSING_PHASES, DECIDED_PHASES, type ElementInfo, type Params, type SessionState } from './types';

export type Decision =
  | { type: 'accept'; variant: string; params: Params; eventId: string; acked: boolean }
  | { type: 'discard'; eventId: string; acked: boolean };

export interface LocalSession {
  sessionId: string;
  mode: 'replace' | 'insert';
  position: 'before' | 'after' | null;
  count: number;
  /** The picked element as sent with the generate (finds the spot to mount variants without hot reload). */
  element: ElementInfo | null;
  /** The numbered variant on screen, null before the first one is shown. */
  visible: string | null;
  /** Knob values of the visible variant. */
  params: Params;
  decision: Decision | null;
}

/** What the UI shows for a session. */
export type Stage =
  | 'sending' // the generate is not durable yet
  | 'generating' // waiting for an agent to write variants
  | 'cycling' // variants on the page; the user chooses
  | 'saving' // accept/discard clicked, not yet acked as durable
  | 'applying' // decision durable; the source is being rewritten
  | 'done' // source rewritten (complete, or accepted with cleanup owed)
  | 'failed' // the agent reported an error
  | 'stranded' // the bridge holds the session as interrupted
  | 'gone'; // the bridge does not know the session

export const SESSION_KEY = 'live-variants:session';

const SESSION_ID = /^[0-9a-f]{8}$/;

function isParams(x: unknown): x is Params {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  return Object.values(x).every(
    (v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean',
  );
}

/** Reads the stored session; anything malformed counts as none (storage is a convenience, not a source). */
export function readStoredSession(store: KeyValueStore | null): LocalSession | null {
  if (!store) return null;
  try {
    const raw = store.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<LocalSession>;
    if (typeof s.sessionId !== 'string' || !SESSION_ID.test(s.sessionId)) return null;
    const decision = s.decision as Decision | null | undefined;
    const validDecision =
      decision &&
      typeof decision.eventId === 'string' &&
      ((decision.type === 'accept' && typeof decision.variant === 'string' && isParams(decision.params)) ||
        decision.type === 'discard')
        ? decision
        : null;
    return {
      sessionId: s.sessionId,
      mode: s.mode === 'insert' ? 'insert' : 'replace',
      position: s.position === 'before' || s.position === 'after' ? s.position : null,
      count: typeof s.count === 'number' && s.count >= 1 && s.count <= 8 ? s.count : 3,
      element: typeof s.element === 'object' && s.element !== null ? (s.element as ElementInfo) : null,
      visible: typeof s.visible === 'string' ? s.visible : null,
      params: isParams(s.params) ? s.params : {},
      decision: validDecision,
    };
  } catch {
    return null;
  }
}

export function writeStoredSession(store: KeyValueStore | null, session: LocalSession | null): void {
  if (!store) return;
  if (session === null) store.removeItem(SESSION_KEY);
  else store.setItem(SESSION_KEY, JSON.stringify(session));
}

export function isDecided(phase: string | undefined): boolean {
  return phase !== undefined && DECIDED_PHASES.includes(phase);
}

export function isChoosing(phase: string | undefined): boolean {
  return phase !== undefined && CHOOSING_PHASES.includes(phase);
}

/**
 * Folds the bridge's state into the local session. The visible variant and knob values follow the bridge
 * unless this page has a checkpoint on its way (`localAhead`); a decision the bridge holds (made here, in
 * another tab or from the CLI) replaces any local one.
 */
export function adoptServerState(
  local: LocalSession,
  server: SessionState,
  opts: { localAhead: boolean },
): LocalSession {
  const next: LocalSession = { ...local };
  if (server.mode === 'replace' || server.mode === 'insert') next.mode = server.mode;
  if (typeof server.count === 'number') next.count = server.count;
  if (server.visibleVariant !== null && !opts.localAhead) {
    next.visible = server.visibleVariant;
    next.params = { ...(server.params as Params) };
  }
  if (isDecided(server.phase) || (server.phase === 'complete' && server.outcome !== null)) {
    // The local decision keeps its eventId only when it is the one the bridge holds (its ack may still come).
    const mine = local.decision;
    if (server.acceptedVariant !== null) {
      const same = mine?.type === 'accept' && mine.variant === server.acceptedVariant;
      next.decision = {
        type: 'accept',
        variant: server.acceptedVariant,
        params: { ...((server.acceptedParams ?? {}) as Params) },
        eventId: same ? mine.eventId : 'server',
        acked: true,
      };
    } else if (server.phase === 'discard_pending' || server.outcome === 'discarded') {
      next.decision = {
        type: 'discard',
        eventId: mine?.type === 'discard' ? mine.eventId : 'server',
        acked: true,
      };
    }
  }
  return next;
}

export interface StageInput {
  local: LocalSession;
  server: SessionState | null | undefined;
  /** The generate for this session is still queued (not acked). */
  generateQueued: boolean;
  /** Numbered variants of this session present in the page. */
  variantsInPage: number;
}

export function stageOf(input: StageInput): Stage {
  const { local, server, generateQueued, variantsInPage } = input;
  if (local.decision && !local.decision.acked) return 'saving';
  if (server === undefined || server === null) {
    if (generateQueued) return 'sending';
    return server === null ? 'gone' : 'generating';
  }
  const phase = server.phase;
  if (phase === 'complete' || phase === 'accepted_source_pending') return 'done';
  if (isDecided(phase) || local.decision) return 'applying';
  if (phase === 'failed') return 'failed';
  if (phase === 'stranded') return variantsInPage > 0 ? 'cycling' : 'stranded';
  return variantsInPage > 0 ? 'cycling' : 'generating';
}

/** Whether Accept/Discard can be taken now: the machine takes them once the variants are reported. */
export function canDecide(server: SessionState | null | undefined, variantsInPage: number): boolean {
  return server !== null && server !== undefined && isChoosing(server.phase) && variantsInPage > 0;
}

/** Discard is possible before variants exist too (it restores whatever was wrapped). */
export function canDiscard(server: SessionState | null | undefined): boolean {
  if (!server) return false;
  return ['generating', 'source_wrapped', 'variants_written', 'cycling', 'failed', 'stranded'].includes(
    server.phase,
  );
}
