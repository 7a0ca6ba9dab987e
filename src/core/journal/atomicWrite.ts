// Whole-file replacement that survives a crash at any instant: temp file + fsync + rename + directory
// fsync. A reader sees the old file or the new one, never a mix. One writer per path at a time (the
// callers serialise), which is why the temp name can be fixed.
import { type JournalFs, writeAll } from './journalFs';

export async function writeFileAtomic(
  fs: JournalFs,
  dir: string,
  tempPath: string,
  finalPath: string,
  bytes: Uint8Array,
): Promise<void> {
  const handle = await fs.open(tempPath, 'w');
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tempPath, finalPath);
  await fs.fsyncDir(dir);
}
