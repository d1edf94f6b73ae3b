/** Block Public Access model [S3-BPA] and Object Ownership rules [S3-OWN] (pure helpers). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../src/protocol/errors.js';
import { parseXml } from '../../src/protocol/xml.js';
import {
  DEFAULT_NEW_BUCKET_OWNERSHIP,
  PUBLIC_ACCESS_BLOCK_ALL,
  PUBLIC_ACCESS_BLOCK_OFF,
  aclsEnabled,
  effectiveOwnership,
  effectivePublicAccessBlock,
  objectOwnerAccount,
  publicAccessBlockFromStored,
  publicAccessBlockFromXml,
  publicAccessBlockToStored,
  renderPublicAccessBlockXml,
} from '../../src/s3-access/index.js';

describe('effectivePublicAccessBlock (S3 UG: "the most restrictive combination" of account and bucket settings)', () => {
  it('is the OR of both levels, flag by flag', () => {
    const bucket = { ...PUBLIC_ACCESS_BLOCK_OFF, blockPublicAcls: true };
    const account = { ...PUBLIC_ACCESS_BLOCK_OFF, restrictPublicBuckets: true };
    assert.deepEqual(effectivePublicAccessBlock(bucket, account), { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true });
  });
  it('missing levels count as all-false', () => {
    assert.deepEqual(effectivePublicAccessBlock(null, null), PUBLIC_ACCESS_BLOCK_OFF);
    assert.deepEqual(effectivePublicAccessBlock(null, PUBLIC_ACCESS_BLOCK_ALL), PUBLIC_ACCESS_BLOCK_ALL);
  });
});

describe('PublicAccessBlockConfiguration XML', () => {
  it('parses flags; absent ones are false', () => {
    const doc = parseXml('<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets>TRUE</RestrictPublicBuckets></PublicAccessBlockConfiguration>')!;
    assert.deepEqual(publicAccessBlockFromXml(doc.PublicAccessBlockConfiguration), { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true });
  });
  it('a non-boolean value is MalformedXML', () => {
    assert.throws(() => publicAccessBlockFromXml({ BlockPublicAcls: 'yes' }), (e: unknown) => e instanceof S3Error && e.code === 'MalformedXML');
  });
  it('renders the four elements in AWS order with the given namespace; stored form round-trips', () => {
    const xml = renderPublicAccessBlockXml(PUBLIC_ACCESS_BLOCK_ALL, 'http://s3.amazonaws.com/doc/2006-03-01/');
    assert.match(xml, /<PublicAccessBlockConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><BlockPublicAcls>true<\/BlockPublicAcls><IgnorePublicAcls>true<\/IgnorePublicAcls><BlockPublicPolicy>true<\/BlockPublicPolicy><RestrictPublicBuckets>true<\/RestrictPublicBuckets><\/PublicAccessBlockConfiguration>/);
    const partial = { ...PUBLIC_ACCESS_BLOCK_OFF, ignorePublicAcls: true };
    assert.deepEqual(publicAccessBlockFromStored(publicAccessBlockToStored(partial)), partial);
    assert.equal(publicAccessBlockFromStored(null), null);
    assert.equal(publicAccessBlockFromStored(''), null);
  });
});

describe('Object Ownership (S3 UG "Controlling ownership of objects and disabling ACLs")', () => {
  const BUCKET_OWNER = '111111111111';
  const WRITER = '222222222222';
  it('new buckets default to BucketOwnerEnforced (ACLs disabled); buckets without controls act as ObjectWriter', () => {
    assert.equal(DEFAULT_NEW_BUCKET_OWNERSHIP, 'BucketOwnerEnforced');
    assert.equal(aclsEnabled('BucketOwnerEnforced'), false);
    assert.equal(effectiveOwnership(null), 'ObjectWriter');
    assert.equal(effectiveOwnership('BucketOwnerPreferred'), 'BucketOwnerPreferred');
  });
  it('BucketOwnerEnforced: the bucket owner owns every object', () => {
    assert.equal(objectOwnerAccount('BucketOwnerEnforced', BUCKET_OWNER, WRITER, null), BUCKET_OWNER);
  });
  it('BucketOwnerPreferred: bucket owner when uploaded with bucket-owner-full-control, else the writer', () => {
    assert.equal(objectOwnerAccount('BucketOwnerPreferred', BUCKET_OWNER, WRITER, 'bucket-owner-full-control'), BUCKET_OWNER);
    assert.equal(objectOwnerAccount('BucketOwnerPreferred', BUCKET_OWNER, WRITER, null), WRITER);
    assert.equal(objectOwnerAccount('BucketOwnerPreferred', BUCKET_OWNER, WRITER, 'bucket-owner-read'), WRITER);
  });
  it('ObjectWriter: the uploading account owns the object, even with bucket-owner-full-control', () => {
    assert.equal(objectOwnerAccount('ObjectWriter', BUCKET_OWNER, WRITER, 'bucket-owner-full-control'), WRITER);
    assert.equal(objectOwnerAccount('ObjectWriter', BUCKET_OWNER, BUCKET_OWNER, null), BUCKET_OWNER);
  });
});
