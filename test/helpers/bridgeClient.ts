// Test-side helpers: run the real bridge as a child process and talk to it like real clients do.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForNode } from './bundle';

export interface RunningBridge {
  child: ChildProcess;
  port: number;
  token: string;
  url: string;
  stderr: () => string;
}

let childScript: Promise<string> | undefined;

export function bridgeScript(): Promise<string> {
  childScript ??= bundleForNode('test/helpers/bridgeChild.ts', {}, { sourcemap: false });
  return childScript;
}

export async function startBridgeProcess(
  root: string,
  opts: { acceptBy?: 'bridge' | 'agent'; leaseMs?: number; watch?: boolean; agentOfflineMs?: number } = {},
): Promise<RunningBridge> {
  const script = await bridgeScript();
  const child = spawn(
    process.execPath,
    [
      script,
      root,
      opts.acceptBy ?? 'bridge',
      String(opts.leaseMs ?? 60_000),
      opts.watch ? '1' : '0',
      opts.agentOfflineMs === undefined ? '' : String(opts.agentOfflineMs),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() },
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
  return { child, port, token: discovery.token, url: `http://127.0.0.1:${port}`, stderr: () => err };
}

export async function killBridge(b: RunningBridge, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (b.child.exitCode !== null || b.child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    b.child.once('exit', () => resolve());
    b.child.kill(signal);
  });
}

export async function api(
  b: { url: string; token: string },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await fetch(`${b.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${b.token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, text };
}

let counter = 0;
export function generateEvent(sessionId: string, extra: Record<string, unknown> = {}) {
  counter++;
  return {
    type: 'generate',
    sessionId,
    eventId: `g-${process.pid}-${counter}`,
    mode: 'replace',
    count: 3,
    element: { tag: 'section', id: 'hero', classes: ['hero'], text: 'Welcome', pagePath: '/index.html' },
    ...extra,
  };
}
