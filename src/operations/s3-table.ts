/**
 * THE S3 operation table: operation → IAM action, resource level and handler (design.md).
 * The pipeline authorizes from this table; handlers only run once allowed.
 */
import type { S3Handler } from '../services/s3/call.js';
import * as buckets from '../services/s3/buckets.js';
import * as objects from '../services/s3/objects.js';
import * as list from '../services/s3/list.js';
import * as multipart from '../services/s3/multipart.js';
import * as tagging from '../services/s3/tagging.js';
import { deleteObjects } from '../services/s3/delete-objects.js';
import * as bucketPolicy from '../services/s3/bucket-policy.js';
import * as acl from '../services/s3/acl.js';
import * as ownershipControls from '../services/s3/ownership-controls.js';
import * as publicAccessBlock from '../services/s3/public-access-block.js';
import * as bucketLogging from '../services/s3/bucket-logging.js';
import * as bucketEncryption from '../services/s3/encryption.js';

export interface S3Operation {
  /** IAM action authorized for the target resource (null: checked per key by the handler). */
  action: string | null;
  /** 'service' → resource "*"; 'bucket' → arn:aws:s3:::B; 'object' → arn:aws:s3:::B/K. */
  resource: 'service' | 'bucket' | 'object';
  /** Whether the bucket must exist before authorization (everything but ListBuckets and CreateBucket). */
  needsBucket: boolean;
  /** Also authorize s3:GetObject on the x-amz-copy-source object. */
  readsCopySource?: boolean;
  handler: S3Handler;
}

const op = (action: string | null, resource: S3Operation['resource'], handler: S3Handler, extra: Partial<S3Operation> = {}): S3Operation => ({
  action,
  resource,
  needsBucket: resource !== 'service',
  handler,
  ...extra,
});

export const s3Operations: Record<string, S3Operation> = {
  ListBuckets: op('s3:ListAllMyBuckets', 'service', buckets.listBuckets),
  CreateBucket: op('s3:CreateBucket', 'bucket', buckets.createBucket, { needsBucket: false }),
  HeadBucket: op('s3:ListBucket', 'bucket', buckets.headBucket),
  GetBucketLocation: op('s3:GetBucketLocation', 'bucket', buckets.getBucketLocation),
  DeleteBucket: op('s3:DeleteBucket', 'bucket', buckets.deleteBucket),
  GetBucketVersioning: op('s3:GetBucketVersioning', 'bucket', buckets.getBucketVersioning),
  ListObjects: op('s3:ListBucket', 'bucket', list.listObjects),
  ListObjectsV2: op('s3:ListBucket', 'bucket', list.listObjectsV2),
  ListObjectVersions: op('s3:ListBucketVersions', 'bucket', list.listObjectVersions),
  ListMultipartUploads: op('s3:ListBucketMultipartUploads', 'bucket', multipart.listMultipartUploads),
  DeleteObjects: op(null, 'bucket', deleteObjects),
  GetBucketPolicy: op('s3:GetBucketPolicy', 'bucket', bucketPolicy.getBucketPolicy),
  PutBucketPolicy: op('s3:PutBucketPolicy', 'bucket', bucketPolicy.putBucketPolicy),
  DeleteBucketPolicy: op('s3:DeleteBucketPolicy', 'bucket', bucketPolicy.deleteBucketPolicy),
  GetBucketPolicyStatus: op('s3:GetBucketPolicyStatus', 'bucket', bucketPolicy.getBucketPolicyStatus),
  GetBucketAcl: op('s3:GetBucketAcl', 'bucket', acl.getBucketAcl),
  PutBucketAcl: op('s3:PutBucketAcl', 'bucket', acl.putBucketAcl),
  GetBucketOwnershipControls: op('s3:GetBucketOwnershipControls', 'bucket', ownershipControls.getBucketOwnershipControls),
  PutBucketOwnershipControls: op('s3:PutBucketOwnershipControls', 'bucket', ownershipControls.putBucketOwnershipControls),
  DeleteBucketOwnershipControls: op('s3:PutBucketOwnershipControls', 'bucket', ownershipControls.deleteBucketOwnershipControls),
  GetPublicAccessBlock: op('s3:GetBucketPublicAccessBlock', 'bucket', publicAccessBlock.getPublicAccessBlock),
  PutPublicAccessBlock: op('s3:PutBucketPublicAccessBlock', 'bucket', publicAccessBlock.putPublicAccessBlock),
  DeletePublicAccessBlock: op('s3:PutBucketPublicAccessBlock', 'bucket', publicAccessBlock.deletePublicAccessBlock),
  GetBucketLogging: op('s3:GetBucketLogging', 'bucket', bucketLogging.getBucketLogging),
  PutBucketLogging: op('s3:PutBucketLogging', 'bucket', bucketLogging.putBucketLogging),
  GetBucketEncryption: op('s3:GetEncryptionConfiguration', 'bucket', bucketEncryption.getBucketEncryption),
  PutBucketEncryption: op('s3:PutEncryptionConfiguration', 'bucket', bucketEncryption.putBucketEncryption),
  DeleteBucketEncryption: op('s3:PutEncryptionConfiguration', 'bucket', bucketEncryption.deleteBucketEncryption),

  PutObject: op('s3:PutObject', 'object', objects.putObject),
  CopyObject: op('s3:PutObject', 'object', objects.copyObject, { readsCopySource: true }),
  GetObject: op('s3:GetObject', 'object', objects.getObject),
  HeadObject: op('s3:GetObject', 'object', objects.headObject),
  DeleteObject: op('s3:DeleteObject', 'object', objects.deleteObject),
  GetObjectTagging: op('s3:GetObjectTagging', 'object', tagging.getObjectTagging),
  PutObjectTagging: op('s3:PutObjectTagging', 'object', tagging.putObjectTagging),
  DeleteObjectTagging: op('s3:DeleteObjectTagging', 'object', tagging.deleteObjectTagging),
  GetObjectAcl: op('s3:GetObjectAcl', 'object', acl.getObjectAcl),
  PutObjectAcl: op('s3:PutObjectAcl', 'object', acl.putObjectAcl),
  CreateMultipartUpload: op('s3:PutObject', 'object', multipart.createMultipartUpload),
  UploadPart: op('s3:PutObject', 'object', multipart.uploadPart),
  UploadPartCopy: op('s3:PutObject', 'object', multipart.uploadPartCopy, { readsCopySource: true }),
  CompleteMultipartUpload: op('s3:PutObject', 'object', multipart.completeMultipartUpload),
  AbortMultipartUpload: op('s3:AbortMultipartUpload', 'object', multipart.abortMultipartUpload),
  ListParts: op('s3:ListMultipartUploadParts', 'object', multipart.listParts),
};
