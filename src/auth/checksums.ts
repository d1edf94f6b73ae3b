import { createHash, type Hash } from 'node:crypto';
import { crc32, crc32c, Crc64Nvme } from './crc.js';

/** The x-amz-checksum-* algorithms S3 supports. */
export const checksumAlgorithmNames = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithmName = (typeof checksumAlgorithmNames)[number];

/** Raw digest size per algorithm (base64 values must decode to exactly this many bytes). */
export const checksumDigestBytes: Record<ChecksumAlgorithmName, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

/** A streaming checksum: feed chunks, then read the digest (base64, as S3 returns it). */
export interface Checksum {
  readonly algorithm: string;
  update(chunk: Uint8Array): void;
  /** Base64 of the raw digest; may be called more than once. */
  digest(): string;
  /** The raw digest bytes (big-endian for CRCs). */
  digestBytes(): Buffer;
}

/** Parse an algorithm name case-insensitively (null when unknown). */
export function checksumAlgorithm(name: string): ChecksumAlgorithmName | null {
  const upper = name.toUpperCase();
  return (checksumAlgorithmNames as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithmName) : null;
}

/** "x-amz-checksum-crc32" for "CRC32". */
export function checksumHeaderName(algorithm: string): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

abstract class BaseChecksum implements Checksum {
  private raw: Buffer | null = null;
  constructor(readonly algorithm: string) {}
  abstract update(chunk: Uint8Array): void;
  protected abstract finish(): Buffer;
  digestBytes(): Buffer {
    return (this.raw ??= this.finish());
  }
  digest(): string {
    return this.digestBytes().toString('base64');
  }
}

class Crc32Checksum extends BaseChecksum {
  private crc = 0;
  constructor(private readonly castagnoli: boolean) {
    super(castagnoli ? 'CRC32C' : 'CRC32');
  }
  update(chunk: Uint8Array): void {
    this.crc = this.castagnoli ? crc32c(chunk, this.crc) : crc32(chunk, this.crc);
  }
  protected finish(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.crc >>> 0, 0);
    return out;
  }
}

class Crc64Checksum extends BaseChecksum {
  private readonly state = new Crc64Nvme();
  constructor() {
    super('CRC64NVME');
  }
  update(chunk: Uint8Array): void {
    this.state.update(chunk);
  }
  protected finish(): Buffer {
    return this.state.digest();
  }
}

class HashChecksum extends BaseChecksum {
  private readonly hash: Hash;
  constructor(algorithm: string, nodeName: string) {
    super(algorithm);
    this.hash = createHash(nodeName);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  protected finish(): Buffer {
    return this.hash.digest();
  }
}

/**
 * A streaming hasher for CRC32, CRC32C, CRC64NVME, SHA1, SHA256 (x-amz-checksum-*) or MD5 (ETag,
 * Content-MD5); the name is case-insensitive. Throws on an unknown algorithm.
 */
export function createChecksum(algorithm: string): Checksum {
  switch (algorithm.toUpperCase()) {
    case 'CRC32':
      return new Crc32Checksum(false);
    case 'CRC32C':
      return new Crc32Checksum(true);
    case 'CRC64NVME':
      return new Crc64Checksum();
    case 'SHA1':
      return new HashChecksum('SHA1', 'sha1');
    case 'SHA256':
      return new HashChecksum('SHA256', 'sha256');
    case 'MD5':
      return new HashChecksum('MD5', 'md5');
    default:
      throw new Error(`unknown checksum algorithm ${algorithm}`);
  }
}

/** One-shot checksum of a buffer (base64). */
export function checksumOf(algorithm: string, data: Uint8Array): string {
  const checksum = createChecksum(algorithm);
  checksum.update(data);
  return checksum.digest();
}

/** True when `value` is canonical base64 of exactly the algorithm's digest size. */
export function isValidChecksumValue(algorithm: ChecksumAlgorithmName, value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const raw = Buffer.from(value, 'base64');
  return raw.length === checksumDigestBytes[algorithm] && raw.toString('base64') === value;
}
