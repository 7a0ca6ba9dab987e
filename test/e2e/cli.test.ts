// The agent CLI as an agent uses it: real processes only. The bridge runs as `live-variants serve` (the real
// CLI), browser events arrive over HTTP with the token from the discovery file, and every step is a separate
// `live-variants …` process whose JSON stdout and exit status are checked.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../helpers/bundle';
import { cleanCliEnv, runCli } from '../helpers/cliProcess';

const A = '1a2b3c4d';
const B = '2b3c4d5e';
const C = '3c4d5e6f';

const PAGE = [
  '<!doctype html>',
  '<html>',
  '  <body>',
  '    <main>',
  '      <section class="hero" id="hero">',
  '        <h1>Ship calmer releases</h1>',
  '      </section>',
  '      <div class="card">One</div>',
  '    </main>',
  '  </body>',
  '</html>',
  '',
].join('\n');

/** The page after variant 2 of A was accepted. */
const ACCEPTED_A = PAGE.replace(
  '      <section class="hero" id="hero">\n        <h1>Ship calmer releases</h1>\n      </section>\n',
  '      <section class="hero hero--loud" id="hero"><h1>SHIP CALMER</h1></section>\n',
);
/** …and after B's carbonize cleanup. */
const FINAL = ACCEPTED_A.replace(
  '      <div class="card">One</div>\n',
  '      <div class="card card--roomy" style="padding: 16px">One</div>\n',
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

let cli: string;
let ws: string;
const children: ChildProcess[] = [];

function lv(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return runCli(cli, args, { cwd: ws, env: extra }).then((r) => ({
    ...r,
    json: () => {
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      if (lines.length !== 1)
        throw new Error(`expected one JSON line from ${args.join(' ')}, got: ${r.stdout}${r.stderr}`);
      return JSON.parse(lines[0]) as Record<string, unknown>;
    },
  }));
}

interface Served {
  child: ChildProcess;
  listening: Record<string, unknown>;
  lines: string[];
  exited: Promise<number | null>;
}

async function serve(): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'serve', '--root', ws, '--lease-ms', '30000'], {
    cwd: ws,
    env: cleanCliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start')), 15_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      let nl = buffered.indexOf('\n');
      while (nl !== -1) {
        lines.push(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
      }
      if (lines.length > 0) {
        clearTimeout(timer);
        resolve(JSON.parse(lines[0]) as Record<string, unknown>);
      }
    });
    child.stderr?.resume();
    void exited.then((code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, listening, lines, exited };
}

function discovery(): { token: string; port: number; pid: number } {
  return JSON.parse(readFileSync(join(ws, '.live-variants', 'bridge.json'), 'utf8'));
}

async function postEvent(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  const d = discovery();
  const res = await fetch(`http://127.0.0.1:${d.port}/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${d.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(event),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as Record<string, unknown>;
}

function generate(
  sessionId: string,
  element: Record<string, unknown>,
  count: number,
): Record<string, unknown> {
  return {
    type: 'generate',
    sessionId,
    eventId: `gen-${sessionId}`,
    mode: 'replace',
    count,
    element,
    fileHint: 'index.html',
  };
}

function page(): string {
  return readFileSync(join(ws, 'index.html'), 'utf8');
}

/** Inserts lines before 1-based line `before`. */
function insertLines(before: number, lines: string[]): void {
  const all = page().split('\n');
  all.splice(before - 1, 0, ...lines);
  writeFileSync(join(ws, 'index.html'), all.join('\n'));
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function nextAction(r: Run): Record<string, unknown> {
  expect(r.code).toBe(0);
  return r.json().nextAction as Record<string, unknown>;
}

beforeAll(async () => {
  cli = await bundleForNode('src/cli/main.ts');
  ws = mkdtempSync(join(tmpdir(), 'lv-cli-e2e-'));
  mkdirSync(join(ws, '.git'));
  writeFileSync(join(ws, 'index.html'), PAGE);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(ws, { recursive: true, force: true });
});

describe('live-variants CLI, end to end', () => {
  it('prints the agent contract, starting with the run-status-first sentence', async () => {
    const r = await lv(['instructions']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'Whenever you start, resume, or lose context (a new chat, a compacted conversation), run `live-variants status` before doing anything else.',
    );
    expect(r.stdout).toBe(readFileSync(join(__dirname, '../../docs/agent-contract.md'), 'utf8'));
  });

  it('fails cleanly with JSON errors: bad command lines exit 2, bridge commands without a bridge exit 3', async () => {
    const bad = await lv(['poll', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.json()).toMatchObject({ error: 'invalid_value', field: '--timeout' });
    expect(bad.stderr).toMatch(/^live-variants: --timeout must be/);
    const unknown = await lv(['pol']);
    expect([unknown.code, unknown.json().error]).toEqual([2, 'unknown_command']);
    const poll = await lv(['poll']);
    expect([poll.code, poll.json().error]).toEqual([3, 'bridge_not_running']);
  });

  it('runs a whole session: poll, wrap, write, ack, accept, carbonize cleanup, complete; then works offline', async () => {
    const first = await serve();
    const d = discovery();
    expect(first.listening).toEqual({
      type: 'listening',
      url: `http://127.0.0.1:${d.port}`,
      port: d.port,
      pid: first.child.pid,
      journalDir: join(ws, '.live-variants', 'journal'),
    });
    expect(first.lines.join('\n')).not.toContain(d.token);

    // --- A: the generate reaches the agent, which wraps, writes and acks.
    await postEvent(generate(A, { tag: 'section', id: 'hero', classes: ['hero'] }, 2));
    const waiting = nextAction(await lv(['status', '--json']));
    expect(waiting).toMatchObject({
      action: 'poll_for_pending_event',
      sessionId: A,
      phase: 'generating',
      command: 'live-variants poll',
    });

    const polled = await lv(['poll', '--timeout', '5000', '--agent', 'e2e-agent']);
    expect(polled.code).toBe(0);
    const work = polled.json();
    expect(work).toMatchObject({ type: 'work', kind: 'generate', sessionId: A, agent: 'e2e-agent' });
    expect(work.event).toMatchObject({ type: 'generate', count: 2, element: { id: 'hero' } });
    const leaseA = String(work.leaseId);

    const wrapped = await lv(['wrap', '--lease', leaseA]);
    expect(wrapped.code).toBe(0);
    expect(wrapped.json()).toEqual({
      sessionId: A,
      file: 'index.html',
      status: 'applied',
      mode: 'replace',
      wrappedLines: [5, 15],
      variantsLine: 14,
      variantIndent: '        ',
      commentSyntax: { open: '<!--', close: '-->' },
      elementLines: [5, 7],
    });
    const writing = nextAction(await lv(['status', '--json']));
    expect(writing).toMatchObject({
      action: 'write_variants',
      sessionId: A,
      file: 'index.html',
      command: `live-variants ack ${leaseA} done --file index.html --count 2`,
    });
    expect((writing.lease as Record<string, unknown>).agentId).toBe('e2e-agent');

    insertLines(14, [
      '        <div data-impeccable-variant="1">',
      '          <section class="hero hero--split" id="hero"><h1>Ship calmer</h1></section>',
      '        </div>',
      '        <div data-impeccable-variant="2" style="display: none">',
      '          <section class="hero hero--loud" id="hero"><h1>SHIP CALMER</h1></section>',
      '        </div>',
    ]);
    const acked = await lv(['ack', leaseA, 'done', '--file', 'index.html', '--count', '2']);
    expect(acked.code).toBe(0);
    expect(acked.json()).toMatchObject({
      ok: true,
      sessionId: A,
      kind: 'generate',
      accepted: true,
      phase: 'variants_written',
    });
    expect(nextAction(await lv(['status', '--json']))).toMatchObject({
      action: 'ask_user_to_reopen_browser',
      sessionId: A,
    });

    // --- The user's accept (from the CLI); the bridge rewrites the source and completes the session.
    const accepted = await lv(['accept', A, '--variant', '2']);
    expect(accepted.code).toBe(0);
    expect(accepted.json()).toMatchObject({ sessionId: A, accepted: true, phase: 'accept_pending' });
    await until(() => page() === ACCEPTED_A, 'the bridge to apply the accept');
    const afterA = await lv(['status', '--all', '--json']);
    expect(nextAction(afterA)).toMatchObject({ action: 'no_active_session' });
    expect(afterA.json().completed).toEqual([expect.objectContaining({ sessionId: A })]);
    expect((await lv(['complete', A])).json()).toMatchObject({
      sessionId: A,
      phase: 'complete',
      alreadyComplete: true,
    });

    // --- B: a variant with a style block and a knob, so the accept leaves carbonize markers to clean up.
    await postEvent(generate(B, { tag: 'div', classes: ['card'], text: 'One' }, 1));
    const pollB = await lv(['poll', '--timeout', '5000']);
    const workB = pollB.json();
    expect(workB).toMatchObject({ type: 'work', kind: 'generate', sessionId: B });
    const wrapB = await lv(['wrap', '--lease', String(workB.leaseId), '--event', pollB.stdout.trim()]);
    expect(wrapB.json()).toMatchObject({ file: 'index.html', status: 'applied', variantIndent: '        ' });
    insertLines(Number(wrapB.json().variantsLine), [
      `        <style data-impeccable-css="${B}">`,
      '          @scope ([data-impeccable-variant="1"]) { :scope > .card { padding: calc(var(--p-pad, 8) * 1px); } }',
      '        </style>',
      `        <div data-impeccable-variant="1" data-impeccable-params='[{"id":"pad","kind":"range","min":0,"max":32,"step":1,"default":8,"label":"Padding"}]'>`,
      '          <div class="card card--roomy">One</div>',
      '        </div>',
    ]);
    expect(
      (await lv(['ack', String(workB.leaseId), 'done', '--file', 'index.html', '--count', '1'])).code,
    ).toBe(0);
    await postEvent({
      type: 'accept',
      sessionId: B,
      eventId: `accept-${B}`,
      variant: '1',
      params: { pad: 16 },
    });
    await until(() => page().includes(`impeccable-carbonize-start ${B}`), 'the carbonize form');
    await until(() => page().includes(`impeccable-carbonize-end ${B}`), 'the carbonize form');
    const cleanup = nextAction(await lv(['status', '--json']));
    expect(cleanup).toMatchObject({
      action: 'run_carbonize_cleanup',
      sessionId: B,
      variant: '1',
      file: 'index.html',
    });

    const notClean = await lv(['complete', B]);
    expect(notClean.code).toBe(1);
    const refusal = notClean.json();
    expect(refusal).toMatchObject({ error: 'not_clean', field: 'sessionId' });
    const findings = refusal.findings as { marker: string; file: string }[];
    expect(findings.map((f) => f.marker)).toContain(`impeccable-carbonize-start ${B}`);
    expect(new Set(findings.map((f) => f.file))).toEqual(new Set(['index.html']));

    const pollClean = await lv(['poll', '--types', 'carbonize_cleanup', '--timeout', '5000']);
    expect(pollClean.json()).toMatchObject({ type: 'work', kind: 'carbonize_cleanup', sessionId: B });
    writeFileSync(join(ws, 'index.html'), FINAL);
    const done = await lv(['ack', String(pollClean.json().leaseId), 'complete']);
    expect(done.json()).toMatchObject({ ok: true, sessionId: B, accepted: true, phase: 'complete' });
    expect(nextAction(await lv(['status', '--json']))).toMatchObject({ action: 'no_active_session' });

    const unknownLease = await lv(['ack', 'ffff0000-1@nope.1', 'done']);
    expect(unknownLease.code).toBe(1);
    expect(unknownLease.json()).toMatchObject({ error: 'unknown_lease', status: 404 });

    // --- C: journaled, then the bridge dies without cleaning up; the CLI falls back to the journal.
    await postEvent(generate(C, { tag: 'main', classes: [], text: 'SHIP CALMER One' }, 1));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(ws, '.live-variants', 'bridge.json'))).toBe(true);

    const offline = await lv(['status', '--json']);
    expect(offline.code).toBe(0);
    expect(offline.json().bridge).toMatchObject({
      running: false,
      reason: 'stale_discovery',
      pid: first.child.pid,
    });
    expect(nextAction(offline)).toMatchObject({
      action: 'poll_for_pending_event',
      sessionId: C,
      phase: 'generating',
    });
    const human = await lv(['status']);
    expect(human.stdout).toContain(`Next action: poll_for_pending_event (session ${C}, index.html)`);
    expect(human.stdout).toContain('Bridge: not running (stale_discovery)');
    expect([(await lv(['poll'])).code, (await lv(['accept', C, '--variant', '1'])).code]).toEqual([3, 3]);
    const resumed = await lv(['resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.json()).toEqual({ resumed: [], bridge: { running: false } });

    // --- A restarted bridge still owes C's generate, on the same port; SIGTERM stops it cleanly.
    const second = await serve();
    expect(second.listening.port).toBe(d.port);
    const again = await lv(['poll', '--timeout', '5000']);
    expect(again.json()).toMatchObject({ type: 'work', kind: 'generate', sessionId: C });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.lines[second.lines.length - 1]).toBe('{"type":"stopped","signal":"SIGTERM"}');
    expect(existsSync(join(ws, '.live-variants', 'bridge.json'))).toBe(false);
    // About 35 CLI processes in a row: ~25 s on an idle 2-core machine, more under a parallel suite.
  }, 120_000);
});
