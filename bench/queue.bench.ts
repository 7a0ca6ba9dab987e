// Work queue: lease+ack throughput must not depend on how many items were acked before (acked items leave
// the hot structures), and enqueue→lease latency stays in microseconds.
import { performance } from 'node:perf_hooks';
import { type WorkItem, type WorkKind, WorkQueue } from '../src/core/queue';
import { type BenchResult, percentile } from './types';

const KINDS: WorkKind[] = ['generate', 'accept', 'answer', 'carbonize_cleanup'];
let nextId = 0;

function item(kind: WorkKind): WorkItem {
  const n = nextId++;
  return { id: `item-${n}`, sessionId: `s${n % 4_096}`, kind, payload: { n }, arrival: n };
}

/** A queue holding `pending` deliverable items after `acked` earlier items went through lease+ack. */
function prepare(acked: number, pending: number): WorkQueue {
  const q = new WorkQueue({ now: () => performance.now(), epoch: 'bench' });
  for (let i = 0; i < acked; i++) {
    q.enqueue(item(KINDS[i % KINDS.length]));
    const g = q.lease({ agentId: 'agent' })!;
    q.ack(g.lease.leaseId, { ok: true, variants: 3 });
  }
  for (let i = 0; i < pending; i++) q.enqueue(item(KINDS[i % KINDS.length]));
  return q;
}

/** Steady state: lease the best item, ack it, enqueue a replacement so `pending` stays constant. */
function leaseAckPerSecond(q: WorkQueue, cycles: number): number {
  const start = performance.now();
  for (let i = 0; i < cycles; i++) {
    const g = q.lease({ agentId: 'agent' })!;
    q.ack(g.lease.leaseId, { ok: true, variants: 3 });
    q.enqueue(item(g.item.kind));
  }
  return cycles / ((performance.now() - start) / 1_000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ops/s per case; the cases alternate round by round so machine noise hits them alike. */
function throughputs(cases: { acked: number; pending: number }[], rounds = 7): number[] {
  const runs: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const q = prepare(c.acked, c.pending);
      leaseAckPerSecond(q, 5_000); // warm-up
      globalThis.gc?.();
      runs[i].push(leaseAckPerSecond(q, 20_000));
    });
  }
  return runs.map(median);
}

function enqueueToLeaseMicros(q: WorkQueue, samples: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const it = item('accept');
    const t0 = performance.now();
    q.enqueue(it);
    const g = q.lease({ kinds: ['accept', 'discard'] })!;
    out.push((performance.now() - t0) * 1_000);
    q.ack(g.lease.leaseId, {});
  }
  return out.sort((a, b) => a - b);
}

export default async (): Promise<BenchResult[]> => {
  throughputs([{ acked: 10_000, pending: 4 }], 1); // JIT warm-up, so no measured case pays for it
  const [small, big, deep] = throughputs([
    { acked: 0, pending: 4 },
    { acked: 50_000, pending: 4 },
    { acked: 0, pending: 50_000 },
  ]);
  const q = prepare(50_000, 4);
  enqueueToLeaseMicros(q, 2_000);
  const lat = enqueueToLeaseMicros(q, 20_000);
  const ratio = big / small;
  return [
    { metric: 'lease+ack, 4 pending', value: Math.round(small), unit: 'ops/s' },
    { metric: 'lease+ack, 50,000 acked + 4 pending', value: Math.round(big), unit: 'ops/s' },
    {
      metric: 'throughput ratio (50k acked / none)',
      value: ratio,
      unit: 'x',
      target: '>= 0.5',
      ok: ratio >= 0.5,
    },
    { metric: 'lease+ack, 50,000 pending', value: Math.round(deep), unit: 'ops/s' },
    { metric: 'enqueue→lease p50 (50k acked)', value: percentile(lat, 50), unit: 'µs' },
    {
      metric: 'enqueue→lease p99 (50k acked)',
      value: percentile(lat, 99),
      unit: 'µs',
      target: '<= 1000',
      ok: percentile(lat, 99) <= 1_000,
    },
  ];
};
