// Generate work: what an agent does while variants are requested, being written or lost.
import { describe, expect, it } from 'vitest';
import { computeStatus } from '../../../src/core/status';
import { action, dropLines, file, fixture, inputs, Journal, LEASE_UNTIL, queueOf } from './helpers';

const HERO = '3f9a1c2e';

describe('generate work', () => {
  it('a queued generate with nothing in source says an event waits and to poll for it', () => {
    const j = new Journal(HERO).generate(3);
    const view = j.view();
    const report = computeStatus(
      inputs({ sessions: [view], owed: queueOf([view]), lastActivity: { [HERO]: j.lastAt } }),
    );
    const expected = action({
      action: 'poll_for_pending_event',
      reason: 'A generate event waits in the queue: 3 variants requested. Poll to lease it.',
      sessionId: HERO,
      phase: 'generating',
      command: 'live-variants poll',
    });
    expect(report).toEqual({
      v: 1,
      generatedAt: '2025-03-01T12:00:00.000Z',
      bridge: { running: true, url: 'http://127.0.0.1:4317', agentsOnline: 1 },
      nextAction: expected,
      sessions: [
        {
          sessionId: HERO,
          phase: 'generating',
          strandedFrom: null,
          file: null,
          variant: null,
          paramValues: null,
          lease: null,
          branch: null,
          diagnostics: [],
          artifacts: [],
          count: 3,
          variantsFound: null,
          browserConnected: false,
          lastSeq: 1,
          lastActivityAt: '2025-03-01T10:01:00.000Z',
          owed: [
            {
              itemId: `${HERO}-1`,
              kind: 'generate',
              state: 'ready',
              attempts: 0,
              arrivedAt: '2025-03-01T10:01:00.000Z',
              lease: null,
            },
          ],
          nextAction: expected,
        },
      ],
      sourceSessions: [],
      completed: [],
      diagnostics: [],
      effects: [],
    });
  });

  it('without a bridge the journal’s owed generate still reads as a waiting event', () => {
    const view = new Journal(HERO).generate(3, { fileHint: 'index.html' }).view();
    const report = computeStatus(
      inputs({ sessions: [view], owed: [], bridge: { running: false, url: null } }),
    );
    expect(report.nextAction.action).toBe('poll_for_pending_event');
    expect(report.nextAction.reason).toBe(
      'A generate event waits in the queue: 3 variants requested (the page suggests index.html). Poll to lease it.',
    );
    expect(report.sessions[0].owed.map((o) => [o.itemId, o.state])).toEqual([[`${HERO}-1`, 'ready']]);
    expect(report.diagnostics).toEqual([
      {
        code: 'bridge_not_running',
        message:
          'The bridge is not running, so no browser events or leases flow: start it (VS Code "Live Variants: Start Bridge", or live-variants serve)',
      },
    ]);
    expect(report.nextAction.diagnostics).toEqual(report.diagnostics);
  });

  it('a leased generate with the wrapper holding only the original says write_variants', () => {
    const view = new Journal('1a2b3c4d').generate(3).view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('pricing.html', fixture('wrap-page.wrapped.html'))],
      }),
    );
    const lease = {
      leaseId: '1a2b3c4d-1@test.1',
      itemId: '1a2b3c4d-1',
      kind: 'generate',
      leaseUntil: LEASE_UNTIL,
      agentId: 'claude',
    };
    expect(report.nextAction).toEqual(
      action({
        action: 'write_variants',
        reason: `The wrapper is in pricing.html with the original only: write the 3 declared variants. The generate work is leased to claude until ${LEASE_UNTIL}.`,
        sessionId: '1a2b3c4d',
        phase: 'generating',
        file: 'pricing.html',
        lease,
        command: 'live-variants ack 1a2b3c4d-1@test.1 done --file pricing.html --count 3',
      }),
    );
    expect(report.sessions[0].variantsFound).toBe(0);
    expect(report.sessions[0].lease).toEqual(lease);
    expect(report.sessions[0].owed[0].state).toBe('leased');
  });

  it('a leased generate with no wrapper in source yet says write_variants and names the count', () => {
    const view = new Journal(HERO).generate(2).view();
    const report = computeStatus(
      inputs({ sessions: [view], owed: queueOf([view], [{ agentId: 'claude' }]) }),
    );
    expect(report.nextAction.action).toBe('write_variants');
    expect(report.nextAction.reason).toBe(
      `No wrapper for session ${HERO} is in source yet: wrap the element and write 2 variants. The generate work is leased to claude until ${LEASE_UNTIL}.`,
    );
    expect(report.nextAction.command).toBe(`live-variants ack ${HERO}-1@test.1 done --count 2`);
  });

  it('some but not all declared variants in source says continue_writing_variants with found/declared', () => {
    const view = new Journal(HERO).generate(3).view();
    // basic.html without its variant 3 (lines 35–37).
    const text = dropLines(fixture('basic.html'), 35, 37);
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('index.html', text)],
      }),
    );
    const diagnostics = [
      {
        code: 'count_mismatch',
        message: `session ${HERO} declares 3 variants and has 2`,
        sessionId: HERO,
        file: 'index.html',
        line: 8,
      },
    ];
    expect(report.nextAction).toEqual(
      action({
        action: 'continue_writing_variants',
        reason: `Variants partly written in index.html: found 2 of 3 declared. The generate work is leased to claude until ${LEASE_UNTIL}.`,
        sessionId: HERO,
        phase: 'generating',
        file: 'index.html',
        lease: {
          leaseId: `${HERO}-1@test.1`,
          itemId: `${HERO}-1`,
          kind: 'generate',
          leaseUntil: LEASE_UNTIL,
          agentId: 'claude',
        },
        diagnostics,
        command: `live-variants ack ${HERO}-1@test.1 done --file index.html --count 3`,
      }),
    );
    expect(report.diagnostics).toEqual(diagnostics);
  });

  it('partly written variants whose lease expired say to poll for the generate work again', () => {
    const view = new Journal(HERO).generate(3).view();
    const owed = queueOf([view], [{ agentId: 'claude' }]);
    const text = dropLines(fixture('basic.html'), 35, 37);
    // The queue clock has passed the lease's end, though nobody called expire() yet.
    const report = computeStatus(
      inputs({ sessions: [view], owed, files: [file('index.html', text)], queueClockNow: 110_000 }),
    );
    expect(report.nextAction.action).toBe('continue_writing_variants');
    expect(report.nextAction.reason).toBe(
      'Variants partly written in index.html: found 2 of 3 declared. Poll to lease the queued generate work first.',
    );
    expect(report.nextAction.command).toBe('live-variants poll');
    expect(report.nextAction.lease).toBeNull();
    expect(report.nextAction.diagnostics).toContainEqual({
      code: 'lease_expired',
      message: `Lease ${HERO}-1@test.1 on generate work ${HERO}-1 expired at 2025-03-01T12:00:00.000Z; the work will be handed out again`,
      sessionId: HERO,
    });
  });
});
