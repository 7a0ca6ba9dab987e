// Builders for status tests: journal-style records replayed through the real fold, owed work from a real
// work queue, and source files scanned with the real scanner from fixture or inline marker text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type FoldRecord, replayRecords } from '../../../src/core/engine/fold';
import { ACK_RECORD } from '../../../src/core/engine/records';
import { type SessionView, viewOf } from '../../../src/core/engine/view';
import { scanText } from '../../../src/core/markers/scan';
import { type OwedItem, type WorkKind, WorkQueue } from '../../../src/core/queue';
import type { NextAction, StatusFile, StatusInputs } from '../../../src/core/status';

export const NOW = new Date('2025-03-01T12:00:00.000Z');
/** The queue clock (monotonic ms) at NOW. */
export const QUEUE_NOW = 50_000;
/** When a lease taken at QUEUE_NOW (60 s) runs out. */
export const LEASE_UNTIL = '2025-03-01T12:01:00.000Z';

export function fixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/markers', name), 'utf8');
}

/** A session journal written one record at a time, a minute apart from `start`. */
export class Journal {
  readonly records: FoldRecord[] = [];

  constructor(
    readonly sessionId: string,
    private readonly start = Date.parse('2025-03-01T10:00:00.000Z'),
  ) {}

  get lastAt(): string {
    return this.records[this.records.length - 1].at;
  }

  /** Item id of the work the record at `seq` owes. */
  item(seq: number): string {
    return `${this.sessionId}-${seq}`;
  }

  event(type: string, data: Record<string, unknown>, enqueue?: WorkKind): this {
    const seq = this.records.length + 1;
    this.records.push({
      seq,
      eventId: `e${seq}`,
      type,
      at: new Date(this.start + seq * 60_000).toISOString(),
      data: enqueue === undefined ? data : { ...data, enqueue: { kind: enqueue } },
    });
    return this;
  }

  generate(count = 3, extra: Record<string, unknown> = {}): this {
    const element = { tag: 'section', classes: ['hero'] };
    return this.event(
      'browser.generate',
      { mode: 'replace', count, prompt: 'bolder', element, ...extra },
      'generate',
    );
  }

  /** An agent's ack of the item owed by record `seq`, carrying the machine event it caused. */
  ack(seq: number, kind: WorkKind, result: Record<string, unknown>): this {
    const { type, ...data } = result;
    return this.event(ACK_RECORD, {
      itemId: this.item(seq),
      kind,
      leaseId: `${this.item(seq)}@test.1`,
      result,
      event: { type: `agent.${String(type)}`, data },
    });
  }

  checkpoint(revision: number, variant: string, params: Record<string, unknown> = {}): this {
    return this.event('browser.checkpoint', { owner: 'tab-1', revision, variant, params });
  }

  /** The replayed view; `diagnostics` lists the fold diagnostic codes the test means to cause. */
  view(diagnostics: string[] = []): SessionView {
    const fold = replayRecords(this.sessionId, this.records);
    // Every other record must be one the machine accepts, or the test is not about what it says.
    expect(fold.diagnostics.map((d) => d.code)).toEqual(diagnostics);
    return viewOf(fold, 1000 * this.records.length);
  }
}

/** A real work queue holding `views`' owed work; `lease` leases items (most urgent first) to agents. */
export function queueOf(
  views: readonly SessionView[],
  leases: { agentId: string; kinds?: WorkKind[] }[] = [],
) {
  const q = new WorkQueue({ now: () => QUEUE_NOW, defaultLeaseMs: 60_000, epoch: 'test' });
  for (const v of views) for (const item of v.pending) q.enqueue(item);
  for (const l of leases) q.lease({ agentId: l.agentId, kinds: l.kinds });
  return q.owed();
}

export function file(path: string, text: string, generated = false): StatusFile {
  return { path, text, scan: scanText(text, { path, generated }), generated };
}

export function inputs(over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    now: NOW,
    sessions: [],
    includeCompleted: false,
    owed: [] as OwedItem[],
    files: [],
    browserConnected: () => false,
    agentsOnline: 1,
    bridge: { running: true, url: 'http://127.0.0.1:4317' },
    queueClockNow: QUEUE_NOW,
    ...over,
  };
}

/** `text` with the lines from `from` to `to` (1-based, inclusive) removed. */
export function dropLines(text: string, from: number, to: number): string {
  const lines = text.split('\n');
  lines.splice(from - 1, to - from + 1);
  return lines.join('\n');
}

/** A NextAction with every field at its empty value, so each test states exactly what it expects. */
export function action(over: Partial<NextAction>): NextAction {
  return {
    action: 'no_active_session',
    reason: '',
    sessionId: null,
    phase: null,
    file: null,
    variant: null,
    paramValues: null,
    lease: null,
    branch: null,
    diagnostics: [],
    ...over,
  };
}
