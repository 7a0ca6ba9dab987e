import { describe, expect, it } from 'vitest';
import { expectError, item, setup } from './helpers';

describe('work queue: revoke, interrupts and cancel', () => {
  it('revoking an agent returns its leases, makes the items deliverable and leaves one interrupt notice', () => {
    const { q } = setup();
    q.enqueue(item('g', 'generate', 1));
    q.enqueue(item('a', 'accept', 2));
    q.enqueue(item('other', 'answer', 3));
    const g1 = q.lease({ agentId: 'bob', kinds: ['generate'] })!.lease;
    const a1 = q.lease({ agentId: 'bob', kinds: ['accept'] })!.lease;
    q.lease({ agentId: 'eve' });
    expect(q.revoke({ agentId: 'bob' }, 'user pressed stop')).toEqual([a1, g1]);
    expect(q.stats()).toMatchObject({ ready: 2, leased: 1 });
    expect(q.takeInterrupt('bob')).toEqual({ type: 'interrupt', reason: 'user pressed stop' });
    expect(q.takeInterrupt('bob')).toBeUndefined();
    expect(q.takeInterrupt('eve')).toBeUndefined();
    expectError(() => q.ack(a1.leaseId, {}), 'lease_superseded', 'leaseId');
    expectError(() => q.extend(g1.leaseId, 10), 'lease_superseded', 'leaseId');
  });

  it('a revocation does not count as an expired attempt and the next delivery has a higher fence', () => {
    const { q, diagnostics } = setup({ maxAttempts: 1 });
    q.enqueue(item('g'));
    const first = q.lease({ agentId: 'bob' })!.lease;
    q.revoke({ leaseId: first.leaseId }, 'stop');
    const second = q.lease()!.lease;
    expect(second).toMatchObject({ fence: 2, attempt: 1 });
    expect(q.owed()[0].attempts).toBe(0);
    expect(diagnostics).toEqual([]);
    expect(q.takeInterrupt('bob')).toEqual({ type: 'interrupt', reason: 'stop' });
  });

  it('revoking an agent without leases still leaves the interrupt notice; the latest reason wins', () => {
    const { q } = setup();
    expect(q.revoke({ agentId: 'idle' }, 'first')).toEqual([]);
    q.revoke({ agentId: 'idle' }, 'second');
    expect(q.takeInterrupt('idle')).toEqual({ type: 'interrupt', reason: 'second' });
  });

  it('revoking a lease that is no longer current revokes nothing; an unknown one is refused', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    const old = q.lease({ agentId: 'bob', leaseMs: 10 })!.lease;
    clock.advance(10);
    const cur = q.lease({ agentId: 'eve' })!.lease;
    expect(q.revoke({ leaseId: old.leaseId }, 'x')).toEqual([]);
    expect(q.takeInterrupt('bob')).toBeUndefined();
    expect(q.owed()[0].lease).toEqual(cur);
    expectError(() => q.revoke({ leaseId: 'g@0.7' }, 'x'), 'unknown_lease', 'leaseId');
    expectError(() => q.revoke({ leaseId: 'zzz@0.1' }, 'x'), 'unknown_lease', 'leaseId');
    expectError(() => q.revoke({ agentId: '' }, 'x'), 'invalid_input', 'agentId');
    expectError(() => q.revoke({ agentId: 'bob' }, 7 as unknown as string), 'invalid_input', 'reason');
  });

  it('cancel drops a pending or leased item and later acks of its lease are unknown', () => {
    const { q } = setup();
    q.enqueue(item('r'));
    q.enqueue(item('l', 'accept'));
    const { lease } = q.lease({ agentId: 'bob' })!;
    expect(q.cancel('l')).toEqual(item('l', 'accept'));
    expect(q.cancel('r')).toEqual(item('r'));
    expect(q.cancel('r')).toBeUndefined();
    expect(q.owed()).toEqual([]);
    expect(q.nextWakeAt()).toBeUndefined();
    expect(q.revoke({ agentId: 'bob' }, 'x')).toEqual([]);
    expectError(() => q.ack(lease.leaseId, {}), 'unknown_lease', 'leaseId');
  });

  it('cancel leaves an acked item acked', () => {
    const { q } = setup();
    q.enqueue(item('g'));
    q.ack(q.lease()!.lease.leaseId, {});
    expect(q.cancel('g')).toBeUndefined();
    expect(q.stateOf('g')).toBe('acked');
  });

  it('cancelSession drops only that session’s unacked items, dead letters included', () => {
    const { q, clock } = setup({ maxAttempts: 1 });
    q.enqueue(item('s1-dead', 'answer', 0, 's1'));
    q.lease({ leaseMs: 1 });
    clock.advance(1);
    q.expire();
    q.enqueue(item('s1-gen', 'generate', 1, 's1'));
    q.enqueue(item('s1-acc', 'accept', 2, 's1'));
    q.enqueue(item('s2-gen', 'generate', 3, 's2'));
    q.lease({ kinds: ['accept'] });
    expect(q.cancelSession('s1')).toEqual([
      item('s1-acc', 'accept', 2, 's1'),
      item('s1-dead', 'answer', 0, 's1'),
      item('s1-gen', 'generate', 1, 's1'),
    ]);
    expect(q.cancelSession('s1')).toEqual([]);
    expect(q.owed().map((o) => o.item.id)).toEqual(['s2-gen']);
    expect(q.deadLetters()).toEqual([]);
    expect(q.stats()).toMatchObject({ ready: 1, leased: 0, deadLettered: 0 });
  });

  it('owed(sessionId) lists that session’s pending and leased items with their leases, in priority order', () => {
    const { q } = setup();
    q.enqueue(item('g', 'generate', 1, 'a'));
    q.enqueue(item('c', 'carbonize_cleanup', 2, 'a'));
    q.enqueue(item('x', 'accept', 3, 'b'));
    const c = q.lease({ kinds: ['carbonize_cleanup'], agentId: 'bob' })!.lease;
    expect(q.owed('a')).toEqual([
      { item: item('c', 'carbonize_cleanup', 2, 'a'), state: 'leased', attempts: 0, lease: c },
      { item: item('g', 'generate', 1, 'a'), state: 'ready', attempts: 0 },
    ]);
    expect(q.owed('nobody')).toEqual([]);
    expect(q.owed().map((o) => o.item.id)).toEqual(['x', 'c', 'g']);
  });
});
