// Runs the CLI in-process with captured output, as tests of dispatch and output shapes need.
import type { CliIo } from '../../../src/cli/output';
import { runCli } from '../../../src/cli/run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as one JSON object (throws when it is not exactly one). */
  json: () => Record<string, unknown>;
}

export async function runInProcess(
  argv: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: opts.env ?? {},
    cwd: opts.cwd,
    stopSignal: () => new Promise(() => {}),
  };
  const code = await runCli(argv, io);
  return {
    code,
    stdout,
    stderr,
    json: () => {
      const lines = stdout.split('\n').filter((l) => l !== '');
      if (lines.length !== 1) throw new Error(`expected one JSON line, got ${lines.length}: ${stdout}`);
      return JSON.parse(lines[0]) as Record<string, unknown>;
    },
  };
}
