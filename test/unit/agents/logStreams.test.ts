import { describe, expect, it } from 'vitest';
import { AgentLogs, type LogGap, type LogLine } from '../../../src/core/agents';
import { isLiveVariantsError } from '../../../src/core/errors';

const AT = new Date('2025-06-01T10:00:00.000Z');
const make = (opts: ConstructorParameters<typeof AgentLogs>[0] = {}) =>
  new AgentLogs({ now: () => AT, ...opts });
const texts = (lines: LogLine[]) => lines.map((l) => l.text);
const seqs = (lines: LogLine[]) => lines.map((l) => l.seq);

describe('AgentLogs.append', () => {
  it('numbers lines per agent from 1, splitting strings at line breaks', () => {
    const logs = make();
    expect(logs.append('a', ['one', 'two\nthree'])).toEqual({ agentId: 'a', firstSeq: 1, lastSeq: 3 });
    expect(logs.append('b', 'x\r\ny\n')).toEqual({ agentId: 'b', firstSeq: 1, lastSeq: 2 });
    expect(logs.append('a', [])).toEqual({ agentId: 'a', firstSeq: 4, lastSeq: 3 });
    const read = logs.read('a');
    expect(read.lines).toEqual([
      { seq: 1, at: AT.toISOString(), text: 'one' },
      { seq: 2, at: AT.toISOString(), text: 'two' },
      { seq: 3, at: AT.toISOString(), text: 'three' },
    ]);
    expect([read.oldestSeq, read.nextSeq]).toEqual([1, 4]);
  });

  it('keeps only the last `capacity` lines', () => {
    const logs = make({ capacity: 3 });
    logs.append('a', ['1', '2', '3', '4', '5']);
    const read = logs.read('a');
    expect(texts(read.lines)).toEqual(['3', '4', '5']);
    expect([read.oldestSeq, read.nextSeq]).toEqual([3, 6]);
    expect(seqs(logs.read('a', { fromSeq: 4, limit: 1 }).lines)).toEqual([4]);
  });

  it('stores sanitised, capped text', () => {
    const logs = make({ maxLineChars: 5 });
    logs.append('a', ['\x1b[32mok\x1b[0m\x00', 'abcdefgh']);
    expect(texts(logs.read('a').lines)).toEqual(['ok␀', 'abcde …[truncated: 8 chars]']);
  });

  it('refuses bad input before appending anything', () => {
    const logs = make({ maxLinesPerAppend: 3 });
    const cases: [unknown, unknown, string][] = [
      ['bad id', ['x'], 'agentId'],
      ['a', 42, 'lines'],
      ['a', ['ok', 7], 'lines[1]'],
      ['a', ['1\n2', '3\n4'], 'lines'],
    ];
    for (const [id, lines, field] of cases) {
      let err: unknown;
      try {
        logs.append(id as string, lines);
      } catch (e) {
        err = e;
      }
      expect(isLiveVariantsError(err) && err.field).toBe(field);
    }
    expect(logs.read('a').nextSeq).toBe(1);
  });
});

describe('AgentLogs.subscribe', () => {
  it('delivers the history, then live lines, each once and in order', () => {
    const logs = make();
    logs.append('a', ['1', '2']);
    const got: LogLine[] = [];
    const sub = logs.subscribe('a', {}, (l) => got.push(l));
    expect(seqs(got)).toEqual([1, 2]);
    logs.append('a', ['3']);
    logs.append('b', ['other agent']);
    expect(seqs(got)).toEqual([1, 2, 3]);
    expect(sub.startSeq).toBe(1);
    sub.unsubscribe();
    logs.append('a', ['4']);
    expect(seqs(got)).toEqual([1, 2, 3]);
    expect(logs.subscriberCount('a')).toBe(0);
  });

  it('starts at fromSeq; a fromSeq beyond anything issued (a restarted stream) replays the buffer', () => {
    const logs = make();
    logs.append('a', ['1', '2', '3']);
    const from2: number[] = [];
    logs.subscribe('a', { fromSeq: 2 }, (l) => from2.push(l.seq));
    const fromNext: number[] = [];
    logs.subscribe('a', { fromSeq: 4 }, (l) => fromNext.push(l.seq));
    const stale: number[] = [];
    logs.subscribe('a', { fromSeq: 900 }, (l) => stale.push(l.seq));
    logs.append('a', ['4']);
    expect(from2).toEqual([2, 3, 4]);
    expect(fromNext).toEqual([4]);
    expect(stale).toEqual([1, 2, 3, 4]);
  });

  it('waits for an agent that has not logged yet', () => {
    const logs = make();
    const got: string[] = [];
    logs.subscribe('later', {}, (l) => got.push(l.text));
    logs.append('later', ['hello']);
    expect(got).toEqual(['hello']);
  });

  it('reports lines evicted before the subscriber asked for them as a gap before the first line', () => {
    const logs = make({ capacity: 2 });
    logs.append('a', ['1', '2', '3', '4']);
    const events: (LogGap | number)[] = [];
    logs.subscribe('a', { fromSeq: 1, onGap: (g) => events.push(g) }, (l) => events.push(l.seq));
    expect(events).toEqual([{ fromSeq: 1, toSeq: 2 }, 3, 4]);
  });

  it('delivers lines appended by a subscriber callback after the current one, never re-entering it', () => {
    const logs = make({ capacity: 4 });
    logs.append('a', ['1', '2', '3', '4']);
    const got: number[] = [];
    let depth = 0;
    let maxDepth = 0;
    logs.subscribe('a', {}, (l) => {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      got.push(l.seq);
      // Two appends per delivered line while history is still being delivered: the ring (capacity 4)
      // evicts history this subscriber has not seen yet; its own queue still holds it.
      if (l.seq <= 4) logs.append('a', [`from ${l.seq}`, `again ${l.seq}`]);
      depth--;
    });
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(maxDepth).toBe(1);
  });

  it('lets a callback unsubscribe itself through its second argument', () => {
    const logs = make();
    logs.append('a', ['1', '2', '3']);
    const got: number[] = [];
    logs.subscribe('a', {}, (l, sub) => {
      got.push(l.seq);
      if (l.seq === 2) sub.unsubscribe();
    });
    logs.append('a', ['4']);
    expect(got).toEqual([1, 2]);
  });

  it('unsubscribes a callback that throws and keeps serving the others', () => {
    const logs = make();
    const errors: unknown[] = [];
    const bad = logs.subscribe('a', { onError: (e) => errors.push(e) }, () => {
      throw new Error('view disposed');
    });
    const good: number[] = [];
    logs.subscribe('a', {}, (l) => good.push(l.seq));
    expect(() => logs.append('a', ['1', '2'])).not.toThrow();
    expect(bad.active).toBe(false);
    expect((errors[0] as Error).message).toBe('view disposed');
    expect(good).toEqual([1, 2]);
    expect(logs.subscriberCount('a')).toBe(1);
  });

  it('bounds a subscriber backlog: a callback flooding its own stream loses the oldest lines, reported exactly', () => {
    const logs = make({ capacity: 10, maxBacklog: 10 });
    const events: (LogGap | number)[] = [];
    let flooded = false;
    logs.subscribe('a', { onGap: (g) => events.push(g) }, (l) => {
      events.push(l.seq);
      if (!flooded) {
        flooded = true;
        logs.append(
          'a',
          Array.from({ length: 25 }, (_, i) => `flood ${i}`),
        );
      }
    });
    logs.append('a', ['first']);
    // Line 1 was being delivered when lines 2..26 arrived; only the last 10 (17..26) fit the backlog.
    expect(events).toEqual([1, { fromSeq: 2, toSeq: 16 }, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
  });

  it('forgets the least recently active agent without subscribers beyond maxAgents', () => {
    const logs = make({ maxAgents: 2 });
    logs.subscribe('watched', {}, () => {});
    logs.append('x', ['1']);
    logs.append('y', ['1']);
    expect(logs.agents().sort()).toEqual(['watched', 'y']);
    logs.forget('watched');
    expect(logs.agents()).toEqual(['y']);
  });
});
