import { createHash } from 'node:crypto';
import { s3Error } from '../protocol/errors.js';
import {
  checksumAlgorithm,
  checksumAlgorithmNames,
  checksumHeaderName,
  createChecksum,
  isValidChecksumValue,
  type Checksum,
  type ChecksumAlgorithmName,
} from './checksums.js';

type Headers = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export interface BodyDigest {
  /** Bytes seen. */
  size: number;
  /** MD5 of the body: hex (the ETag without quotes) and base64 (Content-MD5 form). */
  md5Hex: string;
  md5Base64: string;
  /** The x-amz-checksum to store (requested, or the default algorithm); null when none. */
  checksum: { algorithm: ChecksumAlgorithmName; value: string; type: 'FULL_OBJECT' } | null;
}

export interface BodyDigesterOptions {
  /** Computed and stored when the request names no checksum (S3 stores CRC64NVME by default); null: none. */
  defaultAlgorithm?: ChecksumAlgorithmName | null;
  /** Also compute MD5 (the ETag); default true. */
  md5?: boolean;
}

/**
 * One pass over a body: MD5 (ETag) plus the requested x-amz-checksum-*, then every integrity check
 * S3 makes — Content-MD5 (InvalidDigest when malformed, BadDigest on mismatch), an
 * x-amz-checksum-* header (InvalidRequest when malformed, BadDigest on mismatch) and a checksum
 * announced in x-amz-trailer and sent as an aws-chunked trailer (same errors).
 * Construct before reading the body (header errors are thrown at once), feed update(), then finish().
 */
export class BodyDigester {
  /** The x-amz-checksum algorithm in play (header, trailer, x-amz-sdk-checksum-algorithm or default). */
  readonly algorithm: ChecksumAlgorithmName | null;
  /** The value must arrive as a trailer (x-amz-trailer). */
  readonly checksumFromTrailer: boolean;
  /** The request carried Content-MD5 or an x-amz-checksum (S3 requires one on some APIs). */
  readonly hasIntegrityCheck: boolean;
  private readonly expectedChecksum: string | null;
  private readonly expectedMd5: string | null;
  private readonly md5: ReturnType<typeof createHash> | null;
  private readonly checksum: Checksum | null;
  private size = 0;

  constructor(headers: Headers, opts: BodyDigesterOptions = {}) {
    const present = checksumAlgorithmNames.filter((name) => headers[checksumHeaderName(name)] !== undefined);
    const trailerText = (first(headers['x-amz-trailer']) ?? '').trim().toLowerCase();
    const trailerAlgorithm = trailerText ? checksumAlgorithmNames.find((name) => checksumHeaderName(name) === trailerText) ?? null : null;
    if (trailerText && !trailerAlgorithm) throw s3Error('InvalidRequest', 'The value specified in the x-amz-trailer header is not supported');
    if (present.length + (trailerAlgorithm ? 1 : 0) > 1) {
      throw s3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    }
    const sdkText = first(headers['x-amz-sdk-checksum-algorithm']);
    const sdkAlgorithm = sdkText !== undefined ? checksumAlgorithm(sdkText) : null;
    if (sdkText !== undefined && !sdkAlgorithm) {
      throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
    }
    const headerAlgorithm = present[0] ?? null;
    if (headerAlgorithm) {
      const value = first(headers[checksumHeaderName(headerAlgorithm)])!;
      if (!isValidChecksumValue(headerAlgorithm, value)) throw s3Error('InvalidRequest', `Value for ${checksumHeaderName(headerAlgorithm)} header is invalid.`);
      this.expectedChecksum = value;
    } else {
      this.expectedChecksum = null;
    }
    this.checksumFromTrailer = !headerAlgorithm && trailerAlgorithm !== null;
    const requested = headerAlgorithm ?? trailerAlgorithm ?? sdkAlgorithm;
    this.hasIntegrityCheck = requested !== null || headers['content-md5'] !== undefined;
    this.algorithm = requested ?? opts.defaultAlgorithm ?? null;
    this.checksum = this.algorithm ? createChecksum(this.algorithm) : null;

    const contentMd5 = first(headers['content-md5']);
    if (contentMd5 !== undefined) {
      const raw = Buffer.from(contentMd5, 'base64');
      if (!/^[A-Za-z0-9+/]{22}==$/.test(contentMd5.trim()) || raw.length !== 16) throw s3Error('InvalidDigest');
      this.expectedMd5 = contentMd5.trim();
    } else {
      this.expectedMd5 = null;
    }
    this.md5 = opts.md5 === false && this.expectedMd5 === null ? null : createHash('md5');
  }

  update(chunk: Uint8Array): void {
    this.size += chunk.length;
    this.md5?.update(chunk);
    this.checksum?.update(chunk);
  }

  /** Run every check; `trailers` are the aws-chunked trailers (PayloadVerifier.trailers). */
  finish(trailers: Record<string, string> = {}): BodyDigest {
    const md5 = this.md5 ? this.md5.digest() : null;
    if (this.expectedMd5 !== null && md5 && md5.toString('base64') !== this.expectedMd5) {
      throw s3Error('BadDigest', undefined, { ExpectedDigest: Buffer.from(this.expectedMd5, 'base64').toString('hex'), CalculatedDigest: md5.toString('base64') });
    }
    let checksum: BodyDigest['checksum'] = null;
    if (this.algorithm && this.checksum) {
      const computed = this.checksum.digest();
      let expected = this.expectedChecksum;
      if (this.checksumFromTrailer) {
        const name = checksumHeaderName(this.algorithm);
        expected = trailers[name] ?? null;
        if (expected === null) throw s3Error('InvalidRequest', `The trailing header ${name} was declared in x-amz-trailer but not sent.`);
        if (!isValidChecksumValue(this.algorithm, expected)) throw s3Error('InvalidRequest', `Value for ${name} trailing header is invalid.`);
      }
      if (expected !== null && expected !== computed) {
        throw s3Error('BadDigest', `The ${this.algorithm} you specified did not match the calculated checksum.`);
      }
      checksum = { algorithm: this.algorithm, value: computed, type: 'FULL_OBJECT' };
    }
    return {
      size: this.size,
      md5Hex: md5 ? md5.toString('hex') : '',
      md5Base64: md5 ? md5.toString('base64') : '',
      checksum,
    };
  }
}
