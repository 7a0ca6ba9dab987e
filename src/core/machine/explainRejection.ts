// Why an event was not applied. The machine decides *whether* an event applies (an enabled transition exists);
// this only names the reason for the diagnostic the caller journals. Codes, in order of precedence:
//   late_event          a generation event (or the UI closing) after the user accepted or discarded
//   stale_checkpoint    a checkpoint whose revision is not newer than its owner's last one
//   duplicate_event     repeats what the session already recorded (same accept, second discard, …)
//   rejected_transition anything else the current state has no transition for (including conflicts)

import { lastRevision, type Phase, type SessionContext } from './context';
import type { SessionEvent, SessionEventType } from './events';
import { phaseOf, type SessionSnapshot } from './snapshot';

export type MachineDiagnosticCode =
  | 'rejected_transition'
  | 'stale_checkpoint'
  | 'late_event'
  | 'duplicate_event';

export interface MachineDiagnostic {
  code: MachineDiagnosticCode;
  message: string;
  /** The rejected event's type. */
  event: string;
  /** The state the session stayed in. */
  state: Phase;
}

const LATE_AFTER_DECISION: ReadonlySet<SessionEventType> = new Set<SessionEventType>([
  'browser.generate',
  'browser.checkpoint',
  'browser.exit',
  'agent.done',
  'source.wrapped',
  'source.variants_seen',
]);

/** Once complete, leftover agent chatter about the finished work is late too. */
const LATE_AFTER_COMPLETE: ReadonlySet<SessionEventType> = new Set<SessionEventType>([
  ...LATE_AFTER_DECISION,
  'agent.error',
  'agent.retry',
]);

type Decision = 'accept' | 'discard' | null;

function decisionOf(phase: Phase, context: SessionContext): Decision {
  if (phase === 'complete') return context.outcome === 'accepted' ? 'accept' : 'discard';
  const effective = phase === 'stranded' ? context.strandedFrom : phase;
  if (effective === 'accept_pending' || effective === 'accepted_source_pending') return 'accept';
  if (effective === 'discard_pending') return 'discard';
  return null;
}

function isDuplicate(
  phase: Phase,
  context: SessionContext,
  event: SessionEvent,
  decision: Decision,
): boolean {
  const effective = phase === 'stranded' ? context.strandedFrom : phase;
  switch (event.type) {
    case 'browser.accept':
      return decision === 'accept' && event.variant === context.acceptedVariant;
    case 'browser.discard':
      return decision === 'discard';
    case 'session.strand':
      return phase === 'stranded';
    case 'source.wrapped':
      return phase === 'source_wrapped';
    case 'accept.applied':
      return (
        event.variant === context.acceptedVariant &&
        (effective === 'accepted_source_pending' || (phase === 'complete' && decision === 'accept'))
      );
    case 'discard.applied':
    case 'agent.discarded':
      return phase === 'complete' && decision === 'discard';
    case 'agent.complete':
    case 'cleanup.completed':
      return phase === 'complete';
    default:
      return false;
  }
}

export function explainRejection(snapshot: SessionSnapshot, event: SessionEvent): MachineDiagnostic {
  const state = phaseOf(snapshot);
  const context = snapshot.context;
  const decision = decisionOf(state, context);
  const made = (code: MachineDiagnosticCode, message: string): MachineDiagnostic => ({
    code,
    message,
    event: event.type,
    state,
  });
  const late = state === 'complete' ? LATE_AFTER_COMPLETE : LATE_AFTER_DECISION;
  if (decision !== null && late.has(event.type)) {
    const what = decision === 'accept' ? 'accepted' : 'discarded';
    return made('late_event', `${event.type} arrived after the session was ${what}; recorded and ignored`);
  }
  if (event.type === 'browser.checkpoint') {
    const last = lastRevision(context, event.owner);
    if (last !== undefined && event.revision <= last) {
      return made(
        'stale_checkpoint',
        `checkpoint revision ${event.revision} from ${event.owner} is not newer than its revision ${last}; ignored`,
      );
    }
  }
  if (isDuplicate(state, context, event, decision)) {
    return made('duplicate_event', `${event.type} repeats what the session already recorded; nothing to do`);
  }
  if (event.type === 'browser.accept' && context.acceptedVariant !== null && decision === 'accept') {
    return made(
      'rejected_transition',
      `accepting variant ${event.variant} conflicts with the accepted variant ${context.acceptedVariant}; refused`,
    );
  }
  if (event.type === 'accept.applied' && decision === 'accept' && event.variant !== context.acceptedVariant) {
    return made(
      'rejected_transition',
      `variant ${event.variant} was applied but the user accepted variant ${context.acceptedVariant}; refused`,
    );
  }
  if (decision !== null && event.type === 'browser.discard') {
    return made('rejected_transition', 'discard conflicts with the accept already made; refused');
  }
  if (decision === 'discard' && event.type === 'browser.accept') {
    return made('rejected_transition', 'accept conflicts with the discard already made; refused');
  }
  const where = state === 'stranded' ? `stranded (from ${context.strandedFrom})` : state;
  return made('rejected_transition', `${event.type} is not allowed while the session is ${where}`);
}
