/**
 * End-to-end cost of authorization on a 4 KiB GET: the same objects read by the account root
 * (the owner's root user: no identity policies to evaluate) and by an IAM user whose access comes
 * through a realistic policy set — 10 attached managed policies of 10 statements with conditions,
 * a permissions boundary and a bucket policy (the shape of bench/policy-bench.ts, adapted so the
 * conditions hold over plain HTTP from 127.0.0.1). Runs only when the server serves IAM.
 */
import { createHash } from 'node:crypto';
import { SigV4Client, emptyBodySha256, sha256Hex, type Credentials } from './sigv4-client.js';
import { percentile } from './load.js';
import { smallKeys, type Timing } from './scenarios.js';

const statementsPerPolicy = 10;
const policyCount = 10;

function identityPolicy(index: number, bucket: string): string {
  const statements = [];
  for (let s = 0; s < statementsPerPolicy; s++) {
    const n = index * statementsPerPolicy + s;
    const grants = index === policyCount - 1 && s === 3; // only the last policy's 4th statement grants the read
    statements.push({
      Sid: `S${n}`,
      Effect: s === 9 ? 'Deny' : 'Allow',
      Action: s === 9 ? ['s3:DeleteBucket', 'iam:DeleteUser'] : grants ? ['s3:GetObject'] : [`s3:${['Get', 'Put', 'List', 'Delete'][s % 4]}Object*`, `ec2:Describe${n}*`, 'iam:Get*'],
      Resource: grants ? [`arn:aws:s3:::${bucket}/small/*`] : [`arn:aws:s3:::other-${n}`, `arn:aws:s3:::${bucket}/team-${n}/*`],
      Condition: {
        IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '10.0.0.0/8'] },
        ...(s % 2 === 0 ? { StringLike: { 'aws:UserAgent': ['*'] } } : { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }),
      },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const boundary = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*', 'iam:Get*'], Resource: '*' },
    { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ],
});

function bucketPolicy(bucket: string, accountId: string, userArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenyOtherNetworks', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
      { Sid: 'DenyOtherRegions', Effect: 'Deny', Principal: '*', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
      { Sid: 'BenchUser', Effect: 'Allow', Principal: { AWS: userArn }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/small/*`, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
      { Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
    ],
  });
}

async function iam(client: SigV4Client, params: Record<string, string>): Promise<string> {
  const body = Buffer.from(new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(), 'utf8');
  const response = await client.send(
    { method: 'POST', path: '/', service: 'iam', payloadHash: sha256Hex(body), contentLength: body.length, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } },
    body,
    true,
  );
  const text = response.body!.toString('utf8');
  if (response.status !== 200) throw new Error(`IAM ${params.Action}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

function element(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!match) throw new Error(`no <${name}> in ${xml.slice(0, 300)}`);
  return match[1]!;
}

/** Create the IAM user, its policies and the bucket policy as the owner; returns the user's keys. */
export async function setUpPolicyUser(owner: SigV4Client, bucket: string): Promise<Credentials> {
  const user = await iam(owner, { Action: 'CreateUser', UserName: 'bench-reader' });
  const userArn = element(user, 'Arn');
  const accountId = userArn.split(':')[4]!;
  for (let i = 0; i < policyCount; i++) {
    const created = await iam(owner, { Action: 'CreatePolicy', PolicyName: `bench-policy-${i}`, PolicyDocument: identityPolicy(i, bucket) });
    await iam(owner, { Action: 'AttachUserPolicy', UserName: 'bench-reader', PolicyArn: element(created, 'Arn') });
  }
  const boundaryPolicy = await iam(owner, { Action: 'CreatePolicy', PolicyName: 'bench-boundary', PolicyDocument: boundary });
  await iam(owner, { Action: 'PutUserPermissionsBoundary', UserName: 'bench-reader', PermissionsBoundary: element(boundaryPolicy, 'Arn') });
  const policyBody = Buffer.from(bucketPolicy(bucket, accountId, userArn), 'utf8');
  const put = await owner.send(
    {
      method: 'PUT', path: `/${bucket}`, query: { policy: '' }, payloadHash: sha256Hex(policyBody), contentLength: policyBody.length,
      headers: { 'content-md5': createHash('md5').update(policyBody).digest('base64') },
    },
    policyBody,
    true,
  );
  if (put.status !== 204 && put.status !== 200) throw new Error(`PutBucketPolicy: HTTP ${put.status}: ${put.body?.toString('utf8').slice(0, 300)}`);
  const key = await iam(owner, { Action: 'CreateAccessKey', UserName: 'bench-reader' });
  return { accessKeyId: element(key, 'AccessKeyId'), secretAccessKey: element(key, 'SecretAccessKey') };
}

export interface ClassLatency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface InterleavedResult {
  concurrency: number;
  root: ClassLatency;
  user: ClassLatency;
  operationsPerSecond: number;
}

function summary(latencies: number[]): ClassLatency {
  const sorted = Float64Array.from(latencies).sort();
  return { requests: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/**
 * GET 4 KiB as root and as the policy user, interleaved request by request (every worker alternates),
 * so both classes see the same moment-to-moment load on a shared machine; latency is kept per class.
 */
export async function authorizationCost(owner: SigV4Client, userClient: SigV4Client, bucket: string, timing: Timing): Promise<InterleavedResult[]> {
  const get = async (client: SigV4Client, n: number) => {
    const path = `/${bucket}/small/c16/${String(n % smallKeys.count).padStart(6, '0')}`;
    const response = await client.send({ method: 'GET', path, payloadHash: emptyBodySha256 });
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}: ${response.body?.toString('utf8').slice(0, 300)}`);
  };
  const results: InterleavedResult[] = [];
  for (const concurrency of [1, 16]) {
    const run = async (durationMs: number) => {
      const latencies: [number[], number[]] = [[], []];
      let next = 0;
      const until = process.hrtime.bigint() + BigInt(durationMs) * 1_000_000n;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, worker) => {
          for (let i = worker; process.hrtime.bigint() < until; i++) {
            const which = i % 2;
            const t0 = process.hrtime.bigint();
            await get(which === 0 ? owner : userClient, next++);
            latencies[which]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        }),
      );
      return { latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    };
    await run(timing.warmupMs);
    const { latencies, seconds } = await run(timing.durationMs);
    results.push({ concurrency, root: summary(latencies[0]), user: summary(latencies[1]), operationsPerSecond: (latencies[0].length + latencies[1].length) / seconds });
  }
  return results;
}
