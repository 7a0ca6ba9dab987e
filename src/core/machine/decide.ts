// The pure decision API, shared by the live engine and by journal replay: fold events through XState's pure
// `transition`, applying those the machine accepts and explaining the rest.

import { type AnyActorScope, createActor } from 'xstate';
import type { SessionEvent } from './events';
import { explainRejection, type MachineDiagnostic } from './explainRejection';
import { sessionMachine } from './sessionMachine';
import { initialSessionSnapshot, type SessionSnapshot } from './snapshot';

export type Decision =
  | { accepted: true; next: SessionSnapshot }
  | { accepted: false; diagnostic: MachineDiagnostic };

// XState's pure `transition()` builds a throwaway actor on every call, and building one computes the machine's
// initial snapshot: that was most of the cost of a decision. The session machine only assigns (no spawned,
// invoked, raised or sent actions), so one inert scope serves every call; its action executor drops the
// executable actions, which `transition()` would return and we never run.
let inertScope: AnyActorScope | undefined;
function scope(): AnyActorScope {
  if (inertScope === undefined) {
    const self = createActor(sessionMachine, { input: { sessionId: '00000000' } });
    inertScope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    } as AnyActorScope;
  }
  return inertScope;
}

export function decide(snapshot: SessionSnapshot, event: SessionEvent): Decision {
  // `can` evaluates guards; every transition in the chart has a target or an action, so "can" means "applies".
  if (snapshot.status === 'active' && snapshot.can(event)) {
    return { accepted: true, next: sessionMachine.transition(snapshot, event, scope()) };
  }
  return { accepted: false, diagnostic: explainRejection(snapshot, event) };
}

export interface ReplayDiagnostic extends MachineDiagnostic {
  /** Position of the rejected event in the replayed list. */
  index: number;
}

export interface ReplayResult {
  snapshot: SessionSnapshot;
  diagnostics: ReplayDiagnostic[];
}

/**
 * Replays `events` from `from`: a snapshot (for example one read back with `fromPersisted`) or a session id to
 * start a fresh session. Executes nothing; rejected events become diagnostics.
 */
export function replay(events: readonly SessionEvent[], from: SessionSnapshot | string): ReplayResult {
  let snapshot = typeof from === 'string' ? initialSessionSnapshot(from) : from;
  const diagnostics: ReplayDiagnostic[] = [];
  events.forEach((event, index) => {
    const decision = decide(snapshot, event);
    if (decision.accepted) snapshot = decision.next;
    else diagnostics.push({ ...decision.diagnostic, index });
  });
  return { snapshot, diagnostics };
}
