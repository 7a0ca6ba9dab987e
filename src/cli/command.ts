// The shape every subcommand has: its argument spec (which is also its help text) and what it does.

import type { ArgSpec, ParsedArgs } from './args';
import type { CliIo } from './output';

export interface Command {
  name: string;
  /** One line for `live-variants help`. */
  summary: string;
  /** Usage line without the program name, e.g. `ack <leaseId> <result> [flags]`. */
  usage: string;
  /** Paragraphs printed by `--help` after the usage line. */
  details: string;
  spec: ArgSpec;
  /** Prints its result and returns the exit status; throws LiveVariantsError on failure. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export const PROGRAM = 'live-variants';

/** `--help` text built from the spec, so flags and help cannot drift apart. */
export function helpFor(command: Command): string {
  const lines = [`Usage: ${PROGRAM} ${command.usage}`, '', command.summary];
  if (command.details !== '') lines.push('', command.details);
  if (command.spec.positionals.length > 0) {
    lines.push('', 'Arguments:');
    for (const p of command.spec.positionals) {
      const choices = p.choices ? ` (${p.choices.join('|')})` : '';
      lines.push(`  <${p.name}>${' '.repeat(Math.max(1, 24 - p.name.length - 2))}${p.description}${choices}`);
    }
  }
  const flags = Object.entries(command.spec.flags);
  if (flags.length > 0) {
    lines.push('', 'Flags:');
    for (const [name, f] of flags) {
      const value = f.kind === 'boolean' ? '' : ` ${f.valueName ?? 'VALUE'}`;
      const head = `--${name}${value}`;
      const choices = f.choices ? ` (${f.choices.join('|')})` : '';
      lines.push(`  ${head}${' '.repeat(Math.max(1, 24 - head.length))}${f.description}${choices}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
