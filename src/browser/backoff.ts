// Reconnect delays: exponential with a cap and jitter, so a restarted bridge is found within a few seconds
// and many tabs do not reconnect in lockstep.

export interface BackoffOptions {
  baseMs: number;
  factor: number;
  capMs: number;
  /** Fraction of the delay that is randomised (0.2 → ±20 %). */
  jitter: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 250, factor: 2, capMs: 4000, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = RECONNECT_BACKOFF,
  random = Math.random,
): number {
  const n = Math.max(0, Math.min(attempt, 30));
  const raw = Math.min(options.capMs, options.baseMs * options.factor ** n);
  const spread = raw * options.jitter;
  return Math.max(0, Math.round(raw - spread + random() * 2 * spread));
}
