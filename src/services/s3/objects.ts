import type { S3Call, S3Handler, S3Result } from './call.js';
import type { ObjectRecord } from '../../store/types.js';
import { s3Error } from '../../protocol/errors.js';
import { httpDate, isoTime, toXml } from '../../protocol/xml.js';
import { storeBody, readObjectData, readInlineData, releaseBlobs } from './object-data.js';
import { RequestChecksum, checksumHeaders } from './request-checksum.js';
import { checkKey, extractObjectHeaders, storageClassOf, objectResponseHeaders } from './object-headers.js';
import { evaluatePreconditions, parseRange, readPreconditions, assertCopySourcePreconditions } from './conditions.js';
import { parseTaggingHeader } from './tagging.js';
import { parseCopySource } from './copy-source.js';
import { resolveObjectWriteAcl } from './acl.js';
import { encryptionHeaders, forget, newObjectEncryption, objectEtagHex, openEncryption, type ObjectCipher } from './sse.js';

function noSuchKey(key: string) {
  return s3Error('NoSuchKey', undefined, { Key: key });
}

/** PutObject: stream, verify digests, make durable, then commit metadata (the previous version stays until then). */
export const putObject: S3Handler = async (call) => {
  const key = call.key!;
  checkKey(key);
  const stored = extractObjectHeaders(call.info.headers);
  const taggingHeader = call.info.headers['x-amz-tagging'];
  const tags = taggingHeader === undefined ? {} : parseTaggingHeader(String(taggingHeader));
  const written = await resolveObjectWriteAcl(call);
  const integrity = new RequestChecksum(call.info.headers);
  const encryption = await newObjectEncryption(call, { bucket: call.bucketName!, key, ownerAccountId: written.ownerAccountId });
  let body;
  let etag: string;
  try {
    body = await storeBody(call.app, call.body.stream, call.body.declaredLength, integrity.sinks, encryption.cipher);
    etag = `"${objectEtagHex(encryption.info, encryption.cipher, body.md5Hex)}"`;
  } finally {
    forget(encryption.cipher);
  }
  let checksum;
  try {
    checksum = integrity.verify(call.body.trailers());
  } catch (error) {
    await releaseBlobs(call.app, body);
    throw error;
  }
  const record: ObjectRecord = {
    bucket: call.bucketName!,
    key,
    ownerAccountId: written.ownerAccountId,
    sizeBytes: body.sizeBytes,
    etag,
    lastModifiedMs: call.app.clock.nowMs(),
    headers: stored.headers,
    userMetadata: stored.userMetadata,
    checksum,
    tags,
    acl: written.acl,
    encryption: encryption.info,
    storageClass: storageClassOf(call.info.headers),
    partsCount: null,
    partSizes: null,
    data: body.data,
  };
  const replaced = await call.app.store.putObject(record);
  await releaseBlobs(call.app, replaced);
  return { headers: { etag, ...checksumHeaders(checksum), ...encryptionHeaders(encryption.info) } };
};

const responseOverrides: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function objectHeaders(call: S3Call, record: ObjectRecord): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'last-modified': httpDate(record.lastModifiedMs),
    etag: record.etag,
    'accept-ranges': 'bytes',
    'content-type': 'binary/octet-stream',
    ...objectResponseHeaders(record),
    ...encryptionHeaders(record.encryption),
  };
  if (record.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = record.storageClass;
  const tagCount = Object.keys(record.tags).length;
  if (tagCount > 0 && call.operation === 'GetObject') headers['x-amz-tagging-count'] = tagCount;
  if (record.partsCount !== null && call.info.query.has('partNumber')) headers['x-amz-mp-parts-count'] = record.partsCount;
  for (const [param, headerName] of Object.entries(responseOverrides)) {
    const value = call.info.query.get(param);
    if (value === undefined) continue;
    if (call.identity.type === 'Anonymous') throw s3Error('InvalidRequest', 'Request specific response headers cannot be used for anonymous GET requests.');
    headers[headerName] = value;
  }
  return headers;
}

/**
 * S3 GetObject/HeadObject docs: for a key that does not exist, a caller with s3:ListBucket gets
 * 404 NoSuchKey; without it, 403 AccessDenied (so existence is not revealed).
 */
async function missingObjectError(call: S3Call, key: string): Promise<Error> {
  try {
    await call.authorize('s3:ListBucket', call.bucketName!, null);
  } catch {
    return s3Error('AccessDenied');
  }
  return noSuchKey(key);
}

async function readObject(call: S3Call, head: boolean): Promise<S3Result> {
  const key = call.key!;
  const record = await (call.getObject ?? ((b, k) => call.app.store.getObject(b, k)))(call.bucketName!, key);
  if (!record) throw await missingObjectError(call, key);
  const cipher = await openEncryption(call, record.encryption, { bucket: call.bucketName!, key }, 'object');
  try {
    return await respondWithObject(call, record, head, cipher);
  } catch (error) {
    forget(cipher);
    throw error;
  }
}

async function respondWithObject(call: S3Call, record: ObjectRecord, head: boolean, cipher: ObjectCipher | null): Promise<S3Result> {
  const outcome = evaluatePreconditions(readPreconditions(call.info.headers), record.etag, record.lastModifiedMs);
  if (outcome === 'failed') throw s3Error('PreconditionFailed', undefined, { Condition: call.info.headers['if-match'] !== undefined ? 'If-Match' : 'If-Unmodified-Since' });
  if (outcome === 'not-modified') {
    forget(cipher);
    return { status: 304, headers: { etag: record.etag, 'last-modified': httpDate(record.lastModifiedMs) } };
  }

  const headers = objectHeaders(call, record);
  let range = null;
  const partNumberText = call.info.query.get('partNumber');
  if (partNumberText !== undefined) {
    const partNumber = Number(partNumberText);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: partNumberText });
    const sizes = record.partSizes ?? [record.sizeBytes];
    if (partNumber > sizes.length) throw s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', { PartNumberRequested: partNumberText, ActualPartCount: String(sizes.length) });
    const start = sizes.slice(0, partNumber - 1).reduce((a, b) => a + b, 0);
    range = { start, endInclusive: start + sizes[partNumber - 1]! - 1 };
    headers['x-amz-mp-parts-count'] = sizes.length;
  } else {
    range = parseRange(call.info.headers.range === undefined ? undefined : String(call.info.headers.range), record.sizeBytes);
  }
  if (call.info.headers['x-amz-checksum-mode'] === 'ENABLED' && !range) Object.assign(headers, checksumHeaders(record.checksum));

  let status = 200;
  let start = 0;
  let end = record.sizeBytes - 1;
  if (range) {
    status = 206;
    start = range.start;
    end = range.endInclusive;
    headers['content-range'] = `bytes ${start}-${end}/${record.sizeBytes}`;
  }
  headers['content-length'] = Math.max(0, end - start + 1);
  if (head || record.sizeBytes === 0) {
    forget(cipher);
    return head ? { status, headers } : { status, headers, body: Buffer.alloc(0) };
  }
  if (record.data.kind === 'inline') {
    try {
      return { status, headers, body: readInlineData(record, start, end, cipher) };
    } finally {
      forget(cipher);
    }
  }
  const body = readObjectData(call.app, record, start, end, cipher);
  body.once('close', () => forget(cipher));
  return { status, headers, body };
}

export const getObject: S3Handler = (call) => readObject(call, false);
export const headObject: S3Handler = (call) => readObject(call, true);

export const deleteObject: S3Handler = async (call) => {
  const removed = await call.app.store.deleteObject(call.bucketName!, call.key!);
  await releaseBlobs(call.app, removed);
  return { status: 204 };
};

/** CopyObject within or across buckets; the pipeline has authorized s3:GetObject on the source. */
export const copyObject: S3Handler = async (call) => {
  const key = call.key!;
  checkKey(key);
  const source = parseCopySource(String(call.info.headers['x-amz-copy-source']));
  const sourceBucket = await call.app.store.getBucket(source.bucket);
  if (!sourceBucket) throw s3Error('NoSuchBucket', undefined, { BucketName: source.bucket });
  const sourceRecord = await call.app.store.getObject(source.bucket, source.key);
  if (!sourceRecord) throw noSuchKey(source.key);
  assertCopySourcePreconditions(call.info.headers, sourceRecord.etag, sourceRecord.lastModifiedMs);

  const metadataDirective = String(call.info.headers['x-amz-metadata-directive'] ?? 'COPY');
  const taggingDirective = String(call.info.headers['x-amz-tagging-directive'] ?? 'COPY');
  if (!['COPY', 'REPLACE'].includes(metadataDirective)) throw s3Error('InvalidArgument', 'Unknown metadata directive.', { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: metadataDirective });
  if (!['COPY', 'REPLACE'].includes(taggingDirective)) throw s3Error('InvalidArgument', 'Unknown tagging directive.', { ArgumentName: 'x-amz-tagging-directive', ArgumentValue: taggingDirective });
  const sameObject = source.bucket === call.bucketName && source.key === key;
  const storageClassChanged = call.info.headers['x-amz-storage-class'] !== undefined && String(call.info.headers['x-amz-storage-class']) !== sourceRecord.storageClass;
  const encryptionChanged = call.info.headers['x-amz-server-side-encryption'] !== undefined || call.info.headers['x-amz-server-side-encryption-customer-algorithm'] !== undefined;
  if (sameObject && metadataDirective === 'COPY' && !storageClassChanged && !encryptionChanged && call.info.headers['x-amz-website-redirect-location'] === undefined) {
    throw s3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const stored = metadataDirective === 'REPLACE' ? extractObjectHeaders(call.info.headers) : { headers: sourceRecord.headers, userMetadata: sourceRecord.userMetadata };
  const tags = taggingDirective === 'REPLACE'
    ? (call.info.headers['x-amz-tagging'] === undefined ? {} : parseTaggingHeader(String(call.info.headers['x-amz-tagging'])))
    : sourceRecord.tags;

  const written = await resolveObjectWriteAcl(call);
  const wantsChecksum = call.info.headers['x-amz-checksum-algorithm'] !== undefined;
  const integrity = new RequestChecksum(wantsChecksum ? { 'x-amz-checksum-algorithm': call.info.headers['x-amz-checksum-algorithm'] } : sourceRecord.checksum && sourceRecord.checksum.type === 'FULL_OBJECT' ? { 'x-amz-checksum-algorithm': sourceRecord.checksum.algorithm } : {});
  const sourceCipher = await openEncryption(call, sourceRecord.encryption, source, 'copy-source');
  let encryption;
  let data;
  let etag: string;
  try {
    encryption = await newObjectEncryption(call, { bucket: call.bucketName!, key, ownerAccountId: written.ownerAccountId });
    try {
      const plaintext = sourceRecord.sizeBytes === 0 ? readObjectData(call.app, sourceRecord, 0, -1) : readObjectData(call.app, sourceRecord, 0, sourceRecord.sizeBytes - 1, sourceCipher);
      data = await storeBody(call.app, plaintext, sourceRecord.sizeBytes, integrity.sinks, encryption.cipher);
      etag = `"${objectEtagHex(encryption.info, encryption.cipher, data.md5Hex)}"`;
    } finally {
      forget(encryption.cipher);
    }
  } finally {
    forget(sourceCipher);
  }
  const checksum = integrity.verify({});
  const now = call.app.clock.nowMs();
  const record: ObjectRecord = {
    bucket: call.bucketName!,
    key,
    ownerAccountId: written.ownerAccountId,
    sizeBytes: data.sizeBytes,
    etag,
    lastModifiedMs: now,
    headers: stored.headers,
    userMetadata: stored.userMetadata,
    checksum,
    tags,
    acl: written.acl,
    encryption: encryption.info,
    storageClass: call.info.headers['x-amz-storage-class'] !== undefined ? storageClassOf(call.info.headers) : sourceRecord.storageClass,
    partsCount: null,
    partSizes: null,
    data: data.data,
  };
  const replaced = await call.app.store.putObject(record);
  await releaseBlobs(call.app, replaced);
  const result: Record<string, unknown> = { LastModified: isoTime(now), ETag: etag };
  if (checksum) {
    result[`Checksum${checksum.algorithm}`] = checksum.value;
    result.ChecksumType = checksum.type;
  }
  return { headers: { 'x-amz-copy-source-version-id': 'null', ...checksumHeadersIfAny(checksum), ...encryptionHeaders(encryption.info) }, body: toXml('CopyObjectResult', result) };
};

function checksumHeadersIfAny(checksum: ObjectRecord['checksum']): Record<string, string> {
  return checksum ? { 'x-amz-checksum-type': checksum.type } : {};
}
