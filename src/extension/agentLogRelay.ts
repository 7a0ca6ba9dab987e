// Streams the log of the agent the Live Sessions view shows, and only while the view is visible: one
// NDJSON connection at a time, closed when the view picks another agent, is hidden, or the bridge changes.
// After a pause it resumes after the last line it passed on, so a view that kept its lines gets no repeats.
import type { LogEntry, LogStreamState } from '../../webview-ui/protocol';
import type { BridgeEndpoint } from './backend';
import { LogFollower, type LogFollowerOptions } from './logFollower';

export interface LogRelayDeps {
  endpoint(): BridgeEndpoint | undefined;
  post(
    message:
      | { type: 'log'; stream: number; entries: LogEntry[] }
      | { type: 'logState'; stream: number; state: LogStreamState; message: string | null },
  ): void;
  /** Tests pass a fake fetch. */
  follower?: (o: LogFollowerOptions) => { close(): void; readonly bridgeStartedAt: string | undefined };
}

export class AgentLogRelay {
  private wanted:
    | { agentId: string; stream: number; lastSeq: number | undefined; startedAt: string | undefined }
    | undefined;
  private running: { close(): void; endpoint: BridgeEndpoint } | undefined;
  private visible = true;

  constructor(private readonly deps: LogRelayDeps) {}

  /** The view shows `agentId` (null: none) under request number `stream`. */
  follow(agentId: string | null, stream: number): void {
    this.stop();
    this.wanted = agentId ? { agentId, stream, lastSeq: undefined, startedAt: undefined } : undefined;
    if (!agentId) this.deps.post({ type: 'logState', stream, state: 'stopped', message: null });
    this.start();
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) this.start();
    else this.stop();
  }

  /** The bridge may have changed (restart, new port or token): reconnect to the current one. */
  endpointChanged(): void {
    const now = this.deps.endpoint();
    if (this.running && now?.url === this.running.endpoint.url && now.token === this.running.endpoint.token)
      return;
    this.stop();
    this.start();
  }

  private start(): void {
    const want = this.wanted;
    const endpoint = this.deps.endpoint();
    if (!want || !this.visible || this.running) return;
    if (!endpoint) {
      this.deps.post({
        type: 'logState',
        stream: want.stream,
        state: 'stopped',
        message: 'the bridge is not running',
      });
      return;
    }
    const make = this.deps.follower ?? ((o: LogFollowerOptions) => new LogFollower(o));
    // Registered before the follower exists: it reports its first state from its constructor.
    const running = { close: () => {}, endpoint };
    this.running = running;
    const current = () => this.wanted === want && this.running === running;
    const follower = make({
      endpoint,
      agentId: want.agentId,
      fromSeq: want.lastSeq === undefined ? undefined : want.lastSeq + 1,
      bridgeStartedAt: want.startedAt,
      onEntries: (entries) => {
        if (!current()) return;
        want.lastSeq = entries[entries.length - 1]?.seq ?? want.lastSeq;
        want.startedAt = follower.bridgeStartedAt;
        this.deps.post({ type: 'log', stream: want.stream, entries });
      },
      onState: (state, message) => {
        if (current()) this.deps.post({ type: 'logState', stream: want.stream, state, message });
      },
    });
    running.close = () => follower.close();
  }

  private stop(): void {
    this.running?.close();
    this.running = undefined;
  }

  dispose(): void {
    this.stop();
    this.wanted = undefined;
  }
}
