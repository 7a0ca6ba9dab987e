// Which agent is polling. `--agent`, else $LIVE_VARIANTS_AGENT, else an id minted once per terminal: the CLI's
// parent process (the shell) keys a file `.live-variants/agents/<ppid>` holding `cli-<8 hex>`, so every command
// run from the same shell presents the same id. Files of shells that are gone are removed when a new one is
// minted. Harnesses that start a new shell per command should set LIVE_VARIANTS_AGENT (docs/cli.md).

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { discoveryDirPath, ensureDiscoveryDir, isPidAlive } from '../bridge/discovery';
import { LiveVariantsError } from '../core/errors';

export const AGENTS_DIR = 'agents';
const AGENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function checkAgentId(id: string, field: string): string {
  if (!AGENT_ID.test(id)) {
    throw new LiveVariantsError(
      'invalid_value',
      `${field} must be 1 to 64 letters, digits, "_", ".", ":" or "-", not ${JSON.stringify(id)}.`,
      field,
    );
  }
  return id;
}

export interface AgentIdOptions {
  flag?: string;
  env: Readonly<Record<string, string | undefined>>;
  root: string;
  ppid?: number;
  isAlive?: (pid: number) => boolean;
  mint?: () => string;
}

function mintDefault(): string {
  return `cli-${randomBytes(4).toString('hex')}`;
}

async function pruneDead(dir: string, isAlive: (pid: number) => boolean): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await fsp.rm(join(dir, name), { force: true });
  }
}

export async function resolveAgentId(opts: AgentIdOptions): Promise<string> {
  if (opts.flag !== undefined) return checkAgentId(opts.flag, '--agent');
  const fromEnv = opts.env.LIVE_VARIANTS_AGENT;
  if (fromEnv !== undefined && fromEnv !== '') return checkAgentId(fromEnv, 'LIVE_VARIANTS_AGENT');
  const ppid = opts.ppid ?? process.ppid;
  const dir = join(discoveryDirPath(opts.root), AGENTS_DIR);
  const file = join(dir, String(ppid));
  const existing = await fsp.readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined && AGENT_ID.test(existing.trim())) return existing.trim();
  const id = (opts.mint ?? mintDefault)();
  try {
    await ensureDiscoveryDir(opts.root);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await pruneDead(dir, opts.isAlive ?? isPidAlive);
    await fsp.writeFile(file, `${id}\n`, { mode: 0o600 });
  } catch {
    // A read-only workspace still polls; the id is just not remembered for the next command.
  }
  return id;
}
