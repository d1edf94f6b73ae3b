/**
 * Bucket policies: Put/Get/DeleteBucketPolicy and GetBucketPolicyStatus [S3-PUTPOL][S3-BPA].
 * The policy text is stored exactly as given (bucket config 'policy'); GetBucketPolicy returns it verbatim.
 * Validation is the policy engine's (parsePolicy kind 's3-bucket'); BlockPublicPolicy refuses public ones.
 */
import type { App } from '../../app.js';
import type { S3Call, S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { toXml } from '../../protocol/xml.js';
import { parsePolicy, PolicyValidationError, type CompiledPolicy } from '../../policy/index.js';
import { iamKinds, nameKey } from '../../iam/model.js';
import { isPublicPolicy } from '../../s3-access/index.js';
import { readConfigBody } from './config-body.js';
import { loadEffectivePublicAccessBlock } from './public-access-block.js';

export const POLICY_CONFIG = 'policy';

/** Bucket policy documents are limited to 20 KB [S3 UG "Bucket policy examples"]. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role)(?:\/.*)?\/([^/]+)$/;
const SESSION_ARN = /^arn:aws:sts::(\d{12}):/;
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/;

export async function loadBucketPolicyText(app: App, bucket: string): Promise<string | null> {
  return app.store.getBucketConfig(bucket, POLICY_CONFIG);
}

/**
 * Parse and validate a bucket policy as S3 does on PutBucketPolicy: MalformedPolicy with S3's messages;
 * named principals must exist (accounts, IAM users and roles), as AWS resolves them at save time.
 */
export async function validateBucketPolicy(app: App, bucketName: string, text: string): Promise<CompiledPolicy> {
  const accounts = new Set((await app.store.listAccounts()).map((account) => account.id));
  try {
    return await app.store.readDocuments((tx) =>
      parsePolicy(text, 's3-bucket', {
        bucketName,
        principalExists: (arn) => {
          const root = ROOT_ARN.exec(arn);
          if (root) return accounts.has(root[1]!);
          const entity = ENTITY_ARN.exec(arn);
          if (entity) {
            if (!accounts.has(entity[1]!)) return false;
            const kind = entity[2] === 'user' ? iamKinds.user : iamKinds.role;
            return tx.get(entity[1]!, kind, nameKey(entity[3]!)) !== null;
          }
          const session = SESSION_ARN.exec(arn);
          return session !== null && accounts.has(session[1]!);
        },
      }),
    );
  } catch (error) {
    if (error instanceof PolicyValidationError) throw s3Error('MalformedPolicy', error.message);
    throw error;
  }
}

/** Only identities of the bucket owner's account may use the bucket-policy APIs; others get 405 [S3-PUTPOL]. */
function assertOwnerAccount(call: S3Call): void {
  if (call.identity.accountId !== call.bucket!.accountId) {
    throw s3Error('MethodNotAllowed', undefined, { Method: call.info.method, ResourceType: 'BUCKETPOLICY' });
  }
}

export const putBucketPolicy: S3Handler = async (call) => {
  assertOwnerAccount(call);
  const bytes = await readConfigBody(call, (call.body.declaredLength ?? 1) > 0);
  if (bytes.length > BUCKET_POLICY_MAX_BYTES) throw s3Error('MalformedPolicy', 'Policy exceeds the maximum allowed document size.');
  const text = bytes.toString('utf8');
  await validateBucketPolicy(call.app, call.bucketName!, text);
  const block = await loadEffectivePublicAccessBlock(call.app, call.bucket!);
  if (block.blockPublicPolicy && isPublicPolicy(text)) throw s3Error('AccessDenied');
  await call.app.store.putBucketConfig(call.bucketName!, POLICY_CONFIG, text);
  return { status: 204 };
};

export const getBucketPolicy: S3Handler = async (call) => {
  assertOwnerAccount(call);
  const text = await loadBucketPolicyText(call.app, call.bucketName!);
  if (text === null) throw s3Error('NoSuchBucketPolicy', undefined, { BucketName: call.bucketName! });
  return { headers: { 'content-type': 'application/json' }, body: text };
};

export const deleteBucketPolicy: S3Handler = async (call) => {
  assertOwnerAccount(call);
  await call.app.store.putBucketConfig(call.bucketName!, POLICY_CONFIG, null);
  return { status: 204 };
};

export const getBucketPolicyStatus: S3Handler = async (call) => {
  const text = await loadBucketPolicyText(call.app, call.bucketName!);
  if (text === null) throw s3Error('NoSuchBucketPolicy', undefined, { BucketName: call.bucketName! });
  return { body: toXml('PolicyStatus', { IsPublic: isPublicPolicy(text) ? 'true' : 'false' }) };
};
