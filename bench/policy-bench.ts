/**
 * Authorization decisions per second for a realistic request: 10 identity policies × 10 statements
 * with conditions, a bucket policy and a permissions boundary (issue 3 item 7; aim ≥ 200,000/s on one core).
 */
import { fileURLToPath } from 'node:url';
import { evaluate, PolicyCache, type AuthzRequest, type PolicySet } from '../src/policy/index.js';

const ACCOUNT = '111111111111';

function identityPolicy(index: number): string {
  const statements = [];
  for (let s = 0; s < 10; s++) {
    const n = index * 10 + s;
    statements.push({
      Sid: `S${n}`,
      Effect: s === 9 ? 'Deny' : 'Allow',
      Action: s === 9 ? ['s3:DeleteBucket', 'iam:DeleteUser'] : [`s3:${['Get', 'Put', 'List', 'Delete'][s % 4]}Object*`, `ec2:Describe${n}*`, 'iam:Get*'],
      // Only the last policy's statements name the requested object, so every policy is scanned.
      Resource: s % 3 === 0 && index === 9 ? [`arn:aws:s3:::bucket-${n}/*`, 'arn:aws:s3:::data-bucket/home/${aws:username}/*'] : [`arn:aws:s3:::bucket-${n}`, `arn:aws:s3:::data-bucket/team-${n}/*`],
      Condition: {
        IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] },
        Bool: { 'aws:securetransport': 'true' },
        ...(s % 2 === 0 ? { StringLike: { 'aws:userid': 'AIDA*' } } : { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }),
      },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const bucketPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DenyHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'] },
    { Sid: 'Team', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:*', Resource: 'arn:aws:s3:::data-bucket/*', Condition: { StringEquals: { 'aws:principaltag/team': 'data' } } },
  ],
});

const boundary = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*', 'iam:Get*'], Resource: '*' },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ],
});

function setup(): { request: AuthzRequest; policies: PolicySet } {
  const cache = new PolicyCache();
  const policies: PolicySet = {
    identity: Array.from({ length: 10 }, (_, i) => ({ label: `arn:aws:iam::${ACCOUNT}:policy/p${i}`, policy: cache.get(identityPolicy(i), 'identity') })),
    resource: { label: 'bucket policy', policy: cache.get(bucketPolicy, 's3-bucket') },
    boundary: { label: `arn:aws:iam::${ACCOUNT}:policy/boundary`, policy: cache.get(boundary, 'boundary') },
  };
  const request: AuthzRequest = {
    principal: { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, type: 'User', userId: 'AIDAALICEEXAMPLE', userName: 'alice' },
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::data-bucket/home/alice/report.csv',
    resourceAccountId: ACCOUNT,
    // Lower-case keys: the engine's documented fast path (no per-request case folding).
    context: {
      'aws:sourceip': '10.1.2.3',
      'aws:securetransport': 'true',
      'aws:requestedregion': 'us-east-1',
      'aws:currenttime': '2024-06-01T12:00:00Z',
      'aws:epochtime': '1717243200',
      'aws:useragent': 'aws-cli/2.15',
      'aws:principaltag/team': 'data',
    },
  };
  return { request, policies };
}

export async function runPolicyBench(durationMs = 1500): Promise<{ decisionsPerSecond: number }> {
  const { request, policies } = setup();
  const check = evaluate(request, policies);
  if (check.decision !== 'Allow') throw new Error(`benchmark request should be allowed: ${JSON.stringify(check.reason)}`);
  for (let i = 0; i < 20_000; i++) evaluate(request, policies); // warm-up
  let decisions = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) evaluate(request, policies);
    decisions += 1000;
    now = process.hrtime.bigint();
  }
  const seconds = Number(now - start) / 1e9;
  return { decisionsPerSecond: Math.round(decisions / seconds) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runPolicyBench();
  console.log(`policy engine: ${result.decisionsPerSecond.toLocaleString('en-US')} decisions/s (10 identity policies × 10 statements + bucket policy + boundary)`);
}
