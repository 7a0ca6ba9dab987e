import { describe, expect, it } from 'vitest';
import {
  actionTitle,
  currentSession,
  phaseLabel,
  workOwedUnattended,
} from '../../../src/extension/sessionLabels';
import { report, session } from './fixtures';

describe('phaseLabel', () => {
  it.each([
    [{ phase: 'configuring' }, 'configuring'],
    [{ phase: 'generating', count: 3 }, 'generating 3 variants'],
    [{ phase: 'generating', count: null, variantsFound: null }, 'generating'],
    [{ phase: 'source_wrapped' }, 'writing variants'],
    [{ phase: 'variants_written', count: 2, variantsFound: 2 }, '2 variants ready'],
    [{ phase: 'cycling', variant: '2', count: 3 }, 'cycling 2/3'],
    [{ phase: 'cycling', variant: '2', count: null, variantsFound: null }, 'cycling 2'],
    [{ phase: 'accept_pending' }, 'accept pending'],
    [{ phase: 'discard_pending' }, 'discard pending'],
    [{ phase: 'accepted_source_pending' }, 'cleanup owed'],
    [{ phase: 'stranded', strandedFrom: 'accept_pending' as const }, 'stranded (accept pending)'],
    [{ phase: 'failed' }, 'failed'],
    [{ phase: 'complete' }, 'complete'],
  ])('%o reads "%s"', (overrides, label) => {
    expect(phaseLabel(session(overrides))).toBe(label);
  });

  it('counts the variants found in source when the request named no count', () => {
    expect(phaseLabel(session({ phase: 'cycling', variant: '1', count: null, variantsFound: 4 }))).toBe(
      'cycling 1/4',
    );
  });
});

describe('currentSession', () => {
  it('is the session the next action names', () => {
    const a = session({ sessionId: 'aaaaaaaa' });
    const b = session({ sessionId: 'bbbbbbbb', nextAction: { ...a.nextAction, sessionId: 'bbbbbbbb' } });
    expect(currentSession(report([a, b], { nextAction: b.nextAction }))?.sessionId).toBe('bbbbbbbb');
  });

  it('falls back to the most recently active session', () => {
    const a = session({ sessionId: 'aaaaaaaa', lastActivityAt: '2026-01-01T10:00:00.000Z' });
    const b = session({ sessionId: 'bbbbbbbb', lastActivityAt: '2026-01-01T11:00:00.000Z' });
    const r = report([a, b]);
    r.nextAction = { ...r.nextAction, sessionId: null };
    expect(currentSession(r)?.sessionId).toBe('bbbbbbbb');
  });

  it('is undefined without sessions or report', () => {
    expect(currentSession(undefined)).toBeUndefined();
    expect(currentSession(report([]))).toBeUndefined();
  });
});

describe('workOwedUnattended', () => {
  const ready = {
    itemId: 'x-1',
    kind: 'carbonize_cleanup' as const,
    state: 'ready' as const,
    attempts: 0,
    arrivedAt: null,
    lease: null,
  };
  it('is true when queued work has no agent online', () => {
    expect(workOwedUnattended(session({ owed: [ready] }), 0)).toBe(true);
  });
  it('is false while an agent is online or the work is leased', () => {
    expect(workOwedUnattended(session({ owed: [ready] }), 1)).toBe(false);
    expect(workOwedUnattended(session({ owed: [{ ...ready, state: 'leased' }] }), 0)).toBe(false);
  });
  it('is true for stranded and failed sessions whatever the queue says', () => {
    expect(workOwedUnattended(session({ phase: 'stranded' }), 3)).toBe(true);
    expect(workOwedUnattended(session({ phase: 'failed' }), 3)).toBe(true);
  });
});

describe('actionTitle', () => {
  it('names every next action, and spells out unknown ones', () => {
    expect(actionTitle('run_carbonize_cleanup')).toBe('Finish the accepted variant (carbonize cleanup)');
    expect(actionTitle('some_new_action')).toBe('some new action');
  });
});
