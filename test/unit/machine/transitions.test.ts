import { describe, expect, it } from 'vitest';
import {
  decide,
  type MachineDiagnosticCode,
  type Phase,
  persistedJson,
  phaseOf,
  type SessionEventType,
} from '../../../src/core/machine';
import { PATH_TO, REPRESENTATIVE, reach } from './fixtures';

type Expect = Phase | MachineDiagnosticCode;

// Every state × every event type: the state the representative event leads to, or the diagnostic code it is
// rejected with. This table is the chart of DESIGN.md §3 as the machine enforces it.
const MATRIX: Record<Phase, Record<SessionEventType, Expect>> = {
  configuring: {
    'browser.generate': 'generating',
    'browser.checkpoint': 'rejected_transition',
    'browser.accept': 'rejected_transition',
    'browser.discard': 'complete',
    'browser.exit': 'complete',
    'agent.done': 'rejected_transition',
    'agent.error': 'rejected_transition',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'rejected_transition',
    // Adopting a session found only in source markers.
    'source.wrapped': 'source_wrapped',
    'source.variants_seen': 'variants_written',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'rejected_transition',
    'session.resume': 'rejected_transition',
  },
  generating: {
    'browser.generate': 'generating',
    'browser.checkpoint': 'rejected_transition',
    'browser.accept': 'rejected_transition',
    'browser.discard': 'discard_pending',
    'browser.exit': 'generating',
    'agent.done': 'variants_written',
    'agent.error': 'failed',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'generating',
    'source.wrapped': 'source_wrapped',
    'source.variants_seen': 'variants_written',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  source_wrapped: {
    'browser.generate': 'generating',
    'browser.checkpoint': 'rejected_transition',
    'browser.accept': 'rejected_transition',
    'browser.discard': 'discard_pending',
    'browser.exit': 'source_wrapped',
    'agent.done': 'variants_written',
    'agent.error': 'failed',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'source_wrapped',
    'source.wrapped': 'duplicate_event',
    'source.variants_seen': 'variants_written',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  variants_written: {
    'browser.generate': 'generating',
    'browser.checkpoint': 'cycling',
    'browser.accept': 'accept_pending',
    'browser.discard': 'discard_pending',
    'browser.exit': 'stranded',
    'agent.done': 'variants_written',
    'agent.error': 'variants_written',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'rejected_transition',
    'source.wrapped': 'rejected_transition',
    'source.variants_seen': 'variants_written',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  cycling: {
    'browser.generate': 'generating',
    'browser.checkpoint': 'cycling',
    'browser.accept': 'accept_pending',
    'browser.discard': 'discard_pending',
    'browser.exit': 'stranded',
    'agent.done': 'cycling',
    'agent.error': 'cycling',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'rejected_transition',
    'source.wrapped': 'rejected_transition',
    'source.variants_seen': 'cycling',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  accept_pending: {
    'browser.generate': 'late_event',
    'browser.checkpoint': 'late_event',
    'browser.accept': 'duplicate_event',
    'browser.discard': 'rejected_transition',
    'browser.exit': 'late_event',
    'agent.done': 'late_event',
    'agent.error': 'accept_pending',
    'agent.complete': 'complete',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'accept_pending',
    'source.wrapped': 'late_event',
    'source.variants_seen': 'late_event',
    'accept.applied': 'complete',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'complete',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  accepted_source_pending: {
    'browser.generate': 'late_event',
    'browser.checkpoint': 'late_event',
    'browser.accept': 'duplicate_event',
    'browser.discard': 'rejected_transition',
    'browser.exit': 'late_event',
    'agent.done': 'late_event',
    'agent.error': 'accepted_source_pending',
    'agent.complete': 'complete',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'accepted_source_pending',
    'source.wrapped': 'late_event',
    'source.variants_seen': 'late_event',
    'accept.applied': 'duplicate_event',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'complete',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  discard_pending: {
    'browser.generate': 'late_event',
    'browser.checkpoint': 'late_event',
    'browser.accept': 'rejected_transition',
    'browser.discard': 'duplicate_event',
    'browser.exit': 'late_event',
    'agent.done': 'late_event',
    'agent.error': 'discard_pending',
    'agent.complete': 'complete',
    'agent.discarded': 'complete',
    'agent.retry': 'discard_pending',
    'source.wrapped': 'late_event',
    'source.variants_seen': 'late_event',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'complete',
    'cleanup.completed': 'complete',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  stranded: {
    'browser.generate': 'rejected_transition',
    'browser.checkpoint': 'rejected_transition',
    'browser.accept': 'rejected_transition',
    'browser.discard': 'discard_pending',
    'browser.exit': 'rejected_transition',
    'agent.done': 'rejected_transition',
    'agent.error': 'rejected_transition',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'rejected_transition',
    'source.wrapped': 'rejected_transition',
    'source.variants_seen': 'rejected_transition',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'duplicate_event',
    'session.resume': 'cycling',
  },
  failed: {
    'browser.generate': 'generating',
    'browser.checkpoint': 'rejected_transition',
    'browser.accept': 'rejected_transition',
    'browser.discard': 'complete',
    'browser.exit': 'failed',
    'agent.done': 'rejected_transition',
    'agent.error': 'failed',
    'agent.complete': 'rejected_transition',
    'agent.discarded': 'complete',
    'agent.retry': 'generating',
    'source.wrapped': 'failed',
    'source.variants_seen': 'failed',
    'accept.applied': 'rejected_transition',
    'discard.applied': 'complete',
    'cleanup.completed': 'rejected_transition',
    'session.strand': 'stranded',
    'session.resume': 'rejected_transition',
  },
  complete: {
    'browser.generate': 'late_event',
    'browser.checkpoint': 'late_event',
    'browser.accept': 'duplicate_event',
    'browser.discard': 'rejected_transition',
    'browser.exit': 'late_event',
    'agent.done': 'late_event',
    'agent.error': 'late_event',
    'agent.complete': 'duplicate_event',
    'agent.discarded': 'rejected_transition',
    'agent.retry': 'late_event',
    'source.wrapped': 'late_event',
    'source.variants_seen': 'late_event',
    'accept.applied': 'duplicate_event',
    'discard.applied': 'rejected_transition',
    'cleanup.completed': 'duplicate_event',
    'session.strand': 'rejected_transition',
    'session.resume': 'rejected_transition',
  },
};

const PHASE_NAMES = new Set<string>(Object.keys(PATH_TO));

describe('session machine transition matrix', () => {
  for (const [state, row] of Object.entries(MATRIX) as [Phase, Record<SessionEventType, Expect>][]) {
    describe(`in ${state}`, () => {
      const start = reach(PATH_TO[state]);
      it(`the setup path reaches ${state}`, () => {
        expect(phaseOf(start)).toBe(state);
      });
      for (const [type, expected] of Object.entries(row) as [SessionEventType, Expect][]) {
        if (PHASE_NAMES.has(expected)) {
          it(`${type} is accepted and leads to ${expected}`, () => {
            const decision = decide(start, REPRESENTATIVE[type]);
            expect(decision.accepted).toBe(true);
            if (decision.accepted) expect(phaseOf(decision.next)).toBe(expected);
          });
        } else {
          it(`${type} is refused as ${expected} and changes nothing`, () => {
            const before = persistedJson(start);
            const decision = decide(start, REPRESENTATIVE[type]);
            expect(decision).toEqual({
              accepted: false,
              diagnostic: { code: expected, message: expect.any(String), event: type, state },
            });
            expect(persistedJson(start)).toBe(before);
          });
        }
      }
    });
  }
});
