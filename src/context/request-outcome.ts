/**
 * What happened in one request, for the observers that record it (S3 server access logs, the
 * CloudTrail-like audit trail). The pipeline fills a RequestTrace as it learns things; when the
 * response has been sent, each observer gets the finished RequestOutcome. Observers must never
 * block or throw: they queue and write in the background.
 */
import type { Identity, RequestInfo } from './request-context.js';

export interface RequestTrace {
  /** Credential-scope service ('s3', 'iam', 'sts', 'kms', 'organizations', 'cloudtrail') or 'crossbucket' for internal paths. */
  service: string;
  /** AWS operation name (PutObject, AssumeRole, CreateKey …); null when the request never resolved to one. */
  operation: string | null;
  /** Set once authentication succeeded (anonymous callers get the anonymous identity). */
  identity: Identity | null;
  bucket: string | null;
  key: string | null;
  /** Owner of the bucket the request targeted (for access-log delivery and cross-account audit visibility). */
  bucketOwnerAccountId: string | null;
  /** Account that owns the resource acted on (role owner for AssumeRole, key owner for KMS …). */
  resourceAccountId: string | null;
  /** ARNs of the resources touched, with their types (CloudTrail "resources"). */
  resources: Array<{ arn: string; type: string; accountId: string | null }>;
  /** Request parameters without secrets (CloudTrail requestParameters). */
  requestParameters: Record<string, unknown> | null;
  /** Response elements without secrets (CloudTrail responseElements). */
  responseElements: Record<string, unknown> | null;
  /** Object size for object operations (access log "Object Size"). */
  objectSize: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** 'AuthHeader' | 'QueryString' for signed requests; null for anonymous. */
  authType: 'AuthHeader' | 'QueryString' | null;
}

export interface RequestOutcome {
  info: RequestInfo;
  trace: RequestTrace;
  status: number;
  /** Response body bytes sent (Content-Length or counted). */
  bytesSent: number;
  endMs: number;
}

export interface RequestObserver {
  observe(outcome: RequestOutcome): void;
  /** Flush pending records (called on clean shutdown). */
  flush?(): Promise<void>;
}

export function newTrace(): RequestTrace {
  return {
    service: 's3',
    operation: null,
    identity: null,
    bucket: null,
    key: null,
    bucketOwnerAccountId: null,
    resourceAccountId: null,
    resources: [],
    requestParameters: null,
    responseElements: null,
    objectSize: null,
    errorCode: null,
    errorMessage: null,
    authType: null,
  };
}
