import type { S3Call } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { parseXml } from '../../protocol/xml.js';
import { readAll } from '../../http/body.js';
import { limits } from '../../limits.js';
import { RequestChecksum } from './request-checksum.js';

/**
 * Read a small configuration body (tagging, ACL, policy …), verifying Content-MD5 / x-amz-checksum-*
 * when sent. `requireIntegrity` mirrors APIs where S3 insists on one ("Missing required header for
 * this request: Content-MD5").
 */
export async function readConfigBody(call: S3Call, requireIntegrity = false): Promise<Buffer> {
  const integrity = new RequestChecksum(call.info.headers);
  if (requireIntegrity && !integrity.hasIntegrityCheck) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const bytes = await readAll(call.body.stream, limits.configBodyMaxBytes);
  for (const sink of integrity.sinks) sink.update(bytes);
  integrity.verify(call.body.trailers());
  return bytes;
}

/** Parse a configuration body as XML whose root must be `rootName`; MalformedXML otherwise. */
export async function readXmlBody(call: S3Call, rootName: string, requireIntegrity = false): Promise<Record<string, any>> {
  const bytes = await readConfigBody(call, requireIntegrity);
  const doc = parseXml(bytes.toString('utf8'));
  const root = doc?.[rootName];
  if (root === undefined || root === null) throw s3Error('MalformedXML');
  return typeof root === 'object' ? root : {};
}
