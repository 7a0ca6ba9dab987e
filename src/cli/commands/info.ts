// `instructions`, `version` and `help`: the commands that only print what the CLI knows about itself.

import { AGENT_CONTRACT } from '../agentContract';
import type { Command } from '../command';
import { HELP_FLAG } from '../connection';
import { EXIT, printJson, printText } from '../output';

export const CLI_VERSION = '0.1.0';

export const instructionsCommand: Command = {
  name: 'instructions',
  summary: 'Print the agent contract (Markdown): the loop an agent follows and its rules.',
  usage: 'instructions',
  details: "The same text as docs/agent-contract.md. Paste it into an agent's instructions.",
  spec: { positionals: [], flags: { ...HELP_FLAG } },
  async run(_args, io) {
    printText(io, AGENT_CONTRACT);
    return EXIT.ok;
  },
};

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the CLI version and the bridge protocol it speaks.',
  usage: 'version',
  details: '',
  spec: { positionals: [], flags: { ...HELP_FLAG } },
  async run(_args, io) {
    printJson(io, { name: 'live-variants', version: CLI_VERSION, protocol: 1 });
    return EXIT.ok;
  },
};
