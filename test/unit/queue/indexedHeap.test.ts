import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedHeap } from '../../../src/core/queue/indexedHeap';

interface Box {
  v: number;
}

describe('IndexedHeap', () => {
  it('pops in ascending order, removes and re-orders by key, matching a sorted array', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('push' as const),
              key: fc.nat(20),
              v: fc.integer({ min: -50, max: 50 }),
            }),
            fc.record({ op: fc.constant('pop' as const) }),
            fc.record({ op: fc.constant('remove' as const), key: fc.nat(20) }),
            fc.record({
              op: fc.constant('update' as const),
              key: fc.nat(20),
              v: fc.integer({ min: -50, max: 50 }),
            }),
          ),
          { maxLength: 80 },
        ),
        (ops) => {
          const heap = new IndexedHeap<number, Box>((a, b) => a.v < b.v);
          const model = new Map<number, number>();
          for (const o of ops) {
            if (o.op === 'push' && !model.has(o.key)) {
              heap.push(o.key, { v: o.v });
              model.set(o.key, o.v);
            } else if (o.op === 'pop') {
              const min = Math.min(...model.values());
              const got = heap.pop();
              if (model.size === 0) expect(got).toBeUndefined();
              else {
                expect(got?.v).toBe(min);
                const key = [...model].find(([, v]) => v === min)![0];
                // Equal values may pop in any order; drop one with the popped value.
                model.delete(key);
              }
            } else if (o.op === 'remove') {
              expect(heap.remove(o.key)).toBe(model.delete(o.key));
            } else if (o.op === 'update' && model.has(o.key)) {
              heap.update(o.key, { v: o.v });
              model.set(o.key, o.v);
            }
            expect(heap.size).toBe(model.size);
            expect(heap.peek()?.v).toBe(model.size === 0 ? undefined : Math.min(...model.values()));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a duplicate key on push and an absent key on update', () => {
    const heap = new IndexedHeap<string, Box>((a, b) => a.v < b.v);
    heap.push('a', { v: 1 });
    expect(() => heap.push('a', { v: 2 })).toThrow('already present');
    expect(() => heap.update('b', { v: 2 })).toThrow('not present');
    expect(heap.has('a')).toBe(true);
    expect(heap.remove('b')).toBe(false);
  });
});
