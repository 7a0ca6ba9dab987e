// A session's artifacts as status reports them (docs/cli.md "SessionStatus"): every recorded artifact checked
// against its file (there, same size, same sha256), plus files in the folder that were stored without a record.
// The I/O half of status, like gather.ts: it reads, it does not decide what the session should do.

import {
  artifactFilePath,
  listArtifactNames,
  manifestPath,
  readArtifactManifest,
  type StoredArtifact,
  sha256Hex,
} from '../journal/artifacts';
import { errnoCode, isMissing, type JournalFs, nodeJournalFs } from '../journal/journalFs';
import { artifactsDir } from '../journal/paths';
import type { ArtifactStatus, StatusDiagnostic } from './types';

/** A diagnostic about one artifact names it in `artifact`. */
export interface ArtifactDiagnostic extends StatusDiagnostic {
  sessionId: string;
  artifact: string;
}

export interface SessionArtifacts {
  artifacts: ArtifactStatus[];
  diagnostics: StatusDiagnostic[];
}

type Check = { present: true } | { present: false; diagnostic: ArtifactDiagnostic };

/**
 * Hashes already taken, by path: a file with the same size and mtime is not read again (an agent asks for
 * status often; a screenshot is up to 8 MiB). A rewrite, even of the same size, changes the mtime.
 */
const hashed = new Map<string, { size: number; mtimeMs: number; sha256: string }>();
const MAX_HASHED = 256;

async function sha256Of(fs: JournalFs, path: string, st: { size: number; mtimeMs: number }): Promise<string> {
  const known = hashed.get(path);
  if (known !== undefined && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.sha256;
  const sha256 = sha256Hex(await fs.readFile(path));
  if (hashed.size >= MAX_HASHED) hashed.delete(hashed.keys().next().value as string);
  hashed.set(path, { size: st.size, mtimeMs: st.mtimeMs, sha256 });
  return sha256;
}

async function checkStored(
  fs: JournalFs,
  journalDir: string,
  sessionId: string,
  entry: StoredArtifact,
): Promise<Check> {
  const path = artifactFilePath(journalDir, sessionId, entry.name);
  const about = { sessionId, artifact: entry.name };
  const where = artifactsDir(journalDir, sessionId);
  const changed = (detail: string): Check => ({
    present: false,
    diagnostic: {
      code: 'artifact_changed',
      ...about,
      message: `Artifact ${entry.name} of session ${sessionId} in ${where} is not the file stored at ${entry.storedAt}: ${detail}.`,
    },
  });
  try {
    const st = await fs.stat(path);
    if (st.isDirectory) return changed('it is a directory now');
    if (st.size !== entry.bytes) return changed(`it has ${st.size} bytes, ${entry.bytes} were stored`);
    const sha = await sha256Of(fs, path, st);
    if (sha !== entry.sha256) return changed(`its sha256 is ${sha}, ${entry.sha256} was stored`);
    return { present: true };
  } catch (e) {
    if (isMissing(e)) {
      return {
        present: false,
        diagnostic: {
          code: 'artifact_missing',
          ...about,
          message: `Artifact ${entry.name} of session ${sessionId} (${entry.bytes} bytes, stored at ${entry.storedAt}) is missing from ${where}.`,
        },
      };
    }
    return {
      present: false,
      diagnostic: {
        code: 'artifact_unreadable',
        ...about,
        message: `Artifact ${entry.name} of session ${sessionId} in ${where} could not be read (${errnoCode(e) ?? String(e)}).`,
      },
    };
  }
}

/** A file in the folder with no record: listed from the file itself, without a hash. */
async function unrecorded(
  fs: JournalFs,
  journalDir: string,
  sessionId: string,
  name: string,
): Promise<ArtifactStatus | null> {
  try {
    const st = await fs.stat(artifactFilePath(journalDir, sessionId, name));
    if (st.isDirectory) return null;
    return { name, bytes: st.size, storedAt: new Date(st.mtimeMs).toISOString(), present: true };
  } catch {
    // Gone between the listing and the stat: there is nothing to list.
    return null;
  }
}

/** The session's artifacts by name, with a diagnostic for each recorded one that is gone or changed. */
export async function inspectArtifacts(
  journalDir: string,
  sessionId: string,
  fs: JournalFs = nodeJournalFs,
): Promise<SessionArtifacts> {
  const diagnostics: StatusDiagnostic[] = [];
  const where = artifactsDir(journalDir, sessionId);
  let names: string[];
  try {
    names = await listArtifactNames(fs, journalDir, sessionId);
  } catch (e) {
    diagnostics.push({
      code: 'artifacts_unreadable',
      sessionId,
      message: `The artifacts of session ${sessionId} in ${where} could not be listed (${errnoCode(e) ?? String(e)}).`,
    });
    names = [];
  }
  const manifest = await readArtifactManifest(fs, journalDir, sessionId);
  if (manifest.problem !== null) {
    diagnostics.push({
      code: 'artifact_manifest_unreadable',
      sessionId,
      message: `The artifact record of session ${sessionId} (${manifestPath(journalDir, sessionId)}) is damaged: ${manifest.problem}. Files without a readable record are listed without a hash.`,
    });
  }
  const out: ArtifactStatus[] = [];
  for (const entry of manifest.entries) {
    const check = await checkStored(fs, journalDir, sessionId, entry);
    out.push({
      name: entry.name,
      bytes: entry.bytes,
      sha256: entry.sha256,
      contentType: entry.contentType,
      storedAt: entry.storedAt,
      present: check.present,
    });
    if (!check.present) diagnostics.push(check.diagnostic);
  }
  const recorded = new Set(manifest.entries.map((e) => e.name));
  for (const name of names) {
    if (recorded.has(name)) continue;
    const found = await unrecorded(fs, journalDir, sessionId, name);
    if (found !== null) out.push(found);
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { artifacts: out, diagnostics };
}
