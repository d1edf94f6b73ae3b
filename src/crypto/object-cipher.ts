/**
 * Object data at rest: AES-256-GCM in independently authenticated chunks, so a Range read decrypts
 * only the chunks it touches and every byte handed out has been authenticated first.
 *
 * Layout of an encrypted object (plaintext length n, chunk size C = 64 KiB):
 *   chunk 0 .. chunk k-1, k = max(1, ceil(n / C)); each chunk = ciphertext (C bytes, the last one
 *   n - (k-1)·C bytes, possibly 0 for the empty object) followed by its 16-byte GCM tag.
 *
 * Nonce of chunk i: the 8-byte random per-object prefix (`newObjectNonce()`, stored with the object)
 * followed by i as a 32-bit big-endian integer. AAD of chunk i: format version, i (64-bit BE) and a
 * final-chunk flag, so reordered, dropped, duplicated or truncated chunks all fail authentication.
 * The empty object is one final chunk of zero bytes (just a tag), so even it cannot be forged.
 *
 * Plaintext is only pushed downstream after its chunk's tag verified; a flipped byte raises
 * ObjectCipherError and never yields wrong data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const objectChunkBytes = 64 * 1024;
export const objectTagBytes = 16;
export const objectNonceBytes = 8;
export const objectDataKeyBytes = 32;
const formatVersion = 1;
const maxChunks = 2 ** 32;

export class ObjectCipherError extends Error {
  override readonly name = 'ObjectCipherError';
}

/** A fresh random per-object nonce prefix (store it beside the wrapped data key). */
export function newObjectNonce(): Buffer {
  return randomBytes(objectNonceBytes);
}

/** Number of chunks an object of `plainLength` bytes is stored in (at least one). */
export function chunkCount(plainLength: number): number {
  return plainLength === 0 ? 1 : Math.ceil(plainLength / objectChunkBytes);
}

/** Size on disk of an encrypted object of `plainLength` bytes. */
export function ciphertextLength(plainLength: number): number {
  assertLength(plainLength);
  return plainLength + chunkCount(plainLength) * objectTagBytes;
}

export interface CiphertextRange {
  /** First chunk to read (pass to createDecryptStream). */
  startChunk: number;
  /** Chunk after the last one to read. */
  endChunk: number;
  /** Byte offsets of those chunks in the stored ciphertext (end inclusive, for BlobStore.read). */
  cipherStart: number;
  cipherEnd: number;
  /** Plaintext bytes to drop from the start of the decrypted chunks. */
  skip: number;
  /** Plaintext bytes to emit after skipping (plainEnd - plainStart + 1). */
  take: number;
}

/**
 * Map the plaintext byte range [plainStart, plainEnd] (inclusive, already clamped to the object by
 * the caller) of an object of `plainLength` bytes to the chunks to read and the bytes to trim.
 */
export function ciphertextRange(plainStart: number, plainEnd: number, plainLength: number): CiphertextRange {
  assertLength(plainLength);
  if (!Number.isSafeInteger(plainStart) || !Number.isSafeInteger(plainEnd) || plainStart < 0 || plainEnd < plainStart || plainEnd >= plainLength) {
    throw new RangeError(`invalid plaintext range ${plainStart}-${plainEnd} of ${plainLength}`);
  }
  const startChunk = Math.floor(plainStart / objectChunkBytes);
  const endChunk = Math.floor(plainEnd / objectChunkBytes) + 1;
  const stride = objectChunkBytes + objectTagBytes;
  const lastChunkEnd = Math.min(endChunk * objectChunkBytes, plainLength);
  return {
    startChunk,
    endChunk,
    cipherStart: startChunk * stride,
    cipherEnd: lastChunkEnd + endChunk * objectTagBytes - 1,
    skip: plainStart - startChunk * objectChunkBytes,
    take: plainEnd - plainStart + 1,
  };
}

function assertLength(plainLength: number): void {
  if (!Number.isSafeInteger(plainLength) || plainLength < 0 || chunkCount(plainLength) > maxChunks) throw new RangeError(`invalid object length ${plainLength}`);
}

function assertKey(dataKey: Buffer, objectNonce: Buffer): void {
  if (dataKey.length !== objectDataKeyBytes) throw new ObjectCipherError(`data key must be ${objectDataKeyBytes} bytes`);
  if (objectNonce.length !== objectNonceBytes) throw new ObjectCipherError(`object nonce must be ${objectNonceBytes} bytes`);
}

function chunkNonce(objectNonce: Buffer, index: number): Buffer {
  const nonce = Buffer.allocUnsafe(12);
  objectNonce.copy(nonce, 0);
  nonce.writeUInt32BE(index, objectNonceBytes);
  return nonce;
}

function chunkAad(index: number, final: boolean): Buffer {
  const aad = Buffer.allocUnsafe(10);
  aad[0] = formatVersion;
  aad.writeBigUInt64BE(BigInt(index), 1);
  aad[9] = final ? 1 : 0;
  return aad;
}

/** Encrypt one chunk: [ciphertext, tag]. */
function sealChunk(dataKey: Buffer, objectNonce: Buffer, index: number, final: boolean, plain: Buffer): [Buffer, Buffer] {
  const cipher = createCipheriv('aes-256-gcm', dataKey, chunkNonce(objectNonce, index), { authTagLength: objectTagBytes });
  cipher.setAAD(chunkAad(index, final));
  const body = cipher.update(plain);
  cipher.final();
  return [body, cipher.getAuthTag()];
}

/** Decrypt and verify one stored chunk (ciphertext followed by its tag). */
function openChunk(dataKey: Buffer, objectNonce: Buffer, index: number, final: boolean, stored: Buffer): Buffer {
  if (stored.length < objectTagBytes) throw new ObjectCipherError('encrypted object data is truncated');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, chunkNonce(objectNonce, index), { authTagLength: objectTagBytes });
  decipher.setAAD(chunkAad(index, final));
  decipher.setAuthTag(stored.subarray(stored.length - objectTagBytes));
  const plain = decipher.update(stored.subarray(0, stored.length - objectTagBytes));
  try {
    decipher.final();
  } catch {
    throw new ObjectCipherError(`object data failed authentication at chunk ${index} (corrupted or tampered data, or wrong key)`);
  }
  return plain;
}

/** Encrypts a plaintext stream into the chunked format. */
class EncryptStream extends Transform {
  private readonly staging = Buffer.allocUnsafe(objectChunkBytes);
  private fill = 0;
  private index = 0;

  constructor(private readonly dataKey: Buffer, private readonly objectNonce: Buffer) {
    super();
  }

  private seal(plain: Buffer, final: boolean): void {
    if (this.index >= maxChunks) throw new ObjectCipherError('object too large for the chunked cipher');
    const [body, tag] = sealChunk(this.dataKey, this.objectNonce, this.index, final, plain);
    if (body.length > 0) this.push(body);
    this.push(tag);
    this.index += 1;
  }

  override _transform(input: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < input.length) {
        // A full staged chunk is sealed only once more data proves it is not the final one.
        if (this.fill === objectChunkBytes) {
          this.seal(this.staging, false);
          this.fill = 0;
        }
        // Fast path: whole chunks straight from the input when more input follows them.
        if (this.fill === 0 && input.length - offset > objectChunkBytes) {
          this.seal(input.subarray(offset, offset + objectChunkBytes), false);
          offset += objectChunkBytes;
          continue;
        }
        const n = Math.min(objectChunkBytes - this.fill, input.length - offset);
        input.copy(this.staging, this.fill, offset, offset + n);
        this.fill += n;
        offset += n;
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.seal(this.staging.subarray(0, this.fill), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

export interface DecryptOptions {
  /** Plaintext length of the whole object (decides which chunk is the final one). */
  plainLength: number;
  /** First chunk present in the input (default 0). */
  startChunk?: number;
  /** Chunk after the last one the input must contain (default: every chunk to the end). */
  endChunk?: number;
  /** Plaintext bytes to drop from the start of the output (default 0). */
  skip?: number;
  /** Plaintext bytes to emit after skipping (default: everything). */
  take?: number;
}

/** Decrypts the chunks [startChunk, endChunk) of the chunked format, verifying each before output. */
class DecryptStream extends Transform {
  private readonly staging = Buffer.allocUnsafe(objectChunkBytes + objectTagBytes);
  private fill = 0;
  private index: number;
  private readonly endChunk: number;
  private readonly total: number;
  private skip: number;
  private remaining: number;

  constructor(private readonly dataKey: Buffer, private readonly objectNonce: Buffer, private readonly options: DecryptOptions) {
    super();
    assertLength(options.plainLength);
    this.total = chunkCount(options.plainLength);
    this.index = options.startChunk ?? 0;
    this.endChunk = options.endChunk ?? this.total;
    if (!Number.isInteger(this.index) || this.index < 0 || this.endChunk > this.total || this.endChunk <= this.index) {
      throw new RangeError(`invalid chunk range ${this.index}-${this.endChunk} of ${this.total}`);
    }
    this.skip = options.skip ?? 0;
    this.remaining = options.take ?? Number.MAX_SAFE_INTEGER;
  }

  /** Stored size of the chunk being read (the final chunk is shorter). */
  private expectedSize(): number {
    if (this.index === this.total - 1) return this.options.plainLength - this.index * objectChunkBytes + objectTagBytes;
    return objectChunkBytes + objectTagBytes;
  }

  private open(stored: Buffer): void {
    const plain = openChunk(this.dataKey, this.objectNonce, this.index, this.index === this.total - 1, stored);
    this.index += 1;
    let out = plain;
    if (this.skip > 0) {
      const drop = Math.min(this.skip, out.length);
      out = out.subarray(drop);
      this.skip -= drop;
    }
    if (out.length > this.remaining) out = out.subarray(0, this.remaining);
    this.remaining -= out.length;
    if (out.length > 0) this.push(out);
  }

  override _transform(input: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < input.length) {
        if (this.index >= this.endChunk) throw new ObjectCipherError('encrypted object data is longer than expected');
        const size = this.expectedSize();
        if (this.fill === 0 && input.length - offset >= size) {
          this.open(input.subarray(offset, offset + size));
          offset += size;
          continue;
        }
        const n = Math.min(size - this.fill, input.length - offset);
        input.copy(this.staging, this.fill, offset, offset + n);
        this.fill += n;
        offset += n;
        if (this.fill === size) {
          this.fill = 0;
          this.open(this.staging.subarray(0, size));
        }
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.fill !== 0 || this.index < this.endChunk) {
      callback(new ObjectCipherError('encrypted object data is truncated'));
      return;
    }
    callback();
  }
}

/** Plaintext in, stored chunked ciphertext out (ciphertextLength(n) bytes for n bytes in). */
export function createEncryptStream(dataKey: Buffer, objectNonce: Buffer): Transform {
  assertKey(dataKey, objectNonce);
  return new EncryptStream(dataKey, objectNonce);
}

/**
 * Stored ciphertext in (from chunk `startChunk` on), verified plaintext out. For a Range read, pass
 * `{ plainLength, ...ciphertextRange(start, end, plainLength) }` and read bytes cipherStart..cipherEnd.
 */
export function createDecryptStream(dataKey: Buffer, objectNonce: Buffer, options: DecryptOptions): Transform {
  assertKey(dataKey, objectNonce);
  return new DecryptStream(dataKey, objectNonce, options);
}

/** Whole-buffer helpers for small (inline) objects. */
export function encryptBuffer(dataKey: Buffer, objectNonce: Buffer, plain: Buffer): Buffer {
  assertKey(dataKey, objectNonce);
  const out: Buffer[] = [];
  const count = chunkCount(plain.length);
  for (let i = 0; i < count; i++) {
    out.push(...sealChunk(dataKey, objectNonce, i, i === count - 1, plain.subarray(i * objectChunkBytes, (i + 1) * objectChunkBytes)));
  }
  return Buffer.concat(out);
}

export function decryptBuffer(dataKey: Buffer, objectNonce: Buffer, stored: Buffer, plainLength: number): Buffer {
  assertKey(dataKey, objectNonce);
  if (stored.length !== ciphertextLength(plainLength)) throw new ObjectCipherError('encrypted object data has the wrong length');
  const count = chunkCount(plainLength);
  const stride = objectChunkBytes + objectTagBytes;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(openChunk(dataKey, objectNonce, i, i === count - 1, stored.subarray(i * stride, (i + 1) * stride)));
  return Buffer.concat(out);
}
