// Shared fixtures for the queue's unit tests: a fake clock, item builders and an error matcher.
import { expect } from 'vitest';
import { isLiveVariantsError } from '../../../src/core/errors';
import type { QueueDiagnostic, WorkItem, WorkKind, WorkQueueOptions } from '../../../src/core/queue';
import { WorkQueue } from '../../../src/core/queue';

export interface FakeClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function fakeClock(start = 1_000): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

export function item(id: string, kind: WorkKind = 'generate', arrival = 0, sessionId = 's1'): WorkItem {
  return { id, sessionId, kind, payload: { id }, arrival };
}

export function setup(options: Partial<WorkQueueOptions> = {}): {
  q: WorkQueue;
  clock: FakeClock;
  diagnostics: QueueDiagnostic[];
} {
  const clock = fakeClock();
  const diagnostics: QueueDiagnostic[] = [];
  const q = new WorkQueue({
    now: clock.now,
    defaultLeaseMs: 1_000,
    onDiagnostic: (d) => diagnostics.push(d),
    ...options,
  });
  return { q, clock, diagnostics };
}

/** Asserts that fn throws a LiveVariantsError with exactly this code and field. */
export function expectError(fn: () => unknown, code: string, field?: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(isLiveVariantsError(thrown), `expected a LiveVariantsError ${code}`).toBe(true);
  if (!isLiveVariantsError(thrown)) return;
  expect({ code: thrown.code, field: thrown.field }).toEqual({ code, field });
  expect(thrown.message.length).toBeGreaterThan(10);
}

/** Leases until empty and returns the delivered item ids in order. */
export function drain(q: WorkQueue, kinds?: WorkKind[]): string[] {
  const ids: string[] = [];
  for (let g = q.lease({ kinds }); g !== undefined; g = q.lease({ kinds })) ids.push(g.item.id);
  return ids;
}
