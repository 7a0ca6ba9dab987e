import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../../webview-ui/logBuffer';
import type { LogEntry } from '../../../webview-ui/protocol';

function lines(from: number, to: number, text = (n: number) => `line ${n}`): LogEntry[] {
  const out: LogEntry[] = [];
  for (let n = from; n <= to; n++)
    out.push({ seq: n, at: '2026-01-01T10:00:00.000Z', text: text(n), gap: false });
  return out;
}

const texts = (b: LogBuffer) => Array.from({ length: b.length }, (_, i) => b.at(i)?.text);

describe('LogBuffer', () => {
  it('shows every line in order without a filter', () => {
    const b = new LogBuffer();
    b.append(lines(1, 3));
    b.append(lines(4, 5));
    expect(texts(b)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(b.at(5)).toBeUndefined();
    expect(b.at(-1)).toBeUndefined();
  });

  it('filters case-insensitively on a trimmed substring, and keeps filtering lines appended later', () => {
    const b = new LogBuffer();
    b.append(lines(1, 3, (n) => (n === 2 ? 'Wrote VARIANT 2' : `poll ${n}`)));
    b.setFilter('  variant ');
    expect(texts(b)).toEqual(['Wrote VARIANT 2']);
    b.append(lines(4, 5, (n) => (n === 5 ? 'variant 3 done' : 'noise')));
    expect(texts(b)).toEqual(['Wrote VARIANT 2', 'variant 3 done']);
    expect(b.held).toBe(5);
    b.setFilter('');
    expect(b.length).toBe(5);
  });

  it('always shows a gap mark, whatever the filter', () => {
    const b = new LogBuffer();
    b.append([...lines(1, 1), { seq: 9, at: '', text: 'lines 2–9 were lost', gap: true }, ...lines(10, 10)]);
    b.setFilter('line 10');
    expect(texts(b)).toEqual(['lines 2–9 were lost', 'line 10']);
  });

  it('keeps the newest lines when full, evicting the oldest in chunks, with the filter still right', () => {
    const b = new LogBuffer(100);
    b.setFilter('7');
    b.append(lines(1, 101));
    // Over capacity: down to 90 lines at once (lines 12…101).
    expect(b.held).toBe(90);
    expect(b.dropped).toBe(11);
    expect(texts(b)).toEqual([
      'line 17',
      'line 27',
      'line 37',
      'line 47',
      'line 57',
      'line 67',
      'line 70',
      'line 71',
      'line 72',
      'line 73',
      'line 74',
      'line 75',
      'line 76',
      'line 77',
      'line 78',
      'line 79',
      'line 87',
      'line 97',
    ]);
    b.setFilter('');
    expect(b.at(0)?.seq).toBe(12);
    expect(b.at(89)?.seq).toBe(101);
  });

  it('holds 5,000 lines and finds one of them by filter', () => {
    const b = new LogBuffer();
    b.append(lines(1, 5000));
    expect(b.length).toBe(5000);
    b.setFilter('line 4321');
    expect(texts(b)).toEqual(['line 4321']);
  });

  it('starts empty again after clear, keeping the filter', () => {
    const b = new LogBuffer();
    b.setFilter('x');
    b.append(lines(1, 3, () => 'x'));
    b.clear();
    expect([b.length, b.held, b.dropped, b.filter]).toEqual([0, 0, 0, 'x']);
    b.append(lines(1, 2, (n) => (n === 1 ? 'x' : 'y')));
    expect(texts(b)).toEqual(['x']);
  });
});
