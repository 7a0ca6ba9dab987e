import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/core/queue';
import { drain, expectError, fakeClock, item } from './helpers';

describe('work queue: restore after a restart', () => {
  it('makes every unacked item deliverable at once, in priority order, keeping attempts', () => {
    const clock = fakeClock();
    const q = WorkQueue.restore(
      { now: clock.now, epoch: 'r1' },
      {
        pending: [
          { item: item('g', 'generate', 1), attempts: 2 },
          { item: item('a', 'accept', 5) },
          { item: item('done', 'accept', 0) },
        ],
        acked: [{ itemId: 'done', sessionId: 's1', kind: 'accept', result: { ok: true } }],
      },
    );
    expect(q.owed()).toEqual([
      { item: item('a', 'accept', 5), state: 'ready', attempts: 0 },
      { item: item('g', 'generate', 1), state: 'ready', attempts: 2 },
    ]);
    expect(q.enqueue(item('done'))).toEqual({ enqueued: false, state: 'acked' });
    q.lease();
    expect(q.lease()?.lease).toMatchObject({ leaseId: 'g@r1.1', fence: 1, attempt: 3 });
  });

  it('refuses lease ids from before the restart as superseded, but accepts an identical re-ack', () => {
    const now = fakeClock().now;
    const before = new WorkQueue({ now, epoch: 'r1' });
    before.enqueue(item('p'));
    before.enqueue(item('d', 'accept'));
    const d = before.lease()!.lease;
    const p = before.lease()!.lease;
    const acked = [before.ack(d.leaseId, { v: 1 })];
    const after = WorkQueue.restore({ now, epoch: 'r2' }, { pending: [{ item: item('p') }], acked });
    expect(after.ack(d.leaseId, { v: 1 }).duplicate).toBe(true);
    expectError(() => after.ack(d.leaseId, { v: 2 }), 'lease_superseded', 'leaseId');
    expectError(() => after.ack(p.leaseId, {}), 'lease_superseded', 'leaseId');
    expect(after.lease()?.lease.leaseId).toBe('p@r2.1');
    expectError(() => after.ack(p.leaseId, {}), 'lease_superseded', 'leaseId');
  });

  it('caps restored attempts so every pending item gets one more delivery', () => {
    const clock = fakeClock();
    const diagnostics: string[] = [];
    const q = WorkQueue.restore(
      { now: clock.now, epoch: 'r1', maxAttempts: 3, onDiagnostic: (x) => diagnostics.push(x.code) },
      { pending: [{ item: item('g'), attempts: 9 }], acked: [] },
    );
    expect(q.lease({ leaseMs: 5 })?.lease.attempt).toBe(3);
    clock.advance(5);
    q.expire();
    expect(diagnostics).toEqual(['dead_lettered']);
    expect(q.deadLetters()).toEqual([{ item: item('g'), attempts: 3 }]);
  });

  it('keeps restored dead letters out of delivery; the first record per id wins', () => {
    const q = WorkQueue.restore(
      { now: fakeClock().now, epoch: 'r1' },
      {
        pending: [{ item: item('x', 'generate', 1) }, { item: item('x', 'accept', 9) }, { item: item('dl') }],
        acked: [
          { itemId: 'k', sessionId: 's1', kind: 'answer', result: 1 },
          { itemId: 'k', sessionId: 's1', kind: 'answer', result: 2 },
        ],
        deadLettered: [{ item: item('dl'), attempts: 5 }],
      },
    );
    expect(drain(q)).toEqual(['x']);
    expect(q.deadLetters()).toEqual([{ item: item('dl'), attempts: 5 }]);
    expect(q.stateOf('dl')).toBe('dead');
    expect(q.stats()).toMatchObject({ acked: 1, deadLettered: 1 });
  });

  it('forgets interrupts and leases: nothing is leased after a restore', () => {
    const q = WorkQueue.restore(
      { now: fakeClock().now, epoch: 'r1' },
      { pending: [{ item: item('g') }], acked: [] },
    );
    expect(q.stats()).toMatchObject({ ready: 1, leased: 0 });
    expect(q.nextWakeAt()).toBeUndefined();
    expect(q.takeInterrupt('any')).toBeUndefined();
  });

  it('refuses a malformed state with the offending field and needs an epoch', () => {
    const now = fakeClock().now;
    const restore = (state: unknown) =>
      WorkQueue.restore({ now, epoch: 'r1' }, state as Parameters<typeof WorkQueue.restore>[1]);
    expectError(
      () => restore({ pending: [{ item: { ...item('g'), kind: 'nap' } }], acked: [] }),
      'invalid_work_item',
      'pending[0].item.kind',
    );
    expectError(
      () => restore({ pending: [{ item: item('g'), attempts: -1 }], acked: [] }),
      'invalid_work_item',
      'pending[0].attempts',
    );
    expectError(
      () =>
        restore({
          pending: [],
          acked: [{ itemId: 'k', sessionId: 's', kind: 'accept', result: { n: Number.NaN } }],
        }),
      'invalid_result',
      'acked[0].result',
    );
    expectError(
      () => restore({ pending: [], acked: [{ itemId: '', sessionId: 's', kind: 'accept', result: 1 }] }),
      'invalid_work_item',
      'acked[0].itemId',
    );
    expectError(() => restore({ pending: 'x', acked: [] }), 'invalid_work_item', 'state');
    expectError(
      () => WorkQueue.restore({ now } as Parameters<typeof WorkQueue.restore>[0], { pending: [], acked: [] }),
      'invalid_option',
      'epoch',
    );
  });
});
