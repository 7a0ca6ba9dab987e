// The work queue against a deliberately naive reference model (arrays and linear scans) over random command
// sequences: every command's return value (or error code and field), the owed set, dead letters, stats,
// nextWakeAt and the emitted diagnostics must agree after every step, across simulated restarts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLiveVariantsError } from '../../src/core/errors';
import {
  type AckPlan,
  type AckRecord,
  type QueueDiagnostic,
  type RestoreState,
  WORK_KINDS,
  type WorkItem,
  WorkQueue,
} from '../../src/core/queue';
import { DEFAULT_LEASE_MS, Fail, MAX_LEASE_MS, Model, RESULTS } from '../unit/queue/referenceModel';

/** What a session engine's journals would hold: enqueues, acks, cancels and expiry diagnostics. */
class Journal {
  pending = new Map<string, { item: WorkItem; attempts: number }>();
  dead = new Map<string, { item: WorkItem; attempts: number }>();
  acked: AckRecord[] = [];

  enqueued(item: WorkItem): void {
    this.pending.set(item.id, { item, attempts: 0 });
  }
  diagnostic(d: QueueDiagnostic): void {
    const p = this.pending.get(d.itemId)!;
    p.attempts = d.attempts;
    if (d.code === 'dead_lettered') {
      this.pending.delete(d.itemId);
      this.dead.set(d.itemId, p);
    }
  }
  ackCommitted(rec: AckRecord): void {
    this.acked.push(rec);
    this.pending.delete(rec.itemId);
    this.dead.delete(rec.itemId);
  }
  cancelled(id: string): void {
    this.pending.delete(id);
    this.dead.delete(id);
  }
  state(): RestoreState {
    return {
      pending: [...this.pending.values()],
      acked: [...this.acked],
      deadLettered: [...this.dead.values()],
    };
  }
}

const leaseRef = fc.oneof(
  { weight: 4, arbitrary: fc.record({ latest: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ issued: fc.nat(40) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      forgedItem: fc.nat(5),
      fence: fc.integer({ min: 1, max: 4 }),
      oldEpoch: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom({ raw: 'garbage' }, { raw: 'i1@e0.0' }, { raw: '' }) },
);
const kindArb = fc.constantFrom(...WORK_KINDS);
const agentArb = fc.constantFrom('a0', 'a1', 'a2');
const command = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('enqueue' as const),
      id: fc.nat(5),
      kind: kindArb,
      session: fc.nat(2),
      bump: fc.nat(1),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('lease' as const),
      kinds: fc.option(fc.uniqueArray(kindArb, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      agent: fc.option(agentArb, { nil: undefined }),
      ms: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('extend' as const),
      ref: leaseRef,
      ms: fc.integer({ min: 0, max: 40 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('ack' as const),
      ref: leaseRef,
      result: fc.nat(RESULTS.length - 1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('check' as const),
      ref: leaseRef,
      result: fc.nat(RESULTS.length - 1),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('commit' as const), pick: fc.nat(5) }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('revokeAgent' as const), agent: agentArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('revokeLease' as const), ref: leaseRef }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('takeInterrupt' as const), agent: agentArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), id: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancelSession' as const), session: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('restart' as const) }) },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;
type LeaseRef = typeof leaseRef extends fc.Arbitrary<infer R> ? R : never;

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof Fail) return { error: e.code, field: e.field };
    if (isLiveVariantsError(e)) return { error: e.code, field: e.field };
    throw e;
  }
}

function run(maxAttempts: number, commands: Command[]): void {
  let t = 1_000;
  const now = () => t;
  let epochNo = 0;
  const realDiagnostics: QueueDiagnostic[] = [];
  const journal = new Journal();
  const options = (epoch: string) => ({
    now,
    epoch,
    maxAttempts,
    defaultLeaseMs: DEFAULT_LEASE_MS,
    maxLeaseMs: MAX_LEASE_MS,
    onDiagnostic: (d: QueueDiagnostic) => {
      realDiagnostics.push(d);
      journal.diagnostic(d);
    },
  });
  let real = new WorkQueue(options('e0'));
  let model = new Model('e0', now, maxAttempts);
  let realDiagnosticsBase = 0;
  const issued: string[] = [];
  let plans: { real: AckPlan; model: AckPlan }[] = [];
  let arrival = 0;

  const refId = (ref: LeaseRef): string => {
    if (issued.length === 0 && ('issued' in ref || 'latest' in ref)) return 'i0@e0.1';
    if ('issued' in ref) return issued[ref.issued % issued.length];
    if ('latest' in ref) return issued[Math.max(0, issued.length - 1 - ref.latest)];
    if ('raw' in ref) return ref.raw;
    const epoch = ref.oldEpoch && epochNo > 0 ? `e${epochNo - 1}` : `e${epochNo}`;
    return `i${ref.forgedItem}@${epoch}.${ref.fence}`;
  };

  for (const [step, c] of commands.entries()) {
    let real_: unknown;
    let model_: unknown;
    switch (c.t) {
      case 'enqueue': {
        arrival += c.bump;
        const item: WorkItem = {
          id: `i${c.id}`,
          sessionId: `s${c.session}`,
          kind: c.kind,
          payload: { n: c.id },
          arrival,
        };
        real_ = outcome(() => real.enqueue(item));
        model_ = outcome(() => model.enqueue(item));
        if ((model_ as { ok: { enqueued: boolean } }).ok.enqueued) journal.enqueued(item);
        break;
      }
      case 'lease': {
        const req = { kinds: c.kinds, agentId: c.agent, leaseMs: c.ms };
        real_ = outcome(() => real.lease(req));
        model_ = outcome(() => model.lease(c.kinds, c.agent, c.ms));
        const grant = (model_ as { ok?: { lease: { leaseId: string } } }).ok;
        if (grant) issued.push(grant.lease.leaseId);
        break;
      }
      case 'extend': {
        const id = refId(c.ref);
        real_ = outcome(() => real.extend(id, c.ms));
        model_ = outcome(() => model.extend(id, c.ms));
        break;
      }
      case 'ack': {
        const id = refId(c.ref);
        const result = RESULTS[c.result];
        real_ = outcome(() => real.ack(id, result));
        model_ = outcome(() => model.commitAck(model.checkAck(id, result)));
        const ok = (model_ as { ok?: AckRecord & { duplicate: boolean } }).ok;
        if (ok && !ok.duplicate) journal.ackCommitted(ok);
        break;
      }
      case 'check': {
        const id = refId(c.ref);
        const result = RESULTS[c.result];
        const before = real.owed();
        real_ = outcome(() => real.checkAck(id, result));
        model_ = outcome(() => model.checkAck(id, result));
        expect(real.owed()).toEqual(before);
        const r = (real_ as { ok?: AckPlan }).ok;
        const m = (model_ as { ok?: AckPlan }).ok;
        if (r && m) plans.push({ real: r, model: m });
        break;
      }
      case 'commit': {
        if (plans.length === 0) continue;
        const [p] = plans.splice(c.pick % plans.length, 1);
        real_ = outcome(() => real.commitAck(p.real));
        model_ = outcome(() => model.commitAck(p.model));
        const ok = (model_ as { ok?: AckRecord & { duplicate: boolean } }).ok;
        if (ok && !ok.duplicate) journal.ackCommitted(ok);
        break;
      }
      case 'tick':
        t += c.ms;
        real_ = model_ = null;
        break;
      case 'expire':
        real_ = outcome(() => real.expire());
        model_ = outcome(() => model.expire());
        break;
      case 'revokeAgent':
        real_ = outcome(() => real.revoke({ agentId: c.agent }, `stop ${step}`));
        model_ = outcome(() => model.revoke({ agentId: c.agent }, `stop ${step}`));
        break;
      case 'revokeLease': {
        const id = refId(c.ref);
        real_ = outcome(() => real.revoke({ leaseId: id }, `stop ${step}`));
        model_ = outcome(() => model.revoke({ leaseId: id }, `stop ${step}`));
        break;
      }
      case 'takeInterrupt':
        real_ = outcome(() => real.takeInterrupt(c.agent));
        model_ = outcome(() => model.takeInterrupt(c.agent));
        break;
      case 'cancel':
        real_ = outcome(() => real.cancel(`i${c.id}`));
        model_ = outcome(() => model.cancel(`i${c.id}`));
        journal.cancelled(`i${c.id}`);
        break;
      case 'cancelSession':
        real_ = outcome(() => real.cancelSession(`s${c.session}`));
        model_ = outcome(() => model.cancelSession(`s${c.session}`));
        for (const it of (model_ as { ok: WorkItem[] }).ok) journal.cancelled(it.id);
        break;
      case 'restart': {
        epochNo += 1;
        const state = journal.state();
        real = WorkQueue.restore(options(`e${epochNo}`), state);
        model = Model.restore(`e${epochNo}`, now, maxAttempts, state);
        plans = []; // in flight, never journaled: lost with the process
        realDiagnosticsBase = realDiagnostics.length;
        real_ = model_ = null;
        break;
      }
    }
    const ctx = `step ${step}: ${JSON.stringify(c)}`;
    expect(stripMessages(real_), ctx).toEqual(model_);
    expect(real.owed(), ctx).toEqual(model.owed());
    expect(real.deadLetters(), ctx).toEqual(model.deadLetters());
    expect(real.stats(), ctx).toEqual(model.stats());
    expect(real.nextWakeAt(), ctx).toBe(model.nextWakeAt());
    expect(stripMessages(realDiagnostics.slice(realDiagnosticsBase)), ctx).toEqual(model.diagnostics);
  }
}

/** Diagnostic messages are prose; the model compares everything else. */
function stripMessages(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripMessages);
  if (v !== null && typeof v === 'object') {
    const o = { ...(v as Record<string, unknown>) };
    if (typeof o.code === 'string' && typeof o.message === 'string') delete o.message;
    for (const k of Object.keys(o)) o[k] = stripMessages(o[k]);
    return o;
  }
  return v;
}

describe('work queue against a reference model', () => {
  it('never diverges over random enqueue/lease/extend/ack/expire/revoke/cancel/restart sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }),
        (maxAttempts, commands) => run(maxAttempts, commands),
      ),
      { numRuns: 1_000 },
    );
  });
});
