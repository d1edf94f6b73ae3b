/** Condition operators, one by one [IAM-OPS][IAM-MULTI][IAM-VARS]. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, evaluate, parseCidr, parseDate, parsePolicy, PolicyValidationError, type AuthzRequest } from '../../src/policy/index.js';

const alice = { arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', type: 'User' as const, userId: 'AIDAALICE', userName: 'alice' };

/** True when an identity policy with only this Condition allows the request. */
function holds(condition: Record<string, unknown>, context: Record<string, string | string[]>, version = '2012-10-17'): boolean {
  const policy = parsePolicy(JSON.stringify({ Version: version, Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition } }), 'identity');
  const request: AuthzRequest = { principal: alice, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccountId: '111111111111', context };
  return evaluate(request, { identity: [policy] }).decision === 'Allow';
}

describe('String operators', () => {
  it('StringEquals is exact and case-sensitive', () => {
    assert.equal(holds({ StringEquals: { 'test:k': 'Value' } }, { 'test:k': 'Value' }), true);
    assert.equal(holds({ StringEquals: { 'test:k': 'Value' } }, { 'test:k': 'value' }), false);
    assert.equal(holds({ StringEquals: { 'test:k': 'Val*' } }, { 'test:k': 'Value' }), false, 'no wildcards');
  });
  it('StringNotEquals: absent key is true, listed values are all excluded', () => {
    assert.equal(holds({ StringNotEquals: { 'test:k': ['a', 'b'] } }, {}), true);
    assert.equal(holds({ StringNotEquals: { 'test:k': ['a', 'b'] } }, { 'test:k': 'b' }), false);
    assert.equal(holds({ StringNotEquals: { 'test:k': ['a', 'b'] } }, { 'test:k': 'c' }), true);
  });
  it('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase', () => {
    assert.equal(holds({ StringEqualsIgnoreCase: { 'test:k': 'HeLLo' } }, { 'test:k': 'hello' }), true);
    assert.equal(holds({ StringNotEqualsIgnoreCase: { 'test:k': 'HeLLo' } }, { 'test:k': 'HELLO' }), false);
  });
  it('StringLike / StringNotLike use * and ? (case-sensitive)', () => {
    assert.equal(holds({ StringLike: { 'test:k': 'home/*/docs/?.txt' } }, { 'test:k': 'home/a/b/docs/1.txt' }), true);
    assert.equal(holds({ StringLike: { 'test:k': 'Home/*' } }, { 'test:k': 'home/x' }), false);
    assert.equal(holds({ StringNotLike: { 'test:k': 'tmp/*' } }, { 'test:k': 'tmp/x' }), false);
    assert.equal(holds({ StringNotLike: { 'test:k': 'tmp/*' } }, { 'test:k': 'data/x' }), true);
  });
});

describe('Numeric operators', () => {
  const cases: Array<[string, string | number, string, boolean]> = [
    ['NumericEquals', 10, '10', true],
    ['NumericEquals', '10', '10.0', true],
    ['NumericNotEquals', 10, '11', true],
    ['NumericLessThan', 10, '9.5', true],
    ['NumericLessThan', 10, '10', false],
    ['NumericLessThanEquals', 10, '10', true],
    ['NumericGreaterThan', '-1', '0', true],
    ['NumericGreaterThanEquals', 3, '2', false],
    ['NumericEquals', 10, 'ten', false],
  ];
  for (const [operator, policyValue, contextValue, expected] of cases) {
    it(`${operator} ${policyValue} vs ${contextValue} → ${expected}`, () => {
      assert.equal(holds({ [operator]: { 'test:n': policyValue } }, { 'test:n': contextValue }), expected);
    });
  }
});

describe('Date operators', () => {
  it('ISO 8601, date-only and epoch seconds are comparable', () => {
    assert.equal(parseDate('2020-01-01'), Date.UTC(2020, 0, 1));
    assert.equal(parseDate('1577836800'), Date.UTC(2020, 0, 1));
    assert.equal(parseDate('2020-01-01T00:00:00Z'), Date.UTC(2020, 0, 1));
    assert.equal(parseDate('not a date'), null);
  });
  it('DateEquals / DateNotEquals / LessThan / GreaterThanEquals', () => {
    assert.equal(holds({ DateEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '1577836800' }), true);
    assert.equal(holds({ DateNotEquals: { 'aws:CurrentTime': '2020-01-01' } }, { 'aws:CurrentTime': '2020-01-02T00:00:00Z' }), true);
    assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2020-01-01' } }, { 'aws:CurrentTime': '2019-12-31T23:59:59Z' }), true);
    assert.equal(holds({ DateLessThanEquals: { 'aws:CurrentTime': '2020-01-01' } }, { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }), true);
    assert.equal(holds({ DateGreaterThanEquals: { 'aws:CurrentTime': '2020-01-01' } }, { 'aws:CurrentTime': '2019-01-01T00:00:00Z' }), false);
  });
});

describe('Bool, BinaryEquals, Null', () => {
  it('Bool compares true/false case-insensitively; JSON booleans accepted', () => {
    assert.equal(holds({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'TRUE' }), true);
    assert.equal(holds({ Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': 'true' }), false);
  });
  it('BinaryEquals compares base64-encoded bytes', () => {
    assert.equal(holds({ BinaryEquals: { 'test:b': 'AQID' } }, { 'test:b': 'AQID' }), true);
    assert.equal(holds({ BinaryEquals: { 'test:b': 'AQID' } }, { 'test:b': 'AQIE' }), false);
  });
  it('Null true ⇔ key absent; false ⇔ present; empty multi-value counts as absent', () => {
    assert.equal(holds({ Null: { 'test:k': 'true' } }, {}), true);
    assert.equal(holds({ Null: { 'test:k': 'true' } }, { 'test:k': '' }), false);
    assert.equal(holds({ Null: { 'test:k': 'false' } }, { 'test:k': 'x' }), true);
    assert.equal(holds({ Null: { 'test:k': true } }, { 'test:k': [] }), true);
  });
});

describe('IpAddress / NotIpAddress', () => {
  it('IPv4 CIDRs and bare addresses (/32)', () => {
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.255.1.2' }), true);
    assert.equal(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.8' }), false);
    assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '11.0.0.1' }), true);
  });
  it('IPv6 CIDRs, compressed forms, and v4/v6 separation', () => {
    const v6 = parseCidr('2001:DB8:1234:5678::/64')!;
    assert.ok(cidrContains(v6, '2001:db8:1234:5678:ffff:ffff:ffff:ffff'));
    assert.ok(!cidrContains(v6, '2001:db8:1234:5679::1'));
    assert.ok(!cidrContains(v6, '10.0.0.1'));
    assert.ok(cidrContains(parseCidr('::/0')!, '::1'));
    assert.ok(cidrContains(parseCidr('0.0.0.0/0')!, '::ffff:8.8.8.8'), 'IPv4-mapped address is IPv4');
    assert.equal(parseCidr('2001:db8::1::2'), null);
    assert.equal(parseCidr('10.0.0.0/33'), null);
  });
});

describe('ARN operators', () => {
  it('ArnEquals and ArnLike match per segment', () => {
    const arn = 'arn:aws:sns:us-east-1:111111111111:topic';
    assert.equal(holds({ ArnEquals: { 'aws:SourceArn': arn } }, { 'aws:SourceArn': arn }), true);
    assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111111111111:*' } }, { 'aws:SourceArn': arn }), true);
    assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:222222222222:*' } }, { 'aws:SourceArn': arn }), false);
  });
  it('ArnLike * does not span colons while StringLike does', () => {
    const value = 'arn:aws:s3:us-east-1:111111111111:x';
    assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } }, { 'aws:SourceArn': value }), false);
    assert.equal(holds({ StringLike: { 'aws:SourceArn': 'arn:aws:s3:*' } }, { 'aws:SourceArn': value }), true);
  });
  it('ArnNotEquals / ArnNotLike; a non-ARN context value never matches', () => {
    assert.equal(holds({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:1:q' }), true);
    assert.equal(holds({ ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:1:q' } }, { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:1:q' }), false);
    assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:*:*:*:*' } }, { 'aws:SourceArn': 'not-an-arn' }), false);
  });
});

describe('IfExists and set qualifiers', () => {
  it('...IfExists: absent key is true, present key is compared', () => {
    assert.equal(holds({ NumericLessThanIfExists: { 'test:n': 5 } }, {}), true);
    assert.equal(holds({ NumericLessThanIfExists: { 'test:n': 5 } }, { 'test:n': '7' }), false);
    assert.equal(holds({ IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}), true);
  });
  it('ForAllValues: every request value in the policy set; vacuously true when absent', () => {
    const cond = { 'ForAllValues:StringLike': { 'aws:TagKeys': ['env*', 'team'] } };
    assert.equal(holds(cond, { 'aws:TagKeys': ['env-a', 'team'] }), true);
    assert.equal(holds(cond, { 'aws:TagKeys': ['env-a', 'owner'] }), false);
    assert.equal(holds(cond, {}), true);
    assert.equal(holds(cond, { 'aws:TagKeys': [] }), true);
  });
  it('ForAnyValue: at least one value; false when absent (true with IfExists)', () => {
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['a', 'env'] }), true);
    assert.equal(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, {}), false);
    assert.equal(holds({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'env' } }, {}), true);
  });
  it('ForAllValues with a negated operator: no request value may be listed', () => {
    assert.equal(holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } }, { 'aws:TagKeys': ['a', 'b'] }), true);
    assert.equal(holds({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } }, { 'aws:TagKeys': ['a', 'secret'] }), false);
  });
  it('ForAnyValue with a negated operator: some request value is not listed', () => {
    assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:TagKeys': ['a', 'b'] }), true);
    assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:TagKeys': ['a'] }), false);
  });
  it('operators AND together, keys AND together, values OR together', () => {
    const cond = { StringEquals: { 'test:a': ['1', '2'], 'test:b': '3' }, Bool: { 'test:c': 'true' } };
    assert.equal(holds(cond, { 'test:a': '2', 'test:b': '3', 'test:c': 'true' }), true);
    assert.equal(holds(cond, { 'test:a': '2', 'test:b': '3', 'test:c': 'false' }), false);
    assert.equal(holds(cond, { 'test:a': '4', 'test:b': '3', 'test:c': 'true' }), false);
  });
});

describe('Policy variables in condition values', () => {
  it('substituted under 2012-10-17, literal under 2008-10-17', () => {
    assert.equal(holds({ StringEquals: { 'test:k': '${aws:username}' } }, { 'test:k': 'alice' }), true);
    assert.equal(holds({ StringEquals: { 'test:k': '${aws:username}' } }, { 'test:k': 'alice' }, '2008-10-17'), false);
    assert.equal(holds({ StringEquals: { 'test:k': '${aws:username}' } }, { 'test:k': '${aws:username}' }, '2008-10-17'), true);
  });
  it('StringLike keeps policy wildcards but treats substituted text literally', () => {
    assert.equal(holds({ StringLike: { 'test:k': 'home/${aws:username}/*' } }, { 'test:k': 'home/alice/x/y' }), true);
    assert.equal(holds({ StringLike: { 'test:k': 'home/${test:v}' } }, { 'test:k': 'home/anything', 'test:v': '*' }), false);
  });
  it('numeric operators do not take variables: the value is not a number and the policy is refused', () => {
    assert.throws(() => holds({ NumericEquals: { 'test:n': '${test:m}' } }, { 'test:n': '1', 'test:m': '1' }), PolicyValidationError);
  });
  it('ArnLike with a variable', () => {
    assert.equal(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:iam::${aws:PrincipalAccount}:*' } }, { 'aws:SourceArn': 'arn:aws:iam::111111111111:role/x' }), true);
  });
});
