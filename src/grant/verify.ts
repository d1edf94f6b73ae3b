/**
 * `verify`: act as the external party with its own credentials, assume the role from a hand-off
 * package and check that exactly the granted operations work. Each check expects 'allowed' or
 * 'denied'; anything else (another error, an unexpected success) fails the run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { awsErrorInfo, isAws, s3Client, stsClient, type AwsCredentials, type Connection } from './aws-clients.js';
import type { Handoff } from './handoff.js';

export type Outcome = 'allowed' | 'denied' | 'error' | 'skipped';

export interface CheckResult {
  check: string;
  expected: 'allowed' | 'denied';
  actual: Outcome;
  ok: boolean;
  detail: string;
}

const deniedCodes = new Set(['AccessDenied', 'AccessDeniedException']);

async function attempt(run: () => Promise<unknown>, allowedCodes: string[] = []): Promise<{ actual: Outcome; detail: string; value?: unknown }> {
  try {
    const value = await run();
    return { actual: 'allowed', detail: 'succeeded', value };
  } catch (error) {
    const info = awsErrorInfo(error);
    if (!info) return { actual: 'error', detail: (error as Error)?.message ?? String(error) };
    const text = `${info.code}${info.message ? `: ${info.message}` : ''}${info.requestId ? ` (request ID ${info.requestId})` : ''}`;
    if (allowedCodes.includes(info.code)) return { actual: 'allowed', detail: `permitted (${info.code})` };
    if (deniedCodes.has(info.code) || (info.httpStatusCode === 403 && (info.code === 'Forbidden' || info.code === 'UnknownError'))) return { actual: 'denied', detail: text };
    return { actual: 'error', detail: text };
  }
}

/** The plain-HTTP endpoint: --http-endpoint, AWS's http:// S3 endpoint, or crossbucket's server.json. */
export function findHttpEndpoint(connection: Connection, env: NodeJS.ProcessEnv, explicit?: string): string | undefined {
  if (explicit) return explicit;
  if (isAws(connection)) return `http://s3.${connection.region}.amazonaws.com`;
  const dirs = [env.CROSSBUCKET_DATA, connection.caBundle ? path.dirname(path.dirname(path.resolve(connection.caBundle))) : undefined];
  for (const dir of dirs) {
    const file = dir ? path.join(dir, 'server.json') : undefined;
    if (!file || !existsSync(file)) continue;
    try {
      const info = JSON.parse(readFileSync(file, 'utf8')) as { httpEndpoint?: string };
      if (info.httpEndpoint) return info.httpEndpoint;
    } catch {
      // unreadable server.json: no HTTP check
    }
  }
  return undefined;
}

export interface VerifyOptions {
  handoff: Handoff;
  connection: Connection;
  httpEndpoint?: string;
  progress: (line: string) => void;
}

export async function runVerify(options: VerifyOptions): Promise<CheckResult[]> {
  const { handoff: h, connection, progress } = options;
  const results: CheckResult[] = [];
  const record = (check: string, expected: 'allowed' | 'denied', outcome: { actual: Outcome; detail: string }): boolean => {
    const ok = outcome.actual === 'skipped' || outcome.actual === expected;
    results.push({ check, expected, actual: outcome.actual, ok, detail: outcome.detail });
    progress(`${ok ? 'ok  ' : 'FAIL'} ${check}: ${outcome.actual}`);
    return ok;
  };
  const sts = stsClient(connection);
  const tag = randomBytes(6).toString('hex');
  const session = `crossbucket-verify-${tag}`;
  const own = s3Client(connection);
  record('your own credentials, without the role: ListObjectsV2', 'denied', await attempt(() => own.send(new ListObjectsV2Command({ Bucket: h.bucket, Prefix: h.prefix, MaxKeys: 1 }))));
  record('AssumeRole without ExternalId', 'denied', await attempt(() => sts.send(new AssumeRoleCommand({ RoleArn: h.roleArn, RoleSessionName: session }))));
  record('AssumeRole with a wrong ExternalId', 'denied', await attempt(() => sts.send(new AssumeRoleCommand({ RoleArn: h.roleArn, RoleSessionName: session, ExternalId: `wrong-${tag}` }))));
  const assumed = await attempt(() => sts.send(new AssumeRoleCommand({ RoleArn: h.roleArn, RoleSessionName: session, ExternalId: h.externalId })));
  if (!record('AssumeRole with the ExternalId', 'allowed', assumed)) return results;
  const c = (assumed.value as { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }).Credentials;
  const credentials: AwsCredentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  const s3 = s3Client(connection, credentials);
  const can = (action: string) => (h.actions.includes(action) ? 'allowed' : 'denied');
  const key = `${h.prefix}crossbucket-verify-${tag}.txt`;
  const created = new Set<string>();
  const put = async (client: S3Client, objectKey: string) => {
    const outcome = await attempt(() => client.send(new PutObjectCommand({ Bucket: h.bucket, Key: objectKey, Body: `crossbucket verify ${tag}\n` })));
    if (outcome.actual === 'allowed') created.add(objectKey);
    return outcome;
  };
  try {
    record(`PutObject ${key}`, can('s3:PutObject'), await put(s3, key));
    // Without the object (no write access) a permitted GET answers NoSuchKey, a refused one AccessDenied.
    const exists = created.has(key);
    if (h.actions.includes('s3:GetObject')) {
      const head = await attempt(() => s3.send(new HeadObjectCommand({ Bucket: h.bucket, Key: key })), exists ? [] : ['NotFound', 'NoSuchKey']);
      const sse = (head.value as { ServerSideEncryption?: string } | undefined)?.ServerSideEncryption;
      if (exists && head.actual === 'allowed') {
        record('object encrypted at rest (HeadObject)', 'allowed', sse ? { actual: 'allowed', detail: `ServerSideEncryption ${sse}` } : { actual: 'error', detail: 'no ServerSideEncryption header' });
      }
    }
    record(`GetObject ${key}`, can('s3:GetObject'), await attempt(() => s3.send(new GetObjectCommand({ Bucket: h.bucket, Key: key })).then((out) => out.Body?.transformToString()), exists ? [] : ['NoSuchKey']));
    record(`ListObjectsV2 prefix ${JSON.stringify(h.prefix)}`, can('s3:ListBucket'), await attempt(() => s3.send(new ListObjectsV2Command({ Bucket: h.bucket, Prefix: h.prefix, MaxKeys: 5 }))));
    if (h.prefix) {
      const outside = `crossbucket-verify-${tag}-outside.txt`;
      if (h.actions.includes('s3:PutObject')) record(`PutObject outside the prefix (${outside})`, 'denied', await put(s3, outside));
      record(`GetObject outside the prefix (${outside})`, 'denied', await attempt(() => s3.send(new GetObjectCommand({ Bucket: h.bucket, Key: outside })), ['NoSuchKey']));
      if (h.actions.includes('s3:ListBucket')) record('ListObjectsV2 of the whole bucket', 'denied', await attempt(() => s3.send(new ListObjectsV2Command({ Bucket: h.bucket, MaxKeys: 5 }))));
    }
    const httpEndpoint = findHttpEndpoint(connection, process.env, options.httpEndpoint);
    if (!httpEndpoint) {
      record('plain HTTP request (TLS-only policy)', 'denied', { actual: 'skipped', detail: 'no HTTP endpoint known (use --http-endpoint)' });
    } else {
      const plain = s3Client(connection, credentials, httpEndpoint);
      const httpKey = `${h.prefix}crossbucket-verify-${tag}-http.txt`;
      const outcome = h.actions.includes('s3:PutObject')
        ? await put(plain, httpKey)
        : h.actions.includes('s3:ListBucket')
          ? await attempt(() => plain.send(new ListObjectsV2Command({ Bucket: h.bucket, Prefix: h.prefix, MaxKeys: 1 })))
          : await attempt(() => plain.send(new GetObjectCommand({ Bucket: h.bucket, Key: key })), ['NoSuchKey']);
      record(`plain HTTP request to ${httpEndpoint} (TLS-only policy)`, 'denied', outcome);
    }
    record('PutBucketAcl (change the bucket ACL)', 'denied', await attempt(() => s3.send(new PutBucketAclCommand({ Bucket: h.bucket, ACL: 'private' }))));
    // An empty statement list is invalid: if the role could set policies, nothing is overwritten.
    record('PutBucketPolicy (change the bucket policy)', 'denied', await attempt(() => s3.send(new PutBucketPolicyCommand({ Bucket: h.bucket, Policy: '{"Version":"2012-10-17","Statement":[]}' }))));
    // Run while the probe object exists, so a wrongly permitted DeleteBucket fails with BucketNotEmpty.
    record('DeleteBucket', 'denied', await attempt(() => s3.send(new DeleteBucketCommand({ Bucket: h.bucket }))));
    const deletion = await attempt(() => s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: key })));
    if (deletion.actual === 'allowed') created.delete(key);
    record(`DeleteObject ${key}`, can('s3:DeleteObject'), deletion);
  } finally {
    for (const leftover of created) {
      const removed = await attempt(() => s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: leftover })));
      if (removed.actual !== 'allowed') progress(`note: probe object s3://${h.bucket}/${leftover} could not be removed (${removed.detail}); the bucket owner can delete it`);
    }
  }
  return results;
}

export function renderResults(results: CheckResult[]): string {
  const rows = [['CHECK', 'EXPECTED', 'RESULT', ''], ...results.map((r) => [r.check, r.expected, r.actual, r.ok ? 'PASS' : 'FAIL'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) lines.push(`FAIL ${r.check}: expected ${r.expected}, got ${r.actual} — ${r.detail}`);
  lines.push(failed.length === 0 ? `verify: all ${results.length} checks passed` : `verify: ${failed.length} of ${results.length} checks failed`);
  return lines.join('\n') + '\n';
}
