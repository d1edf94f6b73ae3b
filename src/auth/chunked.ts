import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { s3Error, type ServiceError } from '../protocol/errors.js';
import { spacedHex } from './encoding.js';
import { signatureMismatch } from './errors.js';
import { emptySha256, hmac, sha256Hex, signaturesEqual } from './signing-key.js';

/** What a signed aws-chunked stream chains from (absent for STREAMING-UNSIGNED-PAYLOAD-TRAILER). */
export interface ChunkSigning {
  signingKey: Buffer;
  amzDate: string;
  /** "date/region/service/aws4_request" */
  scope: string;
  /** The request's own signature: the first chunk's "previous signature". */
  seedSignature: string;
  accessKeyId: string;
  service: string;
}

export interface ChunkedDecoderOptions {
  /** null for unsigned chunks (chunk extensions are then ignored). */
  signing: ChunkSigning | null;
  /** Whether a trailer section (x-amz-checksum-*) is expected; signed trailers need signing. */
  trailer: boolean;
  /** x-amz-decoded-content-length, checked at the end (null: not checked). */
  decodedLength: number | null;
  /** S3: every signed chunk but the last must hold at least 8 KiB. 0 disables the check. */
  minChunkBytes?: number;
}

const maxLineBytes = 4096;
const enum State {
  SizeLine,
  Data,
  DataCr,
  DataLf,
  TrailerLine,
  Done,
}

/**
 * Streaming decoder for Content-Encoding: aws-chunked bodies: `hex-size[;chunk-signature=sig]\r\n
 * data\r\n ... 0[;chunk-signature=sig]\r\n [trailer-name:value\r\n ...] [x-amz-trailer-signature:sig\r\n] \r\n`.
 * Emits the decoded payload bytes (zero-copy slices), verifies every chunk signature in the chain
 * and the trailer signature, and exposes the trailers once the stream has ended. Errors (as S3
 * returns them) are emitted on the stream. Never buffers more than one header line.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailing headers (lower-case names, without x-amz-trailer-signature); set when the stream ends. */
  trailers: Record<string, string> | undefined;
  /** Decoded payload bytes so far. */
  decodedBytes = 0;

  private state = State.SizeLine;
  private line: Buffer[] = [];
  private lineBytes = 0;
  private remaining = 0;
  private chunkHash: Hash | null = null;
  private chunkSignature = '';
  private chunkSize = 0;
  private chunkCount = 0;
  private previousSmallChunk = -1;
  private previousSignature: string;
  private readonly pendingTrailers: Array<[string, string]> = [];
  private trailerSignature: string | null = null;

  constructor(private readonly options: ChunkedDecoderOptions) {
    super();
    this.previousSignature = options.signing?.seedSignature ?? '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private consume(buf: Buffer): void {
    let i = 0;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case State.Data: {
          const take = Math.min(this.remaining, n - i);
          const slice = buf.subarray(i, i + take);
          this.chunkHash?.update(slice);
          this.decodedBytes += take;
          this.push(slice);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) {
            this.endChunk();
            this.state = State.DataCr;
          }
          break;
        }
        case State.DataCr:
          if (buf[i++] !== 13) throw this.malformed();
          this.state = State.DataLf;
          break;
        case State.DataLf:
          if (buf[i++] !== 10) throw this.malformed();
          this.state = State.SizeLine;
          break;
        case State.SizeLine:
        case State.TrailerLine: {
          const newline = buf.indexOf(10, i);
          const end = newline < 0 ? n : newline;
          this.lineBytes += end - i;
          if (this.lineBytes > maxLineBytes) throw this.malformed();
          if (end > i) this.line.push(buf.subarray(i, end));
          i = newline < 0 ? n : newline + 1;
          if (newline >= 0) {
            let text = (this.line.length === 1 ? this.line[0]! : Buffer.concat(this.line)).toString('latin1');
            this.line = [];
            this.lineBytes = 0;
            if (text.endsWith('\r')) text = text.slice(0, -1);
            if (this.state === State.SizeLine) this.sizeLine(text);
            else this.trailerLine(text);
          }
          break;
        }
        case State.Done:
          // Tolerate stray line breaks after the final empty line; anything else is not aws-chunked.
          if (buf[i] !== 13 && buf[i] !== 10) throw this.malformed();
          i++;
          break;
      }
    }
  }

  private sizeLine(text: string): void {
    const semicolon = text.indexOf(';');
    const sizeText = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw this.malformed();
    const size = parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size)) throw this.malformed();
    if (this.options.signing) {
      const extension = semicolon < 0 ? '' : text.slice(semicolon + 1).trim();
      if (!extension.startsWith('chunk-signature=')) throw this.chunkSignatureMissing();
      this.chunkSignature = extension.slice('chunk-signature='.length).trim().toLowerCase();
      this.chunkHash = createHash('sha256');
      const minimum = this.options.minChunkBytes ?? 8192;
      if (minimum > 0 && size > 0 && this.previousSmallChunk >= 0) {
        throw s3Error('InvalidChunkSizeError', `Only the last chunk is allowed to have a size less than ${minimum} bytes`, {
          Chunk: String(this.previousSmallChunk + 1),
          BadChunkSize: String(this.chunkSize),
        });
      }
      if (size > 0 && size < minimum) this.previousSmallChunk = this.chunkCount;
    }
    if (this.options.decodedLength !== null && this.decodedBytes + size > this.options.decodedLength) {
      throw s3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    }
    this.chunkSize = size;
    this.chunkCount++;
    if (size === 0) {
      this.endChunk();
      this.state = State.TrailerLine;
    } else {
      this.remaining = size;
      this.state = State.Data;
    }
  }

  /** Verify the signature of the chunk just read (signed modes) and advance the chain. */
  private endChunk(): void {
    const signing = this.options.signing;
    if (!signing) return;
    const dataHash = this.chunkHash ? this.chunkHash.digest('hex') : emptySha256;
    this.chunkHash = null;
    const stringToSign = `AWS4-HMAC-SHA256-PAYLOAD\n${signing.amzDate}\n${signing.scope}\n${this.previousSignature}\n${emptySha256}\n${dataHash}`;
    const expected = hmac(signing.signingKey, stringToSign).toString('hex');
    if (!signaturesEqual(expected, this.chunkSignature)) throw this.mismatch(stringToSign, this.chunkSignature);
    this.previousSignature = expected;
  }

  private trailerLine(text: string): void {
    if (text === '') {
      this.state = State.Done;
      return;
    }
    const colon = text.indexOf(':');
    // Trailers only where the payload mode announces them (they are signed only in *-TRAILER modes).
    if (colon <= 0 || (this.options.signing && !this.options.trailer)) throw this.malformed();
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value.toLowerCase();
    else this.pendingTrailers.push([name, value]);
  }

  private finish(): void {
    // The final empty line may be missing; a partial line or unfinished chunk is an incomplete body.
    const complete = this.state === State.Done || (this.state === State.TrailerLine && this.lineBytes === 0);
    if (!complete) throw s3Error('IncompleteBody', 'The request body terminated unexpectedly');
    if (this.options.decodedLength !== null && this.decodedBytes !== this.options.decodedLength) {
      throw s3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    }
    const signing = this.options.signing;
    if (signing && this.options.trailer) {
      if (this.trailerSignature === null) {
        if (this.pendingTrailers.length > 0) throw this.mismatch('', '');
      } else {
        const canonical = [...this.pendingTrailers]
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .map(([name, value]) => `${name}:${value}\n`)
          .join('');
        const stringToSign = `AWS4-HMAC-SHA256-TRAILER\n${signing.amzDate}\n${signing.scope}\n${this.previousSignature}\n${sha256Hex(canonical)}`;
        const expected = hmac(signing.signingKey, stringToSign).toString('hex');
        if (!signaturesEqual(expected, this.trailerSignature)) throw this.mismatch(stringToSign, this.trailerSignature);
      }
    }
    this.trailers = Object.fromEntries(this.pendingTrailers);
  }

  private malformed(): ServiceError {
    return s3Error('IncompleteBody', 'The request body could not be decoded as aws-chunked: malformed chunk framing.');
  }

  private chunkSignatureMissing(): ServiceError {
    return this.mismatch('', '');
  }

  private mismatch(stringToSign: string, provided: string): ServiceError {
    const signing = this.options.signing!;
    return signatureMismatch(signing.service, {
      AWSAccessKeyId: signing.accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: provided,
      StringToSignBytes: spacedHex(stringToSign),
    });
  }
}
