// Real processes for the browser e2e tests: the bridge (browserBridgeChild.ts, serving the live.js built for
// this run) and the `live-variants` CLI as the agent uses it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleForNode } from '../helpers/bundle';
import { buildLiveScript } from './browserHarness';

export interface TestBridge {
  child: ChildProcess;
  port: number;
  url: string;
  token: string;
  stderr: () => string;
}

let artifacts: Promise<{ child: string; live: string; cli: string }> | undefined;

/** Bundles the bridge child and the CLI and builds live.js, once per test file. */
export function buildArtifacts(): Promise<{ child: string; live: string; cli: string }> {
  artifacts ??= (async () => {
    const child = await bundleForNode('test/e2e/browserBridgeChild.ts');
    const cli = await bundleForNode('src/cli/main.ts');
    const live = join(dirname(child), 'live.js');
    await buildLiveScript(live);
    return { child, live, cli };
  })();
  return artifacts;
}

export async function startTestBridge(
  root: string,
  opts: { acceptBy?: 'bridge' | 'agent'; leaseMs?: number } = {},
): Promise<TestBridge> {
  const { child: script, live } = await buildArtifacts();
  const child = spawn(
    process.execPath,
    [script, root, opts.acceptBy ?? 'bridge', String(opts.leaseMs ?? 60_000), live],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        child.stdout!.off('data', onData);
        resolve(JSON.parse(line).port);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`bridge exited ${code}: ${err}`)));
  });
  const discovery = JSON.parse(readFileSync(join(root, '.live-variants', 'bridge.json'), 'utf8'));
  return { child, port, url: `http://127.0.0.1:${port}`, token: discovery.token, stderr: () => err };
}

export async function stopBridge(
  b: TestBridge | undefined,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (!b || b.child.exitCode !== null || b.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    b.child.once('exit', () => resolve());
    b.child.kill(signal);
  });
}

export interface CliResult {
  code: number;
  json: Record<string, unknown>;
  stdout: string;
  stderr: string;
}

/** Runs `live-variants <args>` in the workspace, as an agent in its terminal would. */
export async function cli(root: string, args: string[], timeoutMs = 30_000): Promise<CliResult> {
  const { cli: script } = await buildArtifacts();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd: root, timeout: timeoutMs },
      (err, stdout, stderr) => {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(stdout);
        } catch {
          // not JSON (an error or help text)
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, json, stdout, stderr });
      },
    );
  });
}

/** Starts `live-variants poll` and returns the running child (to be killed, or awaited for its answer). */
export async function cliPoll(
  root: string,
  args: string[],
): Promise<{ child: ChildProcess; answer: Promise<CliResult> }> {
  const { cli: script } = await buildArtifacts();
  const child = spawn(process.execPath, [script, 'poll', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d) => {
    stderr += d.toString();
  });
  const answer = new Promise<CliResult>((resolve) =>
    child.once('exit', (code) => {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(stdout);
      } catch {
        // killed before answering
      }
      resolve({ code: code ?? 1, json, stdout, stderr });
    }),
  );
  return { child, answer };
}
