// Source markers are truth: a decided session whose file is clean completes synthetically, once.
import { describe, expect, it } from 'vitest';
import { computeStatus, type StatusEffect } from '../../../src/core/status';
import { file, fixture, inputs, Journal, queueOf } from './helpers';

const PLAN = '7c0ffee1';

/** styled-knobs.accept-2.html after the carbonize cleanup: permanent CSS, no markers, no knobs. */
const CLEANED = `<main class="pricing">
  <article class="plan plan--raised" style="box-shadow: 0 6px 24px rgb(0 0 0 / 0.12)">
    <h2>Pro</h2>
    <p class="price">$12</p>
  </article>
</main>
`;

function carbonizing(): Journal {
  return new Journal(PLAN)
    .generate(2)
    .ack(1, 'generate', { type: 'done', file: 'pricing.html', count: 2 })
    .checkpoint(1, '2', { lift: 0.75 })
    .event('browser.accept', { variant: '2' })
    .event('accept.applied', { carbonize: true, variant: '2', params: { lift: 0.75 } }, 'carbonize_cleanup');
}

const SYNTHETIC: StatusEffect = {
  type: 'record_synthetic_completion',
  sessionId: PLAN,
  eventId: `synthetic-complete:${PLAN}`,
  resumeFirst: false,
  resumeEventId: null,
};

describe('synthetic completion', () => {
  it('carbonize cleanup already done in source records a synthetic completion and says acknowledge_completion', () => {
    const view = carbonizing().view();
    const report = computeStatus(
      inputs({ sessions: [view], owed: queueOf([view]), files: [file('pricing.html', CLEANED)] }),
    );
    expect(report.effects).toEqual([SYNTHETIC]);
    expect(report.nextAction).toEqual({
      action: 'acknowledge_completion',
      reason: `The cleanup is already done: pricing.html holds no markers of session ${PLAN}. The completion is recorded from the source (synthetic).`,
      sessionId: PLAN,
      phase: 'accepted_source_pending',
      file: 'pricing.html',
      variant: '2',
      paramValues: { lift: 0.75 },
      lease: null,
      branch: null,
      diagnostics: [],
      command: 'live-variants status',
    });
  });

  it('an accept the agent rewrote without acking completes synthetically too', () => {
    const accepted = new Journal(PLAN).generate(2).ack(1, 'generate', { type: 'done', file: 'pricing.html' });
    const view = accepted.checkpoint(1, '1').event('browser.accept', { variant: '1' }, 'accept').view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('pricing.html', CLEANED)],
      }),
    );
    expect(report.nextAction.action).toBe('acknowledge_completion');
    expect(report.effects).toEqual([SYNTHETIC]);
  });

  it('a discard whose original is already restored completes synthetically with no variant', () => {
    const j = new Journal('1a2b3c4d').generate(3).ack(1, 'generate', { type: 'done', file: 'page.html' });
    const view = j.checkpoint(1, '1').event('browser.discard', {}).view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [file('page.html', fixture('wrap-page.html'))] }),
    );
    expect(report.nextAction.action).toBe('acknowledge_completion');
    expect(report.nextAction.variant).toBeNull();
    expect(report.nextAction.paramValues).toBeNull();
    expect(report.effects).toEqual([
      { ...SYNTHETIC, sessionId: '1a2b3c4d', eventId: 'synthetic-complete:1a2b3c4d' },
    ]);
  });

  it('computing status twice yields the same effect, and once recorded the session drops out', () => {
    const j = carbonizing();
    const files = [file('pricing.html', CLEANED)];
    const first = computeStatus(inputs({ sessions: [j.view()], files }));
    const second = computeStatus(inputs({ sessions: [j.view()], files }));
    expect(second).toEqual(first);
    // The caller records the effect as a journal event under its eventId.
    const effect = first.effects[0];
    j.event('cleanup.completed', { synthetic: true });
    j.records[j.records.length - 1].eventId = effect.eventId;
    const after = computeStatus(inputs({ sessions: [j.view()], files, lastActivity: { [PLAN]: j.lastAt } }));
    expect(after.effects).toEqual([]);
    expect(after.nextAction.action).toBe('no_active_session');
    expect(after.sessions).toEqual([]);
    expect(after.completed).toEqual([]);
    const all = computeStatus(
      inputs({ sessions: [j.view()], files, includeCompleted: true, lastActivity: { [PLAN]: j.lastAt } }),
    );
    expect(all.completed).toEqual([
      { sessionId: PLAN, outcome: 'accepted', completedAt: '2025-03-01T10:06:00.000Z' },
    ]);
  });

  it('a stranded decided session with clean source asks the caller to resume before completing', () => {
    const view = carbonizing().event('session.strand', { reason: 'bridge_restart' }).view();
    const report = computeStatus(inputs({ sessions: [view], files: [file('pricing.html', CLEANED)] }));
    expect(report.effects).toEqual([
      { ...SYNTHETIC, resumeFirst: true, resumeEventId: `synthetic-resume:${PLAN}:6` },
    ]);
    expect(report.nextAction.action).toBe('acknowledge_completion');
    expect(report.nextAction.phase).toBe('stranded');
    expect(report.nextAction.command).toBe('live-variants status');
  });

  it('a leftover var(--p-lift) keeps the carbonize cleanup owed (no synthetic completion)', () => {
    const view = carbonizing().view();
    const leftover = CLEANED.replace('0 6px 24px', '0 calc(var(--p-lift) * 8px) 24px');
    const report = computeStatus(inputs({ sessions: [view], files: [file('pricing.html', leftover)] }));
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('run_carbonize_cleanup');
    // No comment is left to read them from, so the accepted params stand.
    expect(report.nextAction.paramValues).toEqual({ lift: 0.75 });
    // Without a queue, the journal's owed cleanup is simply waiting to be leased.
    expect(report.nextAction.command).toBe('live-variants poll');
  });

  it('a clean file that was not read (no text) proves nothing: the cleanup stays owed', () => {
    const view = carbonizing().view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [{ path: 'pricing.html', generated: false }] }),
    );
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('run_carbonize_cleanup');
  });

  it('markers of the session in another file keep it from completing', () => {
    const view = carbonizing().view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        files: [
          file('pricing.html', CLEANED),
          file('old/pricing.html', fixture('styled-knobs.accept-2.html')),
        ],
      }),
    );
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('run_carbonize_cleanup');
    expect(report.nextAction.file).toBe('old/pricing.html');
    expect(report.nextAction.diagnostics).toEqual([
      {
        code: 'markers_outside_session_file',
        message: `The journal names pricing.html for session ${PLAN}, but its markers are in old/pricing.html`,
        sessionId: PLAN,
        file: 'old/pricing.html',
      },
    ]);
  });
});

describe('completed sessions', () => {
  it('are hidden unless includeCompleted, newest first when shown', () => {
    const active = new Journal('3f9a1c2e').generate(3).view();
    const completed = [
      { sessionId: 'aaaa1111', outcome: 'accepted', completedAt: '2025-02-01T09:00:00.000Z' },
      { sessionId: 'bbbb2222', outcome: 'discarded', completedAt: '2025-02-20T09:00:00.000Z' },
    ];
    const hidden = computeStatus(inputs({ sessions: [active], completed }));
    expect(hidden.completed).toEqual([]);
    expect(hidden.sessions.map((s) => s.sessionId)).toEqual(['3f9a1c2e']);
    const shown = computeStatus(inputs({ sessions: [active], completed, includeCompleted: true }));
    expect(shown.completed).toEqual([completed[1], completed[0]]);
    expect(shown.sessions.map((s) => s.sessionId)).toEqual(['3f9a1c2e']);
  });

  it('leftover markers of a completed session are a diagnostic, never a source session to adopt', () => {
    const completed = [
      { sessionId: '3f9a1c2e', outcome: 'accepted', completedAt: '2025-02-01T09:00:00.000Z' },
    ];
    const report = computeStatus(inputs({ completed, files: [file('index.html', fixture('basic.html'))] }));
    expect(report.sourceSessions).toEqual([]);
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('no_active_session');
    expect(report.diagnostics).toEqual([
      {
        code: 'markers_of_completed_session',
        message: 'Session 3f9a1c2e is complete, but its markers remain in index.html; remove them by hand',
        sessionId: '3f9a1c2e',
        file: 'index.html',
        line: 8,
      },
    ]);
  });
});
