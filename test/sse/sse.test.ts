// Server-side encryption end to end with @aws-sdk/client-s3 and client-kms. Sources: S3 UG "Setting
// default server-side encryption behavior for Amazon S3 buckets" (SSE-S3 default since Jan 2023),
// "Using server-side encryption with AWS KMS keys (SSE-KMS)" (Permissions: kms:GenerateDataKey on
// write, kms:Decrypt on read; cross-account needs key policy AND caller's IAM policy), "Using
// server-side encryption with customer-provided keys (SSE-C)" (HTTPS only, same key on GET/HEAD/
// copy source), S3 API GetBucketEncryption / PutBucketEncryption / DeleteBucketEncryption, "Common
// response headers" (ETag of SSE-KMS and SSE-C objects is not the MD5 of the data).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startServer, type Server } from '../e2e/harness.js';
import { expectS3Error, md5Hex, quotedMd5, streamToBuffer } from '../e2e/expect.js';

const A = '111111111111';
const B = '222222222222';

let server: Server;
let owner: S3Client;
let ownerTls: S3Client;
let ownerKms: KMSClient;
let counter = 0;

const kms = (profile: string) => new KMSClient({ region: server.region, endpoint: server.httpEndpoint, credentials: server.credentials(profile), requestHandler: server.requestHandler(), maxAttempts: 1 });
const iam = (profile: string) => new IAMClient({ region: 'us-east-1', endpoint: server.httpEndpoint, credentials: server.credentials(profile), requestHandler: server.requestHandler(), maxAttempts: 1 });

async function bucket(client: S3Client = owner): Promise<string> {
  const name = `sse-${process.pid}-${++counter}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

async function getBytes(client: S3Client, input: ConstructorParameters<typeof GetObjectCommand>[0]): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand(input));
  return streamToBuffer(out.Body);
}

function pattern(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return out;
}

async function createKey(): Promise<{ KeyId: string; Arn: string }> {
  const meta = (await ownerKms.send(new CreateKeyCommand({}))).KeyMetadata!;
  return { KeyId: meta.KeyId!, Arn: meta.Arn! };
}

describe('server-side encryption', () => {
  before(async () => {
    server = await startServer();
    owner = server.s3('owner');
    ownerTls = server.s3('owner', { https: true });
    ownerKms = kms('owner');
  });
  after(() => server?.close());

  it('every new object is SSE-S3 by default: PUT/HEAD/GET show AES256, ETag stays the MD5 (S3 UG default encryption)', async () => {
    const name = await bucket();
    const config = await owner.send(new GetBucketEncryptionCommand({ Bucket: name }));
    assert.deepEqual(config.ServerSideEncryptionConfiguration?.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const body = Buffer.from('hello encrypted world');
    const put = await owner.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: body }));
    assert.equal(put.ServerSideEncryption, 'AES256');
    assert.equal(put.ETag, quotedMd5(body));
    const head = await owner.send(new HeadObjectCommand({ Bucket: name, Key: 'a.txt' }));
    assert.equal(head.ServerSideEncryption, 'AES256');
    assert.equal(head.SSEKMSKeyId, undefined);
    const get = await owner.send(new GetObjectCommand({ Bucket: name, Key: 'a.txt' }));
    assert.equal(get.ServerSideEncryption, 'AES256');
    assert.deepEqual(await streamToBuffer(get.Body), body);
  });

  it('bucket default aws:kms with a customer key: Get/Put/DeleteBucketEncryption, objects carry the key ARN, ETag is not the MD5', async () => {
    const name = await bucket();
    const key = await createKey();
    await owner.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.KeyId }, BucketKeyEnabled: true }] } }));
    const config = await owner.send(new GetBucketEncryptionCommand({ Bucket: name }));
    assert.deepEqual(config.ServerSideEncryptionConfiguration?.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.KeyId }, BucketKeyEnabled: true }]);
    const body = randomBytes(1000);
    const put = await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: body }));
    assert.equal(put.ServerSideEncryption, 'aws:kms');
    assert.equal(put.SSEKMSKeyId, key.Arn);
    assert.equal(put.BucketKeyEnabled, true);
    assert.match(put.ETag!, /^"[0-9a-f]{32}"$/);
    assert.notEqual(put.ETag, quotedMd5(body));
    const get = await owner.send(new GetObjectCommand({ Bucket: name, Key: 'k' }));
    assert.equal(get.ServerSideEncryption, 'aws:kms');
    assert.equal(get.SSEKMSKeyId, key.Arn);
    assert.equal(get.ETag, put.ETag);
    assert.deepEqual(await streamToBuffer(get.Body), body);
    // AES256 with a KMSMasterKeyID is refused.
    await expectS3Error(owner.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: key.KeyId } }] } })), 'InvalidArgument', 400);
    await owner.send(new DeleteBucketEncryptionCommand({ Bucket: name }));
    const reverted = await owner.send(new GetBucketEncryptionCommand({ Bucket: name }));
    assert.equal(reverted.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
    const after = await owner.send(new PutObjectCommand({ Bucket: name, Key: 'k2', Body: 'x' }));
    assert.equal(after.ServerSideEncryption, 'AES256');
  });

  it('per-request aws:kms with a key ARN and an encryption context; without a key ID the AWS managed aws/s3 key', async () => {
    const name = await bucket();
    const key = await createKey();
    const context = Buffer.from(JSON.stringify({ project: 'alpha' })).toString('base64');
    const put = await owner.send(new PutObjectCommand({ Bucket: name, Key: 'ctx', Body: 'payload', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn, SSEKMSEncryptionContext: context }));
    assert.equal(put.SSEKMSKeyId, key.Arn);
    const echoed = JSON.parse(Buffer.from(put.SSEKMSEncryptionContext!, 'base64').toString('utf8'));
    assert.equal(echoed.project, 'alpha');
    assert.equal(echoed['aws:s3:arn'], `arn:aws:s3:::${name}/ctx`);
    assert.equal((await streamToBuffer((await owner.send(new GetObjectCommand({ Bucket: name, Key: 'ctx' }))).Body)).toString(), 'payload');

    const managed = await owner.send(new PutObjectCommand({ Bucket: name, Key: 'managed', Body: 'm', ServerSideEncryption: 'aws:kms' }));
    const awsS3 = (await ownerKms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    assert.equal(managed.SSEKMSKeyId, awsS3.Arn);
    assert.equal(awsS3.KeyManager, 'AWS');
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: name, Key: 'bad', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/missing' })), 'KMS.NotFoundException', 400);
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: name, Key: 'bad', Body: 'x', SSEKMSKeyId: key.Arn })), 'InvalidArgument', 400);
  });

  it('a disabled key fails GET with KMS.DisabledException and works again once enabled (KMS "Key states")', async () => {
    const name = await bucket();
    const key = await createKey();
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 'd', Body: 'secret', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyId }));
    await ownerKms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await expectS3Error(owner.send(new GetObjectCommand({ Bucket: name, Key: 'd' })), 'KMS.DisabledException', 400);
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: name, Key: 'e', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyId })), 'KMS.DisabledException', 400);
    await ownerKms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await getBytes(owner, { Bucket: name, Key: 'd' })).toString(), 'secret');
  });

  it('cross-account download of a KMS-encrypted object needs the key policy AND the partner identity to allow kms:Decrypt (S3 UG SSE-KMS permissions)', async () => {
    const name = await bucket();
    const key = await createKey();
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 'shared.bin', Body: 'for partner', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] }) }));
    const partnerIam = iam('partner');
    const userName = `reader-${counter}`;
    await partnerIam.send(new CreateUserCommand({ UserName: userName }));
    await partnerIam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 's3', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] }) }));
    const access = (await partnerIam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
    const reader = server.s3('partner', { config: { credentials: { accessKeyId: access.AccessKeyId!, secretAccessKey: access.SecretAccessKey! } } });

    // Key policy allows only account A: denied, and the message names KMS.
    const denied = await expectS3Error(reader.send(new GetObjectCommand({ Bucket: name, Key: 'shared.bin' })), 'AccessDenied', 403);
    assert.match(denied.message, /kms:Decrypt/);
    // Key policy allows B, but B's user has no kms:Decrypt: still denied.
    await ownerKms.send(new PutKeyPolicyCommand({
      KeyId: key.KeyId,
      PolicyName: 'default',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
      ] }),
    }));
    const still = await expectS3Error(reader.send(new GetObjectCommand({ Bucket: name, Key: 'shared.bin' })), 'AccessDenied', 403);
    assert.match(still.message, /kms:Decrypt/);
    // Both sides allow: the download works.
    await partnerIam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'kms', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.Arn }] }) }));
    assert.equal((await getBytes(reader, { Bucket: name, Key: 'shared.bin' })).toString(), 'for partner');
  });

  it('SSE-C: round trip over HTTPS, same key required on GET/HEAD/copy source, wrong or missing key refused, plain HTTP refused', async () => {
    const name = await bucket();
    const customerKey = randomBytes(32);
    const keyB64 = customerKey.toString('base64');
    const ssec = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: keyB64 };
    const body = pattern(150_000, 7);
    const put = await ownerTls.send(new PutObjectCommand({ Bucket: name, Key: 'c', Body: body, ...ssec }));
    assert.equal(put.SSECustomerAlgorithm, 'AES256');
    assert.equal(put.SSECustomerKeyMD5, createHash('md5').update(customerKey).digest('base64'));
    assert.equal(put.ServerSideEncryption, undefined);
    assert.notEqual(put.ETag, quotedMd5(body));
    const get = await ownerTls.send(new GetObjectCommand({ Bucket: name, Key: 'c', Range: 'bytes=65530-65545', ...ssec }));
    assert.deepEqual(await streamToBuffer(get.Body), body.subarray(65530, 65546));
    assert.equal(get.SSECustomerKeyMD5, put.SSECustomerKeyMD5);
    const head = await ownerTls.send(new HeadObjectCommand({ Bucket: name, Key: 'c', ...ssec }));
    assert.equal(head.ContentLength, body.length);
    await expectS3Error(ownerTls.send(new GetObjectCommand({ Bucket: name, Key: 'c' })), 'InvalidRequest', 400, /correct parameters must be provided/);
    await expectS3Error(ownerTls.send(new GetObjectCommand({ Bucket: name, Key: 'c', SSECustomerAlgorithm: 'AES256', SSECustomerKey: randomBytes(32).toString('base64') })), 'AccessDenied', 403);
    await expectS3Error(owner.send(new PutObjectCommand({ Bucket: name, Key: 'http', Body: 'x', ...ssec })), 'InvalidRequest', 400, 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
    await expectS3Error(ownerTls.send(new PutObjectCommand({ Bucket: name, Key: 'both', Body: 'x', ...ssec, ServerSideEncryption: 'AES256' })), 'InvalidArgument', 400);
    // Copy: the source key through x-amz-copy-source-server-side-encryption-customer-*, target SSE-S3.
    await ownerTls.send(new CopyObjectCommand({ Bucket: name, Key: 'copy', CopySource: `${name}/c`, CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: keyB64 }));
    const copied = await ownerTls.send(new GetObjectCommand({ Bucket: name, Key: 'copy' }));
    assert.equal(copied.ServerSideEncryption, 'AES256');
    assert.deepEqual(await streamToBuffer(copied.Body), body);
    await expectS3Error(ownerTls.send(new CopyObjectCommand({ Bucket: name, Key: 'copy2', CopySource: `${name}/c` })), 'InvalidRequest', 400);
    // SSE-C parameters on an object not stored with SSE-C.
    await expectS3Error(ownerTls.send(new GetObjectCommand({ Bucket: name, Key: 'copy', ...ssec })), 'InvalidRequest', 400, /not applicable/);
  });

  it('ranges across chunk boundaries of encrypted single-part objects (64 KiB chunks)', async () => {
    const name = await bucket();
    const key = await createKey();
    const body = pattern(3 * 65536 + 1234, 3);
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 'r', Body: body, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyId }));
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 's3', Body: body }));
    for (const objectKey of ['r', 's3']) {
      for (const [start, end] of [[0, 0], [65535, 65536], [65500, 131100], [131071, 196700], [body.length - 5, body.length - 1], [0, body.length - 1]] as const) {
        const got = await getBytes(owner, { Bucket: name, Key: objectKey, Range: `bytes=${start}-${end}` });
        assert.deepEqual(got, body.subarray(start, end + 1), `${objectKey} ${start}-${end}`);
      }
      assert.deepEqual(await getBytes(owner, { Bucket: name, Key: objectKey, Range: 'bytes=-70000' }), body.subarray(body.length - 70000));
    }
  });

  it('multipart under SSE-KMS: parts encrypted with the upload key, ranges across parts, partNumber GETs, UploadPartCopy from an encrypted source', async () => {
    const name = await bucket();
    const key = await createKey();
    const part1 = pattern(5 * 1024 * 1024, 11);
    const part2 = pattern(5 * 1024 * 1024 + 100, 12);
    const source = pattern(300_000, 13);
    await owner.send(new PutObjectCommand({ Bucket: name, Key: 'src', Body: source, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.KeyId }));
    const created = await owner.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'mp', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn }));
    assert.equal(created.ServerSideEncryption, 'aws:kms');
    assert.equal(created.SSEKMSKeyId, key.Arn);
    const p1 = await owner.send(new UploadPartCommand({ Bucket: name, Key: 'mp', UploadId: created.UploadId, PartNumber: 1, Body: part1 }));
    assert.equal(p1.ServerSideEncryption, 'aws:kms');
    assert.notEqual(p1.ETag, quotedMd5(part1));
    const p2 = await owner.send(new UploadPartCommand({ Bucket: name, Key: 'mp', UploadId: created.UploadId, PartNumber: 2, Body: part2 }));
    const p3 = await owner.send(new UploadPartCopyCommand({ Bucket: name, Key: 'mp', UploadId: created.UploadId, PartNumber: 3, CopySource: `${name}/src`, CopySourceRange: 'bytes=60000-199999' }));
    const done = await owner.send(new CompleteMultipartUploadCommand({ Bucket: name, Key: 'mp', UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }, { PartNumber: 3, ETag: p3.CopyPartResult!.ETag }] } }));
    assert.equal(done.ServerSideEncryption, 'aws:kms');
    const whole = Buffer.concat([part1, part2, source.subarray(60000, 200000)]);
    const got = await owner.send(new GetObjectCommand({ Bucket: name, Key: 'mp' }));
    assert.equal(got.SSEKMSKeyId, key.Arn);
    const all = await streamToBuffer(got.Body);
    assert.equal(md5Hex(all), md5Hex(whole));
    for (const [start, end] of [[part1.length - 70000, part1.length + 70000], [part1.length + part2.length - 3, part1.length + part2.length + 65540], [whole.length - 1, whole.length - 1]] as const) {
      assert.deepEqual(await getBytes(owner, { Bucket: name, Key: 'mp', Range: `bytes=${start}-${end}` }), whole.subarray(start, end + 1), `${start}-${end}`);
    }
    const second = await owner.send(new GetObjectCommand({ Bucket: name, Key: 'mp', PartNumber: 2 }));
    assert.equal(second.PartsCount, 3);
    assert.equal(md5Hex(await streamToBuffer(second.Body)), md5Hex(part2));
  });

  it('SSE-C multipart: UploadPart must present the upload key', async () => {
    const name = await bucket();
    const customerKey = randomBytes(32).toString('base64');
    const ssec = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: customerKey };
    const created = await ownerTls.send(new CreateMultipartUploadCommand({ Bucket: name, Key: 'm', ...ssec }));
    assert.equal(created.SSECustomerAlgorithm, 'AES256');
    await expectS3Error(ownerTls.send(new UploadPartCommand({ Bucket: name, Key: 'm', UploadId: created.UploadId, PartNumber: 1, Body: 'x' })), 'InvalidRequest', 400);
    const part = await ownerTls.send(new UploadPartCommand({ Bucket: name, Key: 'm', UploadId: created.UploadId, PartNumber: 1, Body: 'only part', ...ssec }));
    await ownerTls.send(new CompleteMultipartUploadCommand({ Bucket: name, Key: 'm', UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    assert.equal((await getBytes(ownerTls, { Bucket: name, Key: 'm', ...ssec })).toString(), 'only part');
    // HEAD has no error body: only the status tells (400, as for GET without the key).
    await assert.rejects(ownerTls.send(new HeadObjectCommand({ Bucket: name, Key: 'm' })), (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 400);
  });
});
