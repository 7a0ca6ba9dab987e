// Agent log streams: lines/s sustained from one agent to one subscriber through the ring buffer (sanitising
// every line, the subscriber serialising each as the NDJSON the bridge would stream), and the memory of 20
// agents × 1,000 buffered lines. Plus registry contacts/s, since every log request refreshes presence.
import { performance } from 'node:perf_hooks';
import { AgentLogs, AgentRegistry } from '../src/core/agents';
import type { BenchResult } from './types';

const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Typical agent output: plain lines, some coloured, some long. */
function sampleLines(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0)
      out.push(`\x1b[32m✔\x1b[0m wrote variant ${i % 3} of src/components/Hero.tsx (${i} bytes)`);
    else if (i % 25 === 0) out.push(`stack: ${'at frame (file.ts:1:2) '.repeat(20)}`);
    else out.push(`[agent] step ${i}: reading src/pages/index.astro and planning the next edit`);
  }
  return out;
}

/** Lines per second delivered to one subscriber, appending `batch` lines per call. */
function throughput(total: number, batch: number): number {
  const logs = new AgentLogs();
  const lines = sampleLines(1_000);
  let bytes = 0;
  logs.subscribe('agent-1', {}, (line) => {
    bytes += JSON.stringify(line).length + 1;
  });
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const chunk: string[] = [];
    for (let i = 0; i < batch; i++) chunk.push(lines[(sent + i) % lines.length]);
    logs.append('agent-1', chunk);
    sent += batch;
  }
  const secs = (performance.now() - start) / 1_000;
  if (bytes === 0) throw new Error('the subscriber received nothing');
  return sent / secs;
}

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

/** Heap held by 20 agents × 1,000 lines of `chars` characters each (distinct strings, as real logs are). */
function memoryFor(chars: number): number {
  const before = heapMb();
  const logs = new AgentLogs();
  for (let a = 0; a < 20; a++) {
    for (let i = 0; i < 1_000; i++) {
      const head = `agent ${a} line ${i} `;
      logs.append(`agent-${a}`, [head + 'x'.repeat(Math.max(0, chars - head.length))]);
    }
  }
  const after = heapMb();
  if (logs.read('agent-19').lines.length !== 1_000) throw new Error('buffer did not fill');
  return after - before;
}

function contactsPerSecond(n: number): number {
  const registry = new AgentRegistry({ timers: null });
  const start = performance.now();
  for (let i = 0; i < n; i++) registry.touch(`agent-${i % 20}`, { action: 'log', sessionId: 'a1b2c3d4' });
  return n / ((performance.now() - start) / 1_000);
}

export default async function run(): Promise<BenchResult[]> {
  throughput(100_000, 1); // warm-up
  const single: number[] = [];
  const batched: number[] = [];
  for (let r = 0; r < 5; r++) {
    single.push(throughput(200_000, 1));
    batched.push(throughput(200_000, 50));
  }
  const mem200 = memoryFor(200);
  const mem4000 = memoryFor(4_000);
  contactsPerSecond(50_000);
  const contacts = median([
    contactsPerSecond(200_000),
    contactsPerSecond(200_000),
    contactsPerSecond(200_000),
  ]);
  const s = median(single);
  const b = median(batched);
  return [
    {
      metric: 'log lines/s, 1 line per append → 1 subscriber',
      value: Math.round(s),
      unit: 'lines/s',
      target: '>= 50000',
      ok: s >= 50_000,
    },
    {
      metric: 'log lines/s, 50 lines per append → 1 subscriber',
      value: Math.round(b),
      unit: 'lines/s',
      target: '>= 50000',
      ok: b >= 50_000,
    },
    {
      metric: 'heap, 20 agents × 1,000 lines of 200 chars',
      value: mem200,
      unit: 'MB',
      target: '<= 16',
      ok: mem200 <= 16,
    },
    {
      metric: 'heap, 20 agents × 1,000 lines of 4,000 chars (the line cap)',
      value: mem4000,
      unit: 'MB',
      target: '<= 120',
      ok: mem4000 <= 120,
    },
    { metric: 'registry contacts/s (20 agents)', value: Math.round(contacts), unit: 'contacts/s' },
  ];
}
