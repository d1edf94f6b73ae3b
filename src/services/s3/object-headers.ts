import { limits } from '../../limits.js';
import { s3Error } from '../../protocol/errors.js';

/** Standard headers S3 stores with an object and returns on GET/HEAD. */
export const storedHeaderNames = ['content-type', 'content-encoding', 'content-language', 'content-disposition', 'cache-control', 'expires', 'x-amz-website-redirect-location'] as const;

export interface ObjectHeaders {
  headers: Record<string, string>;
  userMetadata: Record<string, string>;
}

/** Extract stored headers and x-amz-meta-* user metadata from a request (MetadataTooLarge over 2 KiB). */
export function extractObjectHeaders(requestHeaders: Record<string, string | string[] | undefined>): ObjectHeaders {
  const headers: Record<string, string> = {};
  const userMetadata: Record<string, string> = {};
  for (const name of storedHeaderNames) {
    const value = requestHeaders[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(requestHeaders)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    const text = Array.isArray(value) ? value.join(',') : value;
    userMetadata[key] = text;
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (metadataBytes > limits.userMetadataMaxBytes) {
    throw s3Error('MetadataTooLarge', undefined, { Size: String(metadataBytes), MaxSizeAllowed: String(limits.userMetadataMaxBytes) });
  }
  return { headers, userMetadata };
}

/** Response headers for stored headers + metadata. */
export function objectResponseHeaders(stored: ObjectHeaders): Record<string, string> {
  const out: Record<string, string> = { ...stored.headers };
  for (const [key, value] of Object.entries(stored.userMetadata)) out[`x-amz-meta-${key}`] = value;
  return out;
}

/** Validate a key: at most 1024 bytes of UTF-8 (KeyTooLongError). */
export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > limits.objectKeyMaxBytes) {
    throw s3Error('KeyTooLongError', undefined, { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(limits.objectKeyMaxBytes) });
  }
}

const storageClasses = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE'];

/** x-amz-storage-class of a write (STANDARD when absent); InvalidStorageClass for an unknown class. */
export function storageClassOf(requestHeaders: Record<string, string | string[] | undefined>): string {
  const value = requestHeaders['x-amz-storage-class'];
  if (value === undefined) return 'STANDARD';
  const text = String(value);
  if (!storageClasses.includes(text)) throw s3Error('InvalidStorageClass', 'The storage class you specified is not valid', { StorageClassRequested: text });
  return text;
}
