// Shared by the browser e2e tests and bench/browser.bench.ts: the fixture site and its test server (one page
// re-renders <main> from disk on change like a dev server's hot reload, one does not, one sends a strict CSP),
// Debian's Chromium through playwright-core, the live.js build, and what a scripted agent does to source.
// Nothing here imports esbuild's API, so the bench bundle can use it.
import { execFile } from 'node:child_process';
import { cpSync, type FSWatcher, readFileSync, watch, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { ClientSnapshot } from '../../src/browser/snapshot';
import { instrumentText, liveScriptUrl } from '../../src/core/instrument';
import { wrapInWorkspace } from '../../src/core/rewrite/workspaceOps';

export const REPO = process.cwd();
export const SITE_FIXTURE = join(REPO, 'test', 'fixtures', 'site');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  // Loaded at run time so the bench bundle does not try to bundle playwright-core.
  const load = createRequire(join(REPO, 'package.json'));
  const { chromium } = load('playwright-core') as typeof import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Builds src/browser/live.ts the way esbuild.mjs does (the esbuild binary, not its API). */
export function buildLiveScript(outfile: string): Promise<void> {
  const args = [
    'src/browser/live.ts',
    '--bundle',
    '--platform=browser',
    '--format=iife',
    '--target=es2020',
    `--outfile=${outfile}`,
    '--log-level=warning',
  ];
  return new Promise((res, rej) =>
    execFile(join(REPO, 'node_modules', '.bin', 'esbuild'), args, { cwd: REPO }, (err, _out, stderr) =>
      err ? rej(new Error(`esbuild failed: ${stderr || err.message}`)) : res(),
    ),
  );
}

/** Copies the fixture site into `root` and instruments its pages for the bridge at `bridgeUrl`. */
export function prepareSite(root: string, bridgeUrl: string): void {
  cpSync(SITE_FIXTURE, root, { recursive: true });
  for (const page of ['index.html', 'plain.html', 'strict.html']) {
    const path = join(root, page);
    const r = instrumentText(readFileSync(path, 'utf8'), { path: page, scriptUrl: liveScriptUrl(bridgeUrl) });
    writeFileSync(path, r.text);
  }
}

// ---------------------------------------------------------------------------------------- the site

/** The dev server's hot reload: on a change event for this page, fetch it and swap <main>. */
const HOT_SCRIPT = `(() => {
  const page = location.pathname.split('/').pop() || 'index.html';
  const source = new EventSource('/__events');
  source.onmessage = async (e) => {
    if (e.data !== page) return;
    const html = await (await fetch(location.pathname, { cache: 'no-store' })).text();
    const next = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
    const current = document.querySelector('main');
    if (next && current) current.replaceWith(document.importNode(next, true));
    window.__hotSwaps = (window.__hotSwaps || 0) + 1;
  };
})();`;

export interface SiteOptions {
  /** Pages that hot-reload <main>. */
  hot: string[];
  /** Content-Security-Policy header per page, when any. */
  csp?: (page: string) => string | undefined;
}

export interface Site {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export async function startSite(root: string, options: SiteOptions): Promise<Site> {
  const listeners = new Set<(file: string) => void>();
  const watcher: FSWatcher = watch(root, (_event, file) => {
    if (file) for (const l of listeners) l(String(file));
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    if (path === '/__hot.js') {
      res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'no-store' });
      res.end(HOT_SCRIPT);
      return;
    }
    if (path === '/__events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': hello\n\n');
      const send = (file: string) => res.write(`data: ${file}\n\n`);
      listeners.add(send);
      req.on('close', () => listeners.delete(send));
      return;
    }
    const file = basename(path);
    const ext = file.slice(file.lastIndexOf('.'));
    let body: string;
    try {
      body = readFileSync(join(root, file), 'utf8');
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'Content-Type': TYPES[ext] ?? 'text/plain',
      'Cache-Control': 'no-store',
    };
    if (ext === '.html') {
      if (options.hot.includes(file))
        body = body.replace('</body>', '<script src="/__hot.js"></script>\n</body>');
      const csp = options.csp?.(file);
      if (csp) headers['Content-Security-Policy'] = csp;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      watcher.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The strict policy: scripts and connections only to the page itself and the bridge; no inline anything. */
export function strictCsp(bridgeUrl: string): string {
  const ws = bridgeUrl.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    `script-src 'self' ${bridgeUrl}`,
    `connect-src 'self' ${bridgeUrl} ${ws}`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

// --------------------------------------------------------------------------------------- the agent

const VARIANTS = [
  {
    params: `[{"id":"pad","kind":"range","label":"Padding","min":0,"max":64,"step":4,"default":16,"unit":"px"}]`,
    title: 'Calm deploys, bolder',
  },
  { params: '', title: 'Calm deploys, darker' },
  {
    params: `[{"id":"tone","kind":"steps","options":["cool","warm"],"default":"cool"},{"id":"shadow","kind":"toggle","default":false}]`,
    title: 'Calm deploys, warmer',
  },
];

/** The lines an agent writes for the hero: a style block using the knobs, then `count` variants. */
export function variantLines(sessionId: string, count: number, indent: string): string[] {
  const lines = [
    `${indent}<style data-impeccable-css="${sessionId}">`,
    `${indent}  [data-impeccable-variant="1"] .hero { padding-block: var(--p-pad, 16px); }`,
    `${indent}  [data-impeccable-variant="2"] .hero { background: #101828; color: #f8fafc; }`,
    `${indent}  [data-impeccable-variant="3"][data-p-tone="warm"] .hero { background: #fff4e6; }`,
    `${indent}  [data-impeccable-variant="3"][data-p-shadow="on"] .hero { box-shadow: 0 8px 24px #0003; }`,
    `${indent}</style>`,
  ];
  for (let k = 1; k <= count; k++) {
    const v = VARIANTS[(k - 1) % VARIANTS.length];
    const params = v.params ? ` data-impeccable-params='${v.params}'` : '';
    const hidden = k === 1 ? '' : ' style="display: none"';
    lines.push(
      `${indent}<div data-impeccable-variant="${k}"${params}${hidden}>`,
      `${indent}  <section id="hero" class="hero hero--v${k}">`,
      `${indent}    <h1>${v.title} (v${k})</h1>`,
      `${indent}    <p>Ship on Friday. Sleep on Friday.</p>`,
      `${indent}  </section>`,
      `${indent}</div>`,
    );
  }
  return lines;
}

/** Inserts lines before 1-based line `before` (what `live-variants wrap` reports as variantsLine). */
export function insertLines(path: string, before: number, lines: string[]): void {
  const text = readFileSync(path, 'utf8');
  const all = text.split('\n');
  all.splice(before - 1, 0, ...lines);
  writeFileSync(path, all.join('\n'));
}

/**
 * The agent's carbonize cleanup: the accepted variant's content replaces the carbonize block and the
 * variant div, with the knob values baked in as plain CSS. Returns the accepted variant number.
 */
export function bakeCarbonize(path: string, sessionId: string): string {
  const lines = readFileSync(path, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes(`impeccable-carbonize-start ${sessionId}`));
  const divAt = lines.findIndex((l, i) => i > start && /<div data-impeccable-variant="\d+"/.test(l));
  if (start < 0 || divAt < 0) throw new Error(`no carbonize block for ${sessionId}`);
  const indent = /^\s*/.exec(lines[divAt])![0];
  const end = lines.findIndex((l, i) => i > divAt && l === `${indent}</div>`);
  const variant = /data-impeccable-variant="(\d+)"/.exec(lines[divAt])![1];
  const pad = /--p-pad: (\d+px)/.exec(lines[divAt])?.[1];
  const content = lines.slice(divAt + 1, end).map((l) => l.replace(`${indent}  `, indent));
  if (pad) content[0] = content[0].replace('class="', `style="padding-block: ${pad}" class="`);
  lines.splice(start, end - start + 1, ...content);
  writeFileSync(path, lines.join('\n'));
  return variant;
}

// ------------------------------------------------------------------------------------- the bridge

export interface BridgeRef {
  url: string;
  token: string;
}

export async function bridgeRequest(
  b: BridgeRef,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${b.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${b.token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
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
  return { status: res.status, body: parsed };
}

/** A leased work item as `GET /v1/poll` returns it. */
export interface Work {
  leaseId: string;
  sessionId: string;
  kind: string;
  attempt: number;
  event: Record<string, unknown>;
}

/** The agent's poll over HTTP; throws when nothing arrives in time. */
export async function pollWork(b: BridgeRef, query = 'timeout=10000&agent=e2e-http'): Promise<Work> {
  const r = await bridgeRequest(b, 'GET', `/v1/poll?${query}`);
  if (r.body.type !== 'work') throw new Error(`expected work, got ${JSON.stringify(r.body)}`);
  return r.body as unknown as Work;
}

/** The agent wraps the element a generate names (the core wrap, as `live-variants wrap` does) and writes variants. */
export async function writeVariantsFor(root: string, work: Work, count: number): Promise<string> {
  const el = work.event.element as {
    tag?: string;
    id?: string;
    classes?: string[];
    text?: string;
    pageUrl?: string;
  };
  const r = await wrapInWorkspace(root, {
    sessionId: work.sessionId,
    count,
    mode: work.event.mode === 'insert' ? 'insert' : 'replace',
    position:
      work.event.position === 'before' ? 'before' : work.event.position === 'after' ? 'after' : undefined,
    element: { tag: el.tag, id: el.id, classes: el.classes ?? [], text: el.text, pageUrl: el.pageUrl },
    isIgnored: () => false,
  });
  insertLines(r.path, r.variantsLine, variantLines(work.sessionId, count, r.variantIndent));
  return r.file;
}

export async function ackWork(b: BridgeRef, leaseId: string, result: Record<string, unknown>) {
  const r = await bridgeRequest(b, 'POST', '/v1/ack', { leaseId, result });
  if (r.status !== 200) throw new Error(`ack refused: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** poll → wrap → write → ack done, all over HTTP and the core (fast; the CLI flow is tested separately). */
export async function agentRound(
  b: BridgeRef,
  root: string,
  count: number,
): Promise<{ sessionId: string; file: string }> {
  const work = await pollWork(b, 'timeout=10000&agent=e2e-http&types=generate');
  const file = await writeVariantsFor(root, work, count);
  await ackWork(b, work.leaseId, { type: 'done', file, count });
  return { sessionId: work.sessionId, file };
}

// ---------------------------------------------------------------------------------------- the page

export const UI = 'live-variants-ui';

export function lvState(page: Page): Promise<ClientSnapshot> {
  return page.evaluate(() => {
    const hook = (window as { __liveVariants?: { state(): unknown } }).__liveVariants;
    if (!hook) throw new Error('live.js is not loaded');
    return hook.state();
  }) as Promise<ClientSnapshot>;
}

/** Polls the page's state until `ok` holds; the error says what the state was. */
export async function waitForState(
  page: Page,
  ok: (s: ClientSnapshot) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<ClientSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: ClientSnapshot | undefined;
  while (Date.now() < deadline) {
    try {
      last = await lvState(page);
      if (ok(last)) return last;
    } catch {
      // page navigating
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

export async function waitUntil<T>(
  get: () => T | Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await get();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Waits until the element's text matches (a string matches exactly). */
export async function waitText(locator: Locator, want: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const ok = (t: string | null) => (typeof want === 'string' ? t === want : t !== null && want.test(t));
  return (await waitUntil(() => locator.textContent(), ok, `text ${want}`, timeoutMs)) ?? '';
}

export function repoPath(...parts: string[]): string {
  return resolve(REPO, ...parts);
}
