// Follows one agent's log over the bridge's NDJSON route (`GET /v1/agents/:id/log?follow=1`) while the Live
// Sessions view shows that agent. Lines are handed on in batches (one message to the webview per batch, not
// per line); a dropped connection is retried with `fromSeq` = last seen + 1, so nothing is repeated. A
// bridge that restarted meanwhile (its `startedAt` changed) numbers its lines from 1 again: then the whole
// new buffer is asked for, after a mark saying so. Plain Node: no vscode import.
import type { LogEntry, LogStreamState } from '../../webview-ui/protocol';
import { parseLogRecord } from './agentsWire';
import type { BridgeEndpoint } from './backend';
import { NdjsonSplitter } from './ndjson';

export interface LogFollowerOptions {
  endpoint: BridgeEndpoint;
  agentId: string;
  /** Resume after this line (a view that already holds lines up to `fromSeq - 1`); omitted: the whole buffer. */
  fromSeq?: number;
  /** The `startedAt` of the bridge `fromSeq` counts in; another one means it restarted. */
  bridgeStartedAt?: string;
  onEntries(entries: LogEntry[]): void;
  onState(state: LogStreamState, message: string | null): void;
  fetchImpl?: typeof fetch;
  /** How long lines gather before a batch goes out. */
  batchMs?: number;
  /** First retry delay; doubles up to 8× while the bridge stays away. */
  retryMs?: number;
}

/** A batch goes out at once when it reaches this many lines (a burst of history). */
const BATCH_LINES = 2000;

export class LogFollower {
  private readonly abort = new AbortController();
  private lastSeq: number | undefined;
  private started: string | undefined;
  private pending: LogEntry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: LogFollowerOptions) {
    if (o.fromSeq !== undefined) this.lastSeq = o.fromSeq - 1;
    this.started = o.bridgeStartedAt;
    void this.run();
  }

  /** The bridge's start time as last seen (with `lastSeq`, where a later follower resumes). */
  get bridgeStartedAt(): string | undefined {
    return this.started;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = [];
  }

  private async run(): Promise<void> {
    let delay = this.o.retryMs ?? 1000;
    const maxDelay = delay * 8;
    this.o.onState('connecting', null);
    while (!this.closed) {
      let failure: string | null = 'the stream ended';
      try {
        if (await this.streamOnce()) delay = this.o.retryMs ?? 1000;
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
      if (this.closed) return;
      this.flush();
      this.o.onState('retrying', failure);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(maxDelay, delay * 2);
    }
  }

  /** One connection; true when it delivered anything (so the next retry starts fast again). */
  private async streamOnce(): Promise<boolean> {
    const { endpoint, agentId } = this.o;
    const started = await this.bridgeStart();
    if (
      started !== undefined &&
      this.started !== undefined &&
      started !== this.started &&
      this.lastSeq !== undefined
    ) {
      this.lastSeq = undefined;
      this.pending.push({ seq: 0, at: '', text: 'The bridge restarted; its log starts again.', gap: true });
    }
    this.started = started ?? this.started;
    const url = new URL(`${endpoint.url}/v1/agents/${encodeURIComponent(agentId)}/log`);
    url.searchParams.set('follow', '1');
    if (this.lastSeq !== undefined) url.searchParams.set('fromSeq', String(this.lastSeq + 1));
    const res = await (this.o.fetchImpl ?? fetch)(url.toString(), {
      headers: { authorization: `Bearer ${endpoint.token}`, accept: 'application/x-ndjson' },
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`the bridge answered HTTP ${res.status}`);
    }
    this.o.onState('live', null);
    const splitter = new NdjsonSplitter();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let delivered = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done || this.closed) break;
      for (const raw of splitter.push(decoder.decode(value, { stream: true }))) {
        const entry = parseLogRecord(raw);
        if (!entry) continue;
        this.lastSeq = entry.seq;
        this.pending.push(entry);
        delivered = true;
      }
      this.schedule();
    }
    return delivered;
  }

  /** `GET /v1/health`'s startedAt; undefined when it cannot tell (the stream request then reports why). */
  private async bridgeStart(): Promise<string | undefined> {
    try {
      const res = await (this.o.fetchImpl ?? fetch)(`${this.o.endpoint.url}/v1/health`, {
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(5000)]),
      });
      const body: unknown = await res.json();
      const at = (body as { startedAt?: unknown } | null)?.startedAt;
      return typeof at === 'string' ? at : undefined;
    } catch {
      return undefined;
    }
  }

  private schedule(): void {
    if (this.pending.length >= BATCH_LINES) {
      this.flush();
      return;
    }
    if (this.pending.length > 0) this.flushTimer ??= setTimeout(() => this.flush(), this.o.batchMs ?? 40);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.closed || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.o.onEntries(batch);
  }
}
