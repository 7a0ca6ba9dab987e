import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENTS_DIR,
  agentIdForKey,
  detectHarness,
  mintAgentId,
  resolveAgentIdentity,
  terminalKey,
} from '../../../src/core/agents';
import { isLiveVariantsError } from '../../../src/core/errors';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-agentid-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const noStart = { ppid: 4242, processStartTime: () => undefined };

describe('terminalKey', () => {
  it('prefers a multiplexer pane over the outer terminal session', () => {
    const env = { TMUX: '/tmp/tmux-1000/default,99,0', TMUX_PANE: '%3', TERM_SESSION_ID: 'w0t0p0:ABC' };
    expect(terminalKey(env, noStart)).toEqual({
      source: 'tmux',
      key: 'tmux\0/tmp/tmux-1000/default,99,0\0%3',
    });
    expect(terminalKey({ TERM_SESSION_ID: 'w0t0p0:ABC' }, noStart).source).toBe('apple-terminal');
    expect(terminalKey({ WT_SESSION: 'guid' }, noStart).source).toBe('windows-terminal');
    expect(terminalKey({ KITTY_WINDOW_ID: '2', KITTY_PID: '77' }, noStart)).toEqual({
      source: 'kitty',
      key: 'kitty\x002\x0077',
    });
  });

  it('ignores inherited terminal variables inside VS Code and keys by the parent process', () => {
    const env = { TERM_PROGRAM: 'vscode', TERM_SESSION_ID: 'inherited-from-launcher' };
    expect(terminalKey(env, { ppid: 4242, processStartTime: () => '123456' })).toEqual({
      source: 'ppid',
      key: 'ppid\x004242\x00123456',
    });
  });

  it('tells two shells that reused a pid apart by their start time', () => {
    const a = terminalKey({}, { ppid: 10, processStartTime: () => '100' });
    const b = terminalKey({}, { ppid: 10, processStartTime: () => '200' });
    expect(agentIdForKey(a.key)).not.toBe(agentIdForKey(b.key));
  });

  it('reads the real parent start time on Linux', () => {
    const k = terminalKey({}, { ppid: process.pid });
    if (process.platform === 'linux') expect(k.key).toMatch(/^ppid\0\d+\0\d+$/);
    else expect(k.key).toBe(`ppid\0${process.pid}\0`);
  });
});

describe('mintAgentId', () => {
  it('derives the same id for the same terminal and remembers it in .live-variants/agents', async () => {
    const env = { TERM_SESSION_ID: 'w0t1p0:XYZ', CLAUDECODE: '1' };
    const first = await mintAgentId(env, root, noStart);
    expect(first.agentId).toMatch(/^term-[0-9a-f]{10}$/);
    expect(first).toMatchObject({ harness: 'claude-code', source: 'apple-terminal', remembered: false });
    expect(first.name).toBe(`claude-code ${first.agentId.slice(-4)}`);
    expect(first.file).toBe(join(root, AGENTS_DIR, readdirSync(join(root, AGENTS_DIR))[0]));
    const saved = JSON.parse(readFileSync(first.file!, 'utf8'));
    expect(saved).toMatchObject({ v: 1, agentId: first.agentId, source: 'apple-terminal' });
    expect(JSON.stringify(saved)).not.toContain('XYZ'); // the raw terminal key is not written

    const second = await mintAgentId(env, root, noStart);
    expect(second).toMatchObject({ agentId: first.agentId, remembered: true });
    const other = await mintAgentId({ TERM_SESSION_ID: 'w0t2p0:XYZ' }, root, noStart);
    expect(other.agentId).not.toBe(first.agentId);
  });

  it('uses an id and name pinned in the remembered file', async () => {
    const env = { WT_SESSION: 'abc' };
    const first = await mintAgentId(env, root, noStart);
    writeFileSync(first.file!, JSON.stringify({ v: 1, agentId: 'my-agent', name: 'Reviewer' }));
    expect(await mintAgentId(env, root, noStart)).toMatchObject({ agentId: 'my-agent', name: 'Reviewer' });
  });

  it('still answers the derived id when nothing can be written', async () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    const minted = await mintAgentId({ WT_SESSION: 'abc' }, file, noStart);
    expect(minted).toMatchObject({ file: null, remembered: false });
    expect(minted.agentId).toBe((await mintAgentId({ WT_SESSION: 'abc' }, root, noStart)).agentId);
  });

  it('forgets remembered ids unused for 30 days when it writes a new one', async () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    const old = await mintAgentId({ WT_SESSION: 'old' }, root, { ...noStart, now: () => now });
    const longAgo = new Date(now - 31 * 24 * 3_600_000);
    utimesSync(old.file!, longAgo, longAgo);
    const fresh = await mintAgentId({ WT_SESSION: 'new' }, root, { ...noStart, now: () => now });
    expect(readdirSync(join(root, AGENTS_DIR))).toEqual([fresh.file!.split('/').pop()]);
  });
});

describe('resolveAgentIdentity', () => {
  it('takes --agent, then LIVE_VARIANTS_AGENT, then the terminal', async () => {
    const env = { LIVE_VARIANTS_AGENT: 'from-env', WT_SESSION: 's', LIVE_VARIANTS_HARNESS: 'my-harness' };
    expect(await resolveAgentIdentity({ flag: 'flagged', env, cwd: root })).toEqual({
      agentId: 'flagged',
      name: 'flagged',
      harness: 'my-harness',
      from: 'flag',
    });
    expect(await resolveAgentIdentity({ env, cwd: root })).toMatchObject({
      agentId: 'from-env',
      from: 'env',
    });
    const t = await resolveAgentIdentity({
      env: { WT_SESSION: 's', LIVE_VARIANTS_AGENT_NAME: 'Night shift' },
      cwd: root,
      mint: noStart,
    });
    expect(t).toMatchObject({ name: 'Night shift', harness: 'cli', from: 'terminal' });
    expect(t.agentId).toMatch(/^term-/);
  });

  it('refuses a bad --agent or LIVE_VARIANTS_AGENT naming which', async () => {
    const bad = async (input: Parameters<typeof resolveAgentIdentity>[0]) => {
      const e = await resolveAgentIdentity(input).catch((x: unknown) => x);
      return isLiveVariantsError(e) ? e.field : 'no error';
    };
    expect(await bad({ flag: 'a b', env: {}, cwd: root })).toBe('--agent');
    expect(await bad({ env: { LIVE_VARIANTS_AGENT: 'x/y' }, cwd: root })).toBe('LIVE_VARIANTS_AGENT');
  });
});

describe('detectHarness', () => {
  it('names the known harnesses from their variables, else cli', () => {
    expect(detectHarness({ CLAUDECODE: '1' })).toBe('claude-code');
    expect(detectHarness({ GEMINI_CLI: '1' })).toBe('gemini-cli');
    expect(detectHarness({ CODEX_SANDBOX: 'seatbelt' })).toBe('codex');
    expect(detectHarness({ TERM_PROGRAM: 'vscode' })).toBe('vscode-terminal');
    expect(detectHarness({ LIVE_VARIANTS_HARNESS: ' aider\n', CLAUDECODE: '1' })).toBe('aider');
    expect(detectHarness({})).toBe('cli');
  });
});
