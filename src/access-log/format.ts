/**
 * S3 server access log records and log object names (S3 UG "Amazon S3 server access log format",
 * "Logging requests with server access logging": key formats). Fields are space-separated in
 * AWS's order; any unknown field is '-'.
 */
import type { TLSSocket } from 'node:tls';
import type { RequestOutcome } from '../context/request-outcome.js';

/** REST.<METHOD>.<RESOURCE> names S3 writes for each operation. */
const OPERATION_NAMES: Record<string, string> = {
  ListBuckets: 'REST.GET.SERVICE',
  CreateBucket: 'REST.PUT.BUCKET',
  HeadBucket: 'REST.HEAD.BUCKET',
  DeleteBucket: 'REST.DELETE.BUCKET',
  ListObjects: 'REST.GET.BUCKET',
  ListObjectsV2: 'REST.GET.BUCKET',
  ListObjectVersions: 'REST.GET.BUCKETVERSIONS',
  ListMultipartUploads: 'REST.GET.UPLOADS',
  GetBucketLocation: 'REST.GET.LOCATION',
  GetBucketVersioning: 'REST.GET.VERSIONING',
  PutBucketVersioning: 'REST.PUT.VERSIONING',
  GetBucketPolicy: 'REST.GET.BUCKETPOLICY',
  PutBucketPolicy: 'REST.PUT.BUCKETPOLICY',
  DeleteBucketPolicy: 'REST.DELETE.BUCKETPOLICY',
  GetBucketPolicyStatus: 'REST.GET.POLICY_STATUS',
  GetBucketAcl: 'REST.GET.ACL',
  PutBucketAcl: 'REST.PUT.ACL',
  GetObjectAcl: 'REST.GET.ACL',
  PutObjectAcl: 'REST.PUT.ACL',
  GetBucketLogging: 'REST.GET.LOGGING_STATUS',
  PutBucketLogging: 'REST.PUT.LOGGING_STATUS',
  GetBucketOwnershipControls: 'REST.GET.OWNERSHIP_CONTROLS',
  PutBucketOwnershipControls: 'REST.PUT.OWNERSHIP_CONTROLS',
  DeleteBucketOwnershipControls: 'REST.DELETE.OWNERSHIP_CONTROLS',
  GetPublicAccessBlock: 'REST.GET.PUBLIC_ACCESS_BLOCK',
  PutPublicAccessBlock: 'REST.PUT.PUBLIC_ACCESS_BLOCK',
  DeletePublicAccessBlock: 'REST.DELETE.PUBLIC_ACCESS_BLOCK',
  GetBucketEncryption: 'REST.GET.ENCRYPTION',
  PutBucketEncryption: 'REST.PUT.ENCRYPTION',
  DeleteBucketEncryption: 'REST.DELETE.ENCRYPTION',
  GetBucketTagging: 'REST.GET.TAGGING',
  PutBucketTagging: 'REST.PUT.TAGGING',
  DeleteBucketTagging: 'REST.DELETE.TAGGING',
  PutObject: 'REST.PUT.OBJECT',
  CopyObject: 'REST.COPY.OBJECT',
  GetObject: 'REST.GET.OBJECT',
  HeadObject: 'REST.HEAD.OBJECT',
  DeleteObject: 'REST.DELETE.OBJECT',
  DeleteObjects: 'REST.POST.MULTI_OBJECT_DELETE',
  GetObjectTagging: 'REST.GET.OBJECT_TAGGING',
  PutObjectTagging: 'REST.PUT.OBJECT_TAGGING',
  DeleteObjectTagging: 'REST.DELETE.OBJECT_TAGGING',
  CreateMultipartUpload: 'REST.POST.UPLOADS',
  UploadPart: 'REST.PUT.PART',
  UploadPartCopy: 'REST.COPY.PART',
  CompleteMultipartUpload: 'REST.POST.UPLOAD',
  AbortMultipartUpload: 'REST.DELETE.UPLOAD',
  ListParts: 'REST.GET.UPLOAD',
};

/** The log's operation field; unknown operations fall back to REST.METHOD.BUCKET/OBJECT. */
export function logOperationName(operation: string | null, method: string, hasKey: boolean): string {
  if (operation !== null && OPERATION_NAMES[operation]) return OPERATION_NAMES[operation]!;
  return `REST.${method.toUpperCase()}.${hasKey ? 'OBJECT' : 'BUCKET'}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** [06/Feb/2019:00:00:38 +0000] */
export function logTime(ms: number): string {
  const d = new Date(ms);
  return `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000]`;
}

/** A quoted field; embedded quotes and backslashes escaped so the record stays parseable. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;
}

function dash(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/[\s]/g, '+');
}

/** Object keys are URL-encoded in the log (slashes kept). */
export function logKey(key: string | null): string {
  if (key === null) return '-';
  return encodeURIComponent(key).replace(/%2F/g, '/');
}

export interface LogLineContext {
  bucketOwnerCanonicalId: string;
  bucket: string;
  key: string | null;
  operation: string | null;
  /** Canonical ID for account root users; the principal ARN for IAM users and role sessions; null for anonymous. */
  requester: string | null;
}

/**
 * Presigned URLs carry the session token and the signature in the query; log records must never hold
 * them. AWS-DIFF: their values are replaced (AWS writes the request URI as received).
 */
export function redactQuery(rawQuery: string): string {
  if (!rawQuery) return rawQuery;
  return rawQuery
    .split('&')
    .map((part) => (/^(x-amz-security-token|x-amz-signature|signature)=/i.test(part) ? `${part.slice(0, part.indexOf('='))}=REDACTED` : part))
    .join('&');
}

/** One log record (without the trailing newline). */
export function formatLogLine(outcome: RequestOutcome, context: LogLineContext): string {
  const { info, trace } = outcome;
  const socket = info.tls ? (info.req.socket as TLSSocket) : null;
  const cipher = socket?.getCipher?.()?.name ?? null;
  const tlsVersion = socket?.getProtocol?.() ?? null;
  const query = redactQuery(info.rawQuery);
  const requestUri = `${info.method} ${info.rawPath}${query ? `?${query}` : ''} HTTP/${info.req.httpVersion || '1.1'}`;
  const referer = info.headers.referer;
  const fields = [
    dash(context.bucketOwnerCanonicalId),
    dash(context.bucket),
    logTime(info.startMs),
    dash(info.sourceIp),
    dash(context.requester),
    dash(info.requestId),
    logOperationName(context.operation, info.method, context.key !== null),
    logKey(context.key),
    quoted(requestUri),
    String(outcome.status),
    dash(trace.errorCode),
    outcome.bytesSent > 0 ? String(outcome.bytesSent) : '-',
    trace.objectSize !== null && trace.objectSize > 0 ? String(trace.objectSize) : '-',
    String(Math.max(0, Math.round(outcome.endMs - info.startMs))),
    '-', // turn-around time: not measured separately
    quoted(typeof referer === 'string' && referer !== '' ? referer : '-'),
    quoted(info.userAgent || '-'),
    '-', // version ID: crossbucket keeps one version per key
    dash(info.hostId),
    trace.authType ? 'SigV4' : '-',
    dash(cipher),
    dash(trace.authType),
    dash(info.host),
    dash(tlsVersion),
    '-', // access point ARN
    '-', // ACL required
  ];
  return fields.join(' ');
}

function stamp(ms: number): { date: string[]; time: string } {
  const d = new Date(ms);
  const date = [String(d.getUTCFullYear()), two(d.getUTCMonth() + 1), two(d.getUTCDate())];
  return { date, time: `${date.join('-')}-${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(d.getUTCSeconds())}` };
}

export interface LogObjectNameInput {
  targetPrefix: string;
  partitioned: boolean;
  /** Delivery time (the name's timestamp). */
  deliveryMs: number;
  /** Date of the partition (event or delivery time, per PartitionDateSource). */
  partitionMs: number;
  sourceAccountId: string;
  sourceRegion: string;
  sourceBucket: string;
  /** 16 upper-case hex characters. */
  uniqueString: string;
}

/**
 * SimplePrefix: [TargetPrefix][YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]
 * PartitionedPrefix: [TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/[YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]
 */
export function logObjectName(input: LogObjectNameInput): string {
  const delivered = stamp(input.deliveryMs);
  if (!input.partitioned) return `${input.targetPrefix}${delivered.time}-${input.uniqueString}`;
  const partition = stamp(input.partitionMs).date.join('/');
  return `${input.targetPrefix}${input.sourceAccountId}/${input.sourceRegion}/${input.sourceBucket}/${partition}/${delivered.time}-${input.uniqueString}`;
}
