/** Steps for the bucket itself: existence, Block Public Access, ownership, default encryption. */
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { call } from './aws-clients.js';
import type { Step } from './plan.js';
import { readEncryption, readOwnership, readPublicAccessBlock } from './read-state.js';
import type { GrantRuntime } from './runtime.js';

const allBlocked = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export function createBucketStep(run: GrantRuntime, bucket: string, exists: boolean): Step {
  const resource = `s3 bucket ${bucket}`;
  if (exists) return { resource, kind: 'no-change', summary: 'exists' };
  const configuration = run.region === 'us-east-1' ? undefined : { LocationConstraint: run.region as BucketLocationConstraint };
  return {
    resource,
    kind: 'create',
    summary: `CreateBucket in ${run.region}`,
    ...(configuration ? { document: configuration } : {}),
    apply: async () => {
      await call(resource, 'S3', () => run.s3.send(new CreateBucketCommand({ Bucket: bucket, ...(configuration ? { CreateBucketConfiguration: configuration } : {}) })));
    },
  };
}

export async function publicAccessBlockStep(run: GrantRuntime, bucket: string, exists: boolean): Promise<Step> {
  const resource = `s3 block public access ${bucket}`;
  const current = exists ? await readPublicAccessBlock(run.s3, bucket) : null;
  const ok = current !== null && Object.keys(allBlocked).every((key) => current[key as keyof typeof allBlocked] === true);
  if (ok) return { resource, kind: 'no-change', summary: 'all four settings on' };
  return {
    resource,
    kind: current ? 'update' : 'create',
    summary: 'PutPublicAccessBlock: all four settings on',
    document: allBlocked,
    apply: async () => {
      await call(resource, 'S3', () => run.s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: allBlocked })));
    },
  };
}

export async function ownershipStep(run: GrantRuntime, bucket: string, exists: boolean): Promise<Step> {
  const resource = `s3 object ownership ${bucket}`;
  const current = exists ? await readOwnership(run.s3, bucket) : null;
  if (current === 'BucketOwnerEnforced') return { resource, kind: 'no-change', summary: 'BucketOwnerEnforced (ACLs disabled)' };
  const document = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' as const }] };
  return {
    resource,
    kind: current ? 'update' : 'create',
    summary: `PutBucketOwnershipControls: ${current ?? 'none'} → BucketOwnerEnforced (ACLs disabled)`,
    document,
    apply: async () => {
      await call(resource, 'S3', () => run.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: document })));
    },
  };
}

function sameKey(configured: string | undefined, keyArn: string): boolean {
  if (!configured) return false;
  return configured === keyArn || keyArn.endsWith(`/${configured}`) || configured.endsWith(`/${keyArn.split('/').pop()}`);
}

/**
 * SSE-KMS with the grant's key when --kms is given; otherwise any existing default encryption is
 * kept and SSE-S3 (AES256) is set where there is none.
 */
export async function encryptionStep(run: GrantRuntime, bucket: string, exists: boolean, keyArnKnown: string | undefined): Promise<Step> {
  const resource = `s3 default encryption ${bucket}`;
  const current = exists ? await readEncryption(run.s3, bucket) : null;
  if (!run.kmsOption) {
    if (current?.SSEAlgorithm) return { resource, kind: 'no-change', summary: `${current.SSEAlgorithm}${current.KMSMasterKeyID ? ` with ${current.KMSMasterKeyID}` : ''}` };
    const document = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' as const } }] };
    return {
      resource,
      kind: 'create',
      summary: 'PutBucketEncryption: SSE-S3 (AES256)',
      document,
      apply: async () => {
        await call(resource, 'S3', () => run.s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: document })));
      },
    };
  }
  if (keyArnKnown && current?.SSEAlgorithm === 'aws:kms' && sameKey(current.KMSMasterKeyID, keyArnKnown)) {
    return { resource, kind: 'no-change', summary: `aws:kms with ${keyArnKnown}` };
  }
  const document = (keyArn: string) => ({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] });
  return {
    resource,
    kind: current ? 'update' : 'create',
    summary: `PutBucketEncryption: SSE-KMS${current?.SSEAlgorithm ? ` (was ${current.SSEAlgorithm})` : ''}`,
    document: document(keyArnKnown ?? '<ARN of the key created above>'),
    apply: async () => {
      const keyArn = run.keyArn ?? keyArnKnown;
      if (!keyArn) throw new Error('internal: KMS key ARN unknown when setting bucket encryption');
      await call(resource, 'S3', () => run.s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: document(keyArn) })));
    },
  };
}
