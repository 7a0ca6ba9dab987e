import { describe, expect, it } from 'vitest';
import { drain, expectError, item, setup } from './helpers';

describe('work queue: priority, ties and kinds', () => {
  it('delivers accept/discard, then carbonize_cleanup, then answer, then generate', () => {
    const { q } = setup();
    q.enqueue(item('g', 'generate', 1));
    q.enqueue(item('a', 'answer', 2));
    q.enqueue(item('c', 'carbonize_cleanup', 3));
    q.enqueue(item('d', 'discard', 4));
    q.enqueue(item('x', 'accept', 5));
    expect(drain(q)).toEqual(['d', 'x', 'c', 'a', 'g']);
  });

  it('breaks ties within a rank by arrival, across accept and discard too', () => {
    const { q } = setup();
    q.enqueue(item('acc-late', 'accept', 9));
    q.enqueue(item('dis-early', 'discard', 2));
    q.enqueue(item('acc-early', 'accept', 1));
    q.enqueue(item('gen-2', 'generate', 2));
    q.enqueue(item('gen-1', 'generate', 1));
    expect(drain(q)).toEqual(['acc-early', 'dis-early', 'acc-late', 'gen-1', 'gen-2']);
  });

  it('breaks equal arrivals by enqueue order', () => {
    const { q } = setup();
    for (const id of ['z', 'y', 'x', 'w']) q.enqueue(item(id, 'generate', 7));
    expect(drain(q)).toEqual(['z', 'y', 'x', 'w']);
  });

  it('leases only the requested kinds and leaves the others deliverable', () => {
    const { q } = setup();
    q.enqueue(item('acc', 'accept', 1));
    q.enqueue(item('gen', 'generate', 2));
    q.enqueue(item('ans', 'answer', 3));
    expect(drain(q, ['generate', 'answer'])).toEqual(['ans', 'gen']);
    expect(q.lease({ kinds: ['generate'] })).toBeUndefined();
    expect(q.lease()?.item.id).toBe('acc');
  });

  it('returns undefined when nothing is deliverable', () => {
    const { q } = setup();
    expect(q.lease()).toBeUndefined();
    q.enqueue(item('g'));
    q.lease();
    expect(q.lease()).toBeUndefined();
  });

  it('an expired item goes back to its arrival place, ahead of later arrivals of its kind', () => {
    const { q, clock } = setup();
    q.enqueue(item('first', 'generate', 1));
    expect(q.lease({ leaseMs: 100 })?.item.id).toBe('first');
    q.enqueue(item('second', 'generate', 2));
    clock.advance(100);
    expect(drain(q)).toEqual(['first', 'second']);
  });

  it('refuses a kinds filter that is empty or names an unknown kind', () => {
    const { q } = setup();
    expectError(() => q.lease({ kinds: [] }), 'invalid_input', 'kinds');
    expectError(() => q.lease({ kinds: ['accept', 'nap' as 'accept'] }), 'invalid_input', 'kinds');
    expectError(() => q.lease({ agentId: '' }), 'invalid_input', 'agentId');
    expectError(() => q.lease({ leaseMs: 0 }), 'invalid_input', 'leaseMs');
    expectError(() => q.lease({ leaseMs: Number.NaN }), 'invalid_input', 'leaseMs');
    expectError(() => q.lease({ leaseMs: 3_600_001 }), 'invalid_input', 'leaseMs');
  });
});

describe('work queue: enqueue', () => {
  it('is idempotent by id while pending, leased and acked, and says so', () => {
    const { q } = setup();
    expect(q.enqueue(item('i', 'accept'))).toEqual({ enqueued: true, state: 'ready' });
    expect(q.enqueue(item('i', 'generate', 5))).toEqual({ enqueued: false, state: 'ready' });
    const g = q.lease()!;
    expect(g.item.kind).toBe('accept');
    expect(q.enqueue(item('i'))).toEqual({ enqueued: false, state: 'leased' });
    q.ack(g.lease.leaseId, { ok: true });
    expect(q.enqueue(item('i'))).toEqual({ enqueued: false, state: 'acked' });
    expect(q.lease()).toBeUndefined();
    expect(q.stats()).toMatchObject({ ready: 0, leased: 0, acked: 1 });
  });

  it('refuses malformed items with the offending field', () => {
    const { q } = setup();
    const good = item('i');
    expectError(() => q.enqueue({ ...good, id: '' }), 'invalid_work_item', 'item.id');
    expectError(() => q.enqueue({ ...good, id: 'x'.repeat(257) }), 'invalid_work_item', 'item.id');
    expectError(
      () => q.enqueue({ ...good, sessionId: 3 as unknown as string }),
      'invalid_work_item',
      'item.sessionId',
    );
    expectError(() => q.enqueue({ ...good, kind: 'nap' as 'accept' }), 'invalid_work_item', 'item.kind');
    expectError(
      () => q.enqueue({ ...good, payload: [] as unknown as Record<string, unknown> }),
      'invalid_work_item',
      'item.payload',
    );
    expectError(
      () => q.enqueue({ ...good, arrival: Number.POSITIVE_INFINITY }),
      'invalid_work_item',
      'item.arrival',
    );
    expectError(() => q.enqueue(null as unknown as typeof good), 'invalid_work_item', 'item');
    expect(q.stats().ready).toBe(0);
  });

  it('keeps a frozen copy, so later changes to the caller object do not reorder the queue', () => {
    const { q } = setup();
    const mutable = item('m', 'generate', 5);
    q.enqueue(mutable);
    q.enqueue(item('n', 'generate', 6));
    mutable.arrival = 100;
    const g = q.lease()!;
    expect(g.item).toEqual({ id: 'm', sessionId: 's1', kind: 'generate', payload: { id: 'm' }, arrival: 5 });
    expect(Object.isFrozen(g.item)).toBe(true);
  });

  it('counts ready items per kind in stats', () => {
    const { q } = setup();
    q.enqueue(item('a', 'accept'));
    q.enqueue(item('g1'));
    q.enqueue(item('g2'));
    expect(q.stats()).toEqual({
      ready: 3,
      leased: 0,
      acked: 0,
      deadLettered: 0,
      readyByKind: { accept: 1, discard: 0, carbonize_cleanup: 0, answer: 0, generate: 2 },
    });
  });
});
