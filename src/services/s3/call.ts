import type { Readable } from 'node:stream';
import type { App } from '../../app.js';
import type { Identity, RequestInfo } from '../../context/request-context.js';
import type { Authorizer } from '../../context/authorizer.js';
import type { BucketRecord, ObjectRecord } from '../../store/types.js';

/** The decoded, verified request body of an S3 call. */
export interface BodySource {
  /** Decoded payload bytes (aws-chunked framing removed, signatures verified as it streams). */
  stream: Readable;
  /** Decoded length when known (Content-Length or x-amz-decoded-content-length). */
  declaredLength: number | null;
  /** Trailer headers (x-amz-checksum-*) once the stream has ended. */
  trailers(): Record<string, string>;
}

/** Everything an S3 handler needs; handlers never check permissions themselves. */
export interface S3Call {
  app: App;
  info: RequestInfo;
  identity: Identity;
  operation: string;
  bucketName: string | null;
  key: string | null;
  /** Loaded by the pipeline for bucket and object operations (null only for CreateBucket/ListBuckets). */
  bucket: BucketRecord | null;
  body: BodySource;
  /**
   * Authorize a further action on another resource of this request (DeleteObjects' per-key
   * s3:DeleteObject, CopyObject's source s3:GetObject); throws AccessDenied when not allowed.
   */
  authorize(action: string, bucket: string, key: string | null): Promise<void>;
  /** The pipeline's authorizer, for calls S3 makes on the caller's behalf (KMS data keys for SSE-KMS). */
  authorizer: Authorizer;
  /** The request's global (and S3) condition keys, as the pipeline authorized it. */
  conditions: Record<string, string | string[]>;
  /** The object at bucket/key, read at most once per request (authorization may have read it already). */
  getObject?: (bucket: string, key: string) => Promise<ObjectRecord | null>;
}

export interface S3Result {
  status?: number;
  headers?: Record<string, string | number>;
  body?: string | Buffer | Readable;
}

export type S3Handler = (call: S3Call) => Promise<S3Result>;
