// The real `live-variants` CLI bundle run as a child process, the way an agent's terminal runs it: no bridge
// coordinates or agent id inherited from whoever runs the tests.
import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a fresh terminal, plus `extra`. */
export function cleanCliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['LIVE_VARIANTS_URL', 'LIVE_VARIANTS_TOKEN', 'LIVE_VARIANTS_AGENT']) delete env[key];
  return { ...env, ...extra };
}

/** Runs `node <cliPath> …args` in `cwd` to its end (SIGKILLed after `timeoutMs`, default 20 s). */
export function runCli(
  cliPath: string,
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd,
      env: cleanCliEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
