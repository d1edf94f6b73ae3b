/**
 * ACL permission → action mapping: one test per row of S3 UG "Access control list (ACL) overview →
 * Mapping of ACL permissions and access policy permissions", plus aclAllows/isPublicAcl [S3-ACL][S3-BPA].
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  LOG_DELIVERY_URI,
  aclAllows,
  aclGrants,
  cannedAcl,
  isPublicAcl,
  permissionsFor,
  withoutPublicGrants,
  type Acl,
  type AclPermission,
} from '../../src/s3-access/index.js';

const OWNER = 'a'.repeat(64);
const PARTNER = 'b'.repeat(64);
const OTHER = 'c'.repeat(64);

const grantTo = (permission: AclPermission, id = PARTNER): Acl => ({ ownerId: OWNER, grants: [{ grantee: { type: 'CanonicalUser', id }, permission }] });
const allows = (acl: Acl, action: string, level: 'bucket' | 'object', id = PARTNER) => aclGrants(acl, action, level).canonicalIds.includes(id);

const bucketActions = ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads', 's3:PutObject', 's3:DeleteObject', 's3:GetBucketAcl', 's3:PutBucketAcl'];
const objectActions = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAcl', 's3:GetObjectVersionAcl', 's3:PutObjectAcl', 's3:PutObjectVersionAcl'];

function exactly(permission: AclPermission, level: 'bucket' | 'object', expected: string[]): void {
  const acl = grantTo(permission);
  const universe = level === 'bucket' ? bucketActions : objectActions;
  const granted = universe.filter((action) => allows(acl, action, level));
  assert.deepEqual(granted.sort(), [...expected].sort());
}

describe('S3 UG "Mapping of ACL permissions and access policy permissions"', () => {
  it('READ on a bucket → s3:ListBucket, s3:ListBucketVersions, s3:ListBucketMultipartUploads', () => {
    exactly('READ', 'bucket', ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads']);
  });
  it('READ on an object → s3:GetObject, s3:GetObjectVersion (and s3:GetObjectTorrent)', () => {
    exactly('READ', 'object', ['s3:GetObject', 's3:GetObjectVersion']);
    assert.ok(allows(grantTo('READ'), 's3:GetObjectTorrent', 'object'));
  });
  it('WRITE on a bucket → s3:PutObject (create, overwrite, delete objects)', () => {
    exactly('WRITE', 'bucket', ['s3:PutObject', 's3:DeleteObject']);
  });
  it('WRITE on a bucket → s3:DeleteObjectVersion only when the grantee is the bucket owner', () => {
    assert.deepEqual(aclGrants(grantTo('WRITE', OWNER), 's3:DeleteObjectVersion', 'bucket', { bucketOwnerCanonicalId: OWNER }).canonicalIds, [OWNER]);
    assert.deepEqual(aclGrants(grantTo('WRITE', PARTNER), 's3:DeleteObjectVersion', 'bucket', { bucketOwnerCanonicalId: OWNER }).canonicalIds, []);
  });
  it('WRITE on an object → not applicable', () => {
    exactly('WRITE', 'object', []);
  });
  it('READ_ACP on a bucket → s3:GetBucketAcl', () => {
    exactly('READ_ACP', 'bucket', ['s3:GetBucketAcl']);
  });
  it('READ_ACP on an object → s3:GetObjectAcl, s3:GetObjectVersionAcl', () => {
    exactly('READ_ACP', 'object', ['s3:GetObjectAcl', 's3:GetObjectVersionAcl']);
  });
  it('WRITE_ACP on a bucket → s3:PutBucketAcl', () => {
    exactly('WRITE_ACP', 'bucket', ['s3:PutBucketAcl']);
  });
  it('WRITE_ACP on an object → s3:PutObjectAcl, s3:PutObjectVersionAcl', () => {
    exactly('WRITE_ACP', 'object', ['s3:PutObjectAcl', 's3:PutObjectVersionAcl']);
  });
  it('FULL_CONTROL on a bucket = READ + WRITE + READ_ACP + WRITE_ACP', () => {
    exactly('FULL_CONTROL', 'bucket', bucketActions);
  });
  it('FULL_CONTROL on an object = READ + READ_ACP + WRITE_ACP', () => {
    exactly('FULL_CONTROL', 'object', objectActions);
  });
  it('actions no ACL permission maps to are never granted (e.g. s3:PutBucketPolicy, s3:GetObjectTagging)', () => {
    assert.deepEqual(permissionsFor('s3:PutBucketPolicy', 'bucket'), []);
    assert.deepEqual(aclGrants(grantTo('FULL_CONTROL'), 's3:GetObjectTagging', 'object').canonicalIds, []);
    assert.deepEqual(aclGrants(grantTo('FULL_CONTROL'), 's3:DeleteBucket', 'bucket').canonicalIds, []);
  });
  it('action names are case-insensitive', () => {
    assert.ok(allows(grantTo('READ'), 'S3:getobject', 'object'));
  });
});

describe('aclGrants / aclAllows: grantees', () => {
  const acl: Acl = {
    ownerId: OWNER,
    grants: [
      { grantee: { type: 'CanonicalUser', id: OWNER }, permission: 'FULL_CONTROL' },
      { grantee: { type: 'CanonicalUser', id: PARTNER }, permission: 'WRITE' },
      { grantee: { type: 'Group', uri: AUTHENTICATED_USERS_URI }, permission: 'READ' },
      { grantee: { type: 'Group', uri: LOG_DELIVERY_URI }, permission: 'WRITE' },
    ],
  };
  it('lists accounts and groups', () => {
    assert.deepEqual(aclGrants(acl, 's3:PutObject', 'bucket'), { canonicalIds: [OWNER, PARTNER], allUsers: false, authenticatedUsers: false, logDelivery: true });
    assert.deepEqual(aclGrants(acl, 's3:ListBucket', 'bucket'), { canonicalIds: [OWNER], allUsers: false, authenticatedUsers: true, logDelivery: false });
  });
  it("canonical-ID grant to the caller's account → 'account'", () => {
    assert.equal(aclAllows(acl, 's3:PutObject', 'bucket', { canonicalId: PARTNER, authenticated: true }, false), 'account');
    assert.equal(aclAllows(acl, 's3:PutObject', 'bucket', { canonicalId: OTHER, authenticated: true }, false), null);
  });
  it("AuthenticatedUsers → 'public' for any signed caller, not for anonymous callers", () => {
    assert.equal(aclAllows(acl, 's3:ListBucket', 'bucket', { canonicalId: OTHER, authenticated: true }, false), 'public');
    assert.equal(aclAllows(acl, 's3:ListBucket', 'bucket', { canonicalId: null, authenticated: false }, false), null);
  });
  it("AllUsers → 'public' even for anonymous callers", () => {
    const publicRead = cannedAcl('public-read', OWNER, OWNER, true);
    assert.equal(aclAllows(publicRead, 's3:GetObject', 'object', { canonicalId: null, authenticated: false }, false), 'public');
  });
  it('IgnorePublicAcls (S3 UG "Block public access settings"): public grants count for nothing', () => {
    const publicRead = cannedAcl('public-read', OWNER, OWNER, true);
    assert.equal(aclAllows(publicRead, 's3:GetObject', 'object', { canonicalId: null, authenticated: false }, true), null);
    assert.equal(aclAllows(publicRead, 's3:GetObject', 'object', { canonicalId: OWNER, authenticated: true }, true), 'account');
  });
  it('LogDelivery group grants the log delivery service', () => {
    assert.equal(aclAllows(acl, 's3:PutObject', 'bucket', { canonicalId: null, authenticated: true, logDelivery: true }, true), 'account');
  });
});

describe('S3 UG "The meaning of public → ACLs"', () => {
  it('an ACL is public if it grants any permission to AllUsers or AuthenticatedUsers', () => {
    assert.ok(isPublicAcl(cannedAcl('public-read', OWNER, OWNER, true)));
    assert.ok(isPublicAcl(cannedAcl('authenticated-read', OWNER, OWNER, true)));
    assert.ok(isPublicAcl({ ownerId: OWNER, grants: [{ grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ_ACP' }] }));
  });
  it('grants to accounts or LogDelivery are not public', () => {
    assert.ok(!isPublicAcl(cannedAcl('private', OWNER, OWNER, true)));
    assert.ok(!isPublicAcl(cannedAcl('log-delivery-write', OWNER, OWNER, false)));
    assert.ok(!isPublicAcl(cannedAcl('bucket-owner-full-control', PARTNER, OWNER, true)));
  });
  it('withoutPublicGrants drops exactly the public grants', () => {
    assert.deepEqual(withoutPublicGrants(cannedAcl('public-read-write', OWNER, OWNER, false)), cannedAcl('private', OWNER, OWNER, false));
  });
});
