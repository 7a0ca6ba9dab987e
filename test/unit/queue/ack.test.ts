import { describe, expect, it } from 'vitest';
import { expectError, item, setup } from './helpers';

describe('work queue: acks', () => {
  it('acking the current lease records the canonical result and removes the item', () => {
    const { q } = setup();
    q.enqueue(item('g', 'generate', 0, 'sess'));
    const { lease } = q.lease()!;
    expect(q.ack(lease.leaseId, { b: [1, { d: 1, c: 2 }], a: 'x', dropped: undefined })).toEqual({
      itemId: 'g',
      sessionId: 'sess',
      kind: 'generate',
      result: { a: 'x', b: [1, { c: 2, d: 1 }] },
      duplicate: false,
    });
    expect(q.owed()).toEqual([]);
    expect(q.stateOf('g')).toBe('acked');
    expect(q.nextWakeAt()).toBeUndefined();
    expect(q.stats()).toMatchObject({ ready: 0, leased: 0, acked: 1 });
  });

  it('a re-ack with the identical result (any key order) is an idempotent success', () => {
    const { q } = setup();
    q.enqueue(item('g'));
    const { lease } = q.lease()!;
    q.ack(lease.leaseId, { x: 1, y: [true, null] });
    expect(q.ack(lease.leaseId, { y: [true, null], x: 1 })).toMatchObject({ duplicate: true, itemId: 'g' });
    expect(q.stats().acked).toBe(1);
  });

  it('a re-ack with a different result is refused as superseded', () => {
    const { q } = setup();
    q.enqueue(item('g'));
    const { lease } = q.lease()!;
    q.ack(lease.leaseId, { x: 1 });
    expectError(() => q.ack(lease.leaseId, { x: 2 }), 'lease_superseded', 'leaseId');
    expectError(() => q.ack(lease.leaseId, [{ x: 1 }]), 'lease_superseded', 'leaseId');
  });

  it('an ack with an older fence is refused once the item was redelivered', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    const old = q.lease({ leaseMs: 10 })!.lease;
    clock.advance(10);
    const current = q.lease()!.lease;
    expectError(() => q.ack(old.leaseId, { done: true }), 'lease_superseded', 'leaseId');
    expect(q.ack(current.leaseId, { done: true }).duplicate).toBe(false);
    // Once the identical result is recorded, the old delivery's ack is an idempotent success too.
    expect(q.ack(old.leaseId, { done: true }).duplicate).toBe(true);
    expectError(() => q.ack(old.leaseId, { done: false }), 'lease_superseded', 'leaseId');
  });

  it('an expired lease whose item was not yet redelivered may still ack', () => {
    const { q, clock, diagnostics } = setup();
    q.enqueue(item('g'));
    const { lease } = q.lease({ leaseMs: 10 })!;
    clock.advance(50);
    expect(q.ack(lease.leaseId, { late: 1 }).duplicate).toBe(false);
    expect(q.expire()).toEqual([]);
    expect(diagnostics).toEqual([]);

    q.enqueue(item('h'));
    const h = q.lease({ leaseMs: 10 })!.lease;
    clock.advance(10);
    expect(q.expire().map((d) => d.itemId)).toEqual(['h']);
    expect(q.ack(h.leaseId, { late: 2 }).duplicate).toBe(false);
    expect(q.owed()).toEqual([]);
  });

  it('the last delivery of a dead-lettered item may still ack, which takes it off the dead-letter list', () => {
    const { q, clock } = setup({ maxAttempts: 1 });
    q.enqueue(item('g'));
    const { lease } = q.lease({ leaseMs: 10 })!;
    clock.advance(10);
    expect(q.expire().map((d) => d.code)).toEqual(['dead_lettered']);
    q.ack(lease.leaseId, { ok: true });
    expect(q.deadLetters()).toEqual([]);
    expect(q.stateOf('g')).toBe('acked');
  });

  it('unknown and malformed lease ids are refused as unknown_lease', () => {
    const { q } = setup();
    q.enqueue(item('g'));
    expectError(() => q.ack('g@0.1', {}), 'unknown_lease', 'leaseId'); // never delivered
    q.lease();
    expectError(() => q.ack('g@0.2', {}), 'unknown_lease', 'leaseId'); // fence not issued
    expectError(() => q.ack('other@0.1', {}), 'unknown_lease', 'leaseId');
    for (const bad of ['', 'g', 'g@0', 'g@0.0', 'g@0.01', '@0.1', 'g@0.1x', 'g@a.b.1', 42, null]) {
      expectError(() => q.ack(bad as string, {}), 'unknown_lease', 'leaseId');
    }
    expectError(() => q.ack(`${'x'.repeat(300)}@0.1`, {}), 'unknown_lease', 'leaseId');
  });

  it('a result that is not plain JSON is refused with the path to the bad value', () => {
    const { q } = setup();
    q.enqueue(item('g'));
    const { lease } = q.lease()!;
    expectError(() => q.ack(lease.leaseId, { n: Number.NaN }), 'invalid_result', 'result');
    expectError(() => q.ack(lease.leaseId, { d: new Date(0) }), 'invalid_result', 'result');
    expectError(() => q.ack(lease.leaseId, undefined), 'invalid_result', 'result');
    expectError(() => q.ack(lease.leaseId, [1, () => 2]), 'invalid_result', 'result');
    expect(q.owed()[0].state).toBe('leased');
  });

  it('checkAck changes nothing and returns exactly what commitAck records', () => {
    const { q } = setup();
    q.enqueue(item('g', 'answer', 0, 'sess'));
    const { lease } = q.lease()!;
    const before = q.owed();
    const plan = q.checkAck(lease.leaseId, { z: 1, a: 2 });
    expect(plan).toEqual({
      leaseId: lease.leaseId,
      itemId: 'g',
      sessionId: 'sess',
      kind: 'answer',
      result: { a: 2, z: 1 },
      duplicate: false,
    });
    expect(Object.keys(plan.result as object)).toEqual(['a', 'z']);
    expect(q.owed()).toEqual(before);
    expect(q.stateOf('g')).toBe('leased');
    expect(q.commitAck(plan)).toEqual({
      itemId: 'g',
      sessionId: 'sess',
      kind: 'answer',
      result: { a: 2, z: 1 },
      duplicate: false,
    });
    expect(q.checkAck(lease.leaseId, { a: 2, z: 1 }).duplicate).toBe(true);
  });

  it('a journaled ack commits even if the lease was superseded between check and commit', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    const first = q.lease({ leaseMs: 10 })!.lease;
    const plan = q.checkAck(first.leaseId, { r: 1 });
    clock.advance(10);
    const second = q.lease()!.lease; // redelivered while the journal append was in flight
    expect(q.commitAck(plan).duplicate).toBe(false);
    expect(q.stateOf('g')).toBe('acked');
    expect(q.nextWakeAt()).toBeUndefined();
    expectError(() => q.ack(second.leaseId, { r: 2 }), 'lease_superseded', 'leaseId');
    expect(q.ack(second.leaseId, { r: 1 }).duplicate).toBe(true);
  });

  it('of two racing plans with different results, the second commit is refused', () => {
    const { q, clock } = setup();
    q.enqueue(item('g'));
    const first = q.lease({ leaseMs: 10 })!.lease;
    const p1 = q.checkAck(first.leaseId, { r: 1 });
    clock.advance(10);
    const second = q.lease()!.lease;
    const p2 = q.checkAck(second.leaseId, { r: 2 });
    q.commitAck(p2);
    expectError(() => q.commitAck(p1), 'lease_superseded', 'leaseId');
  });
});
