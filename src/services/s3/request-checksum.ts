import { createHash } from 'node:crypto';
import { createChecksum } from '../../auth/checksums.js';
import { s3Error } from '../../protocol/errors.js';
import type { ChecksumValue } from '../../store/types.js';
import type { ByteSink } from './object-data.js';

export const checksumAlgorithms = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number];

const headerOf = (algorithm: string) => `x-amz-checksum-${algorithm.toLowerCase()}`;

/**
 * The integrity checks a request body asks for: Content-MD5 and at most one x-amz-checksum-*
 * (as a header or announced in x-amz-trailer). Feed every byte through `sinks`, then call verify().
 */
export class RequestChecksum {
  readonly sinks: ByteSink[] = [];
  readonly algorithm: ChecksumAlgorithm | null;
  private readonly expectedHeaderValue: string | null;
  private readonly fromTrailer: boolean;
  private readonly hasher: { update(chunk: Buffer): void; digest(): string } | null;
  private readonly md5Expected: string | null;
  private readonly md5: ReturnType<typeof createHash> | null;

  constructor(headers: Record<string, string | string[] | undefined>) {
    const present = checksumAlgorithms.filter((algorithm) => headers[headerOf(algorithm)] !== undefined);
    if (present.length > 1) throw s3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    const trailer = String(headers['x-amz-trailer'] ?? '').trim().toLowerCase();
    const trailerAlgorithm = checksumAlgorithms.find((algorithm) => headerOf(algorithm) === trailer) ?? null;
    if (trailer && !trailerAlgorithm) throw s3Error('InvalidRequest', `The value specified in the x-amz-trailer header is not supported`);
    const sdkAlgorithm = String(headers['x-amz-sdk-checksum-algorithm'] ?? headers['x-amz-checksum-algorithm'] ?? '').toUpperCase();
    if (sdkAlgorithm && !checksumAlgorithms.includes(sdkAlgorithm as ChecksumAlgorithm)) {
      throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
    }
    this.algorithm = (present[0] ?? trailerAlgorithm ?? (sdkAlgorithm || null)) as ChecksumAlgorithm | null;
    this.fromTrailer = !present[0] && trailerAlgorithm !== null;
    this.expectedHeaderValue = present[0] ? String(headers[headerOf(present[0])]) : null;
    if (this.expectedHeaderValue !== null && !isValidBase64Digest(this.algorithm!, this.expectedHeaderValue)) {
      throw s3Error('InvalidRequest', `Value for ${headerOf(this.algorithm!)} header is invalid.`);
    }
    this.hasher = this.algorithm ? createChecksum(this.algorithm) : null;
    if (this.hasher) this.sinks.push(this.hasher);

    const contentMd5 = headers['content-md5'];
    if (contentMd5 !== undefined) {
      const value = String(contentMd5);
      if (!/^[A-Za-z0-9+/]{22}==$/.test(value)) throw s3Error('InvalidDigest');
      this.md5Expected = value;
      this.md5 = createHash('md5');
      this.sinks.push(this.md5);
    } else {
      this.md5Expected = null;
      this.md5 = null;
    }
  }

  /** True when the request carried Content-MD5 or any x-amz-checksum-* (S3 requires one on some APIs). */
  get hasIntegrityCheck(): boolean {
    return this.md5Expected !== null || this.algorithm !== null;
  }

  /** Check every digest; returns the checksum to store (or null). */
  verify(trailers: Record<string, string>, contentMd5OfBody?: string): ChecksumValue | null {
    if (this.md5Expected !== null) {
      const actual = contentMd5OfBody ?? this.md5!.digest('base64');
      if (actual !== this.md5Expected) throw s3Error('BadDigest', undefined, { ExpectedDigest: this.md5Expected, CalculatedDigest: actual });
    }
    if (!this.algorithm || !this.hasher) return null;
    const computed = this.hasher.digest();
    const expected = this.fromTrailer ? trailers[headerOf(this.algorithm)] : this.expectedHeaderValue;
    if (this.fromTrailer && expected === undefined) throw s3Error('InvalidRequest', `The trailing checksum ${headerOf(this.algorithm)} was announced but not sent.`);
    if (expected !== null && expected !== undefined && expected !== computed) {
      throw s3Error('BadDigest', `The ${this.algorithm} you specified did not match the calculated checksum.`);
    }
    return { algorithm: this.algorithm, value: computed, type: 'FULL_OBJECT' };
  }
}

const digestBytes: Record<string, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

function isValidBase64Digest(algorithm: string, value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === digestBytes[algorithm];
}

/** Response headers for a stored checksum (x-amz-checksum-crc32: …, x-amz-checksum-type: …). */
export function checksumHeaders(checksum: ChecksumValue | null): Record<string, string> {
  if (!checksum) return {};
  return { [headerOf(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type };
}
