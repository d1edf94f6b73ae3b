/**
 * What encryption and access logging cost (issues 5 and 6): the same 4 KiB and 64 MiB PUT/GET on
 * three buckets of one server — SSE-S3 (the default, as on AWS), SSE-KMS (bucket default aws:kms
 * with alias/aws/s3) and SSE-S3 with server access logging on. There is no unencrypted baseline:
 * like AWS today, crossbucket encrypts every object. The audit trail records every request in all
 * three (it cannot be turned off).
 */
import { createHash, randomBytes } from 'node:crypto';
import { emptyBodySha256, expectStatus, sha256Hex, unsignedPayload } from './sigv4-client.js';
import { runCount, runLoad, type LoadResult } from './load.js';
import type { Side, Timing } from './scenarios.js';

const mib = 1024 * 1024;
const small = randomBytes(4096);

export interface FeatureRow {
  scenario: string;
  sseS3: LoadResult;
  sseKms: LoadResult;
  logged: LoadResult;
  unit: 'ops/s' | 'MB/s';
}

async function put(side: Side, path: string, body: Buffer, query?: Record<string, string>): Promise<void> {
  const md5 = createHash('md5').update(body).digest('base64');
  const response = await side.client.send(
    { method: 'PUT', path, query, payloadHash: sha256Hex(body), contentLength: body.length, headers: { 'content-md5': md5 } },
    body,
  );
  // PutBucketPolicy answers 204, the other configuration PUTs 200.
  expectStatus(response, query?.policy !== undefined ? 204 : 200, `PUT ${path}${query ? '?' + Object.keys(query).join('&') : ''}`);
}

async function setUp(side: Side): Promise<{ s3: string; kms: string; logged: string }> {
  const names = { s3: 'bench-sse-s3', kms: 'bench-sse-kms', logged: 'bench-logged', logs: 'bench-log-target' };
  for (const name of Object.values(names)) await put(side, `/${name}`, Buffer.alloc(0));
  const kmsDefault = '<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>';
  await put(side, `/${names.kms}`, Buffer.from(kmsDefault), { encryption: '' });
  const deliveryPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${names.logs}/*`}],
  });
  await put(side, `/${names.logs}`, Buffer.from(deliveryPolicy), { policy: '' });
  const logging = `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LoggingEnabled><TargetBucket>${names.logs}</TargetBucket><TargetPrefix>s3/bench/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
  await put(side, `/${names.logged}`, Buffer.from(logging), { logging: '' });
  return names;
}

function put4k(side: Side, bucket: string) {
  return async (n: number) => {
    const response = await side.client.send({ method: 'PUT', path: `/${bucket}/k/${String(n % 2000).padStart(6, '0')}`, payloadHash: sha256Hex(small), contentLength: small.length }, small);
    expectStatus(response, 200, 'PUT 4 KiB');
    return small.length;
  };
}

function get(side: Side, path: (n: number) => string, bytes: number) {
  return async (n: number) => {
    const response = await side.client.send({ method: 'GET', path: path(n), payloadHash: emptyBodySha256 });
    expectStatus(response, 200, `GET ${path(n)}`);
    if (response.bytes !== bytes) throw new Error(`GET ${path(n)}: ${response.bytes} bytes, expected ${bytes}`);
    return response.bytes;
  };
}

export async function featureCosts(cb: Side, timing: Timing, largeCount: number): Promise<FeatureRow[]> {
  const buckets = await setUp(cb);
  const order: Array<keyof typeof buckets> = ['s3', 'kms', 'logged'];
  const rows: FeatureRow[] = [];
  const options = { ...timing, concurrency: 16, serverPid: cb.pid };
  const byBucket = async (run: (bucket: string) => Promise<LoadResult>) => {
    const out: Record<string, LoadResult> = {};
    for (const key of order) out[key] = await run(buckets[key]);
    return out;
  };
  const putSmall = await byBucket((bucket) => runLoad(options, put4k(cb, bucket)));
  rows.push({ scenario: 'PUT 4 KiB, c16', unit: 'ops/s', sseS3: putSmall.s3!, sseKms: putSmall.kms!, logged: putSmall.logged! });
  const getSmall = await byBucket((bucket) => runLoad(options, get(cb, (n) => `/${bucket}/k/${String(n % 500).padStart(6, '0')}`, small.length)));
  rows.push({ scenario: 'GET 4 KiB, c16', unit: 'ops/s', sseS3: getSmall.s3!, sseKms: getSmall.kms!, logged: getSmall.logged! });

  const big = randomBytes(64 * mib);
  const putBig = await byBucket(async (bucket) => {
    await cb.client.send({ method: 'PUT', path: `/${bucket}/big`, payloadHash: unsignedPayload, contentLength: big.length }, big);
    return runCount(largeCount, cb.pid, async () => {
      const response = await cb.client.send({ method: 'PUT', path: `/${bucket}/big`, payloadHash: unsignedPayload, contentLength: big.length }, big);
      expectStatus(response, 200, 'PUT 64 MiB');
      return big.length;
    });
  });
  rows.push({ scenario: 'PUT 64 MiB', unit: 'MB/s', sseS3: putBig.s3!, sseKms: putBig.kms!, logged: putBig.logged! });
  const getBig = await byBucket((bucket) => runCount(largeCount, cb.pid, get(cb, () => `/${bucket}/big`, big.length)));
  rows.push({ scenario: 'GET 64 MiB', unit: 'MB/s', sseS3: getBig.s3!, sseKms: getBig.kms!, logged: getBig.logged! });
  return rows;
}

export function renderFeatureCosts(rows: FeatureRow[]): string {
  const value = (result: LoadResult, unit: FeatureRow['unit']) =>
    unit === 'MB/s' ? `${result.megabytesPerSecond.toFixed(0)} MB/s` : `${Math.round(result.operationsPerSecond).toLocaleString('en-US')} ops/s`;
  const rate = (result: LoadResult, unit: FeatureRow['unit']) => (unit === 'MB/s' ? result.megabytesPerSecond : result.operationsPerSecond);
  const delta = (base: LoadResult, other: LoadResult, unit: FeatureRow['unit']) => `${(((rate(other, unit) - rate(base, unit)) / rate(base, unit)) * 100).toFixed(0)}%`;
  const lines = [
    '## Encryption and access logging (one server, three buckets)',
    '',
    'Every object is encrypted (SSE-S3 unless configured otherwise, as on AWS), so SSE-S3 is the baseline; the audit trail records every request in all columns.',
    '',
    '| scenario | SSE-S3 (default) | SSE-KMS (bucket default aws:kms) | vs SSE-S3 | SSE-S3 + access logging | vs SSE-S3 |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(`| ${row.scenario} | ${value(row.sseS3, row.unit)} | ${value(row.sseKms, row.unit)} | ${delta(row.sseS3, row.sseKms, row.unit)} | ${value(row.logged, row.unit)} | ${delta(row.sseS3, row.logged, row.unit)} |`);
  }
  return lines.join('\n');
}
