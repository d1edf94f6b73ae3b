/**
 * Server access logging: Get/PutBucketLogging (S3 API Reference "PutBucketLogging", S3 UG
 * "Enabling Amazon S3 server access logging"). Stored as bucket config 'logging'; the target must
 * exist, belong to the same account and region, and let the logging service deliver into it.
 */
import { randomBytes } from 'node:crypto';
import type { S3Handler } from './call.js';
import { S3Error, s3Error } from '../../protocol/errors.js';
import { toXml } from '../../protocol/xml.js';
import { readXmlBody } from './config-body.js';
import { AccountDirectory } from './acl.js';
import { loadObjectOwnership } from './ownership-controls.js';
import { aclsEnabled } from '../../s3-access/index.js';
import { LOGGING_CONFIG, LOGGING_NAMESPACE, LoggingXmlError, loggingFromStored, parseLoggingStatus, renderLoggingStatus, type LoggingConfig } from '../../access-log/config.js';
import { deliveryPermitted } from '../../access-log/permission.js';
import { logObjectName } from '../../access-log/format.js';

function invalidTarget(message: string, target: string) {
  return s3Error('InvalidTargetBucketForLogging', message, { TargetBucket: target });
}

export const getBucketLogging: S3Handler = async (call) => {
  const config = loggingFromStored(await call.app.store.getBucketConfig(call.bucketName!, LOGGING_CONFIG));
  const directory = config?.targetGrants.length ? await AccountDirectory.load(call.app) : null;
  return { body: toXml('BucketLoggingStatus', renderLoggingStatus(config, (id) => directory?.displayName(id)), LOGGING_NAMESPACE) };
};

export const putBucketLogging: S3Handler = async (call) => {
  const root = await readXmlBody(call, 'BucketLoggingStatus', (call.body.declaredLength ?? 1) > 0);
  let config: LoggingConfig | null;
  try {
    config = parseLoggingStatus(root);
  } catch (error) {
    if (error instanceof LoggingXmlError) throw s3Error(error.code, error.code === 'MalformedXML' ? undefined : error.message);
    throw error;
  }
  if (config === null) {
    await call.app.store.putBucketConfig(call.bucketName!, LOGGING_CONFIG, null);
    return {};
  }
  await validateTarget(call, config);
  await call.app.store.putBucketConfig(call.bucketName!, LOGGING_CONFIG, JSON.stringify(config));
  return {};
};

async function validateTarget(call: Parameters<S3Handler>[0], config: LoggingConfig): Promise<void> {
  const source = call.bucket!;
  const target = await call.app.store.getBucket(config.targetBucket);
  if (!target) throw invalidTarget('The target bucket for logging does not exist', config.targetBucket);
  if (target.accountId !== source.accountId) throw invalidTarget('The owner for the bucket to be logged and the target bucket must be the same.', config.targetBucket);
  if (target.region !== source.region) throw new S3Error('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', 403, { TargetBucketLocation: target.region });
  if (config.targetGrants.length > 0) {
    const ownership = await loadObjectOwnership(call.app, target.name);
    if (!aclsEnabled(ownership)) {
      throw invalidTarget('Target grants are not allowed when the target bucket has the bucket owner enforced setting for Object Ownership.', config.targetBucket);
    }
    const directory = await AccountDirectory.load(call.app);
    for (const grant of config.targetGrants) {
      if (grant.grantee.type === 'AmazonCustomerByEmail') throw s3Error('UnresolvableGrantByEmailAddress');
      if (grant.grantee.type === 'CanonicalUser' && !directory.accountOf(grant.grantee.id)) throw s3Error('InvalidArgument', 'Invalid id', { ArgumentName: 'CanonicalUser/ID', ArgumentValue: grant.grantee.id });
    }
  }
  const now = call.app.clock.nowMs();
  const sampleKey = logObjectName({
    targetPrefix: config.targetPrefix,
    partitioned: config.keyFormat?.type === 'PartitionedPrefix',
    deliveryMs: now,
    partitionMs: now,
    sourceAccountId: source.accountId,
    sourceRegion: source.region,
    sourceBucket: source.name,
    uniqueString: randomBytes(8).toString('hex').toUpperCase(),
  });
  if (!(await deliveryPermitted(call.app, { source, target, sampleKey }))) {
    throw invalidTarget('You must either provide the necessary permissions to the logging service using a bucket policy or give the log-delivery group WRITE and READ_ACP permissions to the target bucket', config.targetBucket);
  }
}
