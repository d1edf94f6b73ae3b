import type { S3Call, S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { parseXml, toXml, isoTime } from '../../protocol/xml.js';
import { readAll } from '../../http/body.js';
import { limits } from '../../limits.js';
import { assertValidBucketName } from './bucket-names.js';
import { ownerXml } from './owner.js';
import { DEFAULT_NEW_BUCKET_OWNERSHIP, PUBLIC_ACCESS_BLOCK_ALL, isObjectOwnership, publicAccessBlockToStored } from '../../s3-access/index.js';
import { resolveCreateBucketAcl, storeBucketAcl } from './acl.js';
import { OWNERSHIP_CONFIG } from './ownership-controls.js';
import { PUBLIC_ACCESS_BLOCK_CONFIG, loadAccountPublicAccessBlock } from './public-access-block.js';

function requireAccount(call: S3Call): string {
  if (!call.identity.accountId) throw s3Error('AccessDenied');
  return call.identity.accountId;
}

export const listBuckets: S3Handler = async (call) => {
  const accountId = requireAccount(call);
  const prefix = call.info.query.get('prefix') ?? '';
  const maxBucketsText = call.info.query.get('max-buckets');
  const maxBuckets = maxBucketsText === undefined ? 10_000 : Number(maxBucketsText);
  if (!Number.isInteger(maxBuckets) || maxBuckets < 1 || maxBuckets > 10_000) throw s3Error('InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000', { ArgumentName: 'max-buckets', ArgumentValue: String(maxBucketsText) });
  const after = call.info.query.get('continuation-token') ? Buffer.from(call.info.query.get('continuation-token')!, 'base64url').toString() : '';
  const all = (await call.app.store.listBuckets(accountId)).filter((b) => b.name.startsWith(prefix) && b.name > after);
  const page = all.slice(0, maxBuckets);
  const body: Record<string, unknown> = {
    Owner: await ownerXml(call.app, accountId),
    Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: isoTime(b.createdAtMs), BucketRegion: b.region })) },
  };
  if (all.length > page.length) body.ContinuationToken = Buffer.from(page[page.length - 1]!.name).toString('base64url');
  if (prefix) body.Prefix = prefix;
  return { body: toXml('ListAllMyBucketsResult', body) };
};

export const createBucket: S3Handler = async (call) => {
  const accountId = requireAccount(call);
  const name = call.bucketName!;
  assertValidBucketName(name);
  const region = call.app.config.region;
  const text = (await readAll(call.body.stream, limits.configBodyMaxBytes)).toString('utf8');
  let constraint: string | null = null;
  if (text.trim() !== '') {
    const doc = parseXml(text);
    if (!doc || !('CreateBucketConfiguration' in doc)) throw s3Error('MalformedXML');
    const config = doc.CreateBucketConfiguration;
    const value = typeof config === 'object' && config !== null ? config.LocationConstraint : undefined;
    constraint = value === undefined || value === '' ? null : String(value);
  }
  if (constraint !== null) {
    // S3: us-east-1 is never a LocationConstraint value; other regions must match the endpoint's region.
    if (constraint === 'us-east-1' && region === 'us-east-1') throw s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: constraint });
    if (constraint !== region) {
      // AWS-DIFF: crossbucket serves one region; AWS's us-east-1 endpoint would create the bucket in another region.
      throw s3Error('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
  } else if (region !== 'us-east-1') {
    throw s3Error('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
  }
  const existing = await call.app.store.getBucket(name);
  if (existing) {
    if (existing.accountId !== accountId) throw s3Error('BucketAlreadyExists', undefined, { BucketName: name });
    // S3: in us-east-1 re-creating your own bucket succeeds (legacy behaviour); elsewhere 409.
    if (region !== 'us-east-1') throw s3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
    return { headers: { location: `/${name}` } };
  }
  const owned = await call.app.store.listBuckets(accountId);
  if (owned.length >= limits.bucketsPerAccountMax) throw s3Error('TooManyBuckets');
  // Object Ownership (default BucketOwnerEnforced) and the bucket ACL from x-amz-acl / x-amz-grant-* [S3-OWN][S3-ACL].
  const ownershipHeader = call.info.headers['x-amz-object-ownership'];
  const ownership = ownershipHeader === undefined ? DEFAULT_NEW_BUCKET_OWNERSHIP : String(ownershipHeader);
  if (!isObjectOwnership(ownership)) throw s3Error('InvalidArgument', 'Invalid x-amz-object-ownership header', { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership });
  const accountBlock = await loadAccountPublicAccessBlock(call.app, accountId);
  const acl = await resolveCreateBucketAcl(call.app, call.info.headers, accountId, ownership, accountBlock?.blockPublicAcls ?? false);
  const result = await call.app.store.createBucket({ name, accountId, region, createdAtMs: call.app.clock.nowMs() });
  if (result === 'exists') {
    const raced = await call.app.store.getBucket(name);
    if (raced && raced.accountId !== accountId) throw s3Error('BucketAlreadyExists', undefined, { BucketName: name });
    return { headers: { location: `/${name}` } };
  }
  // New buckets get ownership controls and all four Block Public Access settings, as on AWS since April 2023.
  await call.app.store.putBucketConfig(name, OWNERSHIP_CONFIG, ownership);
  await call.app.store.putBucketConfig(name, PUBLIC_ACCESS_BLOCK_CONFIG, publicAccessBlockToStored(PUBLIC_ACCESS_BLOCK_ALL));
  if (acl) await storeBucketAcl(call.app, name, acl);
  return { headers: { location: `/${name}` } };
};

export const headBucket: S3Handler = async (call) => {
  return { headers: { 'x-amz-bucket-region': call.bucket!.region, 'x-amz-access-point-alias': 'false' } };
};

export const getBucketLocation: S3Handler = async (call) => {
  const region = call.bucket!.region;
  // S3 renders us-east-1 as an empty LocationConstraint.
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n' + `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region === 'us-east-1' ? '' : region}</LocationConstraint>`;
  return { body };
};

export const deleteBucket: S3Handler = async (call) => {
  // Observed AWS behaviour: in-progress multipart uploads do not block DeleteBucket; they go with it.
  if ((await call.app.store.countObjects(call.bucketName!)) === 0) await abortAllUploads(call);
  const result = await call.app.store.deleteBucket(call.bucketName!);
  if (result === 'not-empty') throw s3Error('BucketNotEmpty', undefined, { BucketName: call.bucketName! });
  if (result === 'missing') throw s3Error('NoSuchBucket', undefined, { BucketName: call.bucketName! });
  return { status: 204 };
};

export const getBucketVersioning: S3Handler = async () => {
  // Versioning is never enabled on crossbucket buckets; S3 answers an empty configuration for such buckets.
  return { body: toXml('VersioningConfiguration', {}) };
};

async function abortAllUploads(call: S3Call): Promise<void> {
  for (;;) {
    const uploads = await call.app.store.listUploads(call.bucketName!, '', '', '', 1000);
    if (uploads.length === 0) return;
    for (const upload of uploads) {
      const parts = await call.app.store.abortUpload(upload.uploadId);
      await Promise.all((parts ?? []).map((part) => call.app.blobs.delete(part.blobId).catch(() => undefined)));
    }
  }
}
