/**
 * KMS request parameters. Shape violations are ValidationException with AWS's "1 validation error
 * detected: Value … at 'field' failed to satisfy constraint: …" wording (field in camelCase).
 */
import type { EncryptionContext } from '../../kms/ciphertext.js';
import { constraint, validation } from '../../kms/errors.js';

type Input = Record<string, unknown>;

function field(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function optionalString(input: Input, name: string, min = 1, max = 2048): string | null {
  const value = input[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw validation(`Value for ${field(name)} must be a string.`);
  if (value.length < min) throw constraint(value, field(name), `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw constraint(value, field(name), `Member must have length less than or equal to ${max}`);
  return value;
}

export function requiredString(input: Input, name: string, min = 1, max = 2048): string {
  const value = optionalString(input, name, min, max);
  if (value === null) throw validation(`1 validation error detected: Value null at '${field(name)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function optionalInt(input: Input, name: string, min: number, max: number): number | null {
  const value = input[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validation(`Value for ${field(name)} must be an integer.`);
  if (value < min) throw constraint(String(value), field(name), `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(String(value), field(name), `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBool(input: Input, name: string): boolean {
  const value = input[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw validation(`Value for ${field(name)} must be a boolean.`);
  return value;
}

export function enumValue(input: Input, name: string, allowed: string[]): string | null {
  const value = optionalString(input, name, 0, 1024);
  if (value !== null && !allowed.includes(value)) throw constraint(value, field(name), `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return value;
}

/** Blob members arrive base64-encoded in JSON. */
export function requiredBlob(input: Input, name: string, min: number, max: number): Buffer {
  const value = input[name];
  if (value === undefined || value === null) throw validation(`1 validation error detected: Value null at '${field(name)}' failed to satisfy constraint: Member must not be null`);
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw validation(`Value for ${field(name)} is not valid base64.`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < min) throw constraint('java.nio.HeapByteBuffer', field(name), `Member must have length greater than or equal to ${min}`);
  if (bytes.length > max) throw constraint('java.nio.HeapByteBuffer', field(name), `Member must have length less than or equal to ${max}`);
  return bytes;
}

export function encryptionContext(input: Input, name: string): EncryptionContext {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw validation(`Value for ${field(name)} must be a map of strings.`);
  const out: EncryptionContext = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'string') throw validation(`Value for ${field(name)} must be a map of strings.`);
    out[key] = entry;
  }
  return out;
}

/** Limit + Marker paging (Marker is an opaque position token). */
export function pageOf<T>(input: Input, items: T[], defaultLimit: number, maxLimit: number): { items: T[]; nextMarker: string | null } {
  const limit = optionalInt(input, 'Limit', 1, maxLimit) ?? defaultLimit;
  const marker = optionalString(input, 'Marker', 1, 1024);
  let offset = 0;
  if (marker !== null) {
    const match = /^cbkms:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
    if (!match) throw validation('Invalid marker.');
    offset = Number(match[1]);
  }
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`cbkms:${offset + limit}`).toString('base64') : null;
  return { items: slice, nextMarker: next };
}

export function listResult(name: string, items: unknown[], nextMarker: string | null): Record<string, unknown> {
  return nextMarker ? { [name]: items, NextMarker: nextMarker, Truncated: true } : { [name]: items, Truncated: false };
}
