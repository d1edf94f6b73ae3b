import type { S3Handler } from './call.js';
import { S3Error, s3Error } from '../../protocol/errors.js';
import { parseXml, toXml } from '../../protocol/xml.js';
import { readAll } from '../../http/body.js';
import { limits } from '../../limits.js';
import { RequestChecksum } from './request-checksum.js';
import { releaseBlobs } from './object-data.js';

/**
 * DeleteObjects (POST ?delete): S3 requires Content-MD5 or an x-amz-checksum-* header; each key
 * needs s3:DeleteObject; a missing key counts as deleted.
 */
export const deleteObjects: S3Handler = async (call) => {
  const integrity = new RequestChecksum(call.info.headers);
  if (!integrity.hasIntegrityCheck) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const bytes = await readAll(call.body.stream, limits.configBodyMaxBytes);
  for (const sink of integrity.sinks) sink.update(bytes);
  integrity.verify(call.body.trailers());
  const doc = parseXml(bytes.toString('utf8'));
  const root = doc?.Delete;
  if (!root || typeof root !== 'object') throw s3Error('MalformedXML');
  const objects: Array<{ Key?: unknown; VersionId?: unknown }> = root.Object ?? [];
  if (objects.length === 0 || objects.length > limits.deleteObjectsMaxKeys) throw s3Error('MalformedXML');
  const quiet = String(root.Quiet ?? 'false').toLowerCase() === 'true';
  const deleted: Array<Record<string, string>> = [];
  const errors: Array<Record<string, string>> = [];
  for (const entry of objects) {
    const key = entry.Key === undefined ? '' : String(entry.Key);
    if (key === '') throw s3Error('MalformedXML');
    try {
      await call.authorize('s3:DeleteObject', call.bucketName!, key);
      const removed = await call.app.store.deleteObject(call.bucketName!, key);
      await releaseBlobs(call.app, removed);
      if (!quiet) deleted.push({ Key: key });
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      errors.push({ Key: key, Code: error.code, Message: error.message });
    }
  }
  const body: Record<string, unknown> = {};
  if (deleted.length) body.Deleted = deleted;
  if (errors.length) body.Error = errors;
  return { body: toXml('DeleteResult', body) };
};
