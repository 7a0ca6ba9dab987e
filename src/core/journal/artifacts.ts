// Files that belong to an incomplete session (annotation screenshots), stored in `<dir>/<id>.artifacts/`
// and deleted when the session is archived (docs/journal-format.md "Artifacts"). Each stored file is also
// recorded in the folder's manifest (`.manifest.json`: name, size, sha256, content type, time, the generate
// it belongs to), so status can tell that a file went missing or changed (docs/browser.md "Artifacts").
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { LiveVariantsError } from '../errors';
import { writeFileAtomic } from './atomicWrite';
import { errnoCode, isMissing, type JournalFs } from './journalFs';
import { artifactsDir } from './paths';
import type { JournalDiagnostic } from './types';

export const MAX_ARTIFACT_NAME = 128;
export const MAX_ARTIFACT_BYTES = 32 * 1024 * 1024;
/** Starts with a letter or digit (no dotfiles, no ".."), then letters, digits, ".", "_", "-". */
const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function validateArtifactName(name: unknown): string {
  if (typeof name !== 'string' || name.length > MAX_ARTIFACT_NAME || !ARTIFACT_NAME.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name;
    throw new LiveVariantsError(
      'invalid_artifact_name',
      `Artifact name ${shown} is not valid: up to ${MAX_ARTIFACT_NAME} characters from A-Z, a-z, 0-9, ".", "_", "-", starting with a letter or digit.`,
      'name',
    );
  }
  return name;
}

export function artifactFilePath(dir: string, sessionId: string, name: string): string {
  return join(artifactsDir(dir, sessionId), validateArtifactName(name));
}

/** Writes the artifact whole (temp + fsync + rename); a second write of the same name replaces it. */
export async function writeArtifactFile(
  fs: JournalFs,
  dir: string,
  sessionId: string,
  name: string,
  bytes: Uint8Array,
): Promise<string> {
  const target = artifactFilePath(dir, sessionId, name);
  if (!(bytes instanceof Uint8Array)) {
    throw new LiveVariantsError(
      'invalid_artifact',
      'Artifact bytes must be a Buffer or Uint8Array.',
      'bytes',
    );
  }
  if (bytes.length > MAX_ARTIFACT_BYTES) {
    throw new LiveVariantsError(
      'invalid_artifact',
      `Artifact ${name} is ${bytes.length} bytes; the limit is ${MAX_ARTIFACT_BYTES}.`,
      'bytes',
    );
  }
  const folder = artifactsDir(dir, sessionId);
  await fs.mkdir(folder);
  // The temp name is a dotfile, so listArtifacts never shows a half-written file.
  await writeFileAtomic(fs, folder, join(folder, `.${name}.tmp`), target, bytes);
  return target;
}

export async function listArtifactNames(fs: JournalFs, dir: string, sessionId: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(artifactsDir(dir, sessionId));
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
  return names.filter((n) => n.length <= MAX_ARTIFACT_NAME && ARTIFACT_NAME.test(n)).sort();
}

/** One artifact_missing diagnostic per expected name that has no file. */
export async function findMissingArtifacts(
  fs: JournalFs,
  dir: string,
  sessionId: string,
  expected: readonly string[],
): Promise<JournalDiagnostic[]> {
  const present = new Set(await listArtifactNames(fs, dir, sessionId));
  return expected
    .filter((name) => !present.has(name))
    .map((name) => ({
      code: 'artifact_missing' as const,
      sessionId,
      message: `Artifact ${name} of session ${sessionId} is missing from ${artifactsDir(dir, sessionId)}.`,
    }));
}

/** The folder's record of what was stored; a dotfile, so it is never an artifact name nor listed as one. */
export const ARTIFACT_MANIFEST = '.manifest.json';
/** Not `.<name>.tmp`, the temp form of an artifact, so no artifact write can collide with it. */
const MANIFEST_TEMP = '.manifest.json.new';
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_CONTENT_TYPE = 128;

/** The journal record of the generate the artifact illustrates (the session's latest at upload time). */
export interface GenerateRef {
  seq: number;
  eventId: string;
}

export interface StoredArtifact {
  name: string;
  bytes: number;
  sha256: string;
  contentType: string;
  /** ISO time the file was durably stored. */
  storedAt: string;
  generate: GenerateRef | null;
}

export interface ArtifactManifest {
  entries: StoredArtifact[];
  /** Why (part of) the manifest could not be used; null when it was read whole or does not exist. */
  problem: string | null;
}

export const manifestPath = (dir: string, sessionId: string): string =>
  join(artifactsDir(dir, sessionId), ARTIFACT_MANIFEST);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function generateRefOf(v: unknown): GenerateRef | null | undefined {
  if (v === null || v === undefined) return null;
  if (!isRecord(v) || !Number.isSafeInteger(v.seq) || typeof v.eventId !== 'string') return undefined;
  return { seq: v.seq as number, eventId: v.eventId };
}

/** One manifest entry, or undefined when it is not one this reader trusts. */
function entryOf(v: unknown): StoredArtifact | undefined {
  if (!isRecord(v)) return undefined;
  const { name, bytes, sha256, contentType, storedAt } = v;
  const generate = generateRefOf(v.generate);
  if (typeof name !== 'string' || name.length > MAX_ARTIFACT_NAME || !ARTIFACT_NAME.test(name))
    return undefined;
  if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) return undefined;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return undefined;
  if (typeof contentType !== 'string' || contentType.length > MAX_CONTENT_TYPE) return undefined;
  if (typeof storedAt !== 'string' || Number.isNaN(Date.parse(storedAt)) || generate === undefined) {
    return undefined;
  }
  return { name, bytes: bytes as number, sha256, contentType, storedAt, generate };
}

/** Reads the manifest; a missing one is empty, a damaged one is reported in `problem`, never thrown. */
export async function readArtifactManifest(
  fs: JournalFs,
  dir: string,
  sessionId: string,
): Promise<ArtifactManifest> {
  let text: string;
  try {
    text = (await fs.readFile(manifestPath(dir, sessionId))).toString('utf8');
  } catch (e) {
    if (isMissing(e)) return { entries: [], problem: null };
    return { entries: [], problem: `it could not be read (${errnoCode(e) ?? String(e)})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { entries: [], problem: 'it is not valid JSON' };
  }
  if (!isRecord(parsed) || parsed.v !== 1 || !Array.isArray(parsed.artifacts)) {
    return { entries: [], problem: 'it is not a version 1 artifact manifest' };
  }
  const byName = new Map<string, StoredArtifact>();
  let skipped = 0;
  for (const raw of parsed.artifacts) {
    const entry = entryOf(raw);
    if (entry === undefined) skipped += 1;
    else byName.set(entry.name, entry);
  }
  const entries = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, problem: skipped > 0 ? `${skipped} of its entries are not readable` : null };
}

/** Per folder, one store at a time: the manifest is read-modify-write and temp names are fixed. */
const storing = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = storing.get(key) ?? Promise.resolve();
  const run = before.then(work, work);
  const settled = run.catch(() => undefined);
  storing.set(key, settled);
  void settled.then(() => {
    if (storing.get(key) === settled) storing.delete(key);
  });
  return run;
}

/**
 * Stores an artifact and records it in the manifest, each by temp file + fsync + rename: once this resolves,
 * both the bytes and their record are on disk. A crash between the two leaves a file with no record, which
 * status lists without a hash. Storing a name again replaces its file and its record.
 */
export function storeArtifact(
  fs: JournalFs,
  dir: string,
  sessionId: string,
  name: string,
  bytes: Uint8Array,
  meta: { contentType: string; storedAt: string; generate: GenerateRef | null },
): Promise<StoredArtifact> {
  const folder = artifactsDir(dir, sessionId);
  return serialised(folder, async () => {
    await writeArtifactFile(fs, dir, sessionId, name, bytes);
    const entry: StoredArtifact = {
      name,
      bytes: bytes.length,
      sha256: sha256Hex(bytes),
      contentType: meta.contentType.slice(0, MAX_CONTENT_TYPE),
      storedAt: meta.storedAt,
      generate: meta.generate,
    };
    // A damaged manifest is replaced: its unreadable entries were lost either way.
    const { entries } = await readArtifactManifest(fs, dir, sessionId);
    const artifacts = [...entries.filter((e) => e.name !== name), entry].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const text = `${JSON.stringify({ v: 1, sessionId, artifacts }, null, 2)}\n`;
    await writeFileAtomic(
      fs,
      folder,
      join(folder, MANIFEST_TEMP),
      manifestPath(dir, sessionId),
      Buffer.from(text, 'utf8'),
    );
    return entry;
  });
}
