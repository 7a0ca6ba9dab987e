// Shape every bench/*.bench.ts default export resolves to.
export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "<= 10". */
  target?: string;
  ok?: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
