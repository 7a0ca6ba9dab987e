// `POST /v1/artifacts` records each upload before it answers 201, and `/v1/status` lists the session's
// artifacts from that record: a real bridge in this process, a real journal in a temp dir.
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bridge, startBridge } from '../../../src/bridge/server';
import { ARTIFACT_MANIFEST, sha256Hex } from '../../../src/core/journal/artifacts';
import type { StatusReport } from '../../../src/core/status';

const SID = 'a1b2c3d4';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('pixels'),
]);

let root: string;
let bridge: Bridge;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'lv-artifact-route-'));
  bridge = await startBridge({ root });
});
afterEach(async () => {
  await bridge.close();
  rmSync(root, { recursive: true, force: true });
});

const folder = () => join(bridge.engine.journalDir, `${SID}.artifacts`);

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function generate(): Promise<void> {
  const res = await post('/v1/events', {
    type: 'generate',
    sessionId: SID,
    eventId: `gen.${SID}.000000000001`,
    mode: 'replace',
    count: 2,
    element: { tag: 'section', id: 'hero', classes: ['hero'] },
  });
  expect(res.status).toBe(202);
}

async function upload(name: string, bytes: Buffer): Promise<Response> {
  const grant = await fetch(`${bridge.url}/v1/browser-token`, {
    method: 'POST',
    headers: { Origin: 'http://localhost:5173' },
  });
  const { token } = (await grant.json()) as { token: string };
  return fetch(`${bridge.url}/v1/artifacts?sessionId=${SID}&name=${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
    body: new Uint8Array(bytes),
  });
}

async function status(): Promise<StatusReport> {
  return (await bridge.ops.status({ all: false })) as unknown as StatusReport;
}

describe('POST /v1/artifacts', () => {
  it('records the upload (size, sha256, content type, time, its generate) before answering 201', async () => {
    await generate();
    const before = Date.now();
    const res = await upload('element.png', PNG);
    expect(res.status).toBe(201);
    const manifest = JSON.parse(readFileSync(join(folder(), ARTIFACT_MANIFEST), 'utf8'));
    const storedAt = Date.parse(manifest.artifacts[0].storedAt);
    expect(storedAt).toBeGreaterThanOrEqual(before - 1);
    expect(storedAt).toBeLessThanOrEqual(Date.now());
    expect(manifest).toEqual({
      v: 1,
      sessionId: SID,
      artifacts: [
        {
          name: 'element.png',
          bytes: PNG.length,
          sha256: sha256Hex(PNG),
          contentType: 'image/png',
          storedAt: manifest.artifacts[0].storedAt,
          generate: { seq: 1, eventId: `gen.${SID}.000000000001` },
        },
      ],
    });
  });

  it('status lists the stored screenshot, then reports it missing once the file is deleted', async () => {
    await generate();
    expect((await upload('element.png', PNG)).status).toBe(201);
    const listed = (await status()).sessions[0].artifacts;
    expect(listed).toEqual([
      {
        name: 'element.png',
        bytes: PNG.length,
        sha256: sha256Hex(PNG),
        contentType: 'image/png',
        storedAt: listed[0].storedAt,
        present: true,
      },
    ]);

    unlinkSync(join(folder(), 'element.png'));
    const report = await status();
    expect(report.sessions[0].artifacts.map((a) => [a.name, a.present])).toEqual([['element.png', false]]);
    expect(report.sessions[0].diagnostics).toEqual([
      {
        code: 'artifact_missing',
        sessionId: SID,
        artifact: 'element.png',
        message: `Artifact element.png of session ${SID} (${PNG.length} bytes, stored at ${listed[0].storedAt}) is missing from ${folder()}.`,
      },
    ]);
  });

  it('removes the files and their record when the session completes', async () => {
    await generate();
    expect((await upload('element.png', PNG)).status).toBe(201);
    const res = await post('/v1/events', {
      type: 'discard',
      sessionId: SID,
      eventId: `dis.${SID}.000000000001`,
    });
    expect(res.status).toBe(202);
    const deadline = Date.now() + 5000;
    while (existsSync(folder()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(folder())).toBe(false);
    expect((await status()).sessions).toEqual([]);
  });
});
