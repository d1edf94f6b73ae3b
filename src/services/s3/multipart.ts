import { randomBytes } from 'node:crypto';
import type { S3Call, S3Handler } from './call.js';
import type { MultipartUploadRecord, ObjectRecord, PartRecord } from '../../store/types.js';
import { s3Error } from '../../protocol/errors.js';
import { isoTime, toXml } from '../../protocol/xml.js';
import { limits } from '../../limits.js';
import { compositeChecksum, fullObjectChecksum, multipartEtag } from '../../auth/multipart-checksums.js';
import { storeBlob, readObjectData, releaseBlobs } from './object-data.js';
import { RequestChecksum, checksumAlgorithms, checksumHeaders } from './request-checksum.js';
import { createChecksum } from '../../auth/checksums.js';
import { checkKey, extractObjectHeaders, storageClassOf } from './object-headers.js';
import { parseTaggingHeader } from './tagging.js';
import { parseCopySource } from './copy-source.js';
import { assertCopySourcePreconditions } from './conditions.js';
import { readXmlBody } from './config-body.js';
import { ownerXml } from './owner.js';
import { encoder } from './list.js';
import { resolveObjectWriteAcl } from './acl.js';
import { encryptionHeaders, forget, newObjectEncryption, objectEtagHex, openEncryption } from './sse.js';
import { newObjectNonce } from '../../crypto/object-cipher.js';

const noSuchUpload = (uploadId: string) => s3Error('NoSuchUpload', undefined, { UploadId: uploadId });

/** The upload named by ?uploadId, which must belong to this bucket and key (NoSuchUpload otherwise). */
async function requireUpload(call: S3Call): Promise<MultipartUploadRecord> {
  const uploadId = call.info.query.get('uploadId') ?? '';
  const upload = uploadId === '' ? null : await call.app.store.getUpload(uploadId);
  if (!upload || upload.bucket !== call.bucketName || upload.key !== call.key) throw noSuchUpload(uploadId);
  return upload;
}

function partNumberOf(call: S3Call): number {
  const text = call.info.query.get('partNumber') ?? '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > limits.multipartMaxParts) {
    throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: text });
  }
  return value;
}

/** x-amz-checksum-algorithm / x-amz-checksum-type at CreateMultipartUpload (S3 UG "Checking object integrity"). */
function checksumSettings(call: S3Call): { algorithm: string | null; type: 'FULL_OBJECT' | 'COMPOSITE' | null } {
  const algorithmText = call.info.headers['x-amz-checksum-algorithm'];
  const typeText = call.info.headers['x-amz-checksum-type'];
  if (algorithmText === undefined) {
    if (typeText !== undefined) throw s3Error('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return { algorithm: null, type: null };
  }
  const algorithm = String(algorithmText).toUpperCase();
  if (!(checksumAlgorithms as readonly string[]).includes(algorithm)) {
    throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  }
  const type = typeText === undefined ? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE') : String(typeText).toUpperCase();
  if (type !== 'FULL_OBJECT' && type !== 'COMPOSITE') throw s3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  if (type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
    throw s3Error('InvalidRequest', `The ${algorithm} checksum algorithm does not support the FULL_OBJECT checksum type.`);
  }
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') throw s3Error('InvalidRequest', 'The CRC64NVME checksum algorithm does not support the COMPOSITE checksum type.');
  return { algorithm, type };
}

export const createMultipartUpload: S3Handler = async (call) => {
  const key = call.key!;
  checkKey(key);
  const stored = extractObjectHeaders(call.info.headers);
  const tagging = call.info.headers['x-amz-tagging'];
  const tags = tagging === undefined ? {} : parseTaggingHeader(String(tagging));
  const checksum = checksumSettings(call);
  const written = await resolveObjectWriteAcl(call);
  const encryption = await newObjectEncryption(call, { bucket: call.bucketName!, key, ownerAccountId: written.ownerAccountId });
  forget(encryption.cipher);
  const upload: MultipartUploadRecord = {
    uploadId: randomBytes(48).toString('base64url'),
    bucket: call.bucketName!,
    key,
    initiatorAccountId: call.identity.accountId ?? call.bucket!.accountId,
    initiatorArn: call.identity.arn,
    ownerAccountId: written.ownerAccountId,
    initiatedMs: call.app.clock.nowMs(),
    headers: stored.headers,
    userMetadata: stored.userMetadata,
    tags,
    acl: written.acl,
    encryption: encryption.info,
    storageClass: storageClassOf(call.info.headers),
    checksumAlgorithm: checksum.algorithm,
    checksumType: checksum.type,
  };
  await call.app.store.createUpload(upload);
  const headers: Record<string, string> = encryptionHeaders(upload.encryption);
  if (checksum.algorithm) {
    headers['x-amz-checksum-algorithm'] = checksum.algorithm;
    headers['x-amz-checksum-type'] = checksum.type!;
  }
  return { headers, body: toXml('InitiateMultipartUploadResult', { Bucket: call.bucketName, Key: key, UploadId: upload.uploadId }) };
};

/**
 * A part's integrity: what the request sent, plus — when the upload declared an algorithm — that
 * algorithm's checksum of the part (S3 needs it to build the object checksum at Complete).
 */
function partIntegrity(call: S3Call, upload: MultipartUploadRecord, headers: Record<string, string | string[] | undefined>) {
  const request = new RequestChecksum(headers);
  if (upload.checksumAlgorithm && request.algorithm && request.algorithm !== upload.checksumAlgorithm) {
    throw s3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${request.algorithm.toLowerCase()}`);
  }
  const own = upload.checksumAlgorithm && !request.algorithm ? createChecksum(upload.checksumAlgorithm) : null;
  const sinks = own ? [...request.sinks, own] : request.sinks;
  return {
    sinks,
    finish(trailers: Record<string, string>) {
      const verified = request.verify(trailers);
      if (verified) return verified;
      return own ? { algorithm: upload.checksumAlgorithm!, value: own.digest(), type: 'FULL_OBJECT' as const } : null;
    },
  };
}

async function savePart(call: S3Call, upload: MultipartUploadRecord, part: PartRecord): Promise<void> {
  let replaced: PartRecord | null;
  try {
    replaced = await call.app.store.putPart(part);
  } catch (error) {
    await call.app.blobs.delete(part.blobId).catch(() => undefined);
    throw error;
  }
  if (replaced) await call.app.blobs.delete(replaced.blobId).catch(() => undefined);
  void upload;
}

function partChecksumHeaders(part: PartRecord): Record<string, string> {
  if (!part.checksum) return {};
  return { [`x-amz-checksum-${part.checksum.algorithm.toLowerCase()}`]: part.checksum.value };
}

export const uploadPart: S3Handler = async (call) => {
  const partNumber = partNumberOf(call);
  const upload = await requireUpload(call);
  const integrity = partIntegrity(call, upload, call.info.headers);
  const declared = call.body.declaredLength;
  if (declared !== null && declared > limits.multipartPartMaxBytes) {
    throw s3Error('EntityTooLarge', undefined, { ProposedSize: String(declared), MaxSizeAllowed: String(limits.multipartPartMaxBytes) });
  }
  const cipher = await openEncryption(call, upload.encryption, { bucket: upload.bucket, key: upload.key }, 'upload');
  let stored;
  let etagHex: string;
  try {
    stored = await storeBlob(call.app, call.body.stream, declared, integrity.sinks, cipher ? { key: cipher.key, nonce: newObjectNonce(), nonceHeader: true } : null);
    etagHex = objectEtagHex(upload.encryption, cipher, stored.md5Hex);
  } finally {
    forget(cipher);
  }
  let checksum;
  try {
    checksum = integrity.finish(call.body.trailers());
  } catch (error) {
    await releaseBlobs(call.app, stored);
    throw error;
  }
  if (stored.data.kind !== 'blob') throw new Error('parts are stored as blobs');
  const part: PartRecord = {
    uploadId: upload.uploadId,
    partNumber,
    sizeBytes: stored.sizeBytes,
    etag: `"${etagHex}"`,
    lastModifiedMs: call.app.clock.nowMs(),
    checksum,
    blobId: stored.data.blobId,
  };
  await savePart(call, upload, part);
  return { headers: { etag: part.etag, ...partChecksumHeaders(part), ...encryptionHeaders(upload.encryption) } };
};

/** x-amz-copy-source-range: "bytes=first-last" within the source (UploadPartCopy docs). */
function copyRange(text: string | undefined, sourceSize: number): { start: number; end: number } {
  if (text === undefined) return { start: 0, end: sourceSize - 1 };
  const match = /^bytes=(\d+)-(\d+)$/.exec(text);
  if (!match) {
    throw s3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: text });
  }
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (start > end || end >= sourceSize) {
    throw s3Error('InvalidArgument', `Range specified is not valid for source object of size: ${sourceSize}`, { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: text });
  }
  return { start, end };
}

export const uploadPartCopy: S3Handler = async (call) => {
  const partNumber = partNumberOf(call);
  const upload = await requireUpload(call);
  const source = parseCopySource(String(call.info.headers['x-amz-copy-source']));
  const sourceBucket = await call.app.store.getBucket(source.bucket);
  if (!sourceBucket) throw s3Error('NoSuchBucket', undefined, { BucketName: source.bucket });
  const record = await call.app.store.getObject(source.bucket, source.key);
  if (!record) throw s3Error('NoSuchKey', undefined, { Key: source.key });
  assertCopySourcePreconditions(call.info.headers, record.etag, record.lastModifiedMs);
  const rangeHeader = call.info.headers['x-amz-copy-source-range'];
  const range = copyRange(rangeHeader === undefined ? undefined : String(rangeHeader), record.sizeBytes);
  const integrity = partIntegrity(call, upload, {});
  const length = Math.max(0, range.end - range.start + 1);
  const sourceCipher = await openEncryption(call, record.encryption, source, 'copy-source');
  let stored;
  let etagHex: string;
  try {
    const cipher = await openEncryption(call, upload.encryption, { bucket: upload.bucket, key: upload.key }, 'upload');
    try {
      const stream = record.sizeBytes === 0 ? readObjectData(call.app, record, 0, -1) : readObjectData(call.app, record, range.start, range.end, sourceCipher);
      stored = await storeBlob(call.app, stream, length, integrity.sinks, cipher ? { key: cipher.key, nonce: newObjectNonce(), nonceHeader: true } : null);
      etagHex = objectEtagHex(upload.encryption, cipher, stored.md5Hex);
    } finally {
      forget(cipher);
    }
  } finally {
    forget(sourceCipher);
  }
  if (stored.data.kind !== 'blob') throw new Error('parts are stored as blobs');
  const now = call.app.clock.nowMs();
  const part: PartRecord = {
    uploadId: upload.uploadId,
    partNumber,
    sizeBytes: stored.sizeBytes,
    etag: `"${etagHex}"`,
    lastModifiedMs: now,
    checksum: integrity.finish({}),
    blobId: stored.data.blobId,
  };
  await savePart(call, upload, part);
  const result: Record<string, unknown> = { ETag: part.etag, LastModified: isoTime(now) };
  if (part.checksum) result[`Checksum${part.checksum.algorithm}`] = part.checksum.value;
  return { headers: { 'x-amz-copy-source-version-id': 'null', ...encryptionHeaders(upload.encryption) }, body: toXml('CopyPartResult', result) };
};

async function allParts(call: S3Call, uploadId: string): Promise<Map<number, PartRecord>> {
  const parts = new Map<number, PartRecord>();
  let after = 0;
  for (;;) {
    const page = await call.app.store.listParts(uploadId, after, 1000);
    for (const part of page) parts.set(part.partNumber, part);
    if (page.length < 1000) return parts;
    after = page[page.length - 1]!.partNumber;
  }
}

const stripQuotes = (etag: string) => etag.replace(/^"+|"+$/g, '').replace(/&quot;/g, '');

export const completeMultipartUpload: S3Handler = async (call) => {
  const upload = await requireUpload(call);
  const root = await readXmlBody(call, 'CompleteMultipartUpload');
  const listed: Array<Record<string, unknown>> = Array.isArray(root.Part) ? root.Part : [];
  if (listed.length === 0) throw s3Error('MalformedXML');
  if (listed.length > limits.multipartMaxParts) throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
  const stored = await allParts(call, upload.uploadId);
  const chosen: PartRecord[] = [];
  let previous = 0;
  for (const entry of listed) {
    const number = Number(entry.PartNumber);
    if (!Number.isInteger(number) || entry.ETag === undefined) throw s3Error('MalformedXML');
    if (number <= previous) throw s3Error('InvalidPartOrder', undefined, { UploadId: upload.uploadId });
    previous = number;
    const part = stored.get(number);
    const etag = String(entry.ETag);
    if (!part || stripQuotes(part.etag) !== stripQuotes(etag)) {
      throw s3Error('InvalidPart', undefined, { UploadId: upload.uploadId, PartNumber: String(number), ETag: etag });
    }
    for (const algorithm of checksumAlgorithms) {
      const given = entry[`Checksum${algorithm}`];
      if (given === undefined) continue;
      if (!part.checksum || part.checksum.algorithm !== algorithm || part.checksum.value !== String(given)) {
        throw s3Error('InvalidPart', undefined, { UploadId: upload.uploadId, PartNumber: String(number), ETag: etag });
      }
    }
    chosen.push(part);
  }
  chosen.forEach((part, index) => {
    if (index < chosen.length - 1 && part.sizeBytes < limits.multipartPartMinBytes) {
      throw s3Error('EntityTooSmall', undefined, { ProposedSize: String(part.sizeBytes), MinSizeAllowed: String(limits.multipartPartMinBytes), PartNumber: String(part.partNumber), ETag: part.etag });
    }
  });

  let checksum: ObjectRecord['checksum'] = null;
  if (upload.checksumAlgorithm) {
    const values = chosen.map((part) => part.checksum?.algorithm === upload.checksumAlgorithm ? part.checksum.value : null);
    if (values.some((value) => value === null)) throw s3Error('InvalidRequest', `The upload was created using a ${upload.checksumAlgorithm.toLowerCase()} checksum. The complete request must include the checksum for each part.`);
    checksum = upload.checksumType === 'FULL_OBJECT'
      ? { algorithm: upload.checksumAlgorithm, value: fullObjectChecksum(upload.checksumAlgorithm, chosen.map((part, i) => ({ checksum: values[i]!, size: part.sizeBytes }))), type: 'FULL_OBJECT' }
      : { algorithm: upload.checksumAlgorithm, value: compositeChecksum(upload.checksumAlgorithm, values as string[]), type: 'COMPOSITE' };
  }
  const etag = `"${multipartEtag(chosen.map((part) => stripQuotes(part.etag)))}"`;
  const record: ObjectRecord = {
    bucket: upload.bucket,
    key: upload.key,
    ownerAccountId: upload.ownerAccountId,
    sizeBytes: chosen.reduce((sum, part) => sum + part.sizeBytes, 0),
    etag,
    lastModifiedMs: call.app.clock.nowMs(),
    headers: upload.headers,
    userMetadata: upload.userMetadata,
    checksum,
    tags: upload.tags,
    acl: upload.acl,
    encryption: upload.encryption,
    storageClass: upload.storageClass,
    partsCount: chosen.length,
    partSizes: chosen.map((part) => part.sizeBytes),
    data: { kind: 'parts', blobIds: chosen.map((part) => part.blobId) },
  };
  const { replaced, unusedParts } = await call.app.store.completeUpload(upload.uploadId, record, chosen.map((part) => part.partNumber));
  await releaseBlobs(call.app, replaced);
  await Promise.all(unusedParts.map((part) => call.app.blobs.delete(part.blobId).catch(() => undefined)));
  const scheme = call.info.tls ? 'https' : 'http';
  const result: Record<string, unknown> = {
    Location: `${scheme}://${call.info.host}/${encodeURIComponent(upload.bucket)}/${upload.key.split('/').map(encodeURIComponent).join('/')}`,
    Bucket: upload.bucket,
    Key: upload.key,
    ETag: etag,
  };
  if (checksum) {
    result[`Checksum${checksum.algorithm}`] = checksum.value;
    result.ChecksumType = checksum.type;
  }
  return { headers: { ...checksumHeaders(null), ...encryptionHeaders(upload.encryption) }, body: toXml('CompleteMultipartUploadResult', result) };
};

export const abortMultipartUpload: S3Handler = async (call) => {
  const upload = await requireUpload(call);
  const parts = await call.app.store.abortUpload(upload.uploadId);
  if (!parts) throw noSuchUpload(upload.uploadId);
  await Promise.all(parts.map((part) => call.app.blobs.delete(part.blobId).catch(() => undefined)));
  return { status: 204 };
};

/** Initiator as S3 renders it: the canonical ID for an account root, the principal ARN otherwise. */
async function initiatorXml(call: S3Call, upload: MultipartUploadRecord) {
  if (upload.initiatorArn.endsWith(':root') || upload.initiatorArn === '*') return ownerXml(call.app, upload.initiatorAccountId);
  return { ID: upload.initiatorArn, DisplayName: upload.initiatorArn.split('/').pop() ?? upload.initiatorArn };
}

function boundedInteger(call: S3Call, name: string, fallback: number, max: number): number {
  const text = call.info.query.get(name);
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 2147483647) {
    throw s3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: text });
  }
  return Math.min(Number(text), max);
}

export const listParts: S3Handler = async (call) => {
  const upload = await requireUpload(call);
  const maxParts = boundedInteger(call, 'max-parts', 1000, 1000);
  const marker = boundedInteger(call, 'part-number-marker', 0, limits.multipartMaxParts);
  const page = maxParts === 0 ? [] : await call.app.store.listParts(upload.uploadId, marker, maxParts + 1);
  const truncated = page.length > maxParts;
  const parts = page.slice(0, maxParts);
  const body: Record<string, unknown> = {
    Bucket: upload.bucket,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: parts.length ? parts[parts.length - 1]!.partNumber : 0,
    MaxParts: maxParts,
    IsTruncated: truncated,
  };
  if (parts.length) {
    body.Part = parts.map((part) => {
      const item: Record<string, unknown> = { PartNumber: part.partNumber, LastModified: isoTime(part.lastModifiedMs), ETag: part.etag, Size: part.sizeBytes };
      if (part.checksum) item[`Checksum${part.checksum.algorithm}`] = part.checksum.value;
      return item;
    });
  }
  body.Initiator = await initiatorXml(call, upload);
  body.Owner = await ownerXml(call.app, upload.ownerAccountId);
  body.StorageClass = upload.storageClass;
  if (upload.checksumAlgorithm) {
    body.ChecksumAlgorithm = upload.checksumAlgorithm;
    body.ChecksumType = upload.checksumType;
  }
  return { body: toXml('ListPartsResult', body) };
};

export const listMultipartUploads: S3Handler = async (call) => {
  const prefix = call.info.query.get('prefix') ?? '';
  const delimiter = call.info.query.get('delimiter') ?? '';
  const keyMarker = call.info.query.get('key-marker') ?? '';
  const uploadIdMarker = keyMarker === '' ? '' : (call.info.query.get('upload-id-marker') ?? '');
  const maxUploads = boundedInteger(call, 'max-uploads', 1000, 1000);
  const { encodingType, encode } = encoder(call);

  const uploads: MultipartUploadRecord[] = [];
  const prefixes: string[] = [];
  let afterKey = keyMarker;
  let afterUploadId = uploadIdMarker;
  let truncated = false;
  let lastKey = '';
  let lastUploadId = '';
  outer: for (;;) {
    const page = maxUploads === 0 ? [] : await call.app.store.listUploads(call.bucketName!, prefix, afterKey, afterUploadId, 1000);
    for (const upload of page) {
      afterKey = upload.key;
      afterUploadId = upload.uploadId;
      const at = delimiter === '' ? -1 : upload.key.indexOf(delimiter, prefix.length);
      const rolled = at < 0 ? null : upload.key.slice(0, at + delimiter.length);
      if (rolled !== null && prefixes[prefixes.length - 1] === rolled) continue;
      if (uploads.length + prefixes.length === maxUploads) {
        truncated = true;
        break outer;
      }
      if (rolled !== null) {
        prefixes.push(rolled);
        lastKey = rolled;
        lastUploadId = '';
      } else {
        uploads.push(upload);
        lastKey = upload.key;
        lastUploadId = upload.uploadId;
      }
    }
    if (page.length < 1000) break;
  }
  const body: Record<string, unknown> = {
    Bucket: call.bucketName,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: encode(lastKey),
    NextUploadIdMarker: lastUploadId,
  };
  if (delimiter !== '') body.Delimiter = encode(delimiter);
  body.Prefix = encode(prefix);
  body.MaxUploads = maxUploads;
  if (encodingType) body.EncodingType = encodingType;
  body.IsTruncated = truncated;
  if (uploads.length) {
    body.Upload = await Promise.all(
      uploads.map(async (upload) => {
        const item: Record<string, unknown> = { Key: encode(upload.key), UploadId: upload.uploadId, Initiator: await initiatorXml(call, upload), Owner: await ownerXml(call.app, upload.ownerAccountId), StorageClass: upload.storageClass, Initiated: isoTime(upload.initiatedMs) };
        if (upload.checksumAlgorithm) {
          item.ChecksumAlgorithm = upload.checksumAlgorithm;
          item.ChecksumType = upload.checksumType;
        }
        return item;
      }),
    );
  }
  if (prefixes.length) body.CommonPrefixes = prefixes.map((value) => ({ Prefix: encode(value) }));
  return { body: toXml('ListMultipartUploadsResult', body) };
};
