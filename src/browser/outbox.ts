// Events the page has not seen acknowledged as durable. They stay in memory and in localStorage until the
// bridge acks them (or refuses them as invalid), and are resent with the same eventId after a reconnect, a
// bridge restart or a page reload: the bridge answers a repeated eventId with the original seq, so a resend
// is never applied twice. Checkpoints coalesce: a newer one from the same owner replaces a queued older one.
import type { OutgoingEvent } from './types';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const OUTBOX_KEY = 'live-variants:outbox';
/** Beyond this many unsent events new ones are refused (the UI says so); checkpoints coalesce, so real use
 * stays far below it. */
export const OUTBOX_MAX = 64;

const EVENT_TYPES = new Set(['generate', 'checkpoint', 'accept', 'discard', 'exit']);

function isEvent(x: unknown): x is OutgoingEvent {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.type === 'string' &&
    EVENT_TYPES.has(e.type) &&
    typeof e.eventId === 'string' &&
    typeof e.sessionId === 'string'
  );
}

/** True when `older` is a checkpoint that `newer` supersedes (same session and owner, lower revision). */
function supersedes(newer: OutgoingEvent, older: OutgoingEvent): boolean {
  return (
    newer.type === 'checkpoint' &&
    older.type === 'checkpoint' &&
    older.sessionId === newer.sessionId &&
    older.owner === newer.owner &&
    older.revision < newer.revision
  );
}

export class Outbox {
  private entries: OutgoingEvent[];

  constructor(
    private readonly store: KeyValueStore | null,
    private readonly key = OUTBOX_KEY,
  ) {
    // A reloaded (or crashed) page's unsent events are ours to deliver now.
    this.entries = this.read();
  }

  private read(): OutgoingEvent[] {
    if (!this.store) return [];
    try {
      const raw = this.store.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isEvent).slice(0, OUTBOX_MAX) : [];
    } catch {
      return [];
    }
  }

  /** Read-modify-write, so events other tabs queued in the same storage are kept. */
  private persist(change: (stored: OutgoingEvent[]) => OutgoingEvent[]): void {
    if (!this.store) return;
    try {
      const next = change(this.read());
      if (next.length === 0) this.store.removeItem(this.key);
      else this.store.setItem(this.key, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the in-memory queue still holds the events.
    }
  }

  /** Queues an event; false when the queue is full (nothing is dropped silently: the caller reports it). */
  add(event: OutgoingEvent): boolean {
    if (this.entries.some((e) => e.eventId === event.eventId)) return true;
    const kept = this.entries.filter((e) => !supersedes(event, e));
    if (kept.length >= OUTBOX_MAX) return false;
    kept.push(event);
    this.entries = kept;
    this.persist((stored) => [
      ...stored.filter((e) => !supersedes(event, e) && e.eventId !== event.eventId),
      event,
    ]);
    return true;
  }

  /** Removes an event once acked or refused; returns it when it was queued. */
  remove(eventId: string): OutgoingEvent | undefined {
    const found = this.entries.find((e) => e.eventId === eventId);
    this.entries = this.entries.filter((e) => e.eventId !== eventId);
    this.persist((stored) => stored.filter((e) => e.eventId !== eventId));
    return found;
  }

  list(): readonly OutgoingEvent[] {
    return this.entries;
  }

  get size(): number {
    return this.entries.length;
  }

  has(eventId: string): boolean {
    return this.entries.some((e) => e.eventId === eventId);
  }

  /** Queued events of one session, oldest first. */
  forSession(sessionId: string): OutgoingEvent[] {
    return this.entries.filter((e) => e.sessionId === sessionId);
  }
}

/** A store that never throws: localStorage may be missing, disabled or full. */
export function safeStore(get: () => Storage | undefined): KeyValueStore | null {
  let storage: Storage | undefined;
  try {
    storage = get();
    if (!storage) return null;
    const probe = 'live-variants:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
  } catch {
    return null;
  }
  const s = storage;
  return {
    getItem: (k) => {
      try {
        return s.getItem(k);
      } catch {
        return null;
      }
    },
    setItem: (k, v) => {
      try {
        s.setItem(k, v);
      } catch {
        // full or disabled
      }
    },
    removeItem: (k) => {
      try {
        s.removeItem(k);
      } catch {
        // disabled
      }
    },
  };
}
