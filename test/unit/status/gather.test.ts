// The I/O half: which files are scanned and read, and how read failures become data.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeStatus, gatherStatusInputs } from '../../../src/core/status';
import { fixture, Journal, NOW } from './helpers';

let root: string;

function write(rel: string, text: string | Buffer): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

const notIgnored = { isIgnored: () => false };

function accepting(sessionId: string, fileName: string) {
  return new Journal(sessionId)
    .generate(2)
    .ack(1, 'generate', { type: 'done', file: fileName, count: 2 })
    .checkpoint(1, '2', { lift: 0.75 })
    .event('browser.accept', { variant: '2' })
    .view();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-status-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('gatherStatusInputs', () => {
  it('scans the workspace for markers and reads the text of the files sessions name', async () => {
    write('index.html', fixture('basic.html'));
    write('site/pricing.html', fixture('styled-knobs.html'));
    write('about.html', '<main>no markers</main>\n');
    write('node_modules/pkg/x.html', fixture('carbonized.html'));
    const view = accepting('7c0ffee1', 'site/pricing.html');
    const got = await gatherStatusInputs({ root, sessions: [view], now: NOW, workspace: notIgnored });
    expect(
      got.files.map((f) => [f.path, f.text !== undefined, f.scan?.blocks.map((b) => b.sessionId)]),
    ).toEqual([
      ['index.html', false, ['3f9a1c2e']],
      ['site/pricing.html', true, ['7c0ffee1']],
    ]);
    expect(got.files[1].text).toBe(fixture('styled-knobs.html'));
    expect(got.root).toBe(root);
    const report = computeStatus(got);
    expect(report.nextAction.action).toBe('run_accept_cleanup');
    expect(report.nextAction.file).toBe('site/pricing.html');
    expect(report.sourceSessions.map((s) => s.sessionId)).toEqual(['3f9a1c2e']);
  });

  it('a cleaned session file is read, so the completion is inferred end to end', async () => {
    write(
      'site/pricing.html',
      '<main class="pricing"><article class="plan plan--raised"></article></main>\n',
    );
    const view = accepting('7c0ffee1', 'site/pricing.html');
    const report = computeStatus(await gatherStatusInputs({ root, sessions: [view], workspace: notIgnored }));
    expect(report.nextAction.action).toBe('acknowledge_completion');
    expect(report.effects.map((e) => e.eventId)).toEqual(['synthetic-complete:7c0ffee1']);
  });

  it('turns a missing, a directory, a non-UTF-8 and an outside file into errors, never a throw', async () => {
    write('dir.html/inner.txt', 'x');
    write('latin1.html', Buffer.from([0x3c, 0x70, 0x3e, 0xe9, 0x3c, 0x2f, 0x70, 0x3e]));
    const sessions = [
      accepting('aaaa1111', 'gone.html'),
      accepting('bbbb2222', 'dir.html'),
      accepting('cccc3333', 'latin1.html'),
      accepting('dddd4444', '../elsewhere.html'),
    ];
    const bridge = { running: true, url: null };
    const got = await gatherStatusInputs({ root, sessions, bridge, workspace: notIgnored });
    expect(got.files.map((f) => [f.path, f.error])).toEqual([
      [
        '../elsewhere.html',
        { code: 'outside_workspace', message: `the path is outside the workspace ${root}` },
      ],
      ['dir.html', { code: 'EISDIR', message: 'it is a directory' }],
      ['gone.html', { code: 'ENOENT', message: 'the file does not exist' }],
      ['latin1.html', { code: 'unsupported_encoding', message: 'the file is not valid UTF-8' }],
    ]);
    const report = computeStatus(got);
    expect(report.diagnostics.map((d) => [d.code, d.sessionId, d.file])).toEqual([
      ['source_unreadable', 'dddd4444', '../elsewhere.html'],
      ['source_unreadable', 'bbbb2222', 'dir.html'],
      ['source_unreadable', 'aaaa1111', 'gone.html'],
      ['source_unreadable', 'cccc3333', 'latin1.html'],
    ]);
    expect(report.effects).toEqual([]);
  });

  it('with scope "sessions" reads only named files and extra files, not the whole workspace', async () => {
    write('index.html', fixture('basic.html'));
    write('plans.html', fixture('carbonized.html'));
    write('site/pricing.html', fixture('styled-knobs.html'));
    const view = accepting('7c0ffee1', 'site/pricing.html');
    const got = await gatherStatusInputs({
      root,
      sessions: [view],
      scope: 'sessions',
      extraFiles: ['plans.html'],
      workspace: notIgnored,
    });
    expect(got.files.map((f) => f.path)).toEqual(['plans.html', 'site/pricing.html']);
  });

  it('asks the ignore verdict for read files, so a git-ignored session file counts as generated', async () => {
    write('out/index.html', fixture('basic.html'));
    const view = new Journal('3f9a1c2e')
      .generate(3)
      .ack(1, 'generate', { type: 'done', file: 'out/index.html' })
      .view();
    const got = await gatherStatusInputs({
      root,
      sessions: [view],
      scope: 'sessions',
      workspace: { isIgnored: (rel) => rel.startsWith('out/') },
    });
    expect(got.files.map((f) => [f.path, f.generated])).toEqual([['out/index.html', true]]);
    expect(computeStatus(got).nextAction.action).toBe('persist_fallback_to_true_source');
  });

  it('fills defaults: no bridge, no owed work, no browser, completed hidden', async () => {
    const got = await gatherStatusInputs({ root, sessions: [], now: NOW, workspace: notIgnored });
    expect(got.bridge).toEqual({ running: false, url: null });
    expect(got.owed).toEqual([]);
    expect(got.includeCompleted).toBe(false);
    expect(got.browserConnected('x')).toBe(false);
    expect(got.files).toEqual([]);
    expect(computeStatus(got).nextAction.action).toBe('no_active_session');
  });
});
