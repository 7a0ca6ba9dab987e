// Presence is derived from the time of an agent's last contact, never stored: `online` while the last contact
// is less than `idleAfterMs` old, `idle` until it is `offlineAfterMs` old, `offline` from then on. The
// boundaries belong to the later state (exactly 30 s after the last contact the agent is offline).
import { LiveVariantsError } from '../errors';

export type Presence = 'online' | 'idle' | 'offline';

export interface PresenceThresholds {
  /** No contact for this long → `idle` (default 10,000 ms). */
  idleAfterMs: number;
  /** No contact for this long → `offline` (default 30,000 ms). */
  offlineAfterMs: number;
}

export const DEFAULT_PRESENCE: PresenceThresholds = { idleAfterMs: 10_000, offlineAfterMs: 30_000 };

export function resolveThresholds(t: Partial<PresenceThresholds> = {}): PresenceThresholds {
  const idleAfterMs = t.idleAfterMs ?? DEFAULT_PRESENCE.idleAfterMs;
  const offlineAfterMs = t.offlineAfterMs ?? DEFAULT_PRESENCE.offlineAfterMs;
  for (const [field, v] of [
    ['idleAfterMs', idleAfterMs],
    ['offlineAfterMs', offlineAfterMs],
  ] as const) {
    if (!Number.isFinite(v) || v <= 0) {
      throw new LiveVariantsError(
        'invalid_option',
        `${field} must be a number of milliseconds above 0.`,
        field,
      );
    }
  }
  if (idleAfterMs > offlineAfterMs) {
    throw new LiveVariantsError(
      'invalid_option',
      'idleAfterMs must not exceed offlineAfterMs (an agent goes idle before it goes offline).',
      'idleAfterMs',
    );
  }
  return { idleAfterMs, offlineAfterMs };
}

export function presenceAt(lastSeenAt: number, now: number, t: PresenceThresholds): Presence {
  const quiet = now - lastSeenAt;
  if (quiet < t.idleAfterMs) return 'online';
  if (quiet < t.offlineAfterMs) return 'idle';
  return 'offline';
}

/** When the presence computed from `lastSeenAt` next changes; undefined once it is offline. */
export function nextPresenceChangeAt(
  lastSeenAt: number,
  now: number,
  t: PresenceThresholds,
): number | undefined {
  if (now < lastSeenAt + t.idleAfterMs) return lastSeenAt + t.idleAfterMs;
  if (now < lastSeenAt + t.offlineAfterMs) return lastSeenAt + t.offlineAfterMs;
  return undefined;
}
