/**
 * Generators for AWS-shaped identifiers. Randomness is injected (tests pass a deterministic source).
 *
 * Shapes (IAM User Guide, "IAM identifiers" → "Unique identifiers" prefixes table):
 *   account ID            12 digits (we never generate a leading 0)
 *   canonical user ID     64 lowercase hex characters (S3 "Find the canonical user ID")
 *   access key ID         AKIA + 16 chars of [A-Z2-7] (long-term: root and IAM user keys)
 *   temporary key ID      ASIA + 16 chars of [A-Z2-7] (STS session credentials)
 *   secret access key     40 characters of [A-Za-z0-9+/]
 *   user unique ID        AIDA + 17 chars of [A-Z2-7] (21 characters)
 *   role unique ID        AROA + 17 chars of [A-Z2-7] (21 characters)
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

export type RandomSource = (size: number) => Buffer;

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `count` characters of [A-Z2-7]; 256 is a multiple of 32, so `byte & 31` is uniform. */
export function randomBase32(random: RandomSource, count: number): string {
  const bytes = random(count);
  let out = '';
  for (let index = 0; index < count; index += 1) out += base32Alphabet[bytes[index]! & 31];
  return out;
}

/** `count` uniform decimal digits (rejection sampling: bytes ≥ 250 are redrawn). */
function randomDigits(random: RandomSource, count: number, firstNonZero: boolean): string {
  let out = '';
  while (out.length < count) {
    for (const byte of random(count * 2)) {
      if (byte >= 250) continue;
      const digit = byte % 10;
      if (out.length === 0 && firstNonZero && digit === 0) continue;
      out += String(digit);
      if (out.length === count) break;
    }
  }
  return out;
}

export interface IdGenerator {
  accountId(): string;
  canonicalUserId(): string;
  /** Long-term access key ID (root or IAM user): AKIA…. */
  accessKeyId(): string;
  /** Temporary (STS) access key ID: ASIA…. */
  temporaryAccessKeyId(): string;
  secretAccessKey(): string;
  userUniqueId(): string;
  roleUniqueId(): string;
}

export function createIdGenerator(random: RandomSource = nodeRandomBytes): IdGenerator {
  return {
    accountId: () => randomDigits(random, 12, true),
    canonicalUserId: () => random(32).toString('hex'),
    accessKeyId: () => `AKIA${randomBase32(random, 16)}`,
    temporaryAccessKeyId: () => `ASIA${randomBase32(random, 16)}`,
    // 30 random bytes are exactly 40 base64 characters, without padding.
    secretAccessKey: () => random(30).toString('base64'),
    userUniqueId: () => `AIDA${randomBase32(random, 17)}`,
    roleUniqueId: () => `AROA${randomBase32(random, 17)}`,
  };
}

export const accountIdPattern = /^\d{12}$/;
export const canonicalUserIdPattern = /^[0-9a-f]{64}$/;
