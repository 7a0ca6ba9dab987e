// Keeps the window's picture of the agents and their pending questions, by polling the bridge's agent routes
// while one runs: questions every second (they become notifications, so they must be heard of promptly even
// with the view closed), the agent list only while the Live Sessions view shows it. Requests never overlap;
// listeners hear of a change only when something they show changed (not every tick). No vscode import.

import type { FetchLike } from '../cli/client';
import type { AgentView, QuestionView } from '../core/agents';
import { AgentsApi } from './agentsApi';
import type { BridgeEndpoint } from './backend';
import { errorText } from './log';

export interface AgentsSnapshot {
  /** `live`: the last read succeeded; `no_bridge`: none runs; `error`: the last read failed (`message`). */
  source: 'live' | 'no_bridge' | 'error';
  message: string | null;
  agents: AgentView[];
  /** Pending questions, in the order asked. */
  questions: QuestionView[];
}

export interface AgentsMonitorOptions {
  intervalMs?: number;
  fetchImpl?: FetchLike;
}

type Listener<T> = (value: T) => void;

function subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): { dispose(): void } {
  set.add(listener);
  return { dispose: () => set.delete(listener) };
}

const EMPTY: AgentsSnapshot = { source: 'no_bridge', message: null, agents: [], questions: [] };

function sameEndpoint(a: BridgeEndpoint | undefined, b: BridgeEndpoint | undefined): boolean {
  return a?.url === b?.url && a?.token === b?.token;
}

/** What listeners are shown, without the fields that change with the clock alone. */
function shownKey(s: AgentsSnapshot): string {
  return JSON.stringify([s.source, s.message, s.agents.map(({ quietMs: _, ...rest }) => rest), s.questions]);
}

export class AgentsMonitor {
  private current: AgentsApi | undefined;
  private snap: AgentsSnapshot = EMPTY;
  private key = shownKey(EMPTY);
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private agentsWanted = false;
  private disposed = false;
  private readonly changeListeners = new Set<Listener<AgentsSnapshot>>();
  private readonly questionListeners = new Set<Listener<QuestionView[]>>();

  constructor(private readonly o: AgentsMonitorOptions = {}) {}

  /** The snapshot changed (ignoring time passing: `quietMs` does not count). */
  onChange(listener: Listener<AgentsSnapshot>): { dispose(): void } {
    return subscribe(this.changeListeners, listener);
  }

  /** Every successful read of the pending questions, changed or not. */
  onQuestions(listener: Listener<QuestionView[]>): { dispose(): void } {
    return subscribe(this.questionListeners, listener);
  }

  get snapshot(): AgentsSnapshot {
    return this.snap;
  }

  /** The bridge in use now (undefined: none); undefined while no bridge runs. */
  get api(): AgentsApi | undefined {
    return this.current;
  }

  /** The bridge this window runs or follows changed (or went away). */
  setEndpoint(endpoint: BridgeEndpoint | undefined): void {
    if (this.disposed || sameEndpoint(this.current?.endpoint, endpoint)) return;
    this.current = endpoint ? new AgentsApi(endpoint, this.o.fetchImpl) : undefined;
    if (!endpoint) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.set(EMPTY);
      return;
    }
    this.pollNow();
  }

  /** The agent list is read only while someone shows it. */
  setAgentsWanted(wanted: boolean): void {
    if (wanted === this.agentsWanted) return;
    this.agentsWanted = wanted;
    if (wanted) this.pollNow();
  }

  /** Reads now (after an answer or an interrupt) instead of at the next tick. */
  pollNow(): void {
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.tick();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.current && !this.disposed ? setTimeout(() => void this.tick(), ms) : undefined;
  }

  private async tick(): Promise<void> {
    const api = this.current;
    if (!api || this.disposed) return;
    this.ticking = true;
    try {
      const [questions, agents] = await Promise.all([
        api.questions(),
        this.agentsWanted ? api.agents() : Promise.resolve(undefined),
      ]);
      if (api !== this.current || this.disposed) return;
      this.set({ source: 'live', message: null, agents: agents ?? this.snap.agents, questions });
      for (const l of this.questionListeners) l(questions);
    } catch (e) {
      if (api === this.current && !this.disposed)
        this.set({ ...this.snap, source: 'error', message: errorText(e) });
    } finally {
      this.ticking = false;
      const soon = this.again;
      this.again = false;
      this.schedule(soon ? 0 : (this.o.intervalMs ?? 1000));
    }
  }

  private set(next: AgentsSnapshot): void {
    this.snap = next;
    const key = shownKey(next);
    if (key === this.key) return;
    this.key = key;
    for (const l of this.changeListeners) l(next);
  }

  dispose(): void {
    this.disposed = true;
    this.changeListeners.clear();
    this.questionListeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
