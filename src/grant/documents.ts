/**
 * The documents grant writes, computed from the input alone (pure): the role's permissions policy,
 * its trust policy, the bucket-policy statements, the key-policy statement, the log-delivery
 * statement, and the policy the external account attaches to its users.
 */
import { policyVersion, type PolicyDocument, type Statement } from './policy-json.js';
import { roleSuffix, type Access } from './validate.js';

export interface GrantSpec {
  bucket: string;
  client: string;
  externalAccount: string;
  ownerAccount: string;
  partition: string;
  access: Access;
  prefix: string;
  maxSessionSeconds: number;
}

export const clientTagKey = 'crossbucket:client';
export const tlsSid = 'crossbucket-DenyInsecureTransport';

export function roleName(client: string): string {
  return `${client}${roleSuffix}`;
}
export function roleArn(spec: Pick<GrantSpec, 'partition' | 'ownerAccount' | 'client'>): string {
  return `arn:${spec.partition}:iam::${spec.ownerAccount}:role/${roleName(spec.client)}`;
}
export function policyArn(spec: Pick<GrantSpec, 'partition' | 'ownerAccount' | 'client'>): string {
  return `arn:${spec.partition}:iam::${spec.ownerAccount}:policy/${roleName(spec.client)}`;
}
export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** Sids grant owns for a client (bucket policy and key policy); revoke removes exactly these. */
export function clientSids(client: string): { list: string; objects: string; key: string } {
  return { list: `crossbucket-${client}-List`, objects: `crossbucket-${client}-Objects`, key: `crossbucket-${client}-UseKey` };
}

export interface AccessActions {
  bucket: string[];
  object: string[];
}

/** IAM actions per access level (read-write, the default: ListBucket, Get/Put/DeleteObject). */
export function accessActions(access: Access): AccessActions {
  switch (access) {
    case 'read':
      return { bucket: ['s3:ListBucket'], object: ['s3:GetObject'] };
    case 'write':
      return { bucket: [], object: ['s3:PutObject', 's3:DeleteObject'] };
    case 'upload-only':
      return { bucket: [], object: ['s3:PutObject'] };
    case 'read-write':
      return { bucket: ['s3:ListBucket'], object: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] };
  }
}

function one(actions: string[]): string | string[] {
  return actions.length === 1 ? actions[0]! : actions;
}

/** Statements granting the access; `principal` set for the bucket policy, absent for IAM. */
function accessStatements(spec: GrantSpec, sids: { list: string; objects: string }, principal?: unknown): Statement[] {
  const actions = accessActions(spec.access);
  const arn = bucketArn(spec.partition, spec.bucket);
  const statements: Statement[] = [];
  const who = principal === undefined ? {} : { Principal: principal };
  if (actions.bucket.length > 0) {
    statements.push({
      Sid: sids.list,
      Effect: 'Allow',
      ...who,
      Action: one(actions.bucket),
      Resource: arn,
      ...(spec.prefix ? { Condition: { StringLike: { 's3:prefix': [`${spec.prefix}*`] } } } : {}),
    });
  }
  statements.push({ Sid: sids.objects, Effect: 'Allow', ...who, Action: one(actions.object), Resource: `${arn}/${spec.prefix}*` });
  return statements;
}

/** The customer managed policy `<client>-ExtRole` (IAM Sids are alphanumeric). */
export function rolePermissionsPolicy(spec: GrantSpec): PolicyDocument {
  return { Version: policyVersion, Statement: accessStatements(spec, { list: 'ListBucket', objects: 'ObjectAccess' }) };
}

/** Trust: the external account's root (i.e. its users with sts:AssumeRole) and only with the ExternalId. */
export function trustPolicy(spec: GrantSpec, externalId: string): PolicyDocument {
  return {
    Version: policyVersion,
    Statement: [
      {
        Sid: 'ExternalAccountWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: `arn:${spec.partition}:iam::${spec.externalAccount}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}

/** Deny every request over plain HTTP, on the bucket and its objects. */
export function tlsOnlyStatement(partition: string, bucket: string): Statement {
  const arn = bucketArn(partition, bucket);
  return {
    Sid: tlsSid,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Per-client bucket-policy statements: the same grant, visible (and revocable) on the bucket. */
export function clientBucketStatements(spec: GrantSpec): Statement[] {
  return accessStatements(spec, clientSids(spec.client), { AWS: roleArn(spec) });
}

/** Key-policy statement: the role may use the key for S3 reads and writes, nothing more. */
export function clientKeyStatement(spec: GrantSpec): Statement {
  return {
    Sid: clientSids(spec.client).key,
    Effect: 'Allow',
    Principal: { AWS: roleArn(spec) },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
    Resource: '*',
  };
}

/** Default key policy for a new key: the owner account administers it through IAM. */
export function defaultKeyPolicy(partition: string, ownerAccount: string): PolicyDocument {
  return {
    Version: policyVersion,
    Statement: [
      { Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${ownerAccount}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

export function logDeliverySid(bucket: string): string {
  // Dots are replaced by '_', which bucket names cannot contain, so Sids stay unique per bucket.
  return `crossbucket-LogDelivery-${bucket.replace(/\./g, '_')}`;
}

/** Log-bucket statement letting the S3 logging service deliver the bucket's logs under its prefix. */
export function logDeliveryStatement(partition: string, ownerAccount: string, bucket: string, logBucket: string, targetPrefix: string): Statement {
  return {
    Sid: logDeliverySid(bucket),
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${bucketArn(partition, logBucket)}/${targetPrefix}*`,
    Condition: { ArnLike: { 'aws:SourceArn': bucketArn(partition, bucket) }, StringEquals: { 'aws:SourceAccount': ownerAccount } },
  };
}

/** What the external account attaches to its users: AssumeRole on exactly this role. */
export function partnerPolicy(spec: GrantSpec): PolicyDocument {
  return { Version: policyVersion, Statement: [{ Sid: 'AssumeCrossbucketRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn(spec) }] };
}
