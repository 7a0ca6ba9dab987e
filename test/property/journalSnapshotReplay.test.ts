// Snapshot + tail replay equals full replay: for random workloads (appends with repeated eventIds, issued
// in concurrent groups), a snapshot taken at a random point, then a reopen, the state rebuilt from the
// snapshot and the records after it is byte-equal (canonical JSON) to the state of replaying everything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonicalJson';
import { openJournalDir } from '../../src/core/journal/journalDir';
import type { JournalRecord } from '../../src/core/journal/types';
import { memoryFs } from '../unit/journal/testFs';

interface State {
  total: number;
  count: number;
  byKey: Record<string, number>;
  recent: string[];
  lastSeq: number;
}
const initial = (): State => ({ total: 0, count: 0, byKey: {}, recent: [], lastSeq: 0 });

/** A deterministic reducer with order-sensitive parts (recent, mul), so a wrong tail shows. */
function reduce(state: State, r: JournalRecord): State {
  const value = r.data.value as number;
  const key = r.data.key as string;
  const total =
    r.type === 'mul' ? (state.total * value) % 1_000_003 : r.type === 'add' ? state.total + value : value;
  return {
    total,
    count: state.count + 1,
    byKey: { ...state.byKey, [key]: (state.byKey[key] ?? 0) + value },
    recent: [...state.recent, r.eventId].slice(-3),
    lastSeq: r.seq,
  };
}
const replay = (from: State, records: readonly JournalRecord[]) => records.reduce(reduce, from);

const op = fc.record({
  eventId: fc.integer({ min: 0, max: 40 }).map((n) => `e${n}`),
  type: fc.constantFrom('add', 'mul', 'set'),
  value: fc.integer({ min: -50, max: 50 }),
  key: fc.constantFrom('a', 'b', 'ü', 'zz'),
});
const workload = fc.record({
  groups: fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 12 }),
  snapshotAfterGroup: fc.nat(),
});

describe('snapshot + tail replay', () => {
  it('equals the full replay, byte for byte in canonical JSON (1,000 random workloads)', async () => {
    await fc.assert(
      fc.asyncProperty(workload, async ({ groups, snapshotAfterGroup }) => {
        const fs = memoryFs();
        const jd = await openJournalDir('/ws', { fs, heartbeatMs: 0, now: () => new Date(0) });
        const j = await jd.openSession('p');
        const snapAt = groups.length === 0 ? 0 : snapshotAfterGroup % (groups.length + 1);
        for (let g = 0; g <= groups.length; g++) {
          if (g === snapAt) await j.writeSnapshot(replay(initial(), j.records));
          if (g === groups.length) break;
          await Promise.all(
            groups[g].map((o) =>
              j.append({ eventId: o.eventId, type: o.type, data: { value: o.value, key: o.key } }),
            ),
          );
        }
        await jd.close();

        const reopened = await openJournalDir('/ws', { fs, heartbeatMs: 0 });
        const j2 = await reopened.openSession('p');
        const read = await j2.readSnapshot<State>();
        expect(read.snapshot).toBeDefined();
        expect('diagnostic' in read).toBe(false);
        const fromSnapshot = replay(read.snapshot!.state, read.tail);
        const full = replay(initial(), j2.records);
        expect(canonicalJson(fromSnapshot)).toBe(canonicalJson(full));
        expect(read.tail).toEqual(j2.records.filter((r) => r.seq > read.snapshot!.seq));
        expect(j2.records.length).toBe(new Set(groups.flat().map((o) => o.eventId)).size);
        await reopened.close();
      }),
      { numRuns: 1000, seed: 20250101 },
    );
  });
});
