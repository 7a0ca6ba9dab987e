// What `window.__liveVariants.state()` returns: the client's state as plain JSON, so tests (and people in the
// console) can read it without scraping the UI. Metrics are page-clock timestamps for the benchmarks.
import type { AgentsSnapshot } from './agentsPanel';
import type { LocalSession, Stage } from './sessionModel';
import type { ConnectionStatus, OutgoingEvent, SessionState } from './types';

export interface ClientSnapshot {
  sessionId: string | null;
  stage: Stage | null;
  phase: string | null;
  connection: ConnectionStatus;
  owner: string;
  revision: number;
  visibleVariant: string | null;
  params: Record<string, unknown>;
  variantsInPage: string[];
  canDecide: boolean;
  decision: LocalSession['decision'];
  /** Events not yet acknowledged as durable: `type:eventId`. */
  queued: string[];
  picking: boolean;
  asking: boolean;
  picked: string | null;
  message: string | null;
  artifact: string | null;
  server: SessionState | null;
  /** Pending questions, agents' presence, the "no agent online" notice, this page's answers. */
  agents: AgentsSnapshot;
}

export interface SnapshotInput {
  session: LocalSession | null;
  server: SessionState | null | undefined;
  stage: Stage | null;
  connection: ConnectionStatus;
  owner: string;
  revision: number;
  variantsInPage: string[];
  canDecide: boolean;
  queued: readonly OutgoingEvent[];
  picking: boolean;
  asking: boolean;
  picked: string | null;
  message: string | null;
  artifact: string | null;
  agents: AgentsSnapshot;
}

export function snapshotOf(i: SnapshotInput): ClientSnapshot {
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  return {
    sessionId: i.session?.sessionId ?? null,
    stage: i.stage,
    phase: i.server?.phase ?? null,
    connection: i.connection,
    owner: i.owner,
    revision: i.revision,
    visibleVariant: i.session?.visible ?? null,
    params: copy(i.session?.params ?? {}),
    variantsInPage: [...i.variantsInPage],
    canDecide: i.canDecide,
    decision: copy(i.session?.decision ?? null),
    queued: i.queued.map((e) => `${e.type}:${e.eventId}`),
    picking: i.picking,
    asking: i.asking,
    picked: i.picked,
    message: i.message,
    artifact: i.artifact,
    server: i.server ? copy(i.server) : null,
    agents: copy(i.agents),
  };
}

/** Wall-clock timestamps (ms since the epoch, sub-millisecond) of the last session's milestones. */
export class Metrics {
  private marks: Record<string, number> = {};

  static now(): number {
    return performance.timeOrigin + performance.now();
  }

  mark(name: string): void {
    this.marks[name] = Metrics.now();
  }

  markOnce(name: string): void {
    this.marks[name] ??= Metrics.now();
  }

  reset(): void {
    this.marks = {};
  }

  snapshot(): Record<string, number | null> {
    return { ...this.marks };
  }
}
