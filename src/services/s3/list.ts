import type { S3Call, S3Handler } from './call.js';
import type { ObjectSummary } from '../../store/types.js';
import { s3Error } from '../../protocol/errors.js';
import { isoTime, toXml } from '../../protocol/xml.js';
import { limits } from '../../limits.js';
import { ownerCache } from './owner.js';

/** One listed entry: an object or a rolled-up common prefix. */
type Entry = { kind: 'object'; summary: ObjectSummary } | { kind: 'prefix'; prefix: string };

interface PageRequest {
  bucket: string;
  prefix: string;
  delimiter: string;
  /** Return entries after this key or common prefix ('' = from the start). */
  after: string;
  maxKeys: number;
}

interface Page {
  entries: Entry[];
  isTruncated: boolean;
  /** The last entry returned (key or common prefix) — where the next page starts. */
  last: string | null;
}

/**
 * The listing core shared by ListObjects, ListObjectsV2 and ListObjectVersions: keys after a
 * marker, keys sharing prefix+…+delimiter rolled up into one CommonPrefixes entry, each
 * counting once against max-keys. A marker that names a common prefix skips its whole group,
 * as S3 does when a client continues from NextMarker.
 */
async function listPage(call: S3Call, request: PageRequest): Promise<Page> {
  const entries: Entry[] = [];
  if (request.maxKeys === 0) return { entries, isTruncated: false, last: null };
  let cursor = request.after;
  let lastPrefix: string | null = request.delimiter !== '' && request.after.endsWith(request.delimiter) ? request.after : null;
  // One row more than a page, so a full page learns it is truncated without a second query.
  const batch = Math.min(limits.listMaxKeys, request.maxKeys) + 1;
  for (;;) {
    const found = await call.app.store.listObjects({ bucket: request.bucket, prefix: request.prefix, afterKey: cursor, limit: batch });
    for (const summary of found) {
      cursor = summary.key;
      const rolled = rollUp(summary.key, request.prefix, request.delimiter);
      if (rolled !== null && rolled === lastPrefix) continue;
      if (entries.length === request.maxKeys) return { entries, isTruncated: true, last: entryName(entries[entries.length - 1]!) };
      if (rolled !== null) {
        lastPrefix = rolled;
        entries.push({ kind: 'prefix', prefix: rolled });
        // Jump past every key in this group (keys > prefix + U+10FFFF are rare; the lastPrefix check covers them).
        cursor = rolled + '\u{10FFFF}';
        break;
      }
      entries.push({ kind: 'object', summary });
    }
    if (found.length === 0) return { entries, isTruncated: false, last: entries.length ? entryName(entries[entries.length - 1]!) : null };
  }
}

function rollUp(key: string, prefix: string, delimiter: string): string | null {
  if (delimiter === '') return null;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? null : key.slice(0, at + delimiter.length);
}

function entryName(entry: Entry): string {
  return entry.kind === 'object' ? entry.summary.key : entry.prefix;
}

/** max-keys: a non-negative 32-bit integer, capped at 1000 (S3 ListObjectsV2 docs). */
function parseMaxKeys(call: S3Call): { requested: number; effective: number } {
  const text = call.info.query.get('max-keys');
  if (text === undefined || text === '') return { requested: limits.listMaxKeys, effective: limits.listMaxKeys };
  if (!/^-?\d+$/.test(text) || Math.abs(Number(text)) > 2147483647) {
    throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: text });
  }
  const value = Number(text);
  if (value < 0) throw s3Error('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', { ArgumentName: 'maxKeys', ArgumentValue: text });
  return { requested: value, effective: Math.min(value, limits.listMaxKeys) };
}

/** encoding-type=url: S3 encodes names like application/x-www-form-urlencoded, keeping '/'. */
export function encoder(call: S3Call): { encodingType: string | null; encode: (value: string) => string } {
  const type = call.info.query.get('encoding-type');
  if (type === undefined) return { encodingType: null, encode: (value) => value };
  if (type !== 'url') throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: type });
  return {
    encodingType: 'url',
    encode: (value) => encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  };
}

function common(call: S3Call) {
  const prefix = call.info.query.get('prefix') ?? '';
  const delimiter = call.info.query.get('delimiter') ?? '';
  return { prefix, delimiter, maxKeys: parseMaxKeys(call), ...encoder(call) };
}

async function contents(call: S3Call, entries: Entry[], encode: (value: string) => string, withOwner: boolean) {
  const owner = ownerCache(call.app);
  const objects = entries.filter((entry): entry is Extract<Entry, { kind: 'object' }> => entry.kind === 'object');
  return Promise.all(
    objects.map(async ({ summary }) => {
      const item: Record<string, unknown> = { Key: encode(summary.key), LastModified: isoTime(summary.lastModifiedMs), ETag: summary.etag };
      if (summary.checksumAlgorithm) {
        item.ChecksumAlgorithm = summary.checksumAlgorithm;
        if (summary.checksumType) item.ChecksumType = summary.checksumType;
      }
      item.Size = summary.sizeBytes;
      if (withOwner) item.Owner = await owner(summary.ownerAccountId);
      item.StorageClass = summary.storageClass;
      return item;
    }),
  );
}

function commonPrefixes(entries: Entry[], encode: (value: string) => string) {
  return entries.filter((entry) => entry.kind === 'prefix').map((entry) => ({ Prefix: encode((entry as { prefix: string }).prefix) }));
}

export const listObjectsV2: S3Handler = async (call) => {
  const { prefix, delimiter, maxKeys, encodingType, encode } = common(call);
  const token = call.info.query.get('continuation-token');
  const startAfter = call.info.query.get('start-after') ?? '';
  let after = startAfter;
  if (token !== undefined) after = decodeToken(token);
  const page = await listPage(call, { bucket: call.bucketName!, prefix, delimiter, after, maxKeys: maxKeys.effective });
  const body: Record<string, unknown> = { Name: call.bucketName, Prefix: encode(prefix) };
  if (startAfter !== '') body.StartAfter = encode(startAfter);
  if (token !== undefined) body.ContinuationToken = token;
  body.KeyCount = page.entries.length;
  body.MaxKeys = maxKeys.requested;
  if (delimiter !== '') body.Delimiter = encode(delimiter);
  if (encodingType) body.EncodingType = encodingType;
  body.IsTruncated = page.isTruncated;
  if (page.isTruncated) body.NextContinuationToken = encodeToken(page.last!);
  const listed = await contents(call, page.entries, encode, call.info.query.get('fetch-owner') === 'true');
  if (listed.length) body.Contents = listed;
  const prefixes = commonPrefixes(page.entries, encode);
  if (prefixes.length) body.CommonPrefixes = prefixes;
  return { body: toXml('ListBucketResult', body) };
};

export const listObjects: S3Handler = async (call) => {
  const { prefix, delimiter, maxKeys, encodingType, encode } = common(call);
  const marker = call.info.query.get('marker') ?? '';
  const page = await listPage(call, { bucket: call.bucketName!, prefix, delimiter, after: marker, maxKeys: maxKeys.effective });
  const body: Record<string, unknown> = { Name: call.bucketName, Prefix: encode(prefix), Marker: encode(marker), MaxKeys: maxKeys.requested };
  if (delimiter !== '') body.Delimiter = encode(delimiter);
  if (encodingType) body.EncodingType = encodingType;
  body.IsTruncated = page.isTruncated;
  // S3 ListObjects docs: NextMarker only when a delimiter was given; otherwise use the last Key.
  if (page.isTruncated && delimiter !== '') body.NextMarker = encode(page.last!);
  const listed = await contents(call, page.entries, encode, true);
  if (listed.length) body.Contents = listed;
  const prefixes = commonPrefixes(page.entries, encode);
  if (prefixes.length) body.CommonPrefixes = prefixes;
  return { body: toXml('ListBucketResult', body) };
};

/**
 * ListObjectVersions on an unversioned bucket: every object is its only version, VersionId "null".
 * AWS-DIFF: versioning is not implemented (buckets are always unversioned), so no delete markers.
 */
export const listObjectVersions: S3Handler = async (call) => {
  const { prefix, delimiter, maxKeys, encodingType, encode } = common(call);
  const keyMarker = call.info.query.get('key-marker') ?? '';
  const versionIdMarker = call.info.query.get('version-id-marker') ?? '';
  if (versionIdMarker !== '' && keyMarker === '') {
    throw s3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
  }
  if (versionIdMarker !== '' && versionIdMarker !== 'null') {
    throw s3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
  }
  const page = await listPage(call, { bucket: call.bucketName!, prefix, delimiter, after: keyMarker, maxKeys: maxKeys.effective });
  const body: Record<string, unknown> = { Name: call.bucketName, Prefix: encode(prefix), KeyMarker: encode(keyMarker), VersionIdMarker: versionIdMarker, MaxKeys: maxKeys.requested };
  if (delimiter !== '') body.Delimiter = encode(delimiter);
  if (encodingType) body.EncodingType = encodingType;
  body.IsTruncated = page.isTruncated;
  if (page.isTruncated) {
    body.NextKeyMarker = encode(page.last!);
    const lastEntry = page.entries[page.entries.length - 1]!;
    if (lastEntry.kind === 'object') body.NextVersionIdMarker = 'null';
  }
  const listed = await contents(call, page.entries, encode, true);
  if (listed.length) {
    body.Version = listed.map((item) => ({
      Key: item.Key,
      VersionId: 'null',
      IsLatest: true,
      LastModified: item.LastModified,
      ETag: item.ETag,
      ...(item.ChecksumAlgorithm ? { ChecksumAlgorithm: item.ChecksumAlgorithm, ChecksumType: item.ChecksumType } : {}),
      Size: item.Size,
      StorageClass: item.StorageClass,
      Owner: item.Owner,
    }));
  }
  const prefixes = commonPrefixes(page.entries, encode);
  if (prefixes.length) body.CommonPrefixes = prefixes;
  return { body: toXml('ListVersionsResult', body) };
};

// Continuation tokens are opaque to clients (S3 docs); ours carry the last entry, base64url-encoded with a tag.
const tokenTag = 'cb1:';

function encodeToken(last: string): string {
  return Buffer.from(tokenTag + last, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (!text.startsWith(tokenTag)) {
    throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token', ArgumentValue: token });
  }
  return text.slice(tokenTag.length);
}
