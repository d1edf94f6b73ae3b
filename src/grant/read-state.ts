/** Reads of current state where "not configured" is an answer, not an error. */
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type LoggingEnabled,
  type PublicAccessBlockConfiguration,
  type S3Client,
  type ServerSideEncryptionByDefault,
} from '@aws-sdk/client-s3';
import { AwsStepError, awsErrorInfo, call, errorCode, httpStatus } from './aws-clients.js';
import { parsePolicy, type PolicyDocument } from './policy-json.js';

export async function orNull<T>(step: string, service: string, notFound: string[], run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    const code = errorCode(error);
    if (code && notFound.includes(code)) return null;
    const info = awsErrorInfo(error, service);
    if (info) throw new AwsStepError(step, info);
    throw error;
  }
}

/** 'absent', or the bucket's region ('' when unknown). A bucket of another account is an error. */
export async function headBucket(s3: S3Client, bucket: string): Promise<{ exists: false } | { exists: true; region?: string }> {
  try {
    const out = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return { exists: true, ...(out.BucketRegion ? { region: out.BucketRegion } : {}) };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) return { exists: false };
    const info = awsErrorInfo(error, 'S3');
    if (info && status === 403) {
      throw new AwsStepError(`s3 bucket ${bucket}`, { ...info, code: info.code === 'UnknownError' || info.code === 'Forbidden' ? 'AccessDenied' : info.code, message: 'HeadBucket was refused: the bucket belongs to another account or this identity may not read it' });
    }
    if (info) throw new AwsStepError(`s3 bucket ${bucket}`, info);
    throw error;
  }
}

export async function readBucketPolicy(s3: S3Client, bucket: string): Promise<PolicyDocument | null> {
  const out = await orNull(`s3 bucket policy ${bucket}`, 'S3', ['NoSuchBucketPolicy'], () => s3.send(new GetBucketPolicyCommand({ Bucket: bucket })));
  return parsePolicy(out?.Policy);
}

export async function readPublicAccessBlock(s3: S3Client, bucket: string): Promise<PublicAccessBlockConfiguration | null> {
  const out = await orNull(`s3 public access block ${bucket}`, 'S3', ['NoSuchPublicAccessBlockConfiguration'], () => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })));
  return out?.PublicAccessBlockConfiguration ?? null;
}

export async function readOwnership(s3: S3Client, bucket: string): Promise<string | null> {
  const out = await orNull(`s3 ownership controls ${bucket}`, 'S3', ['OwnershipControlsNotFoundError'], () => s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })));
  return out?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null;
}

export async function readEncryption(s3: S3Client, bucket: string): Promise<ServerSideEncryptionByDefault | null> {
  const out = await orNull(`s3 default encryption ${bucket}`, 'S3', ['ServerSideEncryptionConfigurationNotFoundError'], () => s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })));
  return out?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault ?? null;
}

export async function readLogging(s3: S3Client, bucket: string): Promise<LoggingEnabled | null> {
  const out = await call(`s3 access logging ${bucket}`, 'S3', () => s3.send(new GetBucketLoggingCommand({ Bucket: bucket })));
  return out.LoggingEnabled ?? null;
}
