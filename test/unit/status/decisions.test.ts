// Decided sessions (accept, carbonize cleanup, discard) and sessions waiting on the user.
import { describe, expect, it } from 'vitest';
import { computeStatus } from '../../../src/core/status';
import { action, file, fixture, inputs, Journal, LEASE_UNTIL, queueOf } from './helpers';

const HERO = '3f9a1c2e';
const PLAN = '7c0ffee1';

/** Variants 1 and 2 of styled-knobs.html are written; the user looks at variant 2 with lift 0.75. */
function planCycling(): Journal {
  return new Journal(PLAN)
    .generate(2)
    .ack(1, 'generate', { type: 'done', file: 'pricing.html', count: 2 })
    .checkpoint(1, '2', { lift: 0.75 });
}

describe('decided sessions', () => {
  it('an accept leased to an agent says run_accept_cleanup with the accepted variant and params', () => {
    const view = planCycling().event('browser.accept', { variant: '2' }, 'accept').view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('pricing.html', fixture('styled-knobs.html'))],
      }),
    );
    expect(report.nextAction).toEqual(
      action({
        action: 'run_accept_cleanup',
        reason: `The user accepted variant 2 in pricing.html: keep it with its param values and remove the other variants and the markers. The accept work is leased to claude until ${LEASE_UNTIL}.`,
        sessionId: PLAN,
        phase: 'accept_pending',
        file: 'pricing.html',
        variant: '2',
        paramValues: { lift: 0.75 },
        lease: {
          leaseId: `${PLAN}-4@test.1`,
          itemId: `${PLAN}-4`,
          kind: 'accept',
          leaseUntil: LEASE_UNTIL,
          agentId: 'claude',
        },
        command: `live-variants ack ${PLAN}-4@test.1 complete`,
      }),
    );
    expect(report.effects).toEqual([]);
  });

  it('an accept the bridge has not applied (no work item) says run_accept_cleanup then complete', () => {
    const view = planCycling()
      .event('browser.accept', { variant: '1', params: { radius: 12 } })
      .view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [file('pricing.html', fixture('styled-knobs.html'))] }),
    );
    expect(report.nextAction).toEqual(
      action({
        action: 'run_accept_cleanup',
        reason:
          'The user accepted variant 1 in pricing.html: keep it with its param values and remove the other variants and the markers.',
        sessionId: PLAN,
        phase: 'accept_pending',
        file: 'pricing.html',
        variant: '1',
        paramValues: { radius: 12 },
        command: `live-variants complete ${PLAN}`,
      }),
    );
  });

  it('carbonize markers of an applied accept say run_carbonize_cleanup with the param-values comment', () => {
    // The user accepted lift 0.5; the source's param-values comment says 0.75, and source is truth.
    const view = planCycling()
      .event('browser.accept', { variant: '2', params: { lift: 0.5 } })
      .event('accept.applied', { carbonize: true, variant: '2', params: { lift: 0.5 } }, 'carbonize_cleanup')
      .view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view]),
        files: [file('pricing.html', fixture('styled-knobs.accept-2.html'))],
      }),
    );
    expect(report.nextAction).toEqual(
      action({
        action: 'run_carbonize_cleanup',
        reason:
          'Variant 2 is kept in pricing.html but its carbonize markers remain: bake the param values into permanent CSS and remove the markers. Poll to lease the queued carbonize_cleanup work first.',
        sessionId: PLAN,
        phase: 'accepted_source_pending',
        file: 'pricing.html',
        variant: '2',
        paramValues: { lift: 0.75 },
        command: 'live-variants poll',
      }),
    );
  });

  it('an accept the agent already rewrote into carbonize form (not yet acked) says run_carbonize_cleanup', () => {
    const view = planCycling().event('browser.accept', { variant: '2' }, 'accept').view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('pricing.html', fixture('styled-knobs.accept-2.html'))],
      }),
    );
    expect(report.nextAction.action).toBe('run_carbonize_cleanup');
    expect(report.nextAction.paramValues).toEqual({ lift: 0.75 });
    expect(report.nextAction.command).toBe(`live-variants ack ${PLAN}-4@test.1 complete`);
  });

  it('a discard leased to an agent says restore_discard and to ack it as discarded', () => {
    const view = planCycling().event('browser.discard', {}, 'discard').view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('pricing.html', fixture('styled-knobs.html'))],
      }),
    );
    expect(report.nextAction).toEqual(
      action({
        action: 'restore_discard',
        reason: `The user discarded the variants: restore the original content in pricing.html and remove the markers. The discard work is leased to claude until ${LEASE_UNTIL}.`,
        sessionId: PLAN,
        phase: 'discard_pending',
        file: 'pricing.html',
        lease: {
          leaseId: `${PLAN}-4@test.1`,
          itemId: `${PLAN}-4`,
          kind: 'discard',
          leaseUntil: LEASE_UNTIL,
          agentId: 'claude',
        },
        command: `live-variants ack ${PLAN}-4@test.1 discarded`,
      }),
    );
  });
});

describe('waiting on the user', () => {
  it('a cycling session with no browser page says ask_user_to_reopen_browser', () => {
    const view = planCycling().view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [file('pricing.html', fixture('styled-knobs.html'))] }),
    );
    expect(report.nextAction).toEqual(
      action({
        action: 'ask_user_to_reopen_browser',
        reason: `2 variants are in pricing.html but no browser page holds session ${PLAN}: ask the user to reopen the preview to choose one, or accept or discard it from VS Code.`,
        sessionId: PLAN,
        phase: 'cycling',
        file: 'pricing.html',
        variant: '2',
        paramValues: { lift: 0.75 },
      }),
    );
  });

  it('a cycling session shown in a browser says poll for the user’s decision', () => {
    const view = planCycling().view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        files: [file('pricing.html', fixture('styled-knobs.html'))],
        browserConnected: (id) => id === PLAN,
      }),
    );
    expect(report.nextAction.action).toBe('poll_for_pending_event');
    expect(report.nextAction.reason).toBe(
      'The user is choosing among 2 variants in the browser (showing variant 2); poll for their accept or discard.',
    );
    expect(report.nextAction.command).toBe('live-variants poll');
    expect(report.sessions[0].browserConnected).toBe(true);
  });

  it('a session stranded by the browser closing says reopen the browser and resume first', () => {
    const view = planCycling().event('browser.exit', {}).view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [file('pricing.html', fixture('styled-knobs.html'))] }),
    );
    expect(report.nextAction.action).toBe('ask_user_to_reopen_browser');
    expect(report.nextAction.phase).toBe('stranded');
    expect(report.nextAction.reason).toBe(
      `Session ${PLAN} is stranded (browser_exit): resume it first. 2 variants are in pricing.html but no browser page holds session ${PLAN}: ask the user to reopen the preview to choose one, or accept or discard it from VS Code.`,
    );
    expect(report.nextAction.command).toBe(`live-variants resume ${PLAN}`);
    expect(report.sessions[0].strandedFrom).toBe('cycling');
    expect(report.nextAction.diagnostics).toEqual([
      {
        code: 'session_stranded',
        message: `Session ${PLAN} is stranded (browser_exit) in cycling; resume it to continue`,
        sessionId: PLAN,
      },
    ]);
  });

  it('a failed generate with no browser page asks the user to reopen it, with the error as diagnostic', () => {
    const view = new Journal(HERO)
      .generate(3)
      .ack(1, 'generate', { type: 'error', message: 'model overloaded' })
      .view();
    const report = computeStatus(inputs({ sessions: [view] }));
    expect(report.nextAction).toEqual(
      action({
        action: 'ask_user_to_reopen_browser',
        reason: `The agent's work failed (model overloaded) and no browser page holds session ${HERO}: ask the user to reopen the preview to retry or discard.`,
        sessionId: HERO,
        phase: 'failed',
        diagnostics: [
          {
            code: 'session_failed',
            message: 'The agent reported an error: model overloaded',
            sessionId: HERO,
          },
        ],
      }),
    );
  });

  it('no sessions and no markers says no_active_session', () => {
    const report = computeStatus(inputs({ files: [file('index.html', '<main>plain</main>\n')] }));
    expect(report.nextAction).toEqual(
      action({
        action: 'no_active_session',
        reason: 'No live variant session is active and no markers in source need work.',
      }),
    );
    expect(report.sessions).toEqual([]);
    expect(report.effects).toEqual([]);
  });
});
