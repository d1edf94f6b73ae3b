/** Read the current state and plan every step of a grant, in the order they must be applied. */
import { randomBytes } from 'node:crypto';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { call, iamClient, kmsClient, s3Client, stsClient, type Connection } from './aws-clients.js';
import { createBucketStep, encryptionStep, ownershipStep, publicAccessBlockStep } from './bucket-steps.js';
import type { GrantSpec } from './documents.js';
import { externalIdOf, managedPolicySteps, readRole, roleSteps } from './iam-steps.js';
import { kmsSteps } from './kms-steps.js';
import type { Step } from './plan.js';
import { clientPolicyStep, loggingSteps, tlsPolicyStep } from './policy-steps.js';
import { headBucket, readEncryption } from './read-state.js';
import type { GrantRuntime } from './runtime.js';
import { GrantInputError, validateBucketName, type Access } from './validate.js';

export interface GrantInput {
  bucket: string;
  client: string;
  externalAccount: string;
  access: Access;
  prefix: string;
  maxSessionSeconds: number;
  kms?: string;
  logBucket?: string;
  externalId?: string;
}

/** 32 characters from 24 random bytes (base64url: letters, digits, '-' and '_', all valid in sts:ExternalId). */
export function generateExternalId(): string {
  return randomBytes(24).toString('base64url');
}

export interface Caller {
  account: string;
  partition: string;
  arn: string;
}

export async function whoAmI(sts: STSClient): Promise<Caller> {
  const out = await call('sts caller identity', 'STS', () => sts.send(new GetCallerIdentityCommand({})));
  const arn = out.Arn ?? '';
  return { account: out.Account ?? '', partition: arn.split(':')[1] || 'aws', arn };
}

export interface GrantPlan {
  run: GrantRuntime;
  steps: Step[];
  logTarget: { bucket: string; prefix: string };
}

export async function planGrant(input: GrantInput, connection: Connection): Promise<GrantPlan> {
  const caller = await whoAmI(stsClient(connection));
  if (caller.account === input.externalAccount) throw new GrantInputError(`--external-account ${input.externalAccount} is the account running the grant; cross-account access needs another account`);
  const logBucket = input.logBucket ?? `${caller.account}-access-logs`;
  validateBucketName(logBucket, '--log-bucket');
  if (logBucket === input.bucket) throw new GrantInputError('--log-bucket must differ from --bucket (a bucket must not log into itself)');
  const spec: GrantSpec = {
    bucket: input.bucket,
    client: input.client,
    externalAccount: input.externalAccount,
    ownerAccount: caller.account,
    partition: caller.partition,
    access: input.access,
    prefix: input.prefix,
    maxSessionSeconds: input.maxSessionSeconds,
  };
  const s3 = s3Client(connection);
  const iam = iamClient(connection);
  const bucketState = await headBucket(s3, input.bucket);
  const role = await readRole(iam, input.client);
  const run: GrantRuntime = {
    spec,
    connection,
    s3,
    iam,
    kms: kmsClient(connection),
    region: (bucketState.exists && bucketState.region) || connection.region,
    logBucket,
    ...(input.kms ? { kmsOption: input.kms } : {}),
    externalId: input.externalId ?? externalIdOf(role) ?? generateExternalId(),
  };
  const exists = bucketState.exists;
  const logging = await loggingSteps(run, exists, (await headBucket(s3, logBucket)).exists);
  const logBucketExists = logging.target.bucket === logBucket ? (await headBucket(s3, logBucket)).exists : true;
  const currentEncryption = exists ? await readEncryption(s3, input.bucket) : null;
  const existingKey = currentEncryption?.SSEAlgorithm?.startsWith('aws:kms') ? currentEncryption.KMSMasterKeyID : undefined;
  const key = await kmsSteps(run, existingKey);
  if (key.keyArn) run.keyArn = key.keyArn;
  // Harden first (bucket, BPA, ownership, encryption, TLS-only, logging), then grant (policy, role,
  // key-policy and bucket-policy statements naming the role).
  const steps: Step[] = [
    ...(logging.target.bucket === logBucket ? [createBucketStep(run, logBucket, logBucketExists)] : []),
    createBucketStep(run, input.bucket, exists),
    await publicAccessBlockStep(run, input.bucket, exists),
    await ownershipStep(run, input.bucket, exists),
    ...key.create,
    await encryptionStep(run, input.bucket, exists, key.keyArn),
    await tlsPolicyStep(run, exists),
    ...logging.steps,
    ...(await managedPolicySteps(run)),
    ...(await roleSteps(run, role)),
    ...key.policy,
    await clientPolicyStep(run, exists),
  ];
  return { run, steps, logTarget: logging.target };
}
