import { describe, expect, it } from 'vitest';
import { atBottom, visibleRange } from '../../../webview-ui/virtualWindow';

const base = { rowHeight: 22, viewportHeight: 220, overscan: 5 };

describe('visibleRange', () => {
  it('renders the rows in view plus the overscan below at the top of a long list', () => {
    expect(visibleRange({ ...base, scrollTop: 0, total: 5000 })).toEqual({ first: 0, last: 15 });
  });

  it('renders a window of constant size in the middle of 5,000 rows, whatever the position', () => {
    const r = visibleRange({ ...base, scrollTop: 2500 * 22, total: 5000 });
    expect(r).toEqual({ first: 2495, last: 2515 });
    expect(r.last - r.first).toBe(20);
  });

  it('counts a partly visible row at the bottom edge as visible', () => {
    expect(visibleRange({ ...base, overscan: 0, scrollTop: 11, total: 100 })).toEqual({ first: 0, last: 11 });
  });

  it('stops at the end of the list', () => {
    expect(visibleRange({ ...base, scrollTop: 4990 * 22, total: 5000 })).toEqual({ first: 4985, last: 5000 });
  });

  it('shows the last rows when the scroll position is past the end of a list that shrank', () => {
    expect(visibleRange({ ...base, scrollTop: 100_000, total: 20 })).toEqual({ first: 5, last: 20 });
  });

  it('is empty for an empty list and tolerates a negative scroll position', () => {
    expect(visibleRange({ ...base, scrollTop: 0, total: 0 })).toEqual({ first: 0, last: 0 });
    expect(visibleRange({ ...base, scrollTop: -50, total: 3 })).toEqual({ first: 0, last: 3 });
  });
});

describe('atBottom', () => {
  it('is true within the slack of the end and false above it', () => {
    expect(atBottom(780, 220, 1000, 22)).toBe(true);
    expect(atBottom(758, 220, 1000, 22)).toBe(true);
    expect(atBottom(757, 220, 1000, 22)).toBe(false);
  });
});
