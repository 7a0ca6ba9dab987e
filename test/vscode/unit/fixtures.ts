// Status report pieces for the extension's pure modules, written out in full so each test reads on its own.
import type { NextAction, SessionStatus, StatusReport } from '../../../src/core/status';

export function nextAction(overrides: Partial<NextAction> = {}): NextAction {
  return {
    action: 'poll_for_pending_event',
    reason: 'Work is queued.',
    sessionId: '5eed1234',
    phase: 'generating',
    file: 'index.html',
    variant: null,
    paramValues: null,
    lease: null,
    branch: null,
    diagnostics: [],
    ...overrides,
  };
}

export function session(overrides: Partial<SessionStatus> = {}): SessionStatus {
  return {
    sessionId: '5eed1234',
    phase: 'cycling',
    strandedFrom: null,
    file: 'index.html',
    variant: '2',
    paramValues: {},
    lease: null,
    branch: null,
    diagnostics: [],
    artifacts: [],
    count: 3,
    variantsFound: 3,
    browserConnected: false,
    lastSeq: 3,
    lastActivityAt: '2026-01-01T10:00:00.000Z',
    owed: [],
    nextAction: nextAction({
      action: 'ask_user_to_reopen_browser',
      phase: 'cycling',
      reason: 'No page holds it.',
    }),
    ...overrides,
  };
}

export function report(sessions: SessionStatus[], overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    v: 1,
    generatedAt: '2026-01-01T10:00:01.000Z',
    bridge: { running: true, url: 'http://127.0.0.1:4000', agentsOnline: 0 },
    nextAction: sessions[0]?.nextAction ?? nextAction({ action: 'no_active_session', sessionId: null }),
    sessions,
    sourceSessions: [],
    completed: [],
    diagnostics: [],
    effects: [],
    ...overrides,
  };
}
