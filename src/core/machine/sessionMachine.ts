// The session machine (DESIGN.md §3). It is the only place where transitions are decided: an event with no
// enabled transition in the current state is rejected (see decide.ts) and changes nothing. Actions are pure
// `assign`s, so the same chart runs live in an actor and offline through XState's pure `transition`.

import { and, assign, setup } from 'xstate';
import {
  initialContext,
  lastRevision,
  RESUMABLE_PHASES,
  type ResumablePhase,
  type SessionContext,
  withRevision,
} from './context';
import type { SessionEvent, SessionEventOf, SessionEventType } from './events';

function is<K extends SessionEventType>(
  event: SessionEvent,
  type: K,
): event is Extract<SessionEvent, { type: K }> {
  return event.type === type;
}

/** Decisions already made are kept; a new request starts its variants from scratch. */
function requestFields(
  event: SessionEventOf<'browser.generate'>,
  context: SessionContext,
): Partial<SessionContext> {
  return {
    generation: context.generation + 1,
    mode: event.mode,
    position: event.position ?? null,
    count: event.count,
    action: event.action ?? null,
    fileHint: event.fileHint ?? null,
    variantsSeen: 0,
    visibleVariant: null,
    params: {},
    failure: null,
    lastError: null,
    browserClosed: false,
  };
}

const machineSetup = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { sessionId: string },
  },
  guards: {
    checkpointIsFresh: ({ context, event }) => {
      if (!is(event, 'browser.checkpoint')) return false;
      const last = lastRevision(context, event.owner);
      return last === undefined || event.revision > last;
    },
    isAcceptedVariant: ({ context, event }) =>
      is(event, 'accept.applied') && event.variant === context.acceptedVariant,
    isCarbonized: ({ event }) => is(event, 'accept.applied') && event.carbonize,
    browserClosed: ({ context }) => context.browserClosed,
    sourceTouched: ({ context }) => context.sourceTouched,
    strandedFrom: ({ context }, params: { phases: readonly ResumablePhase[] }) =>
      context.strandedFrom !== null && params.phases.includes(context.strandedFrom),
  },
  actions: {
    recordRequest: assign(({ context, event }) =>
      is(event, 'browser.generate') ? requestFields(event, context) : {},
    ),
    recordWrapped: assign(({ context, event }) => ({
      sourceTouched: true,
      file: (is(event, 'source.wrapped') ? event.file : undefined) ?? context.file,
    })),
    recordVariants: assign(({ context, event }) => {
      if (is(event, 'source.variants_seen')) {
        return { sourceTouched: true, variantsSeen: event.count, file: event.file ?? context.file };
      }
      if (is(event, 'agent.done')) {
        const seen = event.count ?? Math.max(context.variantsSeen, context.count ?? 0);
        return { sourceTouched: true, variantsSeen: seen, file: event.file ?? context.file };
      }
      return {};
    }),
    recordCheckpoint: assign(({ context, event }) =>
      is(event, 'browser.checkpoint')
        ? {
            checkpoints: withRevision(context.checkpoints, event.owner, event.revision),
            visibleVariant: event.variant,
            params: event.params,
            browserClosed: false,
          }
        : {},
    ),
    recordAccept: assign(({ context, event }) => {
      if (!is(event, 'browser.accept')) return {};
      // Without explicit params the accept keeps what the page last showed for that variant.
      const shown = context.visibleVariant === event.variant ? context.params : {};
      return { acceptedVariant: event.variant, acceptedParams: event.params ?? shown, browserClosed: false };
    }),
    recordCarbonized: assign({ carbonized: true }),
    completeAccepted: assign(({ event }) => ({
      outcome: 'accepted' as const,
      syntheticCompletion: is(event, 'cleanup.completed') && event.synthetic === true,
    })),
    completeDiscarded: assign(({ event }) => ({
      outcome: 'discarded' as const,
      syntheticCompletion: is(event, 'cleanup.completed') && event.synthetic === true,
    })),
    recordFailure: assign(({ event }) =>
      is(event, 'agent.error') ? { failure: event.message, lastError: event.message } : {},
    ),
    recordAgentError: assign(({ event }) => (is(event, 'agent.error') ? { lastError: event.message } : {})),
    recordRetry: assign(({ context }) => ({ retries: context.retries + 1, failure: null })),
    recordBrowserExit: assign({ browserClosed: true }),
    recordStrand: assign(({ event }, params: { from: ResumablePhase; reason?: string }) => ({
      strandedFrom: params.from,
      strandReason: params.reason ?? (is(event, 'session.strand') ? event.reason : 'interrupted'),
    })),
    recordResume: assign({ strandedFrom: null, strandReason: null, browserClosed: false }),
  },
});

const wasStrandedFrom = (...phases: ResumablePhase[]) =>
  ({ type: 'strandedFrom', params: { phases } }) as const;

const strand = (from: ResumablePhase) =>
  ({ target: 'stranded', actions: { type: 'recordStrand', params: { from } } }) as const;

const strandOnExit = (from: ResumablePhase) =>
  ({
    target: 'stranded',
    actions: { type: 'recordStrand', params: { from, reason: 'browser_exit' } },
  }) as const;

/** Variants reached the source; with the live UI closed nobody can pick one, so the session strands. */
const variantsArrived = [
  {
    guard: 'browserClosed',
    target: 'stranded',
    actions: [
      'recordVariants',
      { type: 'recordStrand', params: { from: 'variants_written', reason: 'browser_exit' } },
    ],
  },
  { target: 'variants_written', actions: 'recordVariants' },
] as const;

const regenerate = { target: 'generating', actions: 'recordRequest' } as const;
const agentStaysOwed = {
  'agent.error': { actions: 'recordAgentError' },
  'agent.retry': { actions: 'recordRetry' },
} as const;

export const sessionMachine = machineSetup.createMachine({
  id: 'session',
  initial: 'configuring',
  context: ({ input }) => initialContext(input.sessionId),
  states: {
    configuring: {
      on: {
        'browser.generate': regenerate,
        // A session found only in source markers (no journal yet) is adopted where its markers stand.
        'source.wrapped': { target: 'source_wrapped', actions: 'recordWrapped' },
        'source.variants_seen': { target: 'variants_written', actions: 'recordVariants' },
        // Nothing was written yet, so there is nothing to restore.
        'browser.discard': { target: 'complete', actions: 'completeDiscarded' },
        'browser.exit': { target: 'complete', actions: 'completeDiscarded' },
      },
    },
    generating: {
      on: {
        'browser.generate': regenerate,
        'source.wrapped': { target: 'source_wrapped', actions: 'recordWrapped' },
        'source.variants_seen': variantsArrived,
        'agent.done': variantsArrived,
        'agent.error': { target: 'failed', actions: 'recordFailure' },
        'agent.retry': { actions: 'recordRetry' },
        'browser.discard': { target: 'discard_pending' },
        'browser.exit': { actions: 'recordBrowserExit' },
        'session.strand': strand('generating'),
      },
    },
    source_wrapped: {
      on: {
        'browser.generate': regenerate,
        'source.variants_seen': variantsArrived,
        'agent.done': variantsArrived,
        'agent.error': { target: 'failed', actions: 'recordFailure' },
        'agent.retry': { actions: 'recordRetry' },
        'browser.discard': { target: 'discard_pending' },
        'browser.exit': { actions: 'recordBrowserExit' },
        'session.strand': strand('source_wrapped'),
      },
    },
    variants_written: {
      on: {
        'browser.checkpoint': { guard: 'checkpointIsFresh', target: 'cycling', actions: 'recordCheckpoint' },
        'browser.accept': { target: 'accept_pending', actions: 'recordAccept' },
        'browser.discard': { target: 'discard_pending' },
        'browser.generate': regenerate,
        'source.variants_seen': { actions: 'recordVariants' },
        'agent.done': { actions: 'recordVariants' },
        'agent.error': { actions: 'recordAgentError' },
        'browser.exit': strandOnExit('variants_written'),
        'session.strand': strand('variants_written'),
      },
    },
    cycling: {
      on: {
        'browser.checkpoint': { guard: 'checkpointIsFresh', actions: 'recordCheckpoint' },
        'browser.accept': { target: 'accept_pending', actions: 'recordAccept' },
        'browser.discard': { target: 'discard_pending' },
        'browser.generate': regenerate,
        'source.variants_seen': { actions: 'recordVariants' },
        'agent.done': { actions: 'recordVariants' },
        'agent.error': { actions: 'recordAgentError' },
        'browser.exit': strandOnExit('cycling'),
        'session.strand': strand('cycling'),
      },
    },
    accept_pending: {
      on: {
        // Only the variant the user accepted can be applied; anything else is a conflict and is rejected.
        'accept.applied': [
          {
            guard: and(['isAcceptedVariant', 'isCarbonized']),
            target: 'accepted_source_pending',
            actions: 'recordCarbonized',
          },
          { guard: 'isAcceptedVariant', target: 'complete', actions: 'completeAccepted' },
        ],
        'agent.complete': { target: 'complete', actions: 'completeAccepted' },
        'cleanup.completed': { target: 'complete', actions: 'completeAccepted' },
        ...agentStaysOwed,
        'session.strand': strand('accept_pending'),
      },
    },
    accepted_source_pending: {
      on: {
        'cleanup.completed': { target: 'complete', actions: 'completeAccepted' },
        'agent.complete': { target: 'complete', actions: 'completeAccepted' },
        ...agentStaysOwed,
        'session.strand': strand('accepted_source_pending'),
      },
    },
    discard_pending: {
      on: {
        'discard.applied': { target: 'complete', actions: 'completeDiscarded' },
        'agent.discarded': { target: 'complete', actions: 'completeDiscarded' },
        'agent.complete': { target: 'complete', actions: 'completeDiscarded' },
        'cleanup.completed': { target: 'complete', actions: 'completeDiscarded' },
        ...agentStaysOwed,
        'session.strand': strand('discard_pending'),
      },
    },
    failed: {
      on: {
        'agent.retry': { target: 'generating', actions: 'recordRetry' },
        'browser.generate': regenerate,
        'browser.discard': [
          { guard: 'sourceTouched', target: 'discard_pending' },
          { target: 'complete', actions: 'completeDiscarded' },
        ],
        'agent.discarded': { target: 'complete', actions: 'completeDiscarded' },
        'discard.applied': { target: 'complete', actions: 'completeDiscarded' },
        'agent.error': { actions: 'recordFailure' },
        // A failed agent may have left markers behind; knowing so decides what a later discard owes.
        'source.wrapped': { actions: 'recordWrapped' },
        'source.variants_seen': { actions: 'recordVariants' },
        'browser.exit': { actions: 'recordBrowserExit' },
        'session.strand': strand('failed'),
      },
    },
    stranded: {
      on: {
        'session.resume': RESUMABLE_PHASES.map((phase) => ({
          guard: wasStrandedFrom(phase),
          target: phase,
          actions: 'recordResume',
        })),
        // Giving up is always possible before a decision; after a failure with nothing in source it is final.
        'browser.discard': [
          {
            guard: wasStrandedFrom('generating', 'source_wrapped', 'variants_written', 'cycling'),
            target: 'discard_pending',
            actions: 'recordResume',
          },
          {
            guard: and([wasStrandedFrom('failed'), 'sourceTouched']),
            target: 'discard_pending',
            actions: 'recordResume',
          },
          {
            guard: wasStrandedFrom('failed'),
            target: 'complete',
            actions: ['recordResume', 'completeDiscarded'],
          },
        ],
      },
    },
    complete: { type: 'final' },
  },
});
