import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { humanStatus } from '../../../src/cli/commands/status';
import { SessionEngine } from '../../../src/core/engine';
import { runInProcess } from './fakeIo';

const SID = '1a2b3c4d';
const GENERATE = {
  type: 'generate',
  sessionId: SID,
  eventId: 'g1',
  mode: 'replace',
  count: 2,
  element: { tag: 'section', id: 'hero', classes: ['hero'] },
  fileHint: 'index.html',
};
const WRAPPED = [
  '<main>',
  `  <!-- impeccable-variants-start ${SID} -->`,
  `  <div data-impeccable-variants="${SID}" data-impeccable-variant-count="2" style="display: contents">`,
  '    <div data-impeccable-variant="original">',
  '      <section class="hero" id="hero">Hi</section>',
  '    </div>',
  '  </div>',
  `  <!-- impeccable-variants-end ${SID} -->`,
  '</main>',
  '',
].join('\n');

let ws: string;
let journalDir: string;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-offline-'));
  mkdirSync(join(ws, '.git'));
  journalDir = join(ws, '.live-variants', 'journal');
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

async function withEngine(run: (engine: SessionEngine) => Promise<void>): Promise<void> {
  const engine = await SessionEngine.open({ journalDir });
  try {
    await run(engine);
  } finally {
    await engine.close();
  }
}

describe('offline status', () => {
  it('reads a pending generate from the journal and says to poll for it', async () => {
    await withEngine(async (e) => {
      await e.submitBrowserEvent(GENERATE);
    });
    const r = await runInProcess(['status', '--json'], { cwd: ws });
    expect(r.code).toBe(0);
    const report = r.json();
    expect(report.bridge).toMatchObject({ running: false, reason: 'no_discovery' });
    expect(report.nextAction).toMatchObject({
      action: 'poll_for_pending_event',
      sessionId: SID,
      phase: 'generating',
      command: 'live-variants poll',
    });
    expect((report.sessions as { sessionId: string }[]).map((s) => s.sessionId)).toEqual([SID]);
  });

  it('limits the report to --id', async () => {
    await withEngine(async (e) => {
      await e.submitBrowserEvent(GENERATE);
      await e.submitBrowserEvent({ ...GENERATE, sessionId: 'ffff0000', eventId: 'g2' });
    });
    const r = await runInProcess(['status', '--json', '--id', 'ffff0000'], { cwd: ws });
    expect((r.json().sessions as { sessionId: string }[]).map((s) => s.sessionId)).toEqual(['ffff0000']);
  });

  it('summarises for a person: action, session, reason, command and where the answer came from', () => {
    const text = humanStatus({
      bridge: { running: true, url: 'http://127.0.0.1:4000' },
      nextAction: {
        action: 'write_variants',
        sessionId: SID,
        file: 'index.html',
        reason: 'Write 2 variants.',
        command: 'live-variants ack L done',
      },
      sessions: [{}, {}],
      sourceSessions: [],
      diagnostics: [{}],
    });
    expect(text).toBe(
      [
        `Next action: write_variants (session ${SID}, index.html)`,
        'Reason: Write 2 variants.',
        'Run: live-variants ack L done',
        'Bridge: running at http://127.0.0.1:4000',
        'Sessions: 2 active, 0 in source only; 1 diagnostic (live-variants status --json for details)',
        '',
      ].join('\n'),
    );
  });
});

describe('offline resume', () => {
  it('returns a stranded session to the phase it left', async () => {
    await withEngine(async (e) => {
      await e.submitBrowserEvent(GENERATE);
      await e.submit(SID, 'strand-1', { type: 'session.strand', reason: 'bridge_restart' });
    });
    const r = await runInProcess(['resume'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      resumed: [{ sessionId: SID, action: 'resumed', phase: 'generating' }],
      bridge: { running: false },
    });
    const again = await runInProcess(['resume', SID], { cwd: ws });
    expect(again.json()).toEqual({ resumed: [], bridge: { running: false } });
  });

  it('fails with journal_locked while another writer holds the journal', async () => {
    const engine = await SessionEngine.open({ journalDir });
    try {
      await engine.submitBrowserEvent(GENERATE);
      const r = await runInProcess(['resume'], { cwd: ws });
      expect(r.code).toBe(1);
      expect(r.json()).toMatchObject({ error: 'journal_locked', pid: process.pid });
    } finally {
      await engine.close();
    }
  });
});

describe('offline complete', () => {
  async function discardPending(): Promise<void> {
    writeFileSync(join(ws, 'index.html'), WRAPPED);
    await withEngine(async (e) => {
      await e.submitBrowserEvent(GENERATE);
      await e.submit(SID, 'w1', { type: 'source.wrapped', file: 'index.html' });
      await e.submitBrowserEvent({ type: 'discard', sessionId: SID, eventId: 'd1' });
    });
  }

  it('refuses with not_clean and the findings while markers remain', async () => {
    await discardPending();
    const r = await runInProcess(['complete', SID], { cwd: ws });
    expect(r.code).toBe(1);
    const body = r.json();
    expect(body.error).toBe('not_clean');
    const findings = body.findings as { marker: string; line: number; file: string }[];
    expect(findings.map((f) => [f.marker, f.line, f.file])).toEqual([
      [`impeccable-variants-start ${SID}`, 2, 'index.html'],
      [`data-impeccable-variants="${SID}"`, 3, 'index.html'],
      ['data-impeccable-variant-count', 3, 'index.html'],
      ['data-impeccable-variant', 4, 'index.html'],
      [`impeccable-variants-end ${SID}`, 8, 'index.html'],
    ]);
  });

  it('records the completion once the source is clean, and again is a no-op', async () => {
    await discardPending();
    writeFileSync(
      join(ws, 'index.html'),
      '<main>\n  <section class="hero" id="hero">Hi</section>\n</main>\n',
    );
    const r = await runInProcess(['complete', SID], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      sessionId: SID,
      phase: 'complete',
      findings: [],
      forced: false,
      bridge: { running: false },
    });
    const again = await runInProcess(['complete', SID], { cwd: ws });
    expect(again.json()).toEqual({
      sessionId: SID,
      phase: 'complete',
      alreadyComplete: true,
      bridge: { running: false },
    });
  });

  it('completes anyway with --force', async () => {
    await discardPending();
    const r = await runInProcess(['complete', SID, '--force'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ sessionId: SID, phase: 'complete', forced: true });
  });
});
