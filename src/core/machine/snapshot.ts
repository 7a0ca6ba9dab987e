import { initialTransition, type SnapshotFrom } from 'xstate';
import { LiveVariantsError } from '../errors';
import { isSourceSessionId } from '../protocol/ids';
import type { Phase } from './context';
import { sessionMachine } from './sessionMachine';

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** A new session's snapshot (state `configuring`), computed with XState's pure `initialTransition`. */
export function initialSessionSnapshot(sessionId: string): SessionSnapshot {
  if (!isSourceSessionId(sessionId)) {
    throw new LiveVariantsError(
      'invalid_session_id',
      'a session id must be 1 to 64 letters, digits, "_" or "-"',
      'sessionId',
    );
  }
  return initialTransition(sessionMachine, { sessionId })[0];
}

/** The state the session is in; the machine is flat, so this is its state value. */
export function phaseOf(snapshot: SessionSnapshot): Phase {
  return snapshot.value as Phase;
}
