import { describe, expect, it } from 'vitest';
import { type KeyValueStore, OUTBOX_KEY, OUTBOX_MAX, Outbox } from '../../../src/browser/outbox';
import type { OutgoingEvent } from '../../../src/browser/types';

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const cp = (revision: number, owner = 'tab-a', sessionId = 'a0000001'): OutgoingEvent => ({
  type: 'checkpoint',
  sessionId,
  eventId: `cp.${sessionId}.${owner}.${revision}`,
  owner,
  revision,
  variant: '1',
  params: { pad: revision },
});
const accept: OutgoingEvent = { type: 'accept', sessionId: 'a0000001', eventId: 'acc-1', variant: '2' };

describe('Outbox', () => {
  it('keeps events in order in memory and in storage until they are removed', () => {
    const store = memoryStore();
    const box = new Outbox(store);
    box.add(cp(1));
    box.add(accept);
    expect(box.list().map((e) => e.eventId)).toEqual(['cp.a0000001.tab-a.1', 'acc-1']);
    expect(JSON.parse(store.data.get(OUTBOX_KEY)!).map((e: OutgoingEvent) => e.eventId)).toEqual([
      'cp.a0000001.tab-a.1',
      'acc-1',
    ]);
    expect(box.remove('cp.a0000001.tab-a.1')?.type).toBe('checkpoint');
    expect(box.remove('nope')).toBeUndefined();
    box.remove('acc-1');
    expect(box.size).toBe(0);
    expect(store.data.has(OUTBOX_KEY)).toBe(false);
  });

  it('a reloaded page picks up the unsent events, with their original eventIds', () => {
    const store = memoryStore();
    new Outbox(store).add(accept);
    const reloaded = new Outbox(store);
    expect(reloaded.list()).toEqual([accept]);
    expect(reloaded.has('acc-1')).toBe(true);
  });

  it('a newer checkpoint from the same owner replaces a queued older one; other owners and sessions stay', () => {
    const box = new Outbox(memoryStore());
    box.add(cp(1));
    box.add(cp(1, 'tab-b'));
    box.add(cp(1, 'tab-a', 'b0000002'));
    box.add(accept);
    box.add(cp(2));
    expect(box.list().map((e) => e.eventId)).toEqual([
      'cp.a0000001.tab-b.1',
      'cp.b0000002.tab-a.1',
      'acc-1',
      'cp.a0000001.tab-a.2',
    ]);
    expect(box.forSession('a0000001').map((e) => e.type)).toEqual(['checkpoint', 'accept', 'checkpoint']);
  });

  it('adding the same eventId twice queues it once', () => {
    const box = new Outbox(memoryStore());
    box.add(accept);
    box.add(accept);
    expect(box.size).toBe(1);
  });

  it('keeps events another tab queued in the same storage (read-modify-write)', () => {
    const store = memoryStore();
    const tabA = new Outbox(store);
    const tabB = new Outbox(store);
    tabA.add(accept);
    tabB.add(cp(1, 'tab-b'));
    tabA.remove('acc-1');
    expect(JSON.parse(store.data.get(OUTBOX_KEY)!).map((e: OutgoingEvent) => e.eventId)).toEqual([
      'cp.a0000001.tab-b.1',
    ]);
  });

  it('refuses (false) rather than dropping anything when full', () => {
    const box = new Outbox(memoryStore());
    for (let i = 0; i < OUTBOX_MAX; i++) {
      expect(box.add({ type: 'discard', sessionId: 'a0000001', eventId: `d-${i}` })).toBe(true);
    }
    expect(box.add({ type: 'discard', sessionId: 'a0000001', eventId: 'one-too-many' })).toBe(false);
    expect(box.size).toBe(OUTBOX_MAX);
    expect(box.has('d-0')).toBe(true);
  });

  it('ignores damaged storage and works without storage at all', () => {
    for (const raw of ['not json', '{"a":1}', '[1,{"type":"bogus","eventId":"x","sessionId":"y"},null]']) {
      expect(new Outbox(memoryStore({ [OUTBOX_KEY]: raw })).size).toBe(0);
    }
    const box = new Outbox(null);
    box.add(accept);
    expect(box.list()).toEqual([accept]);
  });
});
