// The agents registry (docs/agents.md "Presence and the registry"): who has reached the bridge, when, doing what, holding which
// lease, in which sessions. An agent is not a session: one agent works through many sessions and a session
// may see several agents. Presence is derived from the last contact (presence.ts); listeners hear each
// contact and each time-driven presence change (one timer, armed for the earliest change). The registry is
// saved to a small JSON file at most every `everyMs` and on close, so a reload shows the recent agents.
import { LiveVariantsError } from '../errors';
import { writeFileAtomic } from './atomicFile';
import { checkContact, leaseFromQueue, type OwedLease } from './contact';
import { validateAgentId } from './ids';
import {
  nextPresenceChangeAt,
  type Presence,
  type PresenceThresholds,
  presenceAt,
  resolveThresholds,
} from './presence';
import { readRegistryFile, serializeRegistry } from './registryFile';
import { nodeTimers } from './timers';
import type {
  AgentContact,
  AgentEvent,
  AgentRecord,
  AgentView,
  RegistryDiagnostic,
  RegistryTimers,
} from './types';

export interface AgentRegistryOptions extends Partial<PresenceThresholds> {
  /** Wall-clock milliseconds (presence survives a reload, so it is wall time, not monotonic). */
  now?: () => number;
  /** Agents kept; past it the one heard from least recently is dropped (default 256). */
  maxAgents?: number;
  /** Sessions remembered per agent (default 20). */
  maxSessions?: number;
  /** Agents not heard from for this long are dropped on load and on save (default 7 days). */
  retainMs?: number;
  /** Save to this file at most every `everyMs` (default 5,000) while something changed, and on close. */
  persist?: { path: string; everyMs?: number };
  /** Timers for the presence sweep and throttled saves; `null`: none (the caller calls `sweep`/`flush`). */
  timers?: RegistryTimers | null;
  onDiagnostic?: (d: RegistryDiagnostic) => void;
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentRecord>();
  /** Presence last told to listeners, per agent. */
  private readonly reported = new Map<string, Presence>();
  private readonly listeners = new Set<(e: AgentEvent) => void>();
  private readonly thresholds: PresenceThresholds;
  private readonly now: () => number;
  private readonly maxAgents: number;
  private readonly maxSessions: number;
  private readonly retainMs: number;
  private readonly timers: RegistryTimers | null;
  private readonly persistPath: string | undefined;
  private readonly everyMs: number;
  readonly diagnostics: RegistryDiagnostic[] = [];
  private sweepTimer: unknown;
  private sweepAt: number | undefined;
  private saveTimer: unknown;
  private dirty = false;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: AgentRegistryOptions = {}) {
    this.thresholds = resolveThresholds(opts);
    this.now = opts.now ?? Date.now;
    this.maxAgents = wholeNumber(opts.maxAgents, 'maxAgents', 256);
    this.maxSessions = wholeNumber(opts.maxSessions, 'maxSessions', 20);
    this.retainMs = wholeNumber(opts.retainMs, 'retainMs', 7 * 24 * 3_600_000);
    this.timers = opts.timers === undefined ? nodeTimers : opts.timers;
    this.persistPath = opts.persist?.path;
    this.everyMs = wholeNumber(opts.persist?.everyMs, 'persist.everyMs', 5_000);
  }

  /**
   * A registry saved to `path`, starting from what the file holds (missing or unreadable: empty, with a
   * diagnostic). Agents older than `retainMs` are left out.
   */
  static async load(
    path: string,
    opts: Omit<AgentRegistryOptions, 'persist'> & { everyMs?: number } = {},
  ): Promise<AgentRegistry> {
    const registry = new AgentRegistry({ ...opts, persist: { path, everyMs: opts.everyMs } });
    const parsed = await readRegistryFile(path);
    for (const d of parsed.diagnostics) registry.report(d);
    const now = registry.now();
    const fresh = parsed.records
      .filter((r) => now - r.lastSeenAt < registry.retainMs)
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
      .slice(0, registry.maxAgents);
    for (const r of fresh.reverse()) {
      r.sessions = r.sessions.slice(0, registry.maxSessions);
      registry.agents.set(r.agentId, r);
      registry.reported.set(r.agentId, presenceAt(r.lastSeenAt, now, registry.thresholds));
    }
    registry.armSweep();
    return registry;
  }

  /** How long after its last contact an agent stops being `online`. */
  get idleAfterMs(): number {
    return this.thresholds.idleAfterMs;
  }

  /** Records a contact (poll, ack, heartbeat, log line…): refreshes presence. Untrusted input is checked. */
  touch(agentId: string, contact: AgentContact): AgentView {
    this.ensureOpen();
    const id = validateAgentId(agentId);
    const c = checkContact(contact);
    const now = this.now();
    let rec = this.agents.get(id);
    if (rec === undefined) {
      rec = {
        agentId: id,
        name: c.name ?? id,
        harness: c.harness ?? 'unknown',
        firstSeenAt: now,
        lastSeenAt: now,
        lastAction: { action: c.action, at: now, detail: c.detail ?? null },
        lease: null,
        sessions: [],
        interrupt: null,
      };
      this.agents.set(id, rec);
      this.evictBeyondLimit(id);
    } else {
      // Re-insert: map order is recency order.
      this.agents.delete(id);
      this.agents.set(id, rec);
      if (c.name !== undefined) rec.name = c.name;
      if (c.harness !== undefined) rec.harness = c.harness;
      rec.lastSeenAt = Math.max(rec.lastSeenAt, now);
      rec.lastAction = { action: c.action, at: now, detail: c.detail ?? null };
    }
    if (c.lease !== undefined) rec.lease = c.lease;
    if (c.lease) this.noteSession(rec, c.lease.sessionId);
    if (c.sessionId !== undefined) this.noteSession(rec, c.sessionId);
    const previous = this.reported.get(id);
    const presence = presenceAt(rec.lastSeenAt, now, this.thresholds);
    this.reported.set(id, presence);
    this.markDirty();
    // This agent's next change is now + idleAfterMs; it may come before the armed one (an idle agent's was
    // its offline time), never needs a later timer than one already armed (an early wake-up just re-arms).
    const due = rec.lastSeenAt + this.thresholds.idleAfterMs;
    if (this.sweepAt === undefined || due < this.sweepAt) this.armSweep(due);
    this.emit({ agentId: id, kind: 'contact', presence, ...(previous ? { previous } : {}) });
    return this.view(rec, now);
  }

  /** Notes an interrupt of a known agent (interruptAgent calls this). Unknown agents are not created. */
  recordInterrupt(agentId: string, reason: string, revoked: number): boolean {
    const rec = this.agents.get(agentId);
    if (rec === undefined) return false;
    rec.interrupt = { reason, at: this.now(), revoked, delivered: false };
    if (revoked > 0) rec.lease = null;
    this.markDirty();
    this.emit({ agentId, kind: 'interrupt', presence: this.presenceOf(rec) });
    return true;
  }

  /** The agent's poll or heartbeat took the interrupt notice. */
  markInterruptDelivered(agentId: string): void {
    const rec = this.agents.get(agentId);
    if (rec?.interrupt == null || rec.interrupt.delivered) return;
    rec.interrupt.delivered = true;
    this.markDirty();
    this.emit({ agentId, kind: 'interrupt', presence: this.presenceOf(rec) });
  }

  get(agentId: string, owed?: readonly OwedLease[]): AgentView | undefined {
    const rec = this.agents.get(agentId);
    if (rec === undefined) return undefined;
    const view = this.view(rec, this.now());
    if (owed) view.lease = leaseFromQueue(agentId, owed);
    return view;
  }

  presence(agentId: string): Presence | undefined {
    const rec = this.agents.get(agentId);
    return rec && this.presenceOf(rec);
  }

  /**
   * Every agent, most recently heard from first. With `owed` (the queue's owed items) each agent's lease is
   * the one the queue says it holds now, which also covers leases that expired or were acked elsewhere.
   */
  list(owed?: readonly OwedLease[]): AgentView[] {
    const now = this.now();
    const out = [...this.agents.values()].map((r) => this.view(r, now));
    if (owed) for (const v of out) v.lease = leaseFromQueue(v.agentId, owed);
    return out.sort((a, b) => a.quietMs - b.quietMs || (a.agentId < b.agentId ? -1 : 1));
  }

  /** Agents that are online or idle (not offline). */
  countPresent(): number {
    const now = this.now();
    let n = 0;
    for (const r of this.agents.values())
      if (presenceAt(r.lastSeenAt, now, this.thresholds) !== 'offline') n++;
    return n;
  }

  remove(agentId: string): boolean {
    const rec = this.agents.get(agentId);
    if (rec === undefined) return false;
    this.agents.delete(agentId);
    this.reported.delete(agentId);
    this.markDirty();
    this.emit({ agentId, kind: 'removed', presence: 'offline' });
    return true;
  }

  onChange(listener: (e: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells listeners about presence that time changed since it was last told; re-arms the timer. */
  sweep(): AgentEvent[] {
    const now = this.now();
    const events: AgentEvent[] = [];
    for (const rec of this.agents.values()) {
      const presence = presenceAt(rec.lastSeenAt, now, this.thresholds);
      const previous = this.reported.get(rec.agentId);
      if (presence === previous) continue;
      this.reported.set(rec.agentId, presence);
      events.push({ agentId: rec.agentId, kind: 'presence', presence, ...(previous ? { previous } : {}) });
    }
    for (const e of events) this.emit(e);
    this.armSweep();
    return events;
  }

  /** When the next presence change is due (epoch ms), or undefined when every agent is offline. */
  nextChangeAt(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const r of this.agents.values()) {
      const at = nextPresenceChangeAt(r.lastSeenAt, now, this.thresholds);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Writes the file now if anything changed since the last save (no-op without `persist`). */
  flush(): Promise<void> {
    const path = this.persistPath;
    if (path === undefined) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const now = this.now();
      this.lastSaveAt = now;
      const kept = [...this.agents.values()].filter((r) => now - r.lastSeenAt < this.retainMs);
      try {
        await writeFileAtomic(path, serializeRegistry(kept, now));
      } catch (e) {
        this.dirty = true;
        this.report({
          code: 'agents_file_write_failed',
          message: `The agents file ${path} was not written (${(e as NodeJS.ErrnoException).code ?? String(e)}); the registry stays in memory.`,
        });
        this.scheduleSave();
      }
    });
    return this.saving;
  }

  /** Stops the timers and saves what changed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer('sweep');
    this.clearTimer('save');
    this.listeners.clear();
    await this.flush();
  }

  private ensureOpen(): void {
    if (this.closed) throw new LiveVariantsError('registry_closed', 'The agents registry is closed.');
  }

  private presenceOf(rec: AgentRecord): Presence {
    return presenceAt(rec.lastSeenAt, this.now(), this.thresholds);
  }

  private view(rec: AgentRecord, now: number): AgentView {
    return {
      agentId: rec.agentId,
      name: rec.name,
      harness: rec.harness,
      presence: presenceAt(rec.lastSeenAt, now, this.thresholds),
      firstSeenAt: iso(rec.firstSeenAt),
      lastSeenAt: iso(rec.lastSeenAt),
      quietMs: Math.max(0, now - rec.lastSeenAt),
      lastAction: {
        action: rec.lastAction.action,
        at: iso(rec.lastAction.at),
        detail: rec.lastAction.detail,
      },
      lease: rec.lease && { ...rec.lease },
      sessions: [...rec.sessions],
      interrupt: rec.interrupt && { ...rec.interrupt, at: iso(rec.interrupt.at) },
    };
  }

  private noteSession(rec: AgentRecord, sessionId: string): void {
    const i = rec.sessions.indexOf(sessionId);
    if (i === 0) return;
    if (i > 0) rec.sessions.splice(i, 1);
    rec.sessions.unshift(sessionId);
    if (rec.sessions.length > this.maxSessions) rec.sessions.length = this.maxSessions;
  }

  private evictBeyondLimit(keep: string): void {
    while (this.agents.size > this.maxAgents) {
      let oldest: AgentRecord | undefined;
      for (const r of this.agents.values()) {
        if (r.agentId !== keep && (oldest === undefined || r.lastSeenAt < oldest.lastSeenAt)) oldest = r;
      }
      if (oldest === undefined) return;
      this.agents.delete(oldest.agentId);
      this.reported.delete(oldest.agentId);
      this.emit({ agentId: oldest.agentId, kind: 'removed', presence: 'offline' });
    }
  }

  private emit(e: AgentEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // A failing listener (a disposed view) must not stop the registry or the other listeners.
      }
    }
  }

  private report(d: RegistryDiagnostic): void {
    this.diagnostics.push(d);
    if (this.diagnostics.length > 100) this.diagnostics.shift();
    this.opts.onDiagnostic?.(d);
  }

  private markDirty(): void {
    this.dirty = true;
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.persistPath === undefined || this.timers === null || this.closed) return;
    if (this.saveTimer !== undefined) return;
    const wait = Math.max(0, this.lastSaveAt + this.everyMs - this.now());
    this.saveTimer = this.timers.setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, wait);
  }

  /** Arms the single presence timer for `at`, by default the earliest change of any agent. */
  private armSweep(at: number | undefined = this.nextChangeAt()): void {
    this.clearTimer('sweep');
    if (at === undefined || this.timers === null || this.closed) return;
    this.sweepAt = at;
    this.sweepTimer = this.timers.setTimeout(
      () => {
        this.sweepTimer = undefined;
        this.sweepAt = undefined;
        this.sweep();
      },
      Math.max(0, at - this.now()),
    );
  }

  private clearTimer(which: 'sweep' | 'save'): void {
    if (which === 'sweep') {
      if (this.sweepTimer !== undefined) this.timers?.clearTimeout(this.sweepTimer);
      this.sweepTimer = undefined;
      this.sweepAt = undefined;
    } else {
      if (this.saveTimer !== undefined) this.timers?.clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
  }
}

function wholeNumber(v: number | undefined, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new LiveVariantsError('invalid_option', `${field} must be a whole number of at least 1.`, field);
  }
  return v;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
