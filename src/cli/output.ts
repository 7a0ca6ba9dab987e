// What the CLI writes. Agents parse stdout, so every command prints exactly one JSON object per line (one
// object, or one per event for `serve`); people read stderr, which gets a short line on failure.

import { LiveVariantsError } from '../core/errors';
import { USAGE_ERROR_CODES } from './args';

/** Exit statuses (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The bridge or the core refused or failed (`not_clean`, `unknown_lease`, `journal_locked`, …). */
  failed: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The command needs a running bridge and none answered. */
  noBridge: 3,
} as const;

/** Error codes meaning "no bridge to talk to". */
export const NO_BRIDGE_CODES: ReadonlySet<string> = new Set([
  'bridge_not_running',
  'bridge_unreachable',
  'bridge_timeout',
]);

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); `serve` waits on it. */
  stopSignal: () => Promise<string>;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

export function printText(io: CliIo, text: string): void {
  io.stdout(text.endsWith('\n') ? text : `${text}\n`);
}

/** Turns anything thrown into the one error shape; an unexpected exception keeps only its message. */
export function toCliError(err: unknown): LiveVariantsError {
  if (err instanceof LiveVariantsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LiveVariantsError('internal_error', `Unexpected failure: ${message}`);
}

export function exitCodeFor(err: LiveVariantsError): number {
  if (USAGE_ERROR_CODES.has(err.code)) return EXIT.usage;
  if (NO_BRIDGE_CODES.has(err.code)) return EXIT.noBridge;
  return EXIT.failed;
}

/** Prints `{error, field, message, …detail}` on stdout and a one-line summary on stderr; returns the exit status. */
export function printError(io: CliIo, err: unknown): number {
  const e = toCliError(err);
  // `field` is always present (null when the error is not about one field), so agents can rely on the shape.
  const { error, field, message, ...detail } = e.toBody();
  printJson(io, { error, field: field ?? null, message, ...detail });
  io.stderr(`live-variants: ${e.message}\n`);
  return exitCodeFor(e);
}
