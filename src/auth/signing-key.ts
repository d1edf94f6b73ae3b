import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256(key, data). */
export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Lower-case hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex SHA-256 of the empty string (the payload hash of an empty body). */
export const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The SigV4 signing key: HMAC chain over date, region, service and "aws4_request". */
export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/**
 * Signing keys cached per (secret, date, region, service): a key is valid for a whole day, so the
 * four HMACs run once per credential per day. Bounded; the least recently used entry goes first.
 * Create one per server and pass it in AuthOptions.signingKeys.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly maxEntries = 1024) {}

  get(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    // The map key holds a digest of the secret, never the secret itself.
    const id = `${sha256Hex(secretAccessKey)}/${date}/${region}/${service}`;
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const key = deriveSigningKey(secretAccessKey, date, region, service);
    this.entries.set(id, key);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The signing key, from the cache when one is given. */
export function signingKeyFor(secretAccessKey: string, date: string, region: string, service: string, cache?: SigningKeyCache): Buffer {
  return cache ? cache.get(secretAccessKey, date, region, service) : deriveSigningKey(secretAccessKey, date, region, service);
}

/** Constant-time comparison of two hex signatures (different lengths never match). */
export function signaturesEqual(expectedHex: string, providedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  const provided = Buffer.from(providedHex.toLowerCase(), 'latin1');
  if (expected.length !== provided.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, provided);
}
