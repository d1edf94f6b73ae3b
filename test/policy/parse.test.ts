/** Policy validation errors: AWS codes and messages (aws-semantics §2.1-2.2). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy, PolicyCache, PolicyValidationError, type PolicyKind } from '../../src/policy/index.js';

function rejects(text: string, kind: PolicyKind, code: string, message: string, options = {}): void {
  assert.throws(
    () => parsePolicy(text, kind, options),
    (error: unknown) => {
      assert.ok(error instanceof PolicyValidationError, String(error));
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      return true;
    },
  );
}

const doc = (statement: unknown, version: string | null = '2012-10-17'): string =>
  JSON.stringify(version === null ? { Statement: statement } : { Version: version, Statement: statement });

describe('parsePolicy: IAM MalformedPolicyDocument (IAM-GRAMMAR)', () => {
  it('trailing comma in a hand-written policy → "Syntax errors in policy."', () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}';
    rejects(text, 'identity', 'MalformedPolicyDocument', 'Syntax errors in policy.');
  });
  it('identity policy with Principal', () => {
    rejects(doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }), 'identity', 'MalformedPolicyDocument', 'Policy document should not specify a principal.');
  });
  it('boundary and session policies may not name a principal either', () => {
    rejects(doc({ Effect: 'Allow', NotPrincipal: { AWS: '111111111111' }, Action: 's3:*', Resource: '*' }), 'boundary', 'MalformedPolicyDocument', 'Policy document should not specify a principal.');
    rejects(doc({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }), 'session', 'MalformedPolicyDocument', 'Policy document should not specify a principal.');
  });
  it('trust policy with Resource → "Has prohibited field Resource"', () => {
    rejects(doc({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole', Resource: '*' }), 'trust', 'MalformedPolicyDocument', 'Has prohibited field Resource');
  });
  it('trust policy without Principal', () => {
    rejects(doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'MalformedPolicyDocument', 'Missing required field Principal');
  });
  it('trust policy with NotPrincipal is refused (IAM-NOTPRIN)', () => {
    rejects(doc({ Effect: 'Allow', NotPrincipal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }), 'trust', 'MalformedPolicyDocument', 'Has prohibited field NotPrincipal');
  });
  it('missing Action', () => {
    rejects(doc({ Effect: 'Allow', Resource: '*' }), 'identity', 'MalformedPolicyDocument', 'Policy statement must contain actions.');
  });
  it('missing Resource in an identity policy', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*' }), 'identity', 'MalformedPolicyDocument', 'Policy statement must contain resources.');
  });
  it('missing Effect', () => {
    rejects(doc({ Action: 's3:*', Resource: '*' }), 'identity', 'MalformedPolicyDocument', 'Missing required field Effect');
  });
  it('Effect is case-sensitive', () => {
    rejects(doc({ Effect: 'allow', Action: 's3:*', Resource: '*' }), 'identity', 'MalformedPolicyDocument', 'Invalid effect: allow');
  });
  it('unknown statement field', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Actions: 's3:*' }), 'identity', 'MalformedPolicyDocument', 'Syntax errors in policy.');
  });
  it('unknown top-level field', () => {
    rejects(JSON.stringify({ Version: '2012-10-17', Statement: [], Extra: 1 }), 'identity', 'MalformedPolicyDocument', 'Syntax errors in policy.');
  });
  it('invalid Version', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, '2012-10-18'), 'identity', 'MalformedPolicyDocument', 'Syntax errors in policy.');
  });
  it('Action without a service prefix', () => {
    rejects(doc({ Effect: 'Allow', Action: 'GetObject', Resource: '*' }), 'identity', 'MalformedPolicyDocument', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  });
  it('Resource that is not an ARN', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: 'bucket/key' }), 'identity', 'MalformedPolicyDocument', 'Resource bucket/key must be in ARN format or "*".');
  });
  it('duplicate Sids', () => {
    const statement = { Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: '*' };
    rejects(doc([statement, statement]), 'identity', 'MalformedPolicyDocument', 'Statement IDs (SID) in a single policy must be unique.');
  });
  it('non-alphanumeric Sid in an identity policy', () => {
    rejects(doc({ Sid: 'my sid', Effect: 'Allow', Action: 's3:*', Resource: '*' }), 'identity', 'MalformedPolicyDocument',
      'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
  });
  it('unknown condition operator', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'identity', 'MalformedPolicyDocument', 'Invalid Condition type : StringEqualz');
  });
  it('Null cannot take IfExists', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { NullIfExists: { 'aws:username': 'true' } } }), 'identity', 'MalformedPolicyDocument', 'Invalid Condition type : NullIfExists');
  });
  it('condition key without a vendor prefix', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { username: 'x' } } }), 'identity', 'MalformedPolicyDocument',
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  });
  it('invalid CIDR in IpAddress', () => {
    rejects(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '300.1.1.1/8' } } }), 'identity', 'MalformedPolicyDocument', 'Invalid IP address in Conditions');
  });
  it('unknown account principal in a trust policy → Invalid principal in policy (injected existence check)', () => {
    const text = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 'sts:AssumeRole' });
    rejects(text, 'trust', 'MalformedPolicyDocument', 'Invalid principal in policy: "AWS":"arn:aws:iam::333333333333:root"', {
      principalExists: (arn: string) => arn.startsWith('arn:aws:iam::111111111111:'),
    });
    assert.equal(parsePolicy(text, 'trust').statements.length, 1, 'accepted without an existence check');
  });
  it('unknown user principal', () => {
    const text = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:user/nobody' }, Action: 'sts:AssumeRole' });
    rejects(text, 'trust', 'MalformedPolicyDocument', 'Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:user/nobody"', { principalExists: () => false });
  });
  it('wildcards inside principal ARNs are invalid (IAM-PRIN)', () => {
    rejects(doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:user/*' }, Action: 'sts:AssumeRole' }), 'trust', 'MalformedPolicyDocument',
      'Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:user/*"');
  });
  it('accepts Version 2012-10-17, 2008-10-17 and a missing Version; Statement object or array', () => {
    const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    assert.equal(parsePolicy(doc(statement), 'identity').version, '2012-10-17');
    assert.equal(parsePolicy(doc([statement], '2008-10-17'), 'identity').version, '2008-10-17');
    assert.equal(parsePolicy(doc(statement, null), 'identity').version, null);
  });
  it('accepts every principal form in an S3 bucket policy', () => {
    const text = doc({
      Effect: 'Allow',
      Principal: {
        AWS: ['111111111111', 'arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111111:user/division/alice', 'arn:aws:iam::111111111111:role/app',
          'arn:aws:sts::111111111111:assumed-role/app/session-1', 'arn:aws:sts::111111111111:federated-user/fred'],
        CanonicalUser: 'a'.repeat(64),
        Service: 'logging.s3.amazonaws.com',
      },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::bucket-a/*',
    });
    assert.equal(parsePolicy(text, 's3-bucket', { bucketName: 'bucket-a' }).statements.length, 1);
  });
});

describe('parsePolicy: S3 MalformedPolicy wording (aws-semantics §2.2)', () => {
  const s3 = (statement: unknown) => doc(statement);
  it('non-JSON first byte', () => {
    rejects('Version: 2012', 's3-bucket', 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  });
  it('invalid JSON', () => {
    rejects('{"Statement":[{"Effect":"Allow",}]}', 's3-bucket', 'MalformedPolicy', 'This policy contains invalid Json');
  });
  it('missing Principal', () => {
    rejects(s3({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-a/*' }), 's3-bucket', 'MalformedPolicy', 'Missing required field Principal');
  });
  it('missing Statement', () => {
    rejects('{"Version":"2012-10-17"}', 's3-bucket', 'MalformedPolicy', 'Missing required field Statement');
  });
  it('invalid principal (no account suffix in message)', () => {
    rejects(s3({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:user/nobody' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-a/*' }),
      's3-bucket', 'MalformedPolicy', 'Invalid principal in policy', { principalExists: () => false });
  });
  it('non-S3 action', () => {
    rejects(s3({ Effect: 'Allow', Principal: '*', Action: 'iam:CreateUser', Resource: 'arn:aws:s3:::bucket-a/*' }), 's3-bucket', 'MalformedPolicy', 'Policy has invalid action');
  });
  it('unknown S3 action', () => {
    rejects(s3({ Effect: 'Allow', Principal: '*', Action: 's3:GetObjekt', Resource: 'arn:aws:s3:::bucket-a/*' }), 's3-bucket', 'MalformedPolicy', 'Policy has invalid action');
  });
  it('resource outside the bucket', () => {
    rejects(s3({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' }), 's3-bucket', 'MalformedPolicy', 'Policy has invalid resource',
      { bucketName: 'bucket-a' });
  });
  it('object action on the bucket ARN only', () => {
    rejects(s3({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-a' }), 's3-bucket', 'MalformedPolicy',
      'Action does not apply to any resource(s) in statement', { bucketName: 'bucket-a' });
  });
  it('bucket action on object ARNs only', () => {
    rejects(s3({ Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bucket-a/*' }), 's3-bucket', 'MalformedPolicy',
      'Action does not apply to any resource(s) in statement', { bucketName: 'bucket-a' });
  });
  it('s3:* on the bucket ARN applies', () => {
    assert.ok(parsePolicy(s3({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::bucket-a' }), 's3-bucket', { bucketName: 'bucket-a' }));
  });
  it('invalid version', () => {
    rejects(doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-a/*' }, '2020-01-01'), 's3-bucket', 'MalformedPolicy',
      'The policy must contain a valid version string');
  });
  it('empty Statement array', () => {
    rejects(doc([]), 's3-bucket', 'MalformedPolicy', 'Could not parse the policy: Statement is empty!');
  });
});

describe('PolicyCache', () => {
  it('compiles a document once per (kind, text)', () => {
    const cache = new PolicyCache(2);
    const text = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const first = cache.get(text, 'identity');
    assert.equal(cache.get(text, 'identity'), first);
    assert.notEqual(cache.get(text, 'boundary'), first);
    assert.equal(cache.size, 2);
    cache.get(doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }), 'identity');
    assert.equal(cache.size, 2, 'bounded');
  });
  it('throws the validation error for invalid documents', () => {
    assert.throws(() => new PolicyCache().get('{', 'identity'), PolicyValidationError);
  });
});
