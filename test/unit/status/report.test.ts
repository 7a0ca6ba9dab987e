// Report-wide behaviour: ordering by urgency and recency, unreadable files, lost work, robustness.
import { describe, expect, it } from 'vitest';
import { computeStatus } from '../../../src/core/status';
import { file, fixture, inputs, Journal, queueOf } from './helpers';

function accepting(sessionId: string, fileName: string): Journal {
  return new Journal(sessionId)
    .generate(2)
    .ack(1, 'generate', { type: 'done', file: fileName, count: 2 })
    .checkpoint(1, '1')
    .event('browser.accept', { variant: '1' }, 'accept');
}

describe('ordering', () => {
  it('sessions are ordered by urgency, ties by most recent activity; the first one is nextAction', () => {
    const cycling = new Journal('aaaa1111')
      .generate(2)
      .ack(1, 'generate', { type: 'done', file: 'two.html' });
    cycling.checkpoint(1, '1');
    const olderGenerate = new Journal('eeee5555', Date.parse('2025-03-01T09:00:00.000Z')).generate(1);
    const accept = accepting('cccc3333', 'pricing.html');
    const newerGenerate = new Journal('dddd4444', Date.parse('2025-03-01T11:00:00.000Z')).generate(1);
    const journals = [cycling, olderGenerate, accept, newerGenerate];
    const views = journals.map((j) => j.view());
    const report = computeStatus(
      inputs({
        sessions: views,
        owed: queueOf(views),
        files: [
          file('two.html', fixture('two-sessions.html')),
          file('pricing.html', fixture('styled-knobs.html').replaceAll('7c0ffee1', 'cccc3333')),
        ],
        browserConnected: (id) => id === 'aaaa1111',
        lastActivity: Object.fromEntries(journals.map((j) => [j.sessionId, j.lastAt])),
      }),
    );
    expect(report.sessions.map((s) => [s.sessionId, s.nextAction.action])).toEqual([
      ['cccc3333', 'run_accept_cleanup'],
      ['dddd4444', 'poll_for_pending_event'],
      ['eeee5555', 'poll_for_pending_event'],
      ['aaaa1111', 'poll_for_pending_event'],
    ]);
    expect(report.nextAction).toEqual(report.sessions[0].nextAction);
    // The other block in two.html has no journal session.
    expect(report.sourceSessions.map((s) => [s.sessionId, s.nextAction.action])).toEqual([
      ['bbbb2222', 'ask_user_to_reopen_browser'],
    ]);
  });

  it('without activity times, the newest owed event breaks the tie', () => {
    const older = new Journal('bbbb2222', Date.parse('2025-03-01T09:00:00.000Z')).generate(1).view();
    const newer = new Journal('aaaa1111', Date.parse('2025-03-01T09:30:00.000Z')).generate(1).view();
    const report = computeStatus(inputs({ sessions: [older, newer], owed: queueOf([older, newer]) }));
    expect(report.sessions.map((s) => [s.sessionId, s.lastActivityAt])).toEqual([
      ['aaaa1111', '2025-03-01T09:31:00.000Z'],
      ['bbbb2222', '2025-03-01T09:01:00.000Z'],
    ]);
  });
});

describe('one session (GET /v1/status?sessionId=)', () => {
  it('reports only the named session, its effects and its diagnostics', () => {
    const generate = new Journal('eeee5555').generate(1).view();
    const accept = accepting('cccc3333', 'pricing.html').view();
    const files = [
      file('pricing.html', '<main></main>\n'),
      file('list.html', fixture('malformed-duplicate.html')),
      file('index.html', fixture('basic.html')),
    ];
    const base = inputs({ sessions: [generate, accept], owed: queueOf([generate, accept]), files });
    const all = computeStatus(base);
    expect(all.nextAction.sessionId).toBe('eeee5555');
    expect(all.effects.map((e) => e.sessionId)).toEqual(['cccc3333', '3f9a1c2e', '600d0000']);

    const one = computeStatus({ ...base, sessionId: 'eeee5555' });
    expect(one.sessions.map((s) => s.sessionId)).toEqual(['eeee5555']);
    expect(one.sourceSessions).toEqual([]);
    expect(one.effects).toEqual([]);
    expect(one.diagnostics).toEqual([]);
    expect(one.nextAction.action).toBe('poll_for_pending_event');

    const source = computeStatus({ ...base, sessionId: '3f9a1c2e' });
    expect(source.sessions).toEqual([]);
    expect(source.sourceSessions.map((s) => s.sessionId)).toEqual(['3f9a1c2e']);
    expect(source.effects.map((e) => e.type)).toEqual(['adopt_source_session']);

    const unknown = computeStatus({ ...base, sessionId: 'ffff0000' });
    expect(unknown.nextAction.action).toBe('no_active_session');
    expect(unknown.sessions).toEqual([]);
  });
});

describe('unreadable and missing sources', () => {
  it('an unreadable session file is a source_unreadable diagnostic, and nothing is inferred from it', () => {
    const view = accepting('7c0ffee1', 'pricing.html').view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        files: [
          { path: 'pricing.html', generated: false, error: { code: 'EACCES', message: 'permission denied' } },
        ],
      }),
    );
    const diagnostic = {
      code: 'source_unreadable',
      message: 'Cannot read pricing.html (EACCES): permission denied',
      sessionId: '7c0ffee1',
      file: 'pricing.html',
    };
    expect(report.nextAction.action).toBe('run_accept_cleanup');
    expect(report.nextAction.diagnostics).toEqual([diagnostic]);
    expect(report.diagnostics).toEqual([diagnostic]);
    expect(report.effects).toEqual([]);
  });

  it('an unreadable file no session names is still reported', () => {
    const report = computeStatus(
      inputs({
        files: [
          { path: 'a.html', generated: false, error: { code: 'EISDIR', message: 'it is a directory' } },
        ],
      }),
    );
    expect(report.nextAction.action).toBe('no_active_session');
    expect(report.diagnostics).toEqual([
      {
        code: 'source_unreadable',
        message: 'Cannot read a.html (EISDIR): it is a directory',
        file: 'a.html',
      },
    ]);
  });

  it('absolute file names in the journal are made workspace-relative', () => {
    const view = accepting('7c0ffee1', '/work/site/pricing.html').view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        root: '/work/site',
        files: [file('pricing.html', fixture('styled-knobs.html'))],
      }),
    );
    expect(report.nextAction.file).toBe('pricing.html');
    expect(report.nextAction.diagnostics).toEqual([]);
  });

  it('dead-lettered generate work says to resume the session to owe it again', () => {
    const j = new Journal('3f9a1c2e').generate(3);
    const view = j.event('work.dead_lettered', { itemId: j.item(1), attempts: 5 }).view();
    const report = computeStatus(inputs({ sessions: [view] }));
    expect(report.nextAction).toEqual({
      action: 'write_variants',
      reason:
        'No wrapper for session 3f9a1c2e is in source yet: wrap the element and write 3 variants. No generate work is owed any more; resume the session to owe it again.',
      sessionId: '3f9a1c2e',
      phase: 'generating',
      file: null,
      variant: null,
      paramValues: null,
      lease: null,
      branch: null,
      diagnostics: [
        {
          code: 'work_dead_lettered',
          message:
            'The generate work 3f9a1c2e-1 expired too often without an ack and is no longer delivered; resume the session to owe it again',
          sessionId: '3f9a1c2e',
        },
      ],
      command: 'live-variants resume 3f9a1c2e',
    });
  });

  it('rejected journal events are shown (at most the last three); routine ones are not', () => {
    const j = new Journal('3f9a1c2e').generate(3);
    for (let i = 1; i <= 4; i++) {
      j.event('diagnostic', {
        code: 'rejected_transition',
        message: `refused ${i}`,
        eventType: 'accept.applied',
      });
    }
    j.event('diagnostic', { code: 'stale_checkpoint', message: 'old', eventType: 'browser.checkpoint' });
    const view = j.view([
      'rejected_transition',
      'rejected_transition',
      'rejected_transition',
      'rejected_transition',
      'stale_checkpoint',
    ]);
    const report = computeStatus(inputs({ sessions: [view], owed: queueOf([view]) }));
    expect(report.nextAction.diagnostics).toEqual([
      { code: 'rejected_transition', message: 'Journal record 3: refused 2', sessionId: '3f9a1c2e' },
      { code: 'rejected_transition', message: 'Journal record 4: refused 3', sessionId: '3f9a1c2e' },
      { code: 'rejected_transition', message: 'Journal record 5: refused 4', sessionId: '3f9a1c2e' },
    ]);
  });
});

describe('robustness', () => {
  it('a browser presence check that throws counts as no browser, and status still answers', () => {
    const view = new Journal('7c0ffee1')
      .generate(2)
      .ack(1, 'generate', { type: 'done', file: 'p.html' })
      .view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        browserConnected: () => {
          throw new Error('socket registry gone');
        },
      }),
    );
    expect(report.nextAction.action).toBe('ask_user_to_reopen_browser');
    expect(report.sessions[0].browserConnected).toBe(false);
  });

  it('binary or hostile text in a file yields a report with its problems, not a throw', () => {
    const hostile = `\u0000<!-- impeccable-variants-start ${'x'.repeat(100)} -->${'<div>'.repeat(5000)}<!-- impeccable-param-values 7c0ffee1: {"a":[1]} -->`;
    const report = computeStatus(
      inputs({ files: [{ path: 'weird.html', text: hostile, generated: false }] }),
    );
    // The stray param-values comment is leftover cleanup; its unreadable values are not invented.
    expect(report.nextAction.action).toBe('run_carbonize_cleanup');
    expect(report.nextAction.sessionId).toBe('7c0ffee1');
    expect(report.nextAction.paramValues).toBeNull();
    expect(report.sourceSessions.map((s) => [s.kind, s.recoverable])).toEqual([['param_values', false]]);
    expect(report.effects).toEqual([]);
    expect(report.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ['invalid_param_values', 'weird.html', 1],
      ['invalid_session_id', 'weird.html', 1],
    ]);
  });

  it('file paths with spaces are quoted in commands', () => {
    const view = new Journal('1a2b3c4d').generate(3).view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file("my site/o'neil.html", fixture('wrap-page.wrapped.html'))],
      }),
    );
    expect(report.nextAction.command).toBe(
      `live-variants ack 1a2b3c4d-1@test.1 done --file 'my site/o'\\''neil.html' --count 3`,
    );
  });
});
