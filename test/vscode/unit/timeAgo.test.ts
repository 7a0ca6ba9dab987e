import { describe, expect, it } from 'vitest';
import { timeAgo } from '../../../webview-ui/timeAgo';

const at = Date.parse('2026-01-01T10:00:00.000Z');

describe('timeAgo', () => {
  it('says seconds, minutes, hours, then days', () => {
    expect(timeAgo('2026-01-01T10:00:00.000Z', at + 4_400)).toBe('4 s ago');
    expect(timeAgo('2026-01-01T10:00:00.000Z', at + 59_000)).toBe('59 s ago');
    expect(timeAgo('2026-01-01T10:00:00.000Z', at + 60_000)).toBe('1 min ago');
    expect(timeAgo('2026-01-01T10:00:00.000Z', at + 3 * 3_600_000)).toBe('3 h ago');
    expect(timeAgo('2026-01-01T10:00:00.000Z', at + 72 * 3_600_000)).toBe('3 days ago');
  });

  it('never says a time in the future, and says nothing for a bad date', () => {
    expect(timeAgo('2026-01-01T10:00:05.000Z', at)).toBe('0 s ago');
    expect(timeAgo('yesterday', at)).toBe('');
  });
});
