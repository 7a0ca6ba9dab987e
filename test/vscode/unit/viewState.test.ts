import { describe, expect, it } from 'vitest';
import { buildViewState } from '../../../src/extension/viewState';
import { nextAction, report, session } from './fixtures';

const input = {
  role: 'leader' as const,
  roleDetail: '',
  bridgeUrl: 'http://127.0.0.1:4000',
  appliedBy: 'extension' as const,
};

describe('buildViewState', () => {
  it('turns a session awaiting a choice into a card with one accept per variant', () => {
    const state = buildViewState({ ...input, report: report([session()]), lineOf: () => 10 });
    expect(state).toEqual({
      role: 'leader',
      roleDetail: '',
      bridge: { running: true, url: 'http://127.0.0.1:4000' },
      appliedBy: 'extension',
      current: '5eed1234',
      sessions: [
        {
          sessionId: '5eed1234',
          phase: 'cycling',
          label: 'cycling 2/3',
          file: 'index.html',
          line: 10,
          variant: '2',
          params: {},
          browserConnected: false,
          lastSeq: 3,
          lastActivityAt: '2026-01-01T10:00:00.000Z',
          owed: [],
          next: {
            action: 'ask_user_to_reopen_browser',
            title: 'Reopen the preview to choose a variant',
            reason: 'No page holds it.',
            command: null,
            fix: 'Open Preview',
          },
          choices: ['1', '2', '3'],
          canDiscard: true,
          branch: null,
        },
      ],
      diagnostics: [],
    });
  });

  it('offers no choice once the user decided, and lets a stranded session keep the choices it had', () => {
    const decided = session({
      phase: 'accepted_source_pending',
      nextAction: nextAction({ action: 'run_carbonize_cleanup' }),
    });
    const stranded = session({ sessionId: 'abcdef01', phase: 'stranded', strandedFrom: 'cycling' });
    const state = buildViewState({ ...input, report: report([decided, stranded]), lineOf: () => null });
    expect(state.sessions.map((s) => [s.choices, s.canDiscard, s.next.fix])).toEqual([
      [[], false, 'Mark Cleanup Complete'],
      [['1', '2', '3'], true, 'Resume Session'],
    ]);
  });

  it('shows a stopped bridge and the report diagnostics with their places', () => {
    const r = report([], {
      diagnostics: [
        { code: 'corrupt_line_skipped', message: 'bad line', sessionId: 'x', file: 'a.html', line: 3 },
      ],
    });
    const state = buildViewState({ ...input, bridgeUrl: null, report: r, lineOf: () => null });
    expect(state.bridge).toEqual({ running: false, url: null });
    expect(state.current).toBeNull();
    expect(state.diagnostics).toEqual([
      { code: 'corrupt_line_skipped', message: 'bad line', file: 'a.html', line: 3, sessionId: 'x' },
    ]);
  });
});
