// `POST /v1/artifacts` (src/bridge/artifactRoutes.ts) against the real bridge process: what it stores, where,
// for how long, and every refusal with its status and code; and, with real Chromium, that the screenshot the
// page uploads is listed by `live-variants status` and reported missing once its file is deleted.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startTestBridge, stopBridge, type TestBridge } from './browserBridge';
import {
  bridgeRequest,
  launchChromium,
  prepareSite,
  startSite,
  UI,
  waitForState,
  waitText,
} from './browserHarness';

let root: string;
let bridge: TestBridge;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of a png'),
]);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lv-artifacts-'));
  bridge = await startTestBridge(root);
});
afterAll(async () => {
  await stopBridge(bridge);
  rmSync(root, { recursive: true, force: true });
});

async function browserToken(): Promise<string> {
  const res = await fetch(`${bridge.url}/v1/browser-token`, {
    method: 'POST',
    headers: { Origin: 'http://localhost:5173' },
  });
  return ((await res.json()) as { token: string }).token;
}

async function upload(query: string, body: Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${bridge.url}/v1/artifacts?${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await browserToken()}`, 'Content-Type': 'image/png', ...headers },
    body: new Uint8Array(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cors: res.headers.get('access-control-allow-origin'),
  };
}

async function newSession(id: string): Promise<void> {
  const r = await bridgeRequest(bridge, 'POST', '/v1/events', {
    type: 'generate',
    sessionId: id,
    eventId: `g-${id}`,
    mode: 'replace',
    count: 2,
    element: { tag: 'section', id: 'hero', classes: ['hero'] },
  });
  expect(r.status).toBe(202);
}

const dirOf = (id: string) => join(root, '.live-variants', 'journal', `${id}.artifacts`);

describe('POST /v1/artifacts', () => {
  it('stores the bytes beside the session journal with the browser token, echoing the allowed origin', async () => {
    await newSession('a1000001');
    const r = await upload('sessionId=a1000001&name=element.png', PNG, { Origin: 'http://localhost:5173' });
    expect(r).toEqual({
      status: 201,
      body: { sessionId: 'a1000001', name: 'element.png', bytes: PNG.length },
      cors: 'http://localhost:5173',
    });
    expect(readFileSync(join(dirOf('a1000001'), 'element.png')).equals(PNG)).toBe(true);
    // A second upload of the same name replaces it.
    const other = Buffer.concat([PNG, Buffer.from('more')]);
    expect((await upload('sessionId=a1000001&name=element.png', other)).status).toBe(201);
    expect(readFileSync(join(dirOf('a1000001'), 'element.png')).equals(other)).toBe(true);
  });

  it('refuses bad names, unknown sessions, wrong types, non-PNG bytes, empty and oversized bodies', async () => {
    await newSession('a1000002');
    const cases: [string, Buffer, Record<string, string>, number, string][] = [
      ['sessionId=a1000002&name=..%2Fescape.png', PNG, {}, 400, 'invalid_artifact_name'],
      ['sessionId=a1000002&name=.hidden', PNG, {}, 400, 'invalid_artifact_name'],
      ['sessionId=..%2Fx&name=a.png', PNG, {}, 400, 'invalid_session_id'],
      ['sessionId=ffff0000&name=a.png', PNG, {}, 404, 'session_not_found'],
      ['sessionId=a1000002&name=a.png', PNG, { 'Content-Type': 'text/html' }, 415, 'unsupported_media_type'],
      ['sessionId=a1000002&name=a.png', Buffer.from('GIF89a...'), {}, 400, 'invalid_artifact'],
      [
        'sessionId=a1000002&name=a.bin',
        Buffer.alloc(0),
        { 'Content-Type': 'application/octet-stream' },
        400,
        'invalid_body',
      ],
      [
        'sessionId=a1000002&name=big.png',
        Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024)]),
        {},
        413,
        'payload_too_large',
      ],
    ];
    for (const [query, body, headers, status, error] of cases) {
      const r = await upload(query, body, headers);
      expect({ query, status: r.status, error: r.body.error }).toEqual({ query, status, error });
    }
    expect(existsSync(dirOf('a1000002'))).toBe(false);
  });

  it('needs a token', async () => {
    await newSession('a1000003');
    const res = await fetch(`${bridge.url}/v1/artifacts?sessionId=a1000003&name=a.png`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(res.status).toBe(401);
  });

  it('keeps artifacts until the session completes, then they are gone and new ones are refused', async () => {
    await newSession('a1000004');
    expect((await upload('sessionId=a1000004&name=element.png', PNG)).status).toBe(201);
    const discard = await bridgeRequest(bridge, 'POST', '/v1/events', {
      type: 'discard',
      sessionId: 'a1000004',
      eventId: 'd-a1000004',
    });
    expect(discard.body.accepted).toBe(true);
    const deadline = Date.now() + 5000;
    while (existsSync(dirOf('a1000004')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(dirOf('a1000004'))).toBe(false);
    const late = await upload('sessionId=a1000004&name=element.png', PNG);
    expect({ status: late.status, error: late.body.error }).toEqual({
      status: 409,
      error: 'session_complete',
    });
  });
});

describe("the page's annotated screenshot in status (real Chromium)", () => {
  it('status lists the uploaded screenshot, then reports artifact_missing once the file is deleted', async () => {
    prepareSite(root, bridge.url);
    const site = await startSite(root, { hot: [] });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      await page.goto(`${site.url}/index.html`);
      await waitForState(page, (s) => s.connection === 'online', 'the socket to connect');
      // Pick the hero section, pin one note on it, and Go.
      await page.locator(`${UI} button[data-action="pick"]`).click();
      await page.locator('#hero h1').click();
      await waitForState(page, (s) => s.asking && s.picked === 'h1', 'the heading to be picked');
      await page.locator(`${UI} .ask button[data-placement="replace"]`).focus();
      await page.keyboard.press('Shift+ArrowUp');
      await waitForState(page, (s) => s.picked === 'section#hero.hero', 'the section to be selected');
      await page.locator(`${UI} .ask button[aria-pressed][title^="Click the element"]`).click();
      const box = (await page.locator(`${UI} .annotate-layer`).boundingBox())!;
      await page.mouse.click(box.x + 40, box.y + 30);
      await page.locator(`${UI} .pin-input`).fill('Bigger');
      await page.keyboard.press('Enter');
      await waitText(page.locator(`${UI} .ask .hint[aria-live]`), '1 note');
      await page.locator(`${UI} .ask textarea`).fill('Follow the note');
      await page.locator(`${UI} .ask button.primary`).click();
      const state = await waitForState(page, (s) => s.artifact === 'uploaded', 'the screenshot upload');
      const sid = state.sessionId!;
      const png = readFileSync(join(dirOf(sid), 'element.png'));

      const listed = await cli(root, ['status', '--json', '--id', sid]);
      expect(listed.code).toBe(0);
      const session = (listed.json.sessions as Record<string, unknown>[])[0];
      const artifacts = session.artifacts as Record<string, unknown>[];
      expect(artifacts).toEqual([
        {
          name: 'element.png',
          bytes: png.length,
          sha256: createHash('sha256').update(png).digest('hex'),
          contentType: 'image/png',
          storedAt: artifacts[0].storedAt,
          present: true,
        },
      ]);
      expect(session.diagnostics).toEqual([]);

      unlinkSync(join(dirOf(sid), 'element.png'));
      const missing = await cli(root, ['status', '--json', '--id', sid]);
      const after = (missing.json.sessions as Record<string, unknown>[])[0];
      expect((after.artifacts as Record<string, unknown>[]).map((a) => [a.name, a.present])).toEqual([
        ['element.png', false],
      ]);
      expect(after.diagnostics).toEqual([
        {
          code: 'artifact_missing',
          sessionId: sid,
          artifact: 'element.png',
          message: `Artifact element.png of session ${sid} (${png.length} bytes, stored at ${artifacts[0].storedAt}) is missing from ${dirOf(sid)}.`,
        },
      ]);
      expect((missing.json.diagnostics as { code: string }[]).map((d) => d.code)).toContain(
        'artifact_missing',
      );
    } finally {
      await browser.close();
      await site.close();
    }
  });
});
