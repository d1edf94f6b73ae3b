/**
 * One API call → the CloudTrail records it produces (CloudTrail UG "CloudTrail record contents"):
 * one per account that sees the call. A call that crosses accounts is recorded for the caller's
 * account and for the resource owner's, with different eventIDs and one shared sharedEventID.
 */
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { RequestOutcome } from '../context/request-outcome.js';
import type { AuditEventRecord } from '../store/types.js';
import { foreignUserIdentity, lookupUsername, ownUserIdentity, trailTime } from './identity.js';
import { scrub, scrubRecord } from './scrub.js';

export const EVENT_VERSION = '1.09';

/** S3 operations CloudTrail logs as data events (object-level APIs and object listings). */
const S3_DATA_EVENTS = new Set([
  'GetObject', 'HeadObject', 'PutObject', 'CopyObject', 'DeleteObject', 'DeleteObjects', 'GetObjectAcl', 'PutObjectAcl',
  'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging', 'GetObjectAttributes', 'RestoreObject', 'SelectObjectContent',
  'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts',
  'ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads', 'GetObjectLegalHold', 'PutObjectLegalHold',
  'GetObjectRetention', 'PutObjectRetention',
]);

const READ_ONLY_PREFIXES = ['Get', 'List', 'Head', 'Describe', 'Lookup'];
/** STS calls CloudTrail marks readOnly although their names do not say so. */
const READ_ONLY_EXTRA = new Set(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'DecodeAuthorizationMessage']);

export function isReadOnly(eventName: string): boolean {
  return READ_ONLY_EXTRA.has(eventName) || READ_ONLY_PREFIXES.some((prefix) => eventName.startsWith(prefix) && /[A-Z]/.test(eventName.charAt(prefix.length)));
}

export function isDataEvent(service: string, eventName: string): boolean {
  return service === 's3' && S3_DATA_EVENTS.has(eventName);
}

interface Resource {
  accountId?: string;
  type: string;
  ARN: string;
}

/** LookupEvents ResourceName: the bucket name for S3 buckets, bucket/key for objects, the ARN otherwise. */
export function resourceName(resource: { type: string; ARN: string }): string {
  if (resource.type === 'AWS::S3::Bucket' || resource.type === 'AWS::S3::Object') return resource.ARN.slice('arn:aws:s3:::'.length);
  return resource.ARN;
}

function s3Resources(outcome: RequestOutcome): Resource[] {
  const { bucket, key, bucketOwnerAccountId } = outcome.trace;
  if (bucket === null) return [];
  const resources: Resource[] = [];
  if (key !== null) resources.push({ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` });
  const bucketResource: Resource = { type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` };
  if (bucketOwnerAccountId) bucketResource.accountId = bucketOwnerAccountId;
  resources.push(bucketResource);
  return resources;
}

function resourcesOf(outcome: RequestOutcome): Resource[] {
  if (outcome.trace.service === 's3') return s3Resources(outcome);
  return outcome.trace.resources.map((r) => (r.accountId ? { accountId: r.accountId, type: r.type, ARN: r.arn } : { type: r.type, ARN: r.arn }));
}

/** S3 requestParameters: bucketName, Host, key and the query parameters (as CloudTrail shows them). */
function s3RequestParameters(outcome: RequestOutcome): Record<string, unknown> {
  const { info, trace } = outcome;
  const parameters: Record<string, unknown> = {};
  if (trace.bucket !== null) parameters.bucketName = trace.bucket;
  parameters.Host = info.host;
  if (trace.key !== null) parameters.key = trace.key;
  for (const [name, value] of info.query) {
    if (name.toLowerCase().startsWith('x-amz-') && name !== 'x-id') continue; // presigned-URL auth parameters
    parameters[name] = value;
  }
  return parameters;
}

function tlsDetails(outcome: RequestOutcome): Record<string, unknown> | null {
  if (!outcome.info.tls) return null;
  const socket = outcome.info.req.socket as TLSSocket;
  return {
    tlsVersion: socket.getProtocol?.() ?? 'unknown',
    cipherSuite: socket.getCipher?.()?.standardName ?? socket.getCipher?.()?.name ?? 'unknown',
    clientProvidedHostHeader: outcome.info.host,
  };
}

export interface BuildOptions {
  region: string;
  newId?: () => string;
}

/** The records (one per recipient account) for one finished request; [] when nothing is recorded. */
export function buildAuditEvents(outcome: RequestOutcome, options: BuildOptions): AuditEventRecord[] {
  const { trace, info } = outcome;
  const identity = trace.identity;
  const eventName = trace.operation;
  if (identity === null || eventName === null || trace.service === 'crossbucket') return [];
  const callerAccount = identity.accountId;
  const ownerAccount = trace.resourceAccountId ?? trace.bucketOwnerAccountId;
  const recipients: string[] = [];
  if (callerAccount) recipients.push(callerAccount);
  if (ownerAccount && ownerAccount !== callerAccount) recipients.push(ownerAccount);
  if (recipients.length === 0) return [];

  const newId = options.newId ?? randomUUID;
  const service = trace.service;
  const readOnly = isReadOnly(eventName);
  const data = isDataEvent(service, eventName);
  const resources = resourcesOf(outcome);
  const requestParameters = service === 's3' ? s3RequestParameters(outcome) : scrubRecord(trace.requestParameters);
  // CloudTrail records no response elements for read-only calls (Get/List/Describe/Lookup …) except
  // STS calls that issue credentials (whose secrets are scrubbed).
  const keepsResponse = service !== 's3' && (!readOnly || READ_ONLY_EXTRA.has(eventName));
  const responseElements = keepsResponse ? scrubRecord(trace.responseElements) : null;
  const shared = recipients.length > 1 ? newId() : null;
  const tls = tlsDetails(outcome);
  const username = lookupUsername(identity);

  return recipients.map((accountId) => {
    const eventId = newId();
    const record: Record<string, unknown> = {
      eventVersion: EVENT_VERSION,
      userIdentity: accountId === callerAccount ? ownUserIdentity(identity) : foreignUserIdentity(identity),
      eventTime: trailTime(info.startMs),
      eventSource: `${service}.amazonaws.com`,
      eventName,
      awsRegion: options.region,
      sourceIPAddress: info.sourceIp,
      // S3 data and management events show the user agent in brackets.
      userAgent: service === 's3' ? `[${info.userAgent}]` : info.userAgent,
    };
    if (trace.errorCode) {
      record.errorCode = trace.errorCode;
      record.errorMessage = trace.errorMessage ?? '';
    }
    record.requestParameters = scrub(requestParameters);
    record.responseElements = responseElements;
    if (service === 's3') {
      record.additionalEventData = {
        SignatureVersion: trace.authType ? 'SigV4' : undefined,
        CipherSuite: tls?.cipherSuite,
        bytesTransferredIn: Number(info.headers['content-length'] ?? 0) || 0,
        AuthenticationMethod: trace.authType ?? undefined,
        'x-amz-id-2': info.hostId,
        bytesTransferredOut: outcome.bytesSent,
      };
    }
    record.requestID = info.requestId;
    record.eventID = eventId;
    record.readOnly = readOnly;
    if (resources.length > 0) record.resources = resources;
    record.eventType = 'AwsApiCall';
    record.managementEvent = !data;
    record.recipientAccountId = accountId;
    if (shared) record.sharedEventID = shared;
    record.eventCategory = data ? 'Data' : 'Management';
    if (tls) record.tlsDetails = tls;
    return {
      accountId,
      eventTimeMs: info.startMs,
      eventId,
      eventName,
      eventSource: `${service}.amazonaws.com`,
      username,
      accessKeyId: identity.accessKeyId,
      readOnly,
      principalArn: identity.type === 'Anonymous' ? null : identity.arn,
      bucket: trace.bucket,
      errorCode: trace.errorCode,
      resourceNames: [...new Set(resources.flatMap((r) => [r.ARN, resourceName(r)]))],
      resourceTypes: [...new Set(resources.map((r) => r.type))],
      record: JSON.stringify(record),
    };
  });
}
