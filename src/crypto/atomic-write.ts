/**
 * Replace a file atomically with given permissions: temp file (created with `mode`), fsync, rename
 * over the target, fsync the directory. Readers see the old or the new content, never a mix; key
 * material is never briefly world-readable. Used for TLS keys and the generated AWS files.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(filePath: string, content: string | Buffer, mode: number): Promise<void> {
  const temp = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, filePath);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const directory = await open(path.dirname(filePath), constants.O_RDONLY);
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
