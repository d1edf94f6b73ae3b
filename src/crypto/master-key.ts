/**
 * The master key: 32 bytes that seal every secret at rest (access-key secrets, service keys).
 *
 * Where it comes from, in order:
 *  1. env CROSSBUCKET_MASTER_KEY — 64 hex characters or base64 (standard or URL-safe) of 32 bytes;
 *  2. `<data>/master.key` — base64 text, created on first start with mode 0600.
 *
 * Creation is atomic and exclusive: the key is written to a temp file (mode 0600), fsynced, then
 * hard-linked to `master.key` (link fails if the name exists, so two processes starting together
 * both end up with the same key), and the directory is fsynced.
 *
 * Permissions: like ssh with private keys, we REFUSE to start when `master.key` is readable or
 * writable by group or others (mode & 0o077 != 0) — the key protects every secret in the store, and
 * a loud failure with the `chmod 600` fix beats silently running with an exposed key.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { masterKeyBytes } from './seal.js';

export const masterKeyFileName = 'master.key';
export const masterKeyEnvName = 'CROSSBUCKET_MASTER_KEY';

export interface MasterKeyOptions {
  /** Randomness for a new key (tests inject a deterministic source). */
  randomBytes?: (size: number) => Buffer;
}

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/** Parse a master key given as text: 64 hex characters, or base64/base64url of exactly 32 bytes. */
export function parseMasterKeyText(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === masterKeyBytes) return decoded;
  }
  throw new MasterKeyError(
    `${source}: the master key must be ${masterKeyBytes} bytes given as 64 hex characters or base64 ` +
      `(for example: openssl rand -base64 32)`,
  );
}

async function readKeyFile(filePath: string): Promise<Buffer> {
  const info = await stat(filePath);
  if (!info.isFile()) throw new MasterKeyError(`${filePath} is not a regular file`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new MasterKeyError(
      `${filePath} is accessible by group or others (mode ${mode}); it protects every stored secret. ` +
        `Fix it with: chmod 600 ${filePath}`,
    );
  }
  const content = await readFile(filePath);
  if (content.length === masterKeyBytes && !/^[\x20-\x7e\r\n]*$/.test(content.toString('latin1'))) return content;
  return parseMasterKeyText(content.toString('utf8'), filePath);
}

async function fsyncPath(target: string, flags: number): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function createKeyFile(filePath: string, key: Buffer): Promise<'created' | 'exists'> {
  const temp = `${filePath}.${process.pid}.${nodeRandomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      await unlink(temp);
      return 'exists';
    }
    // File systems without hard links: fall back to rename (atomic, but not exclusive).
    await rename(temp, filePath);
    await fsyncPath(path.dirname(filePath), constants.O_RDONLY);
    return 'created';
  }
  await unlink(temp);
  await fsyncPath(path.dirname(filePath), constants.O_RDONLY);
  return 'created';
}

/** Load the master key from env or `<dataDir>/master.key`, creating the file on first start. */
export async function loadOrCreateMasterKey(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  options: MasterKeyOptions = {},
): Promise<Buffer> {
  const fromEnv = env[masterKeyEnvName];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseMasterKeyText(fromEnv, masterKeyEnvName);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const filePath = path.join(dataDir, masterKeyFileName);
  try {
    return await readKeyFile(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = (options.randomBytes ?? nodeRandomBytes)(masterKeyBytes);
  if (key.length !== masterKeyBytes) throw new MasterKeyError(`random source returned ${key.length} bytes`);
  const outcome = await createKeyFile(filePath, key);
  return outcome === 'created' ? key : readKeyFile(filePath);
}
