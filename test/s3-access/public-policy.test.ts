/**
 * "Public" bucket policies: S3 UG "Blocking public access → The meaning of public → Bucket policies"
 * [S3-BPA] — its examples by name, then each listed condition key and the aws:SourceIp breadth rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicPolicy } from '../../src/s3-access/index.js';

const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const star = (condition?: unknown) => ({ Principal: '*', Resource: '*', Action: 's3:PutObject', Effect: 'Allow', ...(condition ? { Condition: condition } : {}) });

describe('S3 UG "Example: Public bucket policies"', () => {
  it('a Federated principal (graph.facebook.com) is public', () => {
    assert.equal(isPublicPolicy(policy({ Principal: { Federated: 'graph.facebook.com' }, Resource: '*', Action: 's3:PutObject', Effect: 'Allow' })), true);
  });
  it('Principal "*" without a condition is public', () => {
    assert.equal(isPublicPolicy(policy(star())), true);
  });
  it('Principal "*" with StringLike aws:SourceVpc "vpc-*" is public (wildcard value)', () => {
    assert.equal(isPublicPolicy(policy(star({ StringLike: { 'aws:SourceVpc': 'vpc-*' } }))), true);
  });
  it('the same with StringEquals aws:SourceVpc "vpc-91237329" is non-public (fixed value)', () => {
    assert.equal(isPublicPolicy(policy(star({ StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } }))), false);
  });
});

describe('S3 UG "How Amazon S3 evaluates a bucket policy that contains both public and non-public access grants"', () => {
  const cloudTrail = { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' };
  const account2 = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
  const everyone = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
  it('service principal + fixed account statements: non-public', () => {
    assert.equal(isPublicPolicy(policy(cloudTrail, account2)), false);
  });
  it('adding a "*" statement with no limiting Condition makes the whole policy public', () => {
    assert.equal(isPublicPolicy(policy(cloudTrail, account2, everyone)), true);
  });
});

describe('fixed principals and Deny statements', () => {
  it('account IDs, user/role ARNs and canonical users are fixed principals', () => {
    assert.equal(isPublicPolicy(policy({ Effect: 'Allow', Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/r'] }, Action: 's3:*', Resource: '*' })), false);
    assert.equal(isPublicPolicy(policy({ Effect: 'Allow', Principal: { CanonicalUser: 'a'.repeat(64) }, Action: 's3:*', Resource: '*' })), false);
  });
  it('{"AWS":"*"} is the same as "*"', () => {
    assert.equal(isPublicPolicy(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' })), true);
  });
  it('Deny statements never make a policy public (the seed runbook TLS-only policy)', () => {
    const seed = JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': false } } }] });
    assert.equal(isPublicPolicy(seed), false);
  });
  it('Allow with NotPrincipal is public', () => {
    assert.equal(isPublicPolicy(policy({ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: '*' })), true);
  });
  it('accepts the parsed document as well as text; a single Statement object works', () => {
    assert.equal(isPublicPolicy({ Statement: star() }), true);
    assert.equal(isPublicPolicy(JSON.stringify({ Statement: star({ StringEquals: { 'aws:SourceAccount': '111122223333' } }) })), false);
  });
});

describe('condition keys listed in "The meaning of public"', () => {
  const fixedValues: Record<string, string> = {
    'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t',
    'aws:SourceVpc': 'vpc-1a2b3c4d',
    'aws:SourceVpce': 'vpce-1a2b3c4d',
    'aws:SourceOwner': '111122223333',
    'aws:SourceAccount': '111122223333',
    's3:x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/1234',
    'aws:userid': 'AIDAEXAMPLE',
    's3:DataAccessPointAccount': '111122223333',
    'aws:PrincipalOrgID': 'o-abc123',
    'aws:PrincipalAccount': '111122223333',
    'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/r',
  };
  for (const [key, value] of Object.entries(fixedValues)) {
    it(`${key} with a fixed value → non-public; with a wildcard → public`, () => {
      assert.equal(isPublicPolicy(policy(star({ StringEquals: { [key]: value } }))), false);
      assert.equal(isPublicPolicy(policy(star({ StringLike: { [key]: `${value.slice(0, 4)}*` } }))), true);
    });
  }
  it('a policy variable is not a fixed value', () => {
    assert.equal(isPublicPolicy(policy(star({ StringEquals: { 'aws:PrincipalAccount': '${aws:username}' } }))), true);
  });
  it('aws:userid "AROLEID:*" pins a role (the documented pattern)', () => {
    assert.equal(isPublicPolicy(policy(star({ StringLike: { 'aws:userid': 'AROAEXAMPLEID:*' } }))), false);
    assert.equal(isPublicPolicy(policy(star({ StringLike: { 'aws:userid': 'AROA*' } }))), true);
  });
  it('s3:DataAccessPointArn may wildcard the access point name when the account is fixed', () => {
    assert.equal(isPublicPolicy(policy(star({ StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:123456789012:accesspoint/*' } }))), false);
    assert.equal(isPublicPolicy(policy(star({ StringLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:*:accesspoint/*' } }))), true);
  });
  it('negated operators, IfExists and keys outside the list do not restrict', () => {
    assert.equal(isPublicPolicy(policy(star({ StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }))), true);
    assert.equal(isPublicPolicy(policy(star({ StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } }))), true);
    assert.equal(isPublicPolicy(policy(star({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } }))), true);
    assert.equal(isPublicPolicy(policy(star({ Bool: { 'aws:SecureTransport': 'true' } }))), true);
  });
  it('one fixed restricting key is enough, alongside other conditions', () => {
    assert.equal(isPublicPolicy(policy(star({ StringEquals: { 'aws:PrincipalOrgID': 'o-1', 's3:x-amz-acl': 'private' }, Bool: { 'aws:SecureTransport': 'true' } }))), false);
  });
});

describe('aws:SourceIp breadth ("very broad IP ranges … are evaluated as public")', () => {
  const ip = (...cidrs: string[]) => policy(star({ IpAddress: { 'aws:SourceIp': cidrs } }));
  it('0.0.0.0/1 (the doc example) is public', () => {
    assert.equal(isPublicPolicy(ip('0.0.0.0/1')), true);
  });
  it('broader than /8 for IPv4 is public; /8 and narrower is not', () => {
    assert.equal(isPublicPolicy(ip('11.0.0.0/7')), true);
    assert.equal(isPublicPolicy(ip('11.0.0.0/8')), false);
    assert.equal(isPublicPolicy(ip('203.0.113.0/24')), false);
    assert.equal(isPublicPolicy(ip('203.0.113.9')), false);
  });
  it('broader than /32 for IPv6 is public', () => {
    assert.equal(isPublicPolicy(ip('2001:db8::/31')), true);
    assert.equal(isPublicPolicy(ip('2001:db8::/32')), false);
  });
  it('every listed CIDR must be narrow', () => {
    assert.equal(isPublicPolicy(ip('203.0.113.0/24', '0.0.0.0/0')), true);
  });
  it('RFC 1918 private ranges are not public', () => {
    assert.equal(isPublicPolicy(ip('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16')), false);
  });
  it('NotIpAddress does not restrict', () => {
    assert.equal(isPublicPolicy(policy(star({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }))), true);
  });
});
