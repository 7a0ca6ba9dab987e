import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_INTERVAL_MS,
  type CheckpointEvent,
  CheckpointScheduler,
  type Timers,
} from '../../../src/browser/checkpoints';

/** A manual clock: timers fire only when `advance` passes them. */
function fakeTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 1000;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}

function setup() {
  const timers = fakeTimers();
  const sent: CheckpointEvent[] = [];
  let n = 0;
  const random = (k: number) => new Uint8Array(k).fill(n++ % 256);
  const s = new CheckpointScheduler('a0000001', 'tab-x', (e) => sent.push(e), timers, random);
  return { timers, sent, s };
}

describe('CheckpointScheduler', () => {
  it('sends the first change at once (leading edge) with revision 1', () => {
    const { sent, s } = setup();
    s.setEnabled(true);
    s.update('2', { pad: 16 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'checkpoint',
      sessionId: 'a0000001',
      owner: 'tab-x',
      revision: 1,
      variant: '2',
      params: { pad: 16 },
    });
    expect(sent[0].eventId).toMatch(/^cp\.a0000001\.[0-9a-f]{12}$/);
  });

  it('coalesces a slider drag: at most one checkpoint per interval, carrying the latest values', () => {
    const { timers, sent, s } = setup();
    s.setEnabled(true);
    for (let v = 0; v <= 60; v += 2) {
      s.update('1', { pad: v });
      timers.advance(5);
    }
    timers.advance(CHECKPOINT_INTERVAL_MS);
    // 31 updates, one every 5 ms: the first at once, the value current at +100 ms (pad 38, set at +95 ms),
    // then the last one at +200 ms. Never more than one per 100 ms.
    expect(sent.map((e) => e.params.pad)).toEqual([0, 38, 60]);
    expect(sent.map((e) => e.revision)).toEqual([1, 2, 3]);
  });

  it('flush sends what is pending at once (before an accept) and cancels the timer', () => {
    const { timers, sent, s } = setup();
    s.setEnabled(true);
    s.update('1', { pad: 4 });
    s.update('1', { pad: 8 });
    expect(sent).toHaveLength(1);
    expect(s.hasPending()).toBe(true);
    expect(s.flush()?.params).toEqual({ pad: 8 });
    expect(timers.pending()).toBe(0);
    expect(s.flush()).toBeUndefined();
  });

  it('holds checkpoints while disabled and sends only the latest once enabled', () => {
    const { sent, s } = setup();
    s.update('1', { pad: 4 });
    s.update('3', { tone: 'warm' });
    expect(sent).toHaveLength(0);
    s.setEnabled(true);
    expect(sent.map((e) => e.variant)).toEqual(['3']);
  });

  it('does not resend what the bridge already has, and continues above a raised revision', () => {
    const { timers, sent, s } = setup();
    s.raiseRevision(7);
    s.markKnown('2', { pad: 16 });
    s.setEnabled(true);
    s.update('2', { pad: 16 });
    expect(sent).toHaveLength(0);
    s.update('2', { pad: 20 });
    expect(sent[0].revision).toBe(8);
    timers.advance(CHECKPOINT_INTERVAL_MS);
    s.update('2', { pad: 20 });
    expect(sent).toHaveLength(1);
    s.raiseRevision(3);
    expect(s.lastRevision).toBe(8);
  });

  it('sends nothing after dispose', () => {
    const { timers, sent, s } = setup();
    s.setEnabled(true);
    s.update('1', { pad: 1 });
    s.update('1', { pad: 2 });
    s.dispose();
    timers.advance(1000);
    s.update('1', { pad: 3 });
    expect(sent.map((e) => e.params.pad)).toEqual([1]);
  });
});
