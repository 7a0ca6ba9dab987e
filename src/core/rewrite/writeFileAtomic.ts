// Writes a file so that a crash leaves either the old bytes or the new ones: temp file in the same
// directory, fsync, rename over the target, fsync the directory. The target's mode is kept.
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.lv-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | null = null;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch {
    // New file: default mode (the umask applies).
  }
  const handle = await open(tmp, 'wx', mode ?? 0o666);
  try {
    if (mode !== null) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  }
}
