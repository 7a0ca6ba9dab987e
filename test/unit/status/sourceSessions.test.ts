// Markers with no journal session, markers in generated files, and malformed markers.
import { describe, expect, it } from 'vitest';
import { computeStatus } from '../../../src/core/status';
import { dropLines, file, fixture, inputs, Journal, queueOf } from './helpers';

describe('source sessions (markers without a journal session)', () => {
  it('a complete variant block is adopted and asks the user to reopen the browser', () => {
    const report = computeStatus(inputs({ files: [file('index.html', fixture('basic.html'))] }));
    const nextAction = {
      action: 'ask_user_to_reopen_browser',
      reason:
        '3 variants of session 3f9a1c2e are in index.html (line 8) with no live session: ask the user to reopen the preview to choose one, or accept or discard it from VS Code.',
      sessionId: '3f9a1c2e',
      phase: null,
      file: 'index.html',
      variant: '1',
      paramValues: null,
      lease: null,
      branch: null,
      diagnostics: [],
    };
    expect(report.sourceSessions).toEqual([
      {
        sessionId: '3f9a1c2e',
        file: 'index.html',
        line: 8,
        kind: 'variants',
        mode: 'replace',
        declaredCount: 3,
        foundCount: 3,
        generated: false,
        recoverable: true,
        nextAction,
        diagnostics: [],
      },
    ]);
    expect(report.effects).toEqual([
      {
        type: 'adopt_source_session',
        sessionId: '3f9a1c2e',
        eventId: 'adopt-source:3f9a1c2e',
        file: 'index.html',
        count: 3,
        phase: 'variants_written',
      },
    ]);
    expect(report.nextAction).toEqual(nextAction);
    expect(report.sessions).toEqual([]);
  });

  it('a block a browser page still shows says poll for the user’s decision', () => {
    const report = computeStatus(
      inputs({ files: [file('index.html', fixture('basic.html'))], browserConnected: () => true }),
    );
    expect(report.nextAction.action).toBe('poll_for_pending_event');
    expect(report.nextAction.command).toBe('live-variants poll');
  });

  it('partly written variants say continue_writing_variants and are adopted with the count found', () => {
    const text = dropLines(fixture('basic.html'), 35, 37);
    const report = computeStatus(inputs({ files: [file('index.html', text)] }));
    expect(report.nextAction.action).toBe('continue_writing_variants');
    expect(report.nextAction.reason).toBe(
      'Variants partly written in index.html (line 8) with no live session: found 2 of 3 declared.',
    );
    expect(report.effects).toEqual([
      {
        type: 'adopt_source_session',
        sessionId: '3f9a1c2e',
        eventId: 'adopt-source:3f9a1c2e',
        file: 'index.html',
        count: 2,
        phase: 'variants_written',
      },
    ]);
  });

  it('a wrapper with only the original says write_variants and is not adopted yet', () => {
    const report = computeStatus(
      inputs({ files: [file('pricing.html', fixture('wrap-page.wrapped.html'))] }),
    );
    expect(report.nextAction.action).toBe('write_variants');
    expect(report.nextAction.reason).toBe(
      'The wrapper of session 1a2b3c4d in pricing.html (line 9) has no variants and no live session: write the 3 declared variants, or remove the wrapper.',
    );
    expect(report.sourceSessions[0].recoverable).toBe(false);
    expect(report.effects).toEqual([]);
  });

  it('carbonize markers with no session say run_carbonize_cleanup with the param-values comment', () => {
    const report = computeStatus(inputs({ files: [file('plans.html', fixture('carbonized.html'))] }));
    expect(report.nextAction).toEqual({
      action: 'run_carbonize_cleanup',
      reason:
        'Carbonize markers of session 7c0ffee1 are in plans.html (line 2) with no live session: bake the param values into permanent CSS and remove the markers.',
      sessionId: '7c0ffee1',
      phase: null,
      file: 'plans.html',
      variant: '1',
      paramValues: { radius: 12 },
      lease: null,
      branch: null,
      diagnostics: [],
      command: 'live-variants complete 7c0ffee1',
    });
    expect(report.sourceSessions[0].kind).toBe('carbonize');
    expect(report.effects).toEqual([
      {
        type: 'adopt_source_session',
        sessionId: '7c0ffee1',
        eventId: 'adopt-source:7c0ffee1',
        file: 'plans.html',
        count: 1,
        phase: 'accepted_source_pending',
      },
    ]);
  });

  it('carbonize cleanup outranks a block waiting for the browser', () => {
    const report = computeStatus(
      inputs({
        files: [file('index.html', fixture('basic.html')), file('plans.html', fixture('carbonized.html'))],
      }),
    );
    expect(report.nextAction.action).toBe('run_carbonize_cleanup');
    expect(report.sourceSessions.map((s) => s.sessionId)).toEqual(['3f9a1c2e', '7c0ffee1']);
    expect(report.effects.map((e) => e.sessionId)).toEqual(['3f9a1c2e', '7c0ffee1']);
  });

  it('on equal urgency a journal session wins over a source session', () => {
    const j = new Journal('aaaa1111').generate(2).ack(1, 'generate', { type: 'done', file: 'two.html' });
    const view = j.view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [file('two.html', fixture('two-sessions.html'))] }),
    );
    expect(report.nextAction.action).toBe('ask_user_to_reopen_browser');
    expect(report.nextAction.sessionId).toBe('aaaa1111');
    expect(report.nextAction.phase).toBe('variants_written');
    expect(report.sourceSessions.map((s) => [s.sessionId, s.nextAction.action])).toEqual([
      ['bbbb2222', 'ask_user_to_reopen_browser'],
    ]);
  });
});

describe('generated files', () => {
  it('markers of a journal session in a generated file say persist_fallback_to_true_source', () => {
    const view = new Journal('9e7e7a7e').generate(1).view();
    const report = computeStatus(
      inputs({
        sessions: [view],
        owed: queueOf([view], [{ agentId: 'claude' }]),
        files: [file('docs/index.html', fixture('generated-header.html'))],
      }),
    );
    const diagnostic = {
      code: 'markers_in_generated_file',
      message:
        'docs/index.html is generated (its header says "AUTO-GENERATED"): the markers of session 9e7e7a7e there must move to the true source',
      sessionId: '9e7e7a7e',
      file: 'docs/index.html',
      line: 3,
    };
    expect(report.nextAction).toEqual({
      action: 'persist_fallback_to_true_source',
      reason:
        'The markers of session 9e7e7a7e are in docs/index.html, which is generated (its header says "AUTO-GENERATED"): a rewrite there is lost on the next build, so make the change in the true source.',
      sessionId: '9e7e7a7e',
      phase: 'generating',
      file: 'docs/index.html',
      variant: null,
      paramValues: null,
      lease: null,
      branch: null,
      diagnostics: [diagnostic],
    });
    expect(report.diagnostics).toEqual([diagnostic]);
  });

  it('a file git ignores counts as generated even when its scan did not know', () => {
    const text = fixture('basic.html');
    const report = computeStatus(
      inputs({ files: [{ ...file('dist-pages/index.html', text), generated: true }] }),
    );
    expect(report.nextAction.action).toBe('persist_fallback_to_true_source');
    expect(report.nextAction.reason).toBe(
      'Markers of session 3f9a1c2e are in dist-pages/index.html (line 8), which is generated (git ignores it) and has no live session: make the change in the true source.',
    );
    expect(report.sourceSessions[0].generated).toBe(true);
    expect(report.sourceSessions[0].recoverable).toBe(false);
    expect(report.effects).toEqual([]);
    expect(report.diagnostics).toEqual([
      {
        code: 'markers_in_generated_file',
        message:
          'dist-pages/index.html is generated (git ignores it): the markers of session 3f9a1c2e there must move to the true source',
        sessionId: '3f9a1c2e',
        file: 'dist-pages/index.html',
        line: 8,
      },
    ]);
  });

  it('an accepted session whose generated file lost its markers is not completed from source', () => {
    const j = new Journal('9e7e7a7e')
      .generate(1)
      .ack(1, 'generate', { type: 'done', file: 'docs/index.html' });
    const view = j.checkpoint(1, '1').event('browser.accept', { variant: '1' }).view();
    const rebuilt =
      '<!-- AUTO-GENERATED by scripts/build-pages.js. DO NOT EDIT -->\n<main><h1>Docs</h1></main>\n';
    const report = computeStatus(inputs({ sessions: [view], files: [file('docs/index.html', rebuilt)] }));
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('persist_fallback_to_true_source');
    expect(report.nextAction.reason).toBe(
      'docs/index.html is generated and no markers of session 9e7e7a7e remain there: make sure variant 1 is in the true source.',
    );
  });
});

describe('marker problems', () => {
  it('duplicated markers are diagnostics with file and line, and that session is not adopted', () => {
    const report = computeStatus(inputs({ files: [file('list.html', fixture('malformed-duplicate.html'))] }));
    const duplicate = {
      code: 'duplicate_id',
      message: 'variant markers for session d0b1e000 appear more than once',
      sessionId: 'd0b1e000',
      file: 'list.html',
      line: 8,
    };
    expect(report.diagnostics).toEqual([duplicate]);
    const bad = report.sourceSessions.find((s) => s.sessionId === 'd0b1e000');
    expect(bad?.recoverable).toBe(false);
    expect(bad?.diagnostics).toEqual([duplicate]);
    expect(bad?.nextAction.reason).toBe(
      '1 variant of session d0b1e000 is in list.html (line 2) with no live session: ask the user to reopen the preview to choose one, or accept or discard it from VS Code. The markers are malformed; fix them by hand first (see diagnostics).',
    );
    // The well-formed neighbour is what status points at.
    expect(report.nextAction.sessionId).toBe('600d0000');
    expect(report.effects.map((e) => e.sessionId)).toEqual(['600d0000']);
  });

  it('malformed markers of a journal session are attached to it and named in the reason', () => {
    const j = new Journal('d0b1e000').generate(1).ack(1, 'generate', { type: 'done', file: 'list.html' });
    const view = j.checkpoint(1, '1').event('browser.accept', { variant: '1' }).view();
    const report = computeStatus(
      inputs({ sessions: [view], files: [file('list.html', fixture('malformed-duplicate.html'))] }),
    );
    expect(report.nextAction.action).toBe('run_accept_cleanup');
    expect(report.nextAction.reason).toBe(
      'The user accepted variant 1 in list.html: keep it with its param values and remove the other variants and the markers. The markers are malformed; fix them by hand first (see diagnostics).',
    );
    expect(report.nextAction.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ['duplicate_id', 'list.html', 8],
    ]);
  });

  it('nested blocks and a start marker without an end are reported with their lines', () => {
    const report = computeStatus(
      inputs({
        files: [
          file('nested.html', fixture('malformed-nested.html')),
          file('start.html', fixture('malformed-start-only.html')),
        ],
      }),
    );
    // Problems on the same line come in the scanner's order; compare them sorted.
    const seen = report.diagnostics.map((d) => [d.code, d.sessionId, d.file, d.line]);
    seen.sort(
      (a, b) =>
        String(a[2]).localeCompare(String(b[2])) ||
        Number(a[3]) - Number(b[3]) ||
        String(a[1]).localeCompare(String(b[1])),
    );
    expect(seen).toEqual([
      ['nested_block', '0uter001', 'nested.html', 6],
      ['nested_block', '1nner001', 'nested.html', 6],
      ['start_without_end', 'dead0001', 'start.html', 2],
    ]);
    // Neither nested session can be adopted, and nothing else is active.
    expect(report.effects).toEqual([]);
    expect(report.nextAction.action).toBe('no_active_session');
    expect(report.nextAction.diagnostics).toEqual([]);
  });
});
