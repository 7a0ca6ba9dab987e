// Which agent is calling: `--agent`, else $LIVE_VARIANTS_AGENT, else the calling terminal's id, minted once and
// remembered under `<root>/.live-variants/agents/` (src/core/agents/agentIdentity.ts; docs/agents.md). The
// display name (`--name`, $LIVE_VARIANTS_AGENT_NAME, remembered, or "<harness> <last 4>") and the harness
// travel with the calls that refresh presence, so the Agents panel can say who is who.

import { type AgentIdentity, type MintOptions, resolveAgentIdentity } from '../core/agents/agentIdentity';
import { AGENT_ID_PATTERN } from '../core/agents/ids';
import { LiveVariantsError } from '../core/errors';

export function checkAgentId(id: string, field: string): string {
  if (!AGENT_ID_PATTERN.test(id)) {
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
  name?: string;
  env: Readonly<Record<string, string | undefined>>;
  root: string;
  mint?: MintOptions;
}

/** As resolveAgentIdentity, with the CLI's `invalid_value` refusal for a bad flag or variable. */
export async function resolveCliAgent(opts: AgentIdOptions): Promise<AgentIdentity> {
  if (opts.flag !== undefined) checkAgentId(opts.flag, '--agent');
  const fromEnv = opts.env.LIVE_VARIANTS_AGENT;
  if (opts.flag === undefined && fromEnv !== undefined && fromEnv !== '') {
    checkAgentId(fromEnv, 'LIVE_VARIANTS_AGENT');
  }
  return resolveAgentIdentity({
    flag: opts.flag,
    name: opts.name,
    env: opts.env,
    cwd: opts.root,
    mint: opts.mint,
  });
}
