/**
 * S3 action names and the resource type each applies to, for bucket-policy validation
 * ("Policy has invalid action", "Action does not apply to any resource(s) in statement" [S3-PUTPOL];
 * action list from the S3 UG "Required permissions for Amazon S3 API operations" [S3-ACTIONS]).
 */
export type S3ResourceType = 'bucket' | 'object' | 'account';

const OBJECT_ACTIONS = [
  'AbortMultipartUpload', 'BypassGovernanceRetention', 'DeleteObject', 'DeleteObjectTagging', 'DeleteObjectVersion',
  'DeleteObjectVersionTagging', 'GetObject', 'GetObjectAcl', 'GetObjectAttributes', 'GetObjectLegalHold',
  'GetObjectRetention', 'GetObjectTagging', 'GetObjectTorrent', 'GetObjectVersion', 'GetObjectVersionAcl',
  'GetObjectVersionAttributes', 'GetObjectVersionForReplication', 'GetObjectVersionTagging', 'GetObjectVersionTorrent',
  'InitiateReplication', 'ListMultipartUploadParts', 'ObjectOwnerOverrideToBucketOwner', 'PutObject', 'PutObjectAcl',
  'PutObjectLegalHold', 'PutObjectRetention', 'PutObjectTagging', 'PutObjectVersionAcl', 'PutObjectVersionTagging',
  'ReplicateDelete', 'ReplicateObject', 'ReplicateTags', 'RestoreObject',
];

const BUCKET_ACTIONS = [
  'CreateBucket', 'DeleteBucket', 'DeleteBucketOwnershipControls', 'DeleteBucketPolicy', 'DeleteBucketWebsite',
  'GetAccelerateConfiguration', 'GetAnalyticsConfiguration', 'GetBucketAcl', 'GetBucketCORS', 'GetBucketLocation',
  'GetBucketLogging', 'GetBucketNotification', 'GetBucketObjectLockConfiguration', 'GetBucketOwnershipControls',
  'GetBucketPolicy', 'GetBucketPolicyStatus', 'GetBucketPublicAccessBlock', 'GetBucketRequestPayment',
  'GetBucketTagging', 'GetBucketVersioning', 'GetBucketWebsite', 'GetEncryptionConfiguration',
  'GetIntelligentTieringConfiguration', 'GetInventoryConfiguration', 'GetLifecycleConfiguration',
  'GetMetricsConfiguration', 'GetReplicationConfiguration', 'ListBucket', 'ListBucketMultipartUploads',
  'ListBucketVersions', 'PutAccelerateConfiguration', 'PutAnalyticsConfiguration', 'PutBucketAcl', 'PutBucketCORS',
  'PutBucketLogging', 'PutBucketNotification', 'PutBucketObjectLockConfiguration', 'PutBucketOwnershipControls',
  'PutBucketPolicy', 'PutBucketPublicAccessBlock', 'PutBucketRequestPayment', 'PutBucketTagging',
  'PutBucketVersioning', 'PutBucketWebsite', 'PutEncryptionConfiguration', 'PutIntelligentTieringConfiguration',
  'PutInventoryConfiguration', 'PutLifecycleConfiguration', 'PutMetricsConfiguration', 'PutReplicationConfiguration',
];

const ACCOUNT_ACTIONS = [
  'CreateJob', 'DescribeJob', 'GetAccountPublicAccessBlock', 'ListAccessPoints', 'ListAllMyBuckets', 'ListJobs',
  'PutAccountPublicAccessBlock', 'UpdateJobPriority', 'UpdateJobStatus',
];

/** Lower-cased `s3:name` → resource type. */
export const S3_ACTIONS: ReadonlyMap<string, S3ResourceType> = new Map([
  ...OBJECT_ACTIONS.map((name) => [`s3:${name.toLowerCase()}`, 'object'] as const),
  ...BUCKET_ACTIONS.map((name) => [`s3:${name.toLowerCase()}`, 'bucket'] as const),
  ...ACCOUNT_ACTIONS.map((name) => [`s3:${name.toLowerCase()}`, 'account'] as const),
]);
