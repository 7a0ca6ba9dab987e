// Dispatch: `live-variants <command> [args]`. Kept apart from main.ts so tests can run the CLI in-process.

import { LiveVariantsError } from '../core/errors';
import { parseArgs } from './args';
import { helpFor, PROGRAM } from './command';
import { COMMANDS, findCommand } from './commands';
import { type CliIo, EXIT, printError, printText } from './output';

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const lines = [
    `Usage: ${PROGRAM} <command> [flags]`,
    '',
    'Live Variants: durable live design-variant sessions between a browser preview, AI agents and VS Code.',
    'Every command prints JSON on stdout; errors print {"error","field","message"} and exit non-zero',
    '(2: bad command line, 3: no bridge running, 1: anything else).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}Show this help, or a command's: help <command>`,
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's flags. Agents: start with \`${PROGRAM} instructions\`.`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = topic === undefined ? undefined : findCommand(topic);
      if (topic !== undefined && command === undefined) throw unknownCommand(topic);
      printText(io, command ? helpFor(command) : generalHelp());
      return EXIT.ok;
    }
    const command = findCommand(name === '--version' ? 'version' : name);
    if (command === undefined) throw unknownCommand(name);
    const args = parseArgs(rest, command.spec);
    if (args.flags.help === true) {
      printText(io, helpFor(command));
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (err) {
    return printError(io, err);
  }
}

function unknownCommand(name: string): LiveVariantsError {
  return new LiveVariantsError(
    'unknown_command',
    `Unknown command ${JSON.stringify(name)}. Commands: ${COMMANDS.map((c) => c.name).join(', ')}, help.`,
    'command',
  );
}
