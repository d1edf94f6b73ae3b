/**
 * Object Ownership [S3-OWN]: who owns a newly written object, and whether ACLs count.
 *  - BucketOwnerEnforced (default for new buckets): ACLs disabled; the bucket owner owns every object.
 *  - BucketOwnerPreferred: the bucket owner owns objects written with bucket-owner-full-control.
 *  - ObjectWriter: the writing account owns the object (also the behaviour of buckets without controls).
 */
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export const OBJECT_OWNERSHIP_VALUES: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

/** What S3 gives a new bucket today. */
export const DEFAULT_NEW_BUCKET_OWNERSHIP: ObjectOwnership = 'BucketOwnerEnforced';

/** A bucket with no ownership controls behaves as ObjectWriter. */
export const OWNERSHIP_WITHOUT_CONTROLS: ObjectOwnership = 'ObjectWriter';

export function isObjectOwnership(value: unknown): value is ObjectOwnership {
  return typeof value === 'string' && (OBJECT_OWNERSHIP_VALUES as readonly string[]).includes(value);
}

/** The effective setting from the stored config text (null: no controls). */
export function effectiveOwnership(stored: string | null): ObjectOwnership {
  return isObjectOwnership(stored) ? stored : OWNERSHIP_WITHOUT_CONTROLS;
}

export function aclsEnabled(ownership: ObjectOwnership): boolean {
  return ownership !== 'BucketOwnerEnforced';
}

/**
 * The account that owns an object written by `writerAccountId` (null: anonymous writer) into a bucket
 * owned by `bucketOwnerAccountId`, given the canned ACL of the request.
 */
export function objectOwnerAccount(ownership: ObjectOwnership, bucketOwnerAccountId: string, writerAccountId: string | null, cannedAcl: string | null): string {
  // AWS-DIFF: AWS records anonymous uploads under a special anonymous canonical ID; crossbucket's object
  // owner is an account, so anonymous writes are owned by the bucket owner.
  if (writerAccountId === null) return bucketOwnerAccountId;
  if (ownership === 'BucketOwnerEnforced') return bucketOwnerAccountId;
  if (ownership === 'BucketOwnerPreferred' && cannedAcl === 'bucket-owner-full-control') return bucketOwnerAccountId;
  return writerAccountId;
}
