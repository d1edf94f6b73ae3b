import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { s3Error } from '../protocol/errors.js';
import { credentialScope } from './canonical.js';
import { AwsChunkedDecoder } from './chunked.js';
import { headerValue } from './parse.js';
import { signingKeyFor } from './signing-key.js';
import type { AuthInput, AuthOptions, ParsedAuth, PayloadMode } from './types.js';
import { checkSignature } from './verify.js';

/** A body stream that verifies as it decodes; `trailers` is set once it has ended. */
export interface PayloadVerifier extends Transform {
  /** Trailing headers of an aws-chunked body (e.g. x-amz-checksum-crc32), {} for other bodies; set at end. */
  trailers: Record<string, string> | undefined;
  /** Decoded payload bytes so far. */
  decodedBytes: number;
}

export interface PayloadOptions extends AuthOptions {
  /** S3's minimum size of every signed aws-chunked chunk but the last (default 8192; 0 disables). */
  minChunkBytes?: number;
}

/** Passes bytes through, optionally hashing them, and runs a check at the end. */
class HashingPassThrough extends Transform implements PayloadVerifier {
  trailers: Record<string, string> | undefined;
  decodedBytes = 0;
  private readonly hash: Hash | null;

  constructor(hashing: boolean, private readonly atEnd: (sha256Hex: string | null) => void) {
    super();
    this.hash = hashing ? createHash('sha256') : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash?.update(chunk);
    this.decodedBytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.atEnd(this.hash ? this.hash.digest('hex') : null);
      this.trailers = {};
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

function streamingModeOf(req: AuthInput): PayloadMode | null {
  // Anonymous requests may still send an aws-chunked body with a trailing checksum.
  // With no key there is nothing to verify chunk signatures against: decode the framing only.
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  if (declared?.startsWith('STREAMING-')) return 'streaming-unsigned-trailer';
  if (declared !== undefined && /^[0-9a-fA-F]{64}$/.test(declared)) return 'signed';
  return null;
}

function decodedLengthOf(req: AuthInput): number | null {
  const text = headerValue(req.headers, 'x-amz-decoded-content-length');
  if (text === undefined) return null;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw s3Error('InvalidArgument', 'x-amz-decoded-content-length must be a non-negative integer', {
      ArgumentName: 'x-amz-decoded-content-length',
      ArgumentValue: text,
    });
  }
  return value;
}

/**
 * Wrap a request body in a Transform that outputs the payload bytes and verifies them as they
 * stream, by payload mode:
 * - signed: SHA-256 of the body must equal x-amz-content-sha256 (XAmzContentSHA256Mismatch at end)
 * - unsigned: passed through
 * - streaming-*: aws-chunked decoded; every chunk signature (and the trailer signature) verified
 *   in the chain from the request signature; x-amz-decoded-content-length checked (IncompleteBody)
 * - body-hash (non-S3 without x-amz-content-sha256): the request signature is checked at the end
 *   with the body's SHA-256
 * Call after verifySignature. Errors are emitted on the stream as S3Error/ServiceError.
 */
export function createPayloadVerifier(parsed: ParsedAuth, req: AuthInput, secretAccessKey: string, opts: PayloadOptions = {}): PayloadVerifier {
  const mode = parsed.kind === 'anonymous' ? streamingModeOf(req) : parsed.payloadMode;
  if (mode === null || mode === 'unsigned') return new HashingPassThrough(false, () => undefined);
  if (mode === 'signed') {
    const declared = (parsed.kind === 'anonymous' ? headerValue(req.headers, 'x-amz-content-sha256')! : parsed.payloadHash).toLowerCase();
    return new HashingPassThrough(true, (computed) => {
      if (computed !== declared) {
        throw s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed! });
      }
    });
  }
  if (mode === 'body-hash') {
    if (parsed.kind === 'anonymous') return new HashingPassThrough(false, () => undefined);
    return new HashingPassThrough(true, (computed) => checkSignature(parsed, req, secretAccessKey, computed!, opts));
  }
  const signed = mode === 'streaming-signed' || mode === 'streaming-signed-trailer';
  const signing =
    signed && parsed.kind !== 'anonymous'
      ? {
          signingKey: signingKeyFor(secretAccessKey, parsed.date, parsed.region, parsed.service, opts.signingKeys),
          amzDate: parsed.amzDate,
          scope: credentialScope(parsed),
          seedSignature: parsed.signature,
          accessKeyId: parsed.accessKeyId,
          service: opts.service ?? parsed.service,
        }
      : null;
  const decoder = new AwsChunkedDecoder({
    signing,
    trailer: mode !== 'streaming-signed',
    decodedLength: decodedLengthOf(req),
    minChunkBytes: opts.minChunkBytes ?? 8192,
  });
  return decoder;
}
