import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCliAgent } from '../../../src/cli/agentId';

let ws: string;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-agent-'));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

const tmux = (pane: string) => ({ TMUX: '/tmp/tmux-0/default,1,0', TMUX_PANE: pane });

describe('resolveCliAgent', () => {
  it('takes --agent first, then LIVE_VARIANTS_AGENT, and writes nothing for either', async () => {
    const env = { LIVE_VARIANTS_AGENT: 'claude-main' };
    expect(await resolveCliAgent({ flag: 'codex', env, root: ws })).toMatchObject({
      agentId: 'codex',
      name: 'codex',
      from: 'flag',
    });
    expect(await resolveCliAgent({ env, root: ws })).toMatchObject({ agentId: 'claude-main', from: 'env' });
    expect(existsSync(join(ws, '.live-variants'))).toBe(false);
  });

  it('refuses ids the bridge would refuse, naming where they came from', async () => {
    await expect(resolveCliAgent({ flag: 'has space', env: {}, root: ws })).rejects.toMatchObject({
      code: 'invalid_value',
      field: '--agent',
    });
    await expect(
      resolveCliAgent({ env: { LIVE_VARIANTS_AGENT: 'x'.repeat(65) }, root: ws }),
    ).rejects.toMatchObject({ code: 'invalid_value', field: 'LIVE_VARIANTS_AGENT' });
  });

  it('mints one id per terminal, remembers it, and presents it on every later call', async () => {
    const first = await resolveCliAgent({ env: tmux('%1'), root: ws });
    expect(first.agentId).toMatch(/^term-[0-9a-f]{10}$/);
    expect(first.from).toBe('terminal');
    expect(first.name).toBe(`cli ${first.agentId.slice(-4)}`);
    expect((await resolveCliAgent({ env: tmux('%1'), root: ws })).agentId).toBe(first.agentId);
    const other = await resolveCliAgent({ env: tmux('%2'), root: ws });
    expect(other.agentId).not.toBe(first.agentId);
    const files = readdirSync(join(ws, '.live-variants', 'agents')).sort();
    expect(files).toHaveLength(2);
    const saved = files.map((f) => JSON.parse(readFileSync(join(ws, '.live-variants', 'agents', f), 'utf8')));
    expect(saved.map((d) => d.agentId).sort()).toEqual([first.agentId, other.agentId].sort());
  });

  it('takes the display name from --name, then LIVE_VARIANTS_AGENT_NAME, and the harness from the environment', async () => {
    const env = { ...tmux('%3'), CLAUDECODE: '1', LIVE_VARIANTS_AGENT_NAME: 'Palette bot' };
    expect(await resolveCliAgent({ env, root: ws })).toMatchObject({
      name: 'Palette bot',
      harness: 'claude-code',
    });
    expect(await resolveCliAgent({ name: 'Explicit', env, root: ws })).toMatchObject({ name: 'Explicit' });
  });
});
