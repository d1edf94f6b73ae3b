import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { execFile } from 'node:child_process';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  BodyDigester,
  createPayloadVerifier,
  parseAuth,
  SigningKeyCache,
  verifySignature,
  type AuthInput,
  type BodyDigest,
  type PayloadMode,
} from '../../src/auth/index.js';
import { ServiceError } from '../../src/protocol/errors.js';

// Real @aws-sdk clients (default checksum behaviour) against a bare node:http listener that runs
// only this module: proves the SDK's actual wire formats verify, without the rest of the server.
const accessKeyId = 'AKIAROUNDTRIP0000001';
const secretAccessKey = 'roundtripSecretKey/with+chars0000000000';

interface Seen {
  service: string;
  mode: PayloadMode | 'anonymous';
  body: Buffer;
  digest: BodyDigest;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
const keys = new SigningKeyCache();

function serviceOf(req: IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const query = decodeURIComponent(req.url ?? '');
  return /\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth + query)?.[1] ?? 's3';
}

async function handle(req: IncomingMessage): Promise<{ status: number; body: string; headers?: Record<string, string> }> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const input: AuthInput = {
    method: req.method ?? 'GET',
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers,
    nowMs: Date.now(),
  };
  const service = serviceOf(req);
  const opts = { region: 'us-east-1', service, signingKeys: keys };
  const parsed = parseAuth(input, opts);
  if (parsed.kind !== 'anonymous') {
    assert.equal(parsed.accessKeyId, accessKeyId);
    verifySignature(parsed, input, secretAccessKey, opts);
  }
  const verifier = createPayloadVerifier(parsed, input, secretAccessKey, opts);
  const digester = new BodyDigester(req.headers);
  const chunks: Buffer[] = [];
  req.pipe(verifier);
  for await (const chunk of verifier) {
    digester.update(chunk as Buffer);
    chunks.push(chunk as Buffer);
  }
  const digest = digester.finish(verifier.trailers);
  seen.push({ service, mode: parsed.kind === 'anonymous' ? 'anonymous' : parsed.payloadMode, body: Buffer.concat(chunks), digest });
  if (service === 'sts') {
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:root</Arn><UserId>111111111111</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
  }
  return { status: 200, body: req.method === 'GET' ? 'object-bytes' : '', headers: { etag: `"${digest.md5Hex}"` } };
}

before(async () => {
  server = createServer((req, res) => {
    handle(req).then(
      (out) => {
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body);
      },
      (error: unknown) => {
        const e = error instanceof ServiceError ? error : new ServiceError('InternalError', String(error), 500);
        res.writeHead(e.statusCode, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`);
        req.resume();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const s3 = () => new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });

test('@aws-sdk/client-s3 streamed PutObject (default: aws-chunked + CRC32 trailer) verifies and decodes', async () => {
  seen.length = 0;
  const payload = Buffer.alloc(300_000, 'z');
  await s3().send(new PutObjectCommand({ Bucket: 'bucket', Key: 'dir/a key+ü.txt', Body: Readable.from([payload.subarray(0, 100_000), payload.subarray(100_000)]), ContentLength: payload.length }));
  const last = seen.at(-1)!;
  assert.equal(last.mode, 'streaming-unsigned-trailer');
  assert.ok(last.body.equals(payload));
  assert.equal(last.digest.checksum?.algorithm, 'CRC32');
});

test('@aws-sdk/client-s3 buffered PutObject (x-amz-checksum-crc32 header) and GetObject with checksum mode verify', async () => {
  seen.length = 0;
  const client = s3();
  await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: "odd!*'()[]{}%key", Body: 'hello world' }));
  assert.equal(seen.at(-1)!.body.toString(), 'hello world');
  assert.equal(seen.at(-1)!.digest.checksum?.value, 'DUoRhQ==');
  await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'md5', Body: 'x', ChecksumAlgorithm: 'SHA256' }));
  assert.equal(seen.at(-1)!.digest.checksum?.algorithm, 'SHA256');
  const got = await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'k', ChecksumMode: 'ENABLED' }));
  assert.equal(await got.Body!.transformToString(), 'object-bytes');
});

test('@aws-sdk/s3-request-presigner URL verifies when fetched without credentials', async () => {
  seen.length = 0;
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: 'bucket', Key: 'a b/c+d' }), { expiresIn: 300 });
  const response = await fetch(url);
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(await response.text(), 'object-bytes');
  const tampered = await fetch(url.replace('X-Amz-Expires=300', 'X-Amz-Expires=301'));
  assert.equal(tampered.status, 403);
  assert.match(await tampered.text(), /SignatureDoesNotMatch/);
});

test('@aws-sdk/client-sts GetCallerIdentity verifies (Query protocol, normalized path)', async () => {
  seen.length = 0;
  const sts = new STSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId, secretAccessKey } });
  const out = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, '111111111111');
  assert.equal(seen.at(-1)!.service, 'sts');
  assert.match(seen.at(-1)!.body.toString(), /Action=GetCallerIdentity/);
});

test('wrong secret with the real SDK → 403 SignatureDoesNotMatch', async () => {
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey: 'wrong' }, maxAttempts: 1 });
  await assert.rejects(client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'k', Body: 'x' })), (error: Error) => error.name === 'SignatureDoesNotMatch');
});

const boto3Script = `
import os, boto3, botocore.config
kw = dict(endpoint_url=os.environ['EP'], region_name='us-east-1', aws_access_key_id=os.environ['AK'], aws_secret_access_key=os.environ['SK'])
s3 = boto3.client('s3', config=botocore.config.Config(s3={'addressing_style': 'path'}), **kw)
s3.put_object(Bucket='bucket', Key='boto key+1', Body=b'boto3 bytes')
s3.upload_fileobj(__import__('io').BytesIO(b'y' * 70000), 'bucket', 'streamed')
print(boto3.client('sts', **kw).get_caller_identity()['Account'])
`;

test('boto3 (when installed): put_object, upload_fileobj and STS get_caller_identity verify', async (t) => {
  const available = await new Promise<boolean>((resolve) => execFile('python3', ['-c', 'import boto3'], (error) => resolve(!error)));
  if (!available) {
    t.skip('python3 with boto3 is not installed');
    return;
  }
  seen.length = 0;
  const output = await new Promise<string>((resolve, reject) =>
    execFile('python3', ['-c', boto3Script], { env: { ...process.env, EP: endpoint, AK: accessKeyId, SK: secretAccessKey } }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr)) : resolve(stdout),
    ),
  );
  assert.equal(output.trim(), '111111111111');
  assert.equal(seen[0]!.body.toString(), 'boto3 bytes');
  assert.ok(seen[1]!.body.equals(Buffer.alloc(70000, 'y')));
  const stsCall = seen.find((s) => s.service === 'sts')!;
  assert.equal(stsCall.mode, 'body-hash');
});
