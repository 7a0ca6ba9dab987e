import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAgentId } from '../../../src/cli/agentId';

let ws: string;
let minted: number;
const mint = () => `cli-${String(++minted).padStart(8, '0')}`;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-agent-'));
  minted = 0;
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

describe('resolveAgentId', () => {
  it('takes --agent first, then LIVE_VARIANTS_AGENT', async () => {
    const env = { LIVE_VARIANTS_AGENT: 'claude-main' };
    expect(await resolveAgentId({ flag: 'codex', env, root: ws, mint })).toBe('codex');
    expect(await resolveAgentId({ env, root: ws, mint })).toBe('claude-main');
    expect(existsSync(join(ws, '.live-variants'))).toBe(false);
  });

  it('refuses ids the bridge would refuse', async () => {
    await expect(resolveAgentId({ flag: 'has space', env: {}, root: ws })).rejects.toMatchObject({
      code: 'invalid_value',
      field: '--agent',
    });
    await expect(
      resolveAgentId({ env: { LIVE_VARIANTS_AGENT: 'x'.repeat(65) }, root: ws }),
    ).rejects.toMatchObject({
      field: 'LIVE_VARIANTS_AGENT',
    });
  });

  it('mints one id per terminal (parent pid) and keeps presenting it', async () => {
    const alive = () => true;
    const first = await resolveAgentId({ env: {}, root: ws, ppid: 111, mint, isAlive: alive });
    expect(first).toBe('cli-00000001');
    expect(await resolveAgentId({ env: {}, root: ws, ppid: 111, mint, isAlive: alive })).toBe(first);
    expect(await resolveAgentId({ env: {}, root: ws, ppid: 222, mint, isAlive: alive })).toBe('cli-00000002');
    expect(readFileSync(join(ws, '.live-variants', 'agents', '111'), 'utf8')).toBe('cli-00000001\n');
  });

  it('forgets the ids of terminals that are gone when it mints a new one', async () => {
    const dir = join(ws, '.live-variants', 'agents');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '333'), 'cli-old\n');
    writeFileSync(join(dir, '444'), 'cli-alive\n');
    await resolveAgentId({ env: {}, root: ws, ppid: 555, mint, isAlive: (pid) => pid === 444 });
    expect(readdirSync(dir).sort()).toEqual(['444', '555']);
  });
});
