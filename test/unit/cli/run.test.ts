import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_CONTRACT, CONTRACT_FIRST_LINE } from '../../../src/cli/agentContract';
import { helpFor } from '../../../src/cli/command';
import { COMMANDS } from '../../../src/cli/commands';
import { runInProcess } from './fakeIo';

let ws: string;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-run-'));
  // A .git folder makes ws the workspace root found from inside it.
  mkdirSync(join(ws, '.git'));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

describe('dispatch and usage errors', () => {
  it('answers an unknown command with exit 2 and a JSON error on stdout, a short line on stderr', async () => {
    const r = await runInProcess(['frobnicate'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.json()).toEqual({
      error: 'unknown_command',
      field: 'command',
      message:
        'Unknown command "frobnicate". Commands: status, poll, wrap, ack, resume, complete, accept, discard, log, ask, agents, interrupt, serve, instrument, instructions, version, help.',
    });
    expect(r.stderr).toBe(`live-variants: ${r.json().message}\n`);
  });

  it('exits 2 with the flag named for an unknown flag, a missing value and a bad number', async () => {
    const unknown = await runInProcess(['poll', '--tyeps', 'generate'], { cwd: ws });
    expect([unknown.code, unknown.json().error, unknown.json().field]).toEqual([
      2,
      'unknown_flag',
      '--tyeps',
    ]);
    const missing = await runInProcess(['poll', '--timeout'], { cwd: ws });
    expect([missing.code, missing.json().error, missing.json().field]).toEqual([
      2,
      'missing_value',
      '--timeout',
    ]);
    const bad = await runInProcess(['poll', '--timeout', 'soon'], { cwd: ws });
    expect(bad.code).toBe(2);
    expect(bad.json()).toEqual({
      error: 'invalid_value',
      field: '--timeout',
      message: '--timeout must be an integer from 0 to 120000, not "soon".',
    });
  });

  it('exits 2 when a required flag or argument is missing', async () => {
    const accept = await runInProcess(['accept', '1a2b3c4d'], { cwd: ws });
    expect([accept.code, accept.json().error, accept.json().field]).toEqual([2, 'missing_flag', '--variant']);
    const ack = await runInProcess(['ack'], { cwd: ws });
    expect([ack.code, ack.json().error, ack.json().field]).toEqual([2, 'missing_argument', 'leaseId']);
    const result = await runInProcess(['ack', 'x-1@e.1', 'finished'], { cwd: ws });
    expect([result.code, result.json().error]).toEqual([2, 'invalid_value']);
    const wrap = await runInProcess(['wrap', '--count', '2'], { cwd: ws });
    expect([wrap.code, wrap.json().error, wrap.json().field]).toEqual([2, 'missing_flag', '--id']);
  });

  it('prints help text for every command, listing each of its flags', async () => {
    for (const command of COMMANDS) {
      const r = await runInProcess([command.name, '--help'], { cwd: ws });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(helpFor(command));
      expect(r.stdout.startsWith(`Usage: live-variants ${command.usage}\n`)).toBe(true);
      for (const flag of Object.keys(command.spec.flags)) expect(r.stdout).toContain(`--${flag}`);
    }
    const viaHelp = await runInProcess(['help', 'poll'], { cwd: ws });
    expect(viaHelp.stdout).toBe(helpFor(COMMANDS.find((c) => c.name === 'poll')!));
  });

  it('lists every command in the general help', async () => {
    const r = await runInProcess([], { cwd: ws });
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
  });

  it('prints the version as JSON', async () => {
    const r = await runInProcess(['version'], { cwd: ws });
    expect(r.json()).toEqual({ name: 'live-variants', version: '0.1.0', protocol: 1 });
    expect((await runInProcess(['--version'], { cwd: ws })).json()).toEqual(r.json());
  });
});

describe('instructions', () => {
  it('starts with the run-status-first sentence', async () => {
    const r = await runInProcess(['instructions'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'Whenever you start, resume, or lose context (a new chat, a compacted conversation), run `live-variants status` before doing anything else.',
    );
    expect(r.stdout).toBe(AGENT_CONTRACT);
    expect(AGENT_CONTRACT.startsWith(`${CONTRACT_FIRST_LINE}\n`)).toBe(true);
  });

  it('prints exactly the text of docs/agent-contract.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/agent-contract.md'), 'utf8');
    expect(doc).toBe(AGENT_CONTRACT);
  });

  it('names every next action the status report can give', () => {
    for (const action of [
      'poll_for_pending_event',
      'write_variants',
      'continue_writing_variants',
      'run_accept_cleanup',
      'run_carbonize_cleanup',
      'acknowledge_completion',
      'persist_fallback_to_true_source',
      'restore_discard',
      'ask_user_to_reopen_browser',
      'no_active_session',
    ]) {
      expect(AGENT_CONTRACT).toContain(`| \`${action}\` |`);
    }
  });
});

describe('without a bridge', () => {
  it('poll and ack exit 3 with bridge_not_running', async () => {
    const poll = await runInProcess(['poll'], { cwd: ws });
    expect(poll.code).toBe(3);
    expect(poll.json()).toEqual({
      error: 'bridge_not_running',
      field: null,
      message: `No bridge runs for ${ws} (no .live-variants/bridge.json). Start one with \`live-variants serve\` or open the folder in VS Code.`,
    });
    const ack = await runInProcess(['ack', 'aaaa1111-1@e.1', 'done'], { cwd: ws });
    expect([ack.code, ack.json().error]).toEqual([3, 'bridge_not_running']);
  });

  it('accept and discard refuse with bridge_not_running rather than deciding offline', async () => {
    const accept = await runInProcess(['accept', '1a2b3c4d', '--variant', '1'], { cwd: ws });
    expect(accept.code).toBe(3);
    expect(accept.json().error).toBe('bridge_not_running');
    expect(String(accept.json().message)).toMatch(/^accept needs a running bridge/);
    const discard = await runInProcess(['discard', '1a2b3c4d'], { cwd: ws });
    expect([discard.code, discard.json().error]).toEqual([3, 'bridge_not_running']);
  });

  it('status reports no active session from an empty workspace, with the bridge not running', async () => {
    const r = await runInProcess(['status', '--json'], { cwd: ws });
    expect(r.code).toBe(0);
    const report = r.json();
    expect(report.bridge).toEqual({
      running: false,
      url: null,
      agentsOnline: 0,
      reason: 'no_discovery',
      message: `No bridge runs for ${ws} (no .live-variants/bridge.json). Start one with \`live-variants serve\` or open the folder in VS Code.`,
    });
    expect((report.nextAction as Record<string, unknown>).action).toBe('no_active_session');
    expect(report.sessions).toEqual([]);
  });

  it('status without --json prints the human summary', async () => {
    const r = await runInProcess(['status'], { cwd: ws });
    expect(r.stdout).toBe(
      [
        'Next action: no_active_session',
        'Reason: No live variant session is active and no markers in source need work.',
        'Bridge: not running (no_discovery); this status was read from the journal and the source',
        'Sessions: 0 active, 0 in source only; 0 diagnostics',
        '',
      ].join('\n'),
    );
  });

  it('resume without a journal resumes nothing and creates no journal', async () => {
    const r = await runInProcess(['resume'], { cwd: ws });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ resumed: [], bridge: { running: false } });
    const one = await runInProcess(['resume', 'aaaa1111'], { cwd: ws });
    expect([one.code, one.json().error]).toEqual([1, 'session_not_found']);
  });

  it('refuses two different session ids for resume', async () => {
    const r = await runInProcess(['resume', 'aaaa1111', '--id', 'bbbb2222'], { cwd: ws });
    expect([r.code, r.json().error, r.json().field]).toEqual([2, 'invalid_value', '--id']);
  });
});
