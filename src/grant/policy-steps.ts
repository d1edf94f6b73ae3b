/** Bucket-policy merges (TLS-only + client statements, log delivery) and access logging. */
import { DeleteBucketPolicyCommand, PutBucketLoggingCommand, PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';
import { call, retryNewPrincipal } from './aws-clients.js';
import { clientBucketStatements, logDeliveryStatement, tlsOnlyStatement } from './documents.js';
import type { Step } from './plan.js';
import { changedStatements, mergeStatements, removeStatements, type Statement } from './policy-json.js';
import { readBucketPolicy, readLogging } from './read-state.js';
import type { GrantRuntime } from './runtime.js';

/** Merge `desired` into the bucket's policy by Sid; other statements are left exactly as they are. */
export async function mergeBucketPolicyStep(s3: S3Client, bucket: string, exists: boolean, desired: Statement[], why: string): Promise<Step> {
  const resource = `s3 bucket policy ${bucket}`;
  const current = exists ? await readBucketPolicy(s3, bucket) : null;
  const changed = changedStatements(current, desired);
  if (changed.length === 0) return { resource, kind: 'no-change', summary: `${why}: statements ${desired.map((s) => s.Sid).join(', ')} present` };
  const merged = mergeStatements(current, desired);
  const kept = current ? current.Statement.filter((s) => !desired.some((d) => d.Sid === s.Sid)).length : 0;
  return {
    resource,
    kind: current ? 'update' : 'create',
    summary: `PutBucketPolicy (${why}): set ${changed.map((s) => s.Sid).join(', ')}; ${kept} other statement(s) kept unchanged`,
    document: merged,
    apply: async () => {
      await call(resource, 'S3', () => retryNewPrincipal(() => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(merged) }))));
    },
  };
}

/** Remove statements by Sid; deletes the policy when nothing else remains. */
export async function unmergeBucketPolicyStep(s3: S3Client, bucket: string, sids: string[]): Promise<Step> {
  const resource = `s3 bucket policy ${bucket}`;
  const current = await readBucketPolicy(s3, bucket);
  const present = current?.Statement.filter((s) => s.Sid && sids.includes(s.Sid)).map((s) => s.Sid!) ?? [];
  if (present.length === 0) return { resource, kind: 'no-change', summary: `no statement ${sids.join(', ')}` };
  const remaining = removeStatements(current, sids);
  if (!remaining) {
    return {
      resource,
      kind: 'delete',
      summary: `DeleteBucketPolicy: ${present.join(', ')} were its only statements`,
      apply: async () => {
        await call(resource, 'S3', () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })));
      },
    };
  }
  return {
    resource,
    kind: 'update',
    summary: `PutBucketPolicy: remove ${present.join(', ')}; ${remaining.Statement.length} other statement(s) kept unchanged`,
    document: remaining,
    apply: async () => {
      await call(resource, 'S3', () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(remaining) })));
    },
  };
}

/** The TLS-only Deny, merged before anything is granted. */
export function tlsPolicyStep(run: GrantRuntime, exists: boolean): Promise<Step> {
  return mergeBucketPolicyStep(run.s3, run.spec.bucket, exists, [tlsOnlyStatement(run.spec.partition, run.spec.bucket)], 'TLS only');
}

/**
 * The client's statements, merged after the role exists. The plan shows the policy as it will be
 * after both merges (TLS-only first, then these).
 */
export async function clientPolicyStep(run: GrantRuntime, exists: boolean): Promise<Step> {
  const tls = tlsOnlyStatement(run.spec.partition, run.spec.bucket);
  const desired = clientBucketStatements(run.spec);
  const step = await mergeBucketPolicyStep(run.s3, run.spec.bucket, exists, desired, `grant for ${run.spec.client}`);
  if (step.kind === 'no-change') return step;
  const bucket = run.spec.bucket;
  return {
    ...step,
    document: mergeStatements(mergeStatements(exists ? await readBucketPolicy(run.s3, bucket) : null, [tls]), desired),
    // Re-read at apply time: the TLS-only step above changed the policy since it was planned.
    apply: async () => {
      const current = await readBucketPolicy(run.s3, bucket);
      const merged = mergeStatements(current, desired);
      await call(step.resource, 'S3', () => retryNewPrincipal(() => run.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(merged) }))));
    },
  };
}

export interface LoggingPlan {
  steps: Step[];
  /** Where the bucket's logs go (existing configuration wins). */
  target: { bucket: string; prefix: string };
}

/**
 * Access logging: an existing configuration is kept; otherwise logs go to the log bucket under
 * s3/<client>/. When the logs land in our log bucket, its policy lets the logging service deliver.
 */
export async function loggingSteps(run: GrantRuntime, bucketExists: boolean, logBucketExists: boolean): Promise<LoggingPlan> {
  const { bucket, client, partition, ownerAccount } = run.spec;
  const resource = `s3 access logging ${bucket}`;
  const current = bucketExists ? await readLogging(run.s3, bucket) : null;
  const target = current?.TargetBucket ? { bucket: current.TargetBucket, prefix: current.TargetPrefix ?? '' } : { bucket: run.logBucket, prefix: `s3/${client}/` };
  const steps: Step[] = [];
  if (target.bucket === run.logBucket) {
    const statement = logDeliveryStatement(partition, ownerAccount, bucket, run.logBucket, target.prefix);
    steps.push(await mergeBucketPolicyStep(run.s3, run.logBucket, logBucketExists, [statement], `log delivery from ${bucket}`));
  }
  if (current?.TargetBucket) {
    steps.push({ resource, kind: 'no-change', summary: `enabled: s3://${target.bucket}/${target.prefix}` });
  } else {
    const document = { LoggingEnabled: { TargetBucket: target.bucket, TargetPrefix: target.prefix } };
    steps.push({
      resource,
      kind: 'create',
      summary: `PutBucketLogging: to s3://${target.bucket}/${target.prefix}`,
      document,
      apply: async () => {
        await call(resource, 'S3', () => run.s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: document })));
      },
    });
  }
  return { steps, target };
}
