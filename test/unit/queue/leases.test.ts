import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../src/core/queue';
import { expectError, item, setup } from './helpers';

describe('work queue: leases', () => {
  it('a lease carries a fencing id, fence 1, attempt 1, the holder and leaseUntil = now + leaseMs', () => {
    const { q } = setup();
    q.enqueue(item('gen-1'));
    expect(q.lease({ agentId: 'claude', leaseMs: 500 })).toEqual({
      item: item('gen-1'),
      lease: {
        leaseId: 'gen-1@0.1',
        itemId: 'gen-1',
        fence: 1,
        leaseUntil: 1_500,
        attempt: 1,
        agentId: 'claude',
      },
    });
  });

  it('uses defaultLeaseMs when the request names no length', () => {
    const { q } = setup({ defaultLeaseMs: 250 });
    q.enqueue(item('g'));
    expect(q.lease()?.lease.leaseUntil).toBe(1_250);
  });

  it('extend moves the current lease expiry to now + ms and keeps the fence', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    const { lease } = q.lease({ leaseMs: 100 })!;
    clock.advance(60);
    expect(q.extend(lease.leaseId, 500)).toEqual({ ...lease, leaseUntil: 1_560 });
    expect(q.nextWakeAt()).toBe(1_560);
    clock.advance(400);
    expect(q.expire()).toEqual([]);
    expect(q.owed()[0].state).toBe('leased');
  });

  it('extend refuses a lapsed, a superseded, an unknown or a malformed lease', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    const first = q.lease({ leaseMs: 100 })!.lease;
    clock.advance(100);
    expectError(() => q.extend(first.leaseId, 100), 'lease_expired', 'leaseId');
    const second = q.lease({ leaseMs: 100 })!.lease;
    expect(second.fence).toBe(2);
    expectError(() => q.extend(first.leaseId, 100), 'lease_superseded', 'leaseId');
    expectError(() => q.extend('g@0.9', 100), 'unknown_lease', 'leaseId');
    expectError(() => q.extend('nope@0.1', 100), 'unknown_lease', 'leaseId');
    expectError(() => q.extend('garbage', 100), 'unknown_lease', 'leaseId');
    expectError(() => q.extend(second.leaseId, -1), 'invalid_input', 'ms');
  });

  it('an expired lease is redelivered with a higher fence and attempt, and reported', () => {
    const { q, clock, diagnostics } = setup();
    q.enqueue(item('g', 'generate', 0, 'sess'));
    const first = q.lease({ agentId: 'a1', leaseMs: 100 })!.lease;
    clock.advance(99);
    expect(q.expire()).toEqual([]);
    clock.advance(1);
    const expired = q.expire();
    expect(expired).toEqual([
      {
        code: 'lease_expired',
        itemId: 'g',
        sessionId: 'sess',
        attempts: 1,
        leaseId: 'g@0.1',
        agentId: 'a1',
        message: expect.stringContaining('attempt 1 of 5'),
      },
    ]);
    expect(diagnostics).toEqual(expired);
    expect(q.owed()).toEqual([{ item: item('g', 'generate', 0, 'sess'), state: 'ready', attempts: 1 }]);
    const second = q.lease({ agentId: 'a2' })!.lease;
    expect(second).toEqual({
      leaseId: 'g@0.2',
      itemId: 'g',
      fence: 2,
      leaseUntil: 2_100,
      attempt: 2,
      agentId: 'a2',
    });
    expect(second.leaseId).not.toBe(first.leaseId);
  });

  it('lease() itself returns expired items to delivery first', () => {
    const { q, clock, diagnostics } = setup();
    q.enqueue(item('g'));
    q.lease({ leaseMs: 10 });
    clock.advance(10);
    expect(q.lease()?.lease.fence).toBe(2);
    expect(diagnostics.map((d) => d.code)).toEqual(['lease_expired']);
  });

  it('dead-letters an item when exactly maxAttempts deliveries expired without ack', () => {
    const { q, clock, diagnostics } = setup({ maxAttempts: 3 });
    q.enqueue(item('g', 'generate', 0, 'sess'));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const g = q.lease({ leaseMs: 10 })!;
      expect(g.lease.attempt).toBe(attempt);
      clock.advance(10);
      q.expire();
    }
    expect(diagnostics.map((d) => [d.code, d.attempts])).toEqual([
      ['lease_expired', 1],
      ['lease_expired', 2],
      ['dead_lettered', 3],
    ]);
    expect(diagnostics[2]).toMatchObject({ itemId: 'g', sessionId: 'sess', leaseId: 'g@0.3' });
    expect(diagnostics[2].message).toContain('dead-lettered');
    expect(q.lease()).toBeUndefined();
    expect(q.owed()).toEqual([]);
    expect(q.deadLetters()).toEqual([{ item: item('g', 'generate', 0, 'sess'), attempts: 3 }]);
    expect(q.enqueue(item('g'))).toEqual({ enqueued: false, state: 'dead' });
    expect(q.stats()).toMatchObject({ ready: 0, leased: 0, deadLettered: 1 });
  });

  it('defaults maxAttempts to 5', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    for (let i = 0; i < 4; i++) {
      q.lease({ leaseMs: 1 });
      clock.advance(1);
    }
    expect(q.expire().map((d) => d.code)).toEqual(['lease_expired']);
    q.lease({ leaseMs: 1 });
    clock.advance(1);
    expect(q.expire().map((d) => d.code)).toEqual(['dead_lettered']);
  });

  it('reports several expiries in expiry order', () => {
    const { q, clock } = setup();
    q.enqueue(item('a', 'generate', 1));
    q.enqueue(item('b', 'generate', 2));
    q.enqueue(item('c', 'generate', 3));
    q.lease({ leaseMs: 30 });
    q.lease({ leaseMs: 10 });
    q.lease({ leaseMs: 20 });
    clock.advance(30);
    expect(q.expire().map((d) => d.itemId)).toEqual(['b', 'c', 'a']);
  });

  it('nextWakeAt is the earliest lease expiry, or undefined without leases', () => {
    const { q, clock } = setup();
    expect(q.nextWakeAt()).toBeUndefined();
    q.enqueue(item('a', 'generate', 1));
    q.enqueue(item('b', 'generate', 2));
    const a = q.lease({ leaseMs: 300 })!.lease;
    q.lease({ leaseMs: 200 });
    expect(q.nextWakeAt()).toBe(1_200);
    expect(q.stats().nextWakeAt).toBe(1_200);
    clock.advance(200);
    q.expire();
    expect(q.nextWakeAt()).toBe(1_300);
    q.ack(a.leaseId, {});
    expect(q.nextWakeAt()).toBeUndefined();
  });

  it('refuses bad options', () => {
    const now = () => 0;
    expectError(() => new WorkQueue({ now, maxAttempts: 0 }), 'invalid_option', 'maxAttempts');
    expectError(() => new WorkQueue({ now, epoch: 'a.b' }), 'invalid_option', 'epoch');
    expectError(() => new WorkQueue({ now, defaultLeaseMs: 0 }), 'invalid_option', 'defaultLeaseMs');
  });
});
