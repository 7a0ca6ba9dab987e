// "3 s ago", "5 min ago": how long ago something happened, for agents' last contact. Pure.

export function timeAgo(thenIso: string, nowMs: number): string {
  const then = Date.parse(thenIso);
  if (!Number.isFinite(then)) return '';
  const s = Math.max(0, Math.round((nowMs - then) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}
