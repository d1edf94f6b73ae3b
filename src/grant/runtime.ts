/** Everything a grant run carries between planning and applying. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Connection } from './aws-clients.js';
import type { GrantSpec } from './documents.js';

export interface GrantRuntime {
  spec: GrantSpec;
  connection: Connection;
  s3: S3Client;
  iam: IAMClient;
  kms: KMSClient;
  /** Region of the bucket (from HeadBucket when it exists, else the connection's). */
  region: string;
  logBucket: string;
  /** --kms as given ('new', an ID, ARN or alias), undefined for SSE-S3. */
  kmsOption?: string;
  /** The key ARN in use; set while applying when the key is created by this run. */
  keyArn?: string;
  /** The external ID the trust policy will require (never printed in plans or progress). */
  externalId: string;
}

/** Shown in plans instead of the external ID. */
export const externalIdPlaceholder = '<external ID: recorded in the hand-off package only>';
