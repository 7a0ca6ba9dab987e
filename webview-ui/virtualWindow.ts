// Which rows of a fixed-row-height list are in the DOM: the visible ones plus a margin on each side. Pure, so
// the windowing is unit-tested; the timeline and the agent log both render through it.

export interface WindowInput {
  scrollTop: number;
  /** The list's visible height in pixels. */
  viewportHeight: number;
  rowHeight: number;
  total: number;
  /** Extra rows rendered above and below, so a fast scroll does not show blank space. */
  overscan: number;
}

/** Rows `first` (inclusive) to `last` (exclusive); empty (0, 0) for an empty list. */
export interface RowRange {
  first: number;
  last: number;
}

export function visibleRange(w: WindowInput): RowRange {
  if (w.total <= 0 || w.rowHeight <= 0) return { first: 0, last: 0 };
  // A scroll position past the end (the list just shrank, e.g. a filter) still shows the last rows.
  const maxTop = Math.max(0, w.total * w.rowHeight - w.viewportHeight);
  const top = Math.min(Math.max(0, w.scrollTop), maxTop);
  const first = Math.max(0, Math.floor(top / w.rowHeight) - w.overscan);
  const last = Math.min(w.total, Math.ceil((top + Math.max(0, w.viewportHeight)) / w.rowHeight) + w.overscan);
  return { first, last: Math.max(first, last) };
}

/** True when the list is scrolled to (within one row of) its end: new rows should keep it there. */
export function atBottom(
  scrollTop: number,
  viewportHeight: number,
  contentHeight: number,
  slack: number,
): boolean {
  return scrollTop + viewportHeight >= contentHeight - slack;
}
