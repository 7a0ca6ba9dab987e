// Another process holds the journal lock (a second VS Code window on this folder, or `live-variants serve`):
// this window never writes the journal. It reads (status over HTTP, the timeline from the journal files,
// read-only) and forwards the user's decisions to that bridge, whose owner applies them.
import type { BridgeDiscovery } from '../bridge/discovery';
import { BridgeClient } from '../cli/client';
import { isLiveVariantsError } from '../core/errors';
import { readSessionJournal } from '../core/journal';
import type { StatusReport } from '../core/status';
import type {
  AcceptRequest,
  ActionOutcome,
  BridgeEndpoint,
  LiveBackend,
  SessionRequest,
  TimelinePage,
} from './backend';

export class Follower implements LiveBackend {
  readonly role = 'follower';
  readonly appliedBy = 'remote';
  private readonly client: BridgeClient;

  constructor(readonly discovery: BridgeDiscovery) {
    this.client = new BridgeClient({
      url: `http://127.0.0.1:${discovery.port}`,
      token: discovery.token,
      source: 'discovery',
      pid: discovery.pid,
    });
  }

  get journalDir(): string {
    return this.discovery.journalDir;
  }

  get bridge(): BridgeEndpoint {
    return { url: this.client.url, token: this.discovery.token };
  }

  /** True when the bridge answers its health route. */
  async healthy(): Promise<boolean> {
    try {
      const h = await this.client.get('/v1/health', { timeoutMs: 2000 });
      return h.ok === true;
    } catch {
      return false;
    }
  }

  async status(): Promise<StatusReport> {
    return this.client.get<StatusReport>('/v1/status');
  }

  isArchived(): undefined {
    return undefined;
  }

  async timeline(sessionId: string, start: number, count: number): Promise<TimelinePage> {
    try {
      const { records } = await readSessionJournal(this.journalDir, sessionId);
      return { sessionId, total: records.length, start, records: records.slice(start, start + count) };
    } catch {
      return { sessionId, total: 0, start, records: [] };
    }
  }

  /** Posts a decision; a session known only from markers is adopted by the owner's status first. */
  private async forward(path: string, body: Record<string, unknown>): Promise<ActionOutcome> {
    const sessionId = String(body.sessionId);
    const post = () => this.client.post<{ phase?: unknown }>(path, body);
    let ack: { phase?: unknown };
    try {
      ack = await post();
    } catch (e) {
      if (!isLiveVariantsError(e) || e.code !== 'session_not_found') throw e;
      await this.status();
      ack = await post();
    }
    return { kind: 'queued', sessionId, phase: typeof ack.phase === 'string' ? ack.phase : 'unknown' };
  }

  accept(req: AcceptRequest): Promise<ActionOutcome> {
    return this.forward('/v1/accept', { sessionId: req.sessionId, variant: req.variant });
  }

  discard(req: SessionRequest): Promise<ActionOutcome> {
    return this.forward('/v1/discard', { sessionId: req.sessionId });
  }

  complete(sessionId: string, force: boolean): Promise<Record<string, unknown>> {
    return this.client.post('/v1/complete', { sessionId, force });
  }

  resume(sessionId?: string): Promise<Record<string, unknown>> {
    return this.client.post('/v1/resume', sessionId ? { sessionId } : {});
  }

  /** The owner watches the files itself. */
  async observe(): Promise<void> {}

  async reconcile(): Promise<void> {}

  async close(): Promise<void> {}
}
