// A deliberately naive reference for the work queue: the rules of docs/queue.md written with arrays and
// linear scans, so the property test (test/property/queue.test.ts) can compare the indexed queue against it.
import type { AckPlan, QueueDiagnostic, RestoreState, WorkItem, WorkKind } from '../../../src/core/queue';
import { WORK_KINDS } from '../../../src/core/queue';

export const DEFAULT_LEASE_MS = 20;
export const MAX_LEASE_MS = 1_000;
const RANK: Record<WorkKind, number> = {
  accept: 0,
  discard: 0,
  carbonize_cleanup: 1,
  answer: 2,
  generate: 3,
};
export const RESULTS: unknown[] = [
  { ok: 1 },
  { ok: 2 },
  { ok: 1, note: 'x' },
  { note: 'x', ok: 1 },
  [1, { b: 2, a: 1 }],
];

/** A refusal the model predicts: compared by code and field only. */
export class Fail {
  constructor(
    readonly code: string,
    readonly field: string | undefined,
  ) {}
}

interface MItem {
  item: WorkItem;
  seq: number;
  state: 'ready' | 'leased' | 'dead';
  fence: number;
  revoked: boolean;
  expiries: number;
  leaseUntil: number;
  agentId?: string;
}

interface MAcked {
  itemId: string;
  sessionId: string;
  kind: WorkKind;
  json: string;
}

export function canon(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x !== null && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
}

const priority = (a: MItem, b: MItem): number =>
  RANK[a.item.kind] - RANK[b.item.kind] || a.item.arrival - b.item.arrival || a.seq - b.seq;

/** The reference: the rules of docs/queue.md, written as plainly as possible. */
export class Model {
  items: MItem[] = [];
  acked: MAcked[] = [];
  deadOrder: string[] = [];
  interrupts = new Map<string, { type: 'interrupt'; reason: string }>();
  diagnostics: QueueDiagnostic[] = [];
  private seq = 0;

  constructor(
    readonly epoch: string,
    private readonly now: () => number,
    private readonly maxAttempts: number,
  ) {}

  static restore(epoch: string, now: () => number, maxAttempts: number, s: RestoreState): Model {
    const m = new Model(epoch, now, maxAttempts);
    for (const a of s.acked) {
      if (!m.findAcked(a.itemId))
        m.acked.push({ itemId: a.itemId, sessionId: a.sessionId, kind: a.kind, json: canon(a.result) });
    }
    for (const [list, dead] of [
      [s.deadLettered ?? [], true],
      [s.pending, false],
    ] as const) {
      for (const r of list) {
        if (m.findAcked(r.item.id) || m.find(r.item.id)) continue;
        const it = m.add(r.item);
        it.expiries = dead ? (r.attempts ?? 0) : Math.min(r.attempts ?? 0, maxAttempts - 1);
        if (dead) {
          it.state = 'dead';
          m.deadOrder.push(it.item.id);
        }
      }
    }
    return m;
  }

  find(id: string): MItem | undefined {
    return this.items.find((i) => i.item.id === id);
  }
  findAcked(id: string): MAcked | undefined {
    return this.acked.find((a) => a.itemId === id);
  }
  private add(item: WorkItem): MItem {
    const it: MItem = {
      item,
      seq: this.seq++,
      state: 'ready',
      fence: 0,
      revoked: false,
      expiries: 0,
      leaseUntil: 0,
    };
    this.items.push(it);
    return it;
  }
  private drop(id: string): void {
    this.items = this.items.filter((i) => i.item.id !== id);
    this.deadOrder = this.deadOrder.filter((d) => d !== id);
  }
  leaseOf(i: MItem) {
    return {
      leaseId: `${i.item.id}@${this.epoch}.${i.fence}`,
      itemId: i.item.id,
      fence: i.fence,
      leaseUntil: i.leaseUntil,
      attempt: i.expiries + 1,
      ...(i.agentId !== undefined ? { agentId: i.agentId } : {}),
    };
  }
  private parse(leaseId: string): { itemId: string; epoch: string; fence: number } | undefined {
    const m = leaseId.length <= 300 ? /^(.+)@([A-Za-z0-9_-]{1,24})\.([1-9][0-9]{0,14})$/.exec(leaseId) : null;
    return m ? { itemId: m[1], epoch: m[2], fence: Number(m[3]) } : undefined;
  }

  enqueue(item: WorkItem) {
    if (this.findAcked(item.id)) return { enqueued: false, state: 'acked' };
    const known = this.find(item.id);
    if (known) return { enqueued: false, state: known.state };
    this.add(item);
    return { enqueued: true, state: 'ready' };
  }

  expire(): QueueDiagnostic[] {
    const t = this.now();
    const due = this.items
      .filter((i) => i.state === 'leased' && i.leaseUntil <= t)
      .sort((a, b) => a.leaseUntil - b.leaseUntil || a.seq - b.seq);
    const out: QueueDiagnostic[] = [];
    for (const i of due) {
      const leaseId = this.leaseOf(i).leaseId;
      i.expiries += 1;
      const dead = i.expiries >= this.maxAttempts;
      i.state = dead ? 'dead' : 'ready';
      if (dead) this.deadOrder.push(i.item.id);
      const d = {
        code: dead ? 'dead_lettered' : 'lease_expired',
        itemId: i.item.id,
        sessionId: i.item.sessionId,
        attempts: i.expiries,
        leaseId,
        ...(i.agentId !== undefined ? { agentId: i.agentId } : {}),
      } as QueueDiagnostic;
      out.push(d);
      this.diagnostics.push(d);
    }
    return out;
  }

  lease(kinds: WorkKind[] | undefined, agentId: string | undefined, ms: number | undefined) {
    if (ms !== undefined && (ms <= 0 || ms > MAX_LEASE_MS)) throw new Fail('invalid_input', 'leaseMs');
    this.expire();
    const best = this.items
      .filter((i) => i.state === 'ready' && (kinds ?? WORK_KINDS).includes(i.item.kind))
      .sort(priority)[0];
    if (!best) return undefined;
    best.state = 'leased';
    best.fence += 1;
    best.revoked = false;
    best.leaseUntil = this.now() + (ms ?? DEFAULT_LEASE_MS);
    best.agentId = agentId;
    return { lease: this.leaseOf(best), item: best.item };
  }

  private current(leaseId: string): MItem {
    const p = this.parse(leaseId);
    if (!p) throw new Fail('unknown_lease', 'leaseId');
    const i = this.find(p.itemId);
    if (!i) throw new Fail(this.findAcked(p.itemId) ? 'lease_superseded' : 'unknown_lease', 'leaseId');
    if (p.epoch !== this.epoch) throw new Fail('lease_superseded', 'leaseId');
    if (p.fence > i.fence) throw new Fail('unknown_lease', 'leaseId');
    if (p.fence < i.fence || i.revoked) throw new Fail('lease_superseded', 'leaseId');
    return i;
  }

  extend(leaseId: string, ms: number) {
    const i = this.current(leaseId);
    if (ms <= 0 || ms > MAX_LEASE_MS) throw new Fail('invalid_input', 'ms');
    if (i.state !== 'leased' || this.now() >= i.leaseUntil) throw new Fail('lease_expired', 'leaseId');
    i.leaseUntil = this.now() + ms;
    return this.leaseOf(i);
  }

  checkAck(leaseId: string, result: unknown): AckPlan {
    const p = this.parse(leaseId);
    if (!p) throw new Fail('unknown_lease', 'leaseId');
    const json = canon(result);
    const a = this.findAcked(p.itemId);
    if (a) {
      if (a.json !== json) throw new Fail('lease_superseded', 'leaseId');
      return {
        leaseId,
        itemId: a.itemId,
        sessionId: a.sessionId,
        kind: a.kind,
        result: JSON.parse(json),
        duplicate: true,
      };
    }
    const { id, sessionId, kind } = this.current(leaseId).item;
    return { leaseId, itemId: id, sessionId, kind, result: JSON.parse(json), duplicate: false };
  }

  commitAck(plan: AckPlan) {
    const json = canon(plan.result);
    const base = { itemId: plan.itemId, sessionId: plan.sessionId, kind: plan.kind, result: plan.result };
    const a = this.findAcked(plan.itemId);
    if (a) {
      if (a.json !== json) throw new Fail('lease_superseded', 'leaseId');
      return { ...base, duplicate: true };
    }
    this.drop(plan.itemId);
    this.acked.push({ itemId: plan.itemId, sessionId: plan.sessionId, kind: plan.kind, json });
    return { ...base, duplicate: false };
  }

  revoke(target: { agentId: string } | { leaseId: string }, reason: string) {
    let victims: MItem[] = [];
    let noticed: string | undefined;
    if ('agentId' in target) {
      noticed = target.agentId;
      victims = this.items.filter((i) => i.state === 'leased' && i.agentId === target.agentId);
    } else {
      const p = this.parse(target.leaseId);
      if (!p) throw new Fail('unknown_lease', 'leaseId');
      const i = this.find(p.itemId);
      if (!i && !this.findAcked(p.itemId)) throw new Fail('unknown_lease', 'leaseId');
      if (i && p.epoch === this.epoch && p.fence > i.fence) throw new Fail('unknown_lease', 'leaseId');
      if (i && i.state === 'leased' && p.epoch === this.epoch && p.fence === i.fence) {
        victims = [i];
        noticed = i.agentId;
      }
    }
    const leases = victims.sort(priority).map((i) => this.leaseOf(i));
    for (const i of victims) {
      i.state = 'ready';
      i.revoked = true;
    }
    if (noticed !== undefined) this.interrupts.set(noticed, { type: 'interrupt', reason });
    return leases;
  }

  takeInterrupt(agentId: string) {
    const n = this.interrupts.get(agentId);
    this.interrupts.delete(agentId);
    return n;
  }

  cancel(id: string) {
    const i = this.find(id);
    if (i) this.drop(id);
    return i?.item;
  }

  cancelSession(sessionId: string) {
    const victims = this.items.filter((i) => i.item.sessionId === sessionId).sort(priority);
    for (const v of victims) this.drop(v.item.id);
    return victims.map((v) => v.item);
  }

  owed() {
    return this.items
      .filter((i) => i.state !== 'dead')
      .sort(priority)
      .map((i) => ({
        item: i.item,
        state: i.state,
        attempts: i.expiries,
        ...(i.state === 'leased' ? { lease: this.leaseOf(i) } : {}),
      }));
  }

  nextWakeAt(): number | undefined {
    const leased = this.items.filter((i) => i.state === 'leased').map((i) => i.leaseUntil);
    return leased.length === 0 ? undefined : Math.min(...leased);
  }

  deadLetters() {
    return this.deadOrder.map((id) => {
      const i = this.find(id)!;
      return { item: i.item, attempts: i.expiries };
    });
  }

  stats() {
    const readyByKind = Object.fromEntries(
      WORK_KINDS.map((k) => [k, this.items.filter((i) => i.state === 'ready' && i.item.kind === k).length]),
    );
    const wake = this.nextWakeAt();
    return {
      ready: this.items.filter((i) => i.state === 'ready').length,
      leased: this.items.filter((i) => i.state === 'leased').length,
      acked: this.acked.length,
      deadLettered: this.deadOrder.length,
      readyByKind,
      ...(wake !== undefined ? { nextWakeAt: wake } : {}),
    };
  }
}
