// Artifacts in status (issue #5): what an upload records beside the files, and how status lists each session's
// artifacts and reports the ones that went missing or changed — real files in temp dirs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineStatus } from '../../../src/cli/commands/status';
import { nodeJournalFs } from '../../../src/core/journal';
import {
  ARTIFACT_MANIFEST,
  listArtifactNames,
  readArtifactManifest,
  sha256Hex,
  storeArtifact,
} from '../../../src/core/journal/artifacts';
import { computeStatus } from '../../../src/core/status';
import { inspectArtifacts } from '../../../src/core/status/artifacts';
import { inputs, Journal, NOW } from './helpers';
import { writeJournal } from './repo';

const SID = '3f9a1c2e';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('pixels'),
]);
const AT = '2025-03-01T10:02:00.000Z';
const META = { contentType: 'image/png', storedAt: AT, generate: { seq: 1, eventId: 'e1' } };

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lv-artifacts-'));
  dir = join(root, '.live-variants', 'journal');
  mkdirSync(dir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const folder = () => join(dir, `${SID}.artifacts`);
const manifestJson = () => JSON.parse(readFileSync(join(folder(), ARTIFACT_MANIFEST), 'utf8'));

describe('storeArtifact', () => {
  it('writes the file and records its size, sha256, content type, time and generate in the manifest', async () => {
    const entry = await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    const expected = {
      name: 'element.png',
      bytes: PNG.length,
      sha256: sha256Hex(PNG),
      contentType: 'image/png',
      storedAt: AT,
      generate: { seq: 1, eventId: 'e1' },
    };
    expect(entry).toEqual(expected);
    expect(readFileSync(join(folder(), 'element.png')).equals(PNG)).toBe(true);
    expect(manifestJson()).toEqual({ v: 1, sessionId: SID, artifacts: [expected] });
    // The manifest is a dotfile: never an artifact name, never listed as one.
    expect(await listArtifactNames(nodeJournalFs, dir, SID)).toEqual(['element.png']);
  });

  it('replaces the record of a name stored again, and records concurrent stores of different names', async () => {
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    const again = Buffer.concat([PNG, Buffer.from('more')]);
    const later = { ...META, storedAt: '2025-03-01T10:05:00.000Z', generate: null };
    await Promise.all([
      storeArtifact(nodeJournalFs, dir, SID, 'element.png', again, later),
      ...['a.png', 'b.png', 'c.png'].map((n) => storeArtifact(nodeJournalFs, dir, SID, n, PNG, META)),
    ]);
    const m = manifestJson();
    expect(m.artifacts.map((a: { name: string }) => a.name)).toEqual([
      'a.png',
      'b.png',
      'c.png',
      'element.png',
    ]);
    expect(m.artifacts[3]).toEqual({
      name: 'element.png',
      bytes: again.length,
      sha256: sha256Hex(again),
      contentType: 'image/png',
      storedAt: '2025-03-01T10:05:00.000Z',
      generate: null,
    });
  });

  it('refuses a bad name before writing anything', async () => {
    await expect(storeArtifact(nodeJournalFs, dir, SID, '../x.png', PNG, META)).rejects.toMatchObject({
      code: 'invalid_artifact_name',
      field: 'name',
    });
    expect(await readArtifactManifest(nodeJournalFs, dir, SID)).toEqual({ entries: [], problem: null });
  });
});

describe('readArtifactManifest', () => {
  it('reports a damaged manifest instead of throwing, and keeps the entries it can trust', async () => {
    mkdirSync(folder(), { recursive: true });
    const path = join(folder(), ARTIFACT_MANIFEST);
    writeFileSync(path, '{"v":1,"artifacts":[');
    expect(await readArtifactManifest(nodeJournalFs, dir, SID)).toEqual({
      entries: [],
      problem: 'it is not valid JSON',
    });
    writeFileSync(path, '{"v":2,"artifacts":[]}');
    expect((await readArtifactManifest(nodeJournalFs, dir, SID)).problem).toBe(
      'it is not a version 1 artifact manifest',
    );
    const good = { name: 'a.png', bytes: 3, sha256: 'f'.repeat(64), contentType: 'image/png', storedAt: AT };
    const bad = [
      { ...good, name: '../a.png' },
      { ...good, bytes: -1 },
      { ...good, sha256: 'xyz' },
      { ...good, storedAt: 'yesterday' },
      { ...good, generate: { seq: 'one' } },
      'not an object',
    ];
    writeFileSync(path, JSON.stringify({ v: 1, artifacts: [...bad, good] }));
    expect(await readArtifactManifest(nodeJournalFs, dir, SID)).toEqual({
      entries: [{ ...good, generate: null }],
      problem: '6 of its entries are not readable',
    });
  });
});

describe('inspectArtifacts', () => {
  it('lists a stored artifact as present', async () => {
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    expect(await inspectArtifacts(dir, SID)).toEqual({
      artifacts: [
        {
          name: 'element.png',
          bytes: PNG.length,
          sha256: sha256Hex(PNG),
          contentType: 'image/png',
          storedAt: AT,
          present: true,
        },
      ],
      diagnostics: [],
    });
  });

  it('reports a deleted file as artifact_missing, naming the file', async () => {
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    unlinkSync(join(folder(), 'element.png'));
    const got = await inspectArtifacts(dir, SID);
    expect(got.artifacts.map((a) => [a.name, a.present])).toEqual([['element.png', false]]);
    expect(got.diagnostics).toEqual([
      {
        code: 'artifact_missing',
        sessionId: SID,
        artifact: 'element.png',
        message: `Artifact element.png of session ${SID} (${PNG.length} bytes, stored at ${AT}) is missing from ${folder()}.`,
      },
    ]);
  });

  it('reports a file whose size or sha256 no longer matches as artifact_changed', async () => {
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    await storeArtifact(nodeJournalFs, dir, SID, 'other.png', PNG, META);
    writeFileSync(join(folder(), 'element.png'), Buffer.concat([PNG, Buffer.from('!')]));
    const same = Buffer.from(PNG);
    same[same.length - 1] ^= 1;
    writeFileSync(join(folder(), 'other.png'), same);
    const got = await inspectArtifacts(dir, SID);
    expect(got.artifacts.map((a) => [a.name, a.bytes, a.present])).toEqual([
      ['element.png', PNG.length, false],
      ['other.png', PNG.length, false],
    ]);
    expect(got.diagnostics).toEqual([
      {
        code: 'artifact_changed',
        sessionId: SID,
        artifact: 'element.png',
        message: `Artifact element.png of session ${SID} in ${folder()} is not the file stored at ${AT}: it has ${PNG.length + 1} bytes, ${PNG.length} were stored.`,
      },
      {
        code: 'artifact_changed',
        sessionId: SID,
        artifact: 'other.png',
        message: `Artifact other.png of session ${SID} in ${folder()} is not the file stored at ${AT}: its sha256 is ${sha256Hex(same)}, ${sha256Hex(PNG)} was stored.`,
      },
    ]);
  });

  it('notices a same-size rewrite after an earlier check found the file intact', async () => {
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    expect((await inspectArtifacts(dir, SID)).diagnostics).toEqual([]);
    const same = Buffer.from(PNG);
    same[same.length - 1] ^= 1;
    writeFileSync(join(folder(), 'element.png'), same);
    utimesSync(join(folder(), 'element.png'), new Date(AT), new Date(AT));
    expect((await inspectArtifacts(dir, SID)).diagnostics.map((d) => d.code)).toEqual(['artifact_changed']);
  });

  it('lists a file stored without a record from the file itself, without a hash', async () => {
    mkdirSync(folder(), { recursive: true });
    writeFileSync(join(folder(), 'old.png'), PNG);
    utimesSync(join(folder(), 'old.png'), new Date(AT), new Date(AT));
    expect(await inspectArtifacts(dir, SID)).toEqual({
      artifacts: [{ name: 'old.png', bytes: PNG.length, storedAt: AT, present: true }],
      diagnostics: [],
    });
  });

  it('says so when the manifest is damaged, and still lists the files', async () => {
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    writeFileSync(join(folder(), ARTIFACT_MANIFEST), 'not json');
    const got = await inspectArtifacts(dir, SID);
    expect(got.artifacts.map((a) => [a.name, a.sha256, a.present])).toEqual([
      ['element.png', undefined, true],
    ]);
    expect(got.diagnostics).toEqual([
      {
        code: 'artifact_manifest_unreadable',
        sessionId: SID,
        message: `The artifact record of session ${SID} (${join(folder(), ARTIFACT_MANIFEST)}) is damaged: it is not valid JSON. Files without a readable record are listed without a hash.`,
      },
    ]);
  });

  it('is empty for a session that stored nothing', async () => {
    expect(await inspectArtifacts(dir, SID)).toEqual({ artifacts: [], diagnostics: [] });
  });
});

describe('status', () => {
  it('puts each session’s artifacts and their diagnostics on the session, its action and the report', () => {
    const view = new Journal(SID).generate(3).view();
    const missing = {
      code: 'artifact_missing',
      sessionId: SID,
      artifact: 'element.png',
      message: 'Artifact element.png is missing.',
    };
    const listed = { name: 'element.png', bytes: 9, sha256: 'f'.repeat(64), storedAt: AT, present: false };
    const report = computeStatus(
      inputs({ sessions: [view], artifacts: { [SID]: { artifacts: [listed], diagnostics: [missing] } } }),
    );
    expect(report.sessions[0].artifacts).toEqual([listed]);
    expect(report.sessions[0].diagnostics).toEqual([missing]);
    expect(report.nextAction.diagnostics).toEqual([missing]);
    expect(report.diagnostics).toEqual([missing]);
    // Artifacts say nothing about what to do next.
    expect(report.nextAction.action).toBe('poll_for_pending_event');
  });

  it('offline (no bridge) lists the recorded screenshot, then reports it missing once deleted', async () => {
    await writeJournal(dir, new Journal(SID).generate(3));
    await storeArtifact(nodeJournalFs, dir, SID, 'element.png', PNG, META);
    const conn = { root, journalDir: dir, endpoint: null, problem: null, discovery: null };
    const before = await offlineStatus(conn, { all: false, now: NOW });
    expect(before.sessions[0].artifacts).toEqual([
      {
        name: 'element.png',
        bytes: PNG.length,
        sha256: sha256Hex(PNG),
        contentType: 'image/png',
        storedAt: AT,
        present: true,
      },
    ]);
    expect(before.diagnostics.map((d) => d.code)).toEqual(['bridge_not_running']);

    unlinkSync(join(folder(), 'element.png'));
    const after = await offlineStatus(conn, { all: false, now: NOW });
    expect(after.sessions[0].artifacts.map((a) => [a.name, a.present])).toEqual([['element.png', false]]);
    expect(after.diagnostics.map((d) => [d.code, d.sessionId ?? null])).toEqual([
      ['artifact_missing', SID],
      ['bridge_not_running', null],
    ]);
  });
});
