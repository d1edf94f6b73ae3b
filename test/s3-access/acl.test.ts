/** ACL model, XML, canned ACLs and grant headers [S3-ACL] (S3 UG "Access control list (ACL) overview"). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../src/protocol/errors.js';
import { parseXml } from '../../src/protocol/xml.js';
import {
  ALL_USERS_URI,
  AUTHENTICATED_USERS_URI,
  EC2_EXEC_READ_CANONICAL_ID,
  LOG_DELIVERY_URI,
  aclFromGrantHeaders,
  aclFromRequestHeaders,
  aclFromStored,
  cannedAcl,
  defaultAcl,
  isOnlyFullControlFor,
  parseAclXml,
  renderAclXml,
  type Acl,
} from '../../src/s3-access/index.js';

const OWNER = 'a'.repeat(64);
const PARTNER = 'b'.repeat(64);
const known = new Set([OWNER, PARTNER]);
const options = { canonicalExists: (id: string) => known.has(id) };

function expectS3(fn: () => unknown, code: string, message?: string): S3Error {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof S3Error, `expected S3Error ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  if (message !== undefined) assert.equal(caught.message, message);
  return caught;
}

// The S3 UG "Sample ACL" document (owner FULL_CONTROL, two accounts, AllUsers READ, LogDelivery WRITE).
const sampleAcl = `<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>${OWNER}</ID><DisplayName>owner</DisplayName></Owner>
  <AccessControlList>
    <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${OWNER}</ID><DisplayName>owner</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>
    <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>${PARTNER}</ID></Grantee><Permission>WRITE</Permission></Grant>
    <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${ALL_USERS_URI}</URI></Grantee><Permission>READ</Permission></Grant>
    <Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>${LOG_DELIVERY_URI}</URI></Grantee><Permission>WRITE</Permission></Grant>
  </AccessControlList>
</AccessControlPolicy>`;

describe('AccessControlPolicy XML (S3 UG "Sample ACL")', () => {
  it('parses the sample ACL into owner + grants', () => {
    const acl = parseAclXml(sampleAcl, options);
    assert.equal(acl.ownerId, OWNER);
    assert.deepEqual(acl.grants, [
      { grantee: { type: 'CanonicalUser', id: OWNER }, permission: 'FULL_CONTROL' },
      { grantee: { type: 'CanonicalUser', id: PARTNER }, permission: 'WRITE' },
      { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' },
      { grantee: { type: 'Group', uri: LOG_DELIVERY_URI }, permission: 'WRITE' },
    ]);
  });

  it('round-trips: render → parse gives the same ACL, with xsi:type attributes and display names', () => {
    const acl = parseAclXml(sampleAcl, options);
    const xml = renderAclXml(acl, (id) => (id === OWNER ? 'owner' : undefined));
    assert.match(xml, /<Grantee xmlns:xsi="http:\/\/www.w3.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser"><ID>a{64}<\/ID><DisplayName>owner<\/DisplayName><\/Grantee>/);
    assert.match(xml, /xsi:type="Group"><URI>http:\/\/acs.amazonaws.com\/groups\/global\/AllUsers<\/URI>/);
    assert.deepEqual(parseAclXml(xml, options), acl);
    const doc = parseXml(xml)!;
    assert.equal(doc.AccessControlPolicy.Owner.ID, OWNER);
  });

  it('renders an empty grant list as an empty AccessControlList', () => {
    const xml = renderAclXml({ ownerId: OWNER, grants: [] });
    assert.match(xml, /<AccessControlList><\/AccessControlList>/);
  });

  it('MalformedACLError: missing Owner, unknown Permission, Grantee without xsi:type', () => {
    expectS3(() => parseAclXml('<AccessControlPolicy><AccessControlList/></AccessControlPolicy>', options), 'MalformedACLError');
    expectS3(() => parseAclXml(sampleAcl.replace('<Permission>WRITE</Permission>', '<Permission>DELETE</Permission>'), options), 'MalformedACLError');
    expectS3(() => parseAclXml(sampleAcl.replace(/ xsi:type="CanonicalUser"><ID>b/, '><ID>b'), options), 'MalformedACLError');
    expectS3(() => parseAclXml('<NotAnAcl/>', options), 'MalformedACLError');
    expectS3(() => parseAclXml('<AccessControlPolicy>', options), 'MalformedXML');
  });

  it('InvalidArgument "Invalid id" for an unknown canonical user, "Invalid group uri" for an unknown group', () => {
    const unknown = 'c'.repeat(64);
    const e = expectS3(() => parseAclXml(sampleAcl.replace(`<ID>${PARTNER}</ID>`, `<ID>${unknown}</ID>`), options), 'InvalidArgument', 'Invalid id');
    assert.equal(e.extra.ArgumentName, 'CanonicalUser/ID');
    assert.equal(e.extra.ArgumentValue, unknown);
    expectS3(() => parseAclXml(sampleAcl.replace(LOG_DELIVERY_URI, 'http://acs.amazonaws.com/groups/global/Everyone'), options), 'InvalidArgument', 'Invalid group uri');
  });

  it('an AmazonCustomerByEmail grantee cannot be resolved (UnresolvableGrantByEmailAddress)', () => {
    const xml = sampleAcl.replace(`xsi:type="CanonicalUser"><ID>${PARTNER}</ID>`, 'xsi:type="AmazonCustomerByEmail"><EmailAddress>x@example.com</EmailAddress>');
    expectS3(() => parseAclXml(xml, options), 'UnresolvableGrantByEmailAddress');
  });
});

describe('canned ACLs (S3 UG "Canned ACL" table)', () => {
  const grantsOf = (acl: Acl) => acl.grants.map((g) => `${g.grantee.type === 'Group' ? g.grantee.uri.split('/').pop() : g.grantee.id.slice(0, 1)}:${g.permission}`);

  it('private: owner gets FULL_CONTROL', () => {
    assert.deepEqual(grantsOf(cannedAcl('private', OWNER, OWNER, false)), ['a:FULL_CONTROL']);
    assert.deepEqual(cannedAcl('private', OWNER, OWNER, true), defaultAcl(OWNER));
  });
  it('public-read: AllUsers READ', () => {
    assert.deepEqual(grantsOf(cannedAcl('public-read', OWNER, OWNER, true)), ['a:FULL_CONTROL', 'AllUsers:READ']);
  });
  it('public-read-write: AllUsers READ and WRITE', () => {
    assert.deepEqual(grantsOf(cannedAcl('public-read-write', OWNER, OWNER, false)), ['a:FULL_CONTROL', 'AllUsers:READ', 'AllUsers:WRITE']);
  });
  it('aws-exec-read: Amazon EC2 READ', () => {
    const acl = cannedAcl('aws-exec-read', OWNER, OWNER, true);
    assert.deepEqual(acl.grants[1], { grantee: { type: 'CanonicalUser', id: EC2_EXEC_READ_CANONICAL_ID }, permission: 'READ' });
  });
  it('authenticated-read: AuthenticatedUsers READ', () => {
    assert.deepEqual(grantsOf(cannedAcl('authenticated-read', OWNER, OWNER, true)), ['a:FULL_CONTROL', 'AuthenticatedUsers:READ']);
  });
  it('bucket-owner-read: object owner FULL_CONTROL, bucket owner READ; ignored on a bucket', () => {
    assert.deepEqual(grantsOf(cannedAcl('bucket-owner-read', PARTNER, OWNER, true)), ['b:FULL_CONTROL', 'a:READ']);
    assert.deepEqual(grantsOf(cannedAcl('bucket-owner-read', OWNER, OWNER, false)), ['a:FULL_CONTROL']);
  });
  it('bucket-owner-full-control: both get FULL_CONTROL; ignored on a bucket', () => {
    const acl = cannedAcl('bucket-owner-full-control', PARTNER, OWNER, true);
    assert.deepEqual(grantsOf(acl), ['b:FULL_CONTROL', 'a:FULL_CONTROL']);
    assert.equal(acl.ownerId, PARTNER);
    assert.deepEqual(grantsOf(cannedAcl('bucket-owner-full-control', OWNER, OWNER, false)), ['a:FULL_CONTROL']);
  });
  it('log-delivery-write: LogDelivery WRITE and READ_ACP', () => {
    assert.deepEqual(grantsOf(cannedAcl('log-delivery-write', OWNER, OWNER, false)), ['a:FULL_CONTROL', 'LogDelivery:WRITE', 'LogDelivery:READ_ACP']);
  });
  it('an unknown canned ACL is InvalidArgument', () => {
    const e = expectS3(() => cannedAcl('public', OWNER, OWNER, true), 'InvalidArgument');
    assert.equal(e.extra.ArgumentName, 'x-amz-acl');
  });
});

describe('x-amz-grant-* headers (S3 API PutObject/PutBucketAcl)', () => {
  it('id= and uri= grantees, comma-separated, quoted or not; the ACL holds exactly those grants', () => {
    const acl = aclFromGrantHeaders(
      { 'x-amz-grant-read': `uri="${ALL_USERS_URI}", id=${PARTNER}`, 'x-amz-grant-full-control': `id="${OWNER}"`, 'x-amz-grant-write-acp': `ID=${PARTNER}` },
      OWNER,
      options,
    )!;
    assert.equal(acl.ownerId, OWNER);
    assert.deepEqual(acl.grants, [
      { grantee: { type: 'CanonicalUser', id: OWNER }, permission: 'FULL_CONTROL' },
      { grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' },
      { grantee: { type: 'CanonicalUser', id: PARTNER }, permission: 'READ' },
      { grantee: { type: 'CanonicalUser', id: PARTNER }, permission: 'WRITE_ACP' },
    ]);
  });
  it('no grant header → null', () => {
    assert.equal(aclFromGrantHeaders({ 'content-type': 'x' }, OWNER, options), null);
  });
  it('unknown id → InvalidArgument "Invalid id"; bad group → "Invalid group uri"; malformed → InvalidArgument', () => {
    expectS3(() => aclFromGrantHeaders({ 'x-amz-grant-read': `id=${'9'.repeat(64)}` }, OWNER, options), 'InvalidArgument', 'Invalid id');
    expectS3(() => aclFromGrantHeaders({ 'x-amz-grant-read': 'uri=http://example.com/group' }, OWNER, options), 'InvalidArgument', 'Invalid group uri');
    expectS3(() => aclFromGrantHeaders({ 'x-amz-grant-read': 'nonsense' }, OWNER, options), 'InvalidArgument');
  });
  it('emailAddress= → UnresolvableGrantByEmailAddress without email support; resolved when a resolver is given', () => {
    expectS3(() => aclFromGrantHeaders({ 'x-amz-grant-read': 'emailAddress="p@example.com"' }, OWNER, options), 'UnresolvableGrantByEmailAddress');
    const acl = aclFromGrantHeaders({ 'x-amz-grant-read': 'emailAddress="p@example.com"' }, OWNER, { ...options, resolveEmail: () => PARTNER })!;
    assert.deepEqual(acl.grants, [{ grantee: { type: 'CanonicalUser', id: PARTNER }, permission: 'READ' }]);
  });
  it('canned ACL and grant headers together → InvalidRequest', () => {
    expectS3(
      () => aclFromRequestHeaders({ 'x-amz-acl': 'private', 'x-amz-grant-read': `id=${PARTNER}` }, OWNER, OWNER, true, options),
      'InvalidRequest',
      'Specifying both Canned ACLs and Header Grants is not allowed',
    );
  });
  it('aclFromRequestHeaders reports the canned name', () => {
    const result = aclFromRequestHeaders({ 'x-amz-acl': 'bucket-owner-full-control' }, PARTNER, OWNER, true, options)!;
    assert.equal(result.canned, 'bucket-owner-full-control');
    assert.equal(aclFromRequestHeaders({}, OWNER, OWNER, true, options), null);
  });
});

describe('stored form and BucketOwnerEnforced acceptance', () => {
  it('aclFromStored reads the JSON form and rejects junk', () => {
    const acl = cannedAcl('public-read', OWNER, OWNER, true);
    assert.deepEqual(aclFromStored(JSON.stringify(acl)), acl);
    assert.deepEqual(aclFromStored(JSON.parse(JSON.stringify(acl))), acl);
    assert.equal(aclFromStored('{"ownerId":1}'), null);
    assert.equal(aclFromStored(null), null);
  });
  it('isOnlyFullControlFor: bucket-owner-full-control written by the bucket owner qualifies; public-read does not', () => {
    assert.ok(isOnlyFullControlFor(cannedAcl('bucket-owner-full-control', OWNER, OWNER, true), OWNER));
    assert.ok(!isOnlyFullControlFor(cannedAcl('public-read', OWNER, OWNER, true), OWNER));
    assert.ok(!isOnlyFullControlFor(cannedAcl('bucket-owner-full-control', PARTNER, OWNER, true), OWNER));
    assert.ok(isOnlyFullControlFor({ ownerId: OWNER, grants: [] }, OWNER));
  });
  it('AuthenticatedUsers URI constant matches S3', () => {
    assert.equal(AUTHENTICATED_USERS_URI, 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers');
  });
});
