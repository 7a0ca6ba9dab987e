// What the session card shows, from the session, the bridge's state and the page's block.
import { paramsFor } from './knobValues';
import { canDecide, canDiscard, type LocalSession, type Stage } from './sessionModel';
import type { ConnectionStatus, SessionState } from './types';
import type { BarView } from './ui/sessionBar';
import { knobsOf } from './variantsDom';

export interface BarViewInput {
  session: LocalSession;
  server: SessionState | null | undefined;
  stage: Stage;
  connection: ConnectionStatus;
  /** Events of this session not yet acknowledged. */
  queued: number;
  /** Numbered variants in the page. */
  variants: string[];
  /** The visible variant's element, when in the page. */
  visibleEl: HTMLElement | undefined;
  message: string | null;
}

export function barViewOf(i: BarViewInput): BarView {
  const knobs = i.visibleEl ? knobsOf(i.visibleEl) : [];
  return {
    stage: i.stage,
    phase: i.server?.phase ?? null,
    connection: i.connection,
    queued: i.queued,
    variants: i.variants,
    visible: i.session.visible,
    requested: i.session.count,
    canDecide: canDecide(i.server, i.variants.length),
    canDiscard: canDiscard(i.server),
    knobs,
    params: i.visibleEl ? paramsFor(knobs, i.session.params) : i.session.params,
    decision: i.session.decision,
    message: i.message,
  };
}
