import { describe, expect, it } from 'vitest';
import { statusBarModel } from '../../../src/extension/statusBarModel';
import { nextAction, report, session } from './fixtures';

const base = { role: 'leader' as const, roleDetail: '', recentlyCompleted: undefined };

describe('statusBarModel', () => {
  it('is hidden while there is no session', () => {
    expect(statusBarModel({ ...base, report: report([]) })).toEqual({
      visible: false,
      text: '',
      tooltip: '',
      warning: false,
    });
    expect(statusBarModel({ ...base, report: undefined }).visible).toBe(false);
  });

  it('shows the phase with its codicon and the visible variant', () => {
    const m = statusBarModel({ ...base, report: report([session()]) });
    expect(m.text).toBe('$(eye) Live: cycling 2/3');
    expect(m.warning).toBe(false);
  });

  it('counts the other active sessions', () => {
    const m = statusBarModel({ ...base, report: report([session(), session({ sessionId: 'other001' })]) });
    expect(m.text).toBe('$(eye) Live: cycling 2/3 +1');
  });

  it('puts the next action, its reason and its command in the tooltip', () => {
    const s = session({
      phase: 'accepted_source_pending',
      nextAction: nextAction({
        action: 'run_carbonize_cleanup',
        reason: 'Markers remain.',
        command: 'live-variants poll',
      }),
    });
    const m = statusBarModel({ ...base, report: report([s]) });
    expect(m.text).toBe('$(tools) Live: cleanup owed');
    expect(m.tooltip).toContain(
      '**Next:** Finish the accepted variant \\(carbonize cleanup\\) (`run_carbonize_cleanup`)',
    );
    expect(m.tooltip).toContain('Markers remain\\.');
    expect(m.tooltip).toContain('`live-variants poll`');
  });

  it('warns when work is owed and no agent is online', () => {
    const owed = [
      {
        itemId: '5eed1234-5',
        kind: 'carbonize_cleanup' as const,
        state: 'ready' as const,
        attempts: 0,
        arrivedAt: null,
        lease: null,
      },
    ];
    const s = session({ phase: 'accepted_source_pending', owed });
    expect(statusBarModel({ ...base, report: report([s]) }).warning).toBe(true);
    const online = report([s]);
    online.bridge.agentsOnline = 1;
    expect(statusBarModel({ ...base, report: online }).warning).toBe(false);
  });

  it('shows a just-completed session while nothing else is active', () => {
    const m = statusBarModel({ ...base, report: report([]), recentlyCompleted: '5eed1234' });
    expect(m).toMatchObject({ visible: true, text: '$(pass) Live: complete', warning: false });
  });

  it('reports a journal that could not be opened, and a window waiting for the lock', () => {
    expect(
      statusBarModel({ ...base, role: 'failed', roleDetail: 'disk full', report: undefined }),
    ).toMatchObject({
      text: '$(error) Live: journal error',
      warning: true,
    });
    expect(statusBarModel({ ...base, role: 'waiting', roleDetail: 'held', report: undefined }).text).toBe(
      '$(lock) Live: waiting for journal',
    );
  });

  it('tells a follower window that another window owns the journal', () => {
    const m = statusBarModel({ ...base, role: 'follower', report: report([session()]) });
    expect(m.tooltip).toContain('Another window owns this journal');
  });
});
