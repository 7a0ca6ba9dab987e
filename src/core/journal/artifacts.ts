// Files that belong to an incomplete session (annotation screenshots), stored in `<dir>/<id>.artifacts/`
// and deleted when the session is archived (docs/journal-format.md "Artifacts").
import { join } from 'node:path';
import { LiveVariantsError } from '../errors';
import { writeFileAtomic } from './atomicWrite';
import { isMissing, type JournalFs } from './journalFs';
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
