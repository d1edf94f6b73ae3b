/**
 * S3 ACLs [S3-ACL][S3-OWN][S3-BPA]: Get/PutBucketAcl, Get/PutObjectAcl, the ACL and owner of objects
 * written by PutObject/CopyObject/CreateMultipartUpload and of new buckets, and loaders the
 * authorizer uses (effective bucket/object ACL). Bucket ACLs are stored as bucket config 'acl'
 * (JSON of the s3-access ACL model); object ACLs in ObjectRecord.acl (null = owner FULL_CONTROL).
 */
import type { App } from '../../app.js';
import type { S3Call, S3Handler } from './call.js';
import type { AccountRecord, BucketRecord, ObjectRecord } from '../../store/types.js';
import { s3Error } from '../../protocol/errors.js';
import { readConfigBody } from './config-body.js';
import {
  aclFromRequestHeaders,
  aclFromStored,
  aclsEnabled,
  defaultAcl,
  isOnlyFullControlFor,
  isPublicAcl,
  objectOwnerAccount,
  parseAclXml,
  renderAclXml,
  withoutPublicGrants,
  type Acl,
  type AclXmlOptions,
  type HeaderAcl,
  type ObjectOwnership,
} from '../../s3-access/index.js';
import { loadObjectOwnership } from './ownership-controls.js';
import { loadEffectivePublicAccessBlock } from './public-access-block.js';

export const ACL_CONFIG = 'acl';

/** Accounts by canonical ID and by account ID (ACL grantees resolve to accounts). */
export class AccountDirectory {
  private constructor(
    private readonly byCanonical: Map<string, AccountRecord>,
    private readonly byId: Map<string, AccountRecord>,
  ) {}

  static async load(app: App): Promise<AccountDirectory> {
    const accounts = await app.store.listAccounts();
    return new AccountDirectory(new Map(accounts.map((a) => [a.canonicalId, a])), new Map(accounts.map((a) => [a.id, a])));
  }

  canonicalIdOf(accountId: string): string {
    return this.byId.get(accountId)?.canonicalId ?? accountId;
  }

  accountOf(canonicalId: string): AccountRecord | undefined {
    return this.byCanonical.get(canonicalId);
  }

  /** Grantee resolution for ACL XML and grant headers. */
  options(): AclXmlOptions {
    // AWS-DIFF: AWS ended email-address grantees (Oct 2025) and never supported them outside eight
    // Regions; crossbucket answers every emailAddress grantee with UnresolvableGrantByEmailAddress.
    return { canonicalExists: (id) => this.byCanonical.has(id) };
  }

  displayName = (canonicalId: string): string | undefined => this.byCanonical.get(canonicalId)?.name;
}

/** The bucket ACL as stored (default: owner FULL_CONTROL). */
export async function loadStoredBucketAcl(app: App, bucket: BucketRecord, directory?: AccountDirectory): Promise<Acl> {
  const stored = aclFromStored(await app.store.getBucketConfig(bucket.name, ACL_CONFIG));
  if (stored) return stored;
  const dir = directory ?? (await AccountDirectory.load(app));
  return defaultAcl(dir.canonicalIdOf(bucket.accountId));
}

/**
 * The bucket ACL S3 evaluates: with BucketOwnerEnforced only the owner's FULL_CONTROL [S3-OWN].
 * (IgnorePublicAcls is applied by the caller, e.g. aclAllows(..., ignorePublicAcls).)
 */
export async function loadEffectiveBucketAcl(app: App, bucket: BucketRecord, ownership?: ObjectOwnership): Promise<Acl> {
  const directory = await AccountDirectory.load(app);
  const setting = ownership ?? (await loadObjectOwnership(app, bucket.name));
  if (!aclsEnabled(setting)) return defaultAcl(directory.canonicalIdOf(bucket.accountId));
  return loadStoredBucketAcl(app, bucket, directory);
}

/** The account that owns an object as S3 sees it: under BucketOwnerEnforced, always the bucket owner. */
export function effectiveObjectOwnerAccount(ownership: ObjectOwnership, record: Pick<ObjectRecord, 'ownerAccountId'>, bucket: BucketRecord): string {
  return aclsEnabled(ownership) ? record.ownerAccountId : bucket.accountId;
}

/** The object ACL S3 evaluates (owner FULL_CONTROL when none was set; bucket owner only under BucketOwnerEnforced). */
export function effectiveObjectAcl(directory: AccountDirectory, ownership: ObjectOwnership, record: Pick<ObjectRecord, 'ownerAccountId' | 'acl'>, bucket: BucketRecord): Acl {
  const ownerCanonical = directory.canonicalIdOf(effectiveObjectOwnerAccount(ownership, record, bucket));
  if (!aclsEnabled(ownership)) return defaultAcl(ownerCanonical);
  return aclFromStored(record.acl) ?? defaultAcl(ownerCanonical);
}

export async function loadEffectiveObjectAcl(app: App, bucket: BucketRecord, record: Pick<ObjectRecord, 'ownerAccountId' | 'acl'>): Promise<Acl> {
  const [directory, ownership] = await Promise.all([AccountDirectory.load(app), loadObjectOwnership(app, bucket.name)]);
  return effectiveObjectAcl(directory, ownership, record, bucket);
}

/** BucketOwnerEnforced accepts only ACLs that give the bucket owner full control and nobody else anything. */
function assertAclAllowedByOwnership(ownership: ObjectOwnership, acl: Acl, bucketOwnerCanonical: string): void {
  if (!aclsEnabled(ownership) && !isOnlyFullControlFor(acl, bucketOwnerCanonical)) throw s3Error('AccessControlListNotSupported');
}

async function assertNotBlockedPublicAcl(app: App, bucket: BucketRecord, acl: Acl): Promise<void> {
  if (!isPublicAcl(acl)) return;
  const block = await loadEffectivePublicAccessBlock(app, bucket);
  if (block.blockPublicAcls) throw s3Error('AccessDenied');
}

export interface WriteAcl {
  /** Owner of the new object (Object Ownership applied). */
  ownerAccountId: string;
  /** ACL to store (null: the default, owner FULL_CONTROL). */
  acl: Acl | null;
}

/**
 * Owner and ACL of an object written by this request (PutObject, CopyObject, CreateMultipartUpload):
 * Object Ownership decides the owner; ACL headers are refused under BucketOwnerEnforced unless they
 * only give the bucket owner full control (AccessControlListNotSupported), and public ACLs are refused
 * under BlockPublicAcls (AccessDenied).
 */
export async function resolveObjectWriteAcl(call: S3Call): Promise<WriteAcl> {
  const bucket = call.bucket!;
  const [directory, ownership] = await Promise.all([AccountDirectory.load(call.app), loadObjectOwnership(call.app, bucket.name)]);
  const bucketOwnerCanonical = directory.canonicalIdOf(bucket.accountId);
  const cannedName = call.info.headers['x-amz-acl'];
  const ownerAccountId = objectOwnerAccount(ownership, bucket.accountId, call.identity.accountId, typeof cannedName === 'string' ? cannedName : null);
  const requested = aclFromRequestHeaders(call.info.headers, directory.canonicalIdOf(ownerAccountId), bucketOwnerCanonical, true, directory.options());
  if (!requested) return { ownerAccountId, acl: null };
  assertAclAllowedByOwnership(ownership, requested.acl, bucketOwnerCanonical);
  if (!aclsEnabled(ownership)) return { ownerAccountId, acl: null };
  await assertNotBlockedPublicAcl(call.app, bucket, requested.acl);
  return { ownerAccountId, acl: requested.acl };
}

/**
 * ACL of a bucket being created (x-amz-acl / x-amz-grant-* on CreateBucket) under the requested Object
 * Ownership. With BucketOwnerEnforced any ACL beyond the owner's full control fails with
 * InvalidBucketAclWithObjectOwnership; a public ACL fails with AccessDenied under the account's
 * BlockPublicAcls, else with InvalidBucketAclWithBlockPublicAccessError (new buckets get BPA on).
 */
export async function resolveCreateBucketAcl(app: App, headers: S3Call['info']['headers'], accountId: string, ownership: ObjectOwnership, accountBlocksPublicAcls: boolean): Promise<Acl | null> {
  const directory = await AccountDirectory.load(app);
  const owner = directory.canonicalIdOf(accountId);
  const requested = aclFromRequestHeaders(headers, owner, owner, false, directory.options());
  if (!requested) return null;
  if (!aclsEnabled(ownership) && !isOnlyFullControlFor(requested.acl, owner)) throw s3Error('InvalidBucketAclWithObjectOwnership');
  if (isPublicAcl(requested.acl)) {
    if (accountBlocksPublicAcls) throw s3Error('AccessDenied');
    throw s3Error('InvalidBucketAclWithBlockPublicAccessError');
  }
  return requested.acl;
}

export async function storeBucketAcl(app: App, bucket: string, acl: Acl | null): Promise<void> {
  await app.store.putBucketConfig(bucket, ACL_CONFIG, acl === null ? null : JSON.stringify(acl));
}

/** ACL from the request: headers (canned/grants) or an AccessControlPolicy body, never both. */
async function requestedAcl(call: S3Call, ownerCanonical: string, bucketOwnerCanonical: string, forObject: boolean, directory: AccountDirectory): Promise<{ acl: Acl; fromHeaders: HeaderAcl | null }> {
  const fromHeaders = aclFromRequestHeaders(call.info.headers, ownerCanonical, bucketOwnerCanonical, forObject, directory.options());
  const hasBody = (call.body.declaredLength ?? 0) > 0;
  const body = hasBody ? await readConfigBody(call, true) : Buffer.alloc(0);
  const text = body.toString('utf8');
  if (fromHeaders) {
    if (text.trim() !== '') throw s3Error('UnexpectedContent');
    return { acl: fromHeaders.acl, fromHeaders };
  }
  if (text.trim() === '') throw s3Error('MalformedACLError');
  const acl = parseAclXml(text, directory.options());
  // The Owner element must name the resource's owner (inferred; S3 refuses changing ownership through an ACL).
  if (acl.ownerId !== ownerCanonical) throw s3Error('AccessDenied');
  return { acl, fromHeaders: null };
}

export const getBucketAcl: S3Handler = async (call) => {
  const bucket = call.bucket!;
  const [directory, ownership, block] = await Promise.all([AccountDirectory.load(call.app), loadObjectOwnership(call.app, bucket.name), loadEffectivePublicAccessBlock(call.app, bucket)]);
  let acl = aclsEnabled(ownership) ? await loadStoredBucketAcl(call.app, bucket, directory) : defaultAcl(directory.canonicalIdOf(bucket.accountId));
  // Get*Acl returns the effective permissions: public grants hidden under IgnorePublicAcls [S3-BPA].
  if (block.ignorePublicAcls) acl = withoutPublicGrants(acl);
  return { body: renderAclXml(acl, directory.displayName) };
};

export const putBucketAcl: S3Handler = async (call) => {
  const bucket = call.bucket!;
  const [directory, ownership] = await Promise.all([AccountDirectory.load(call.app), loadObjectOwnership(call.app, bucket.name)]);
  const owner = directory.canonicalIdOf(bucket.accountId);
  const { acl } = await requestedAcl(call, owner, owner, false, directory);
  assertAclAllowedByOwnership(ownership, acl, owner);
  await assertNotBlockedPublicAcl(call.app, bucket, acl);
  await storeBucketAcl(call.app, bucket.name, acl);
  return {};
};

async function requireObject(call: S3Call): Promise<ObjectRecord> {
  const versionId = call.info.query.get('versionId');
  const record = await call.app.store.getObject(call.bucketName!, call.key!);
  if (versionId !== undefined && versionId !== 'null') throw s3Error('NoSuchVersion', 'The specified version does not exist.', { Key: call.key!, VersionId: versionId });
  if (!record) throw s3Error('NoSuchKey', undefined, { Key: call.key! });
  return record;
}

export const getObjectAcl: S3Handler = async (call) => {
  const bucket = call.bucket!;
  const record = await requireObject(call);
  const [directory, ownership, block] = await Promise.all([AccountDirectory.load(call.app), loadObjectOwnership(call.app, bucket.name), loadEffectivePublicAccessBlock(call.app, bucket)]);
  let acl = effectiveObjectAcl(directory, ownership, record, bucket);
  if (block.ignorePublicAcls) acl = withoutPublicGrants(acl);
  return { body: renderAclXml(acl, directory.displayName) };
};

export const putObjectAcl: S3Handler = async (call) => {
  const bucket = call.bucket!;
  const record = await requireObject(call);
  const [directory, ownership] = await Promise.all([AccountDirectory.load(call.app), loadObjectOwnership(call.app, bucket.name)]);
  const owner = directory.canonicalIdOf(effectiveObjectOwnerAccount(ownership, record, bucket));
  const bucketOwner = directory.canonicalIdOf(bucket.accountId);
  const { acl } = await requestedAcl(call, owner, bucketOwner, true, directory);
  assertAclAllowedByOwnership(ownership, acl, bucketOwner);
  await assertNotBlockedPublicAcl(call.app, bucket, acl);
  // Under BucketOwnerEnforced the accepted ACL (bucket owner full control) is what S3 applies anyway.
  const updated = await call.app.store.updateObjectAttributes(bucket.name, call.key!, { acl: aclsEnabled(ownership) ? acl : null });
  if (!updated) throw s3Error('NoSuchKey', undefined, { Key: call.key! });
  return {};
};
