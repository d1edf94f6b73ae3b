/**
 * scenarios.md §2: the external side downloads a KMS-encrypted bucket with the aws CLI through a
 * role_arn / external_id profile (`aws s3 cp --sse aws:kms --recursive`). Sources: S3 UG "Using
 * server-side encryption with AWS KMS keys" (kms:Decrypt on GET), KMS Developer Guide "Default key
 * policy" (the key policy must allow the account before IAM policies count).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { CreateKeyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { hasAwsCli, startServer, type Server } from '../e2e/harness.js';

const A = '111111111111';
const B = '222222222222';
const bucket = 'kms-scenario-bucket';
const roleArn = `arn:aws:iam::${A}:role/A-ROLE`;
const externalId = 'EXTERNAL-ID';

describe('scenarios.md §2: external side with the aws CLI and a KMS-encrypted bucket', () => {
  let server: Server;
  let keyId: string;
  let keyArn: string;
  let ownerKms: KMSClient;
  let env: NodeJS.ProcessEnv;
  const objects: Record<string, Buffer> = { 'a.txt': Buffer.from('alpha\n'), 'reports/big.bin': randomBytes(300_000), 'reports/q3.csv': Buffer.from('1,2,3\n') };

  before(async () => {
    server = await startServer();
    const owner = server.s3('owner');
    const iam = (profile: string) => new IAMClient({ region: 'us-east-1', endpoint: server.httpEndpoint, credentials: server.credentials(profile), requestHandler: server.requestHandler(), maxAttempts: 1 });
    ownerKms = new KMSClient({ region: server.region, endpoint: server.httpEndpoint, credentials: server.credentials('owner'), requestHandler: server.requestHandler(), maxAttempts: 1 });
    const meta = (await ownerKms.send(new CreateKeyCommand({ Description: 'bucket key' }))).KeyMetadata!;
    keyId = meta.KeyId!;
    keyArn = meta.Arn!;
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }] } }));
    for (const [key, body] of Object.entries(objects)) await owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    assert.equal((await owner.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a.txt' }))).SSEKMSKeyId, keyArn);

    const ownerIam = iam('owner');
    await ownerIam.send(new CreateRoleCommand({
      RoleName: 'A-ROLE',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }] }),
    }));
    await ownerIam.send(new PutRolePolicyCommand({
      RoleName: 'A-ROLE',
      PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn },
      ] }),
    }));
    const partnerIam = iam('partner');
    await partnerIam.send(new CreateUserCommand({ UserName: 'b-original' }));
    await partnerIam.send(new PutUserPolicyCommand({ UserName: 'b-original', PolicyName: 'assume', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] }) }));
    const access = (await partnerIam.send(new CreateAccessKeyCommand({ UserName: 'b-original' }))).AccessKey!;

    const credentialsFile = path.join(server.dataDir, 'b-credentials');
    const configFile = path.join(server.dataDir, 'b-config');
    await writeFile(credentialsFile, `[b-original]\naws_access_key_id = ${access.AccessKeyId}\naws_secret_access_key = ${access.SecretAccessKey}\n`, { mode: 0o600 });
    const common = `region = ${server.region}\nendpoint_url = ${server.httpsEndpoint}\nca_bundle = ${server.info.caPath}\ns3 =\n    addressing_style = path\n`;
    await writeFile(configFile, `[profile b-original]\n${common}\n[profile b-cross]\nrole_arn = ${roleArn}\nsource_profile = b-original\nexternal_id = ${externalId}\n${common}\n[profile b-no-external-id]\nrole_arn = ${roleArn}\nsource_profile = b-original\n${common}`);
    env = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile, HOME: server.dataDir };
  });
  after(() => server?.close());

  it('without kms:Decrypt for the account in the key policy the download is AccessDenied naming KMS; with it every object downloads intact', async (t) => {
    if (!hasAwsCli()) return t.skip('aws CLI not installed');
    // A key policy that lets account A administer the key but not use it: IAM policies cannot add kms:Decrypt.
    await ownerKms.send(new PutKeyPolicyCommand({
      KeyId: keyId,
      PolicyName: 'default',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: ['kms:Describe*', 'kms:Get*', 'kms:Put*', 'kms:List*', 'kms:Enable*', 'kms:Disable*'], Resource: '*' }] }),
      BypassPolicyLockoutSafetyCheck: true,
    }));
    const deniedDir = path.join(server.dataDir, 'download-denied');
    await mkdir(deniedDir);
    const denied = await server.awsCli('b-cross', ['s3', 'cp', '--sse', 'aws:kms', `s3://${bucket}`, deniedDir, '--recursive'], { env });
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDenied/);
    assert.match(denied.stderr, /kms:Decrypt/);

    // The documented default key policy delegates to IAM in account A: the role's kms:Decrypt counts.
    await ownerKms.send(new PutKeyPolicyCommand({
      KeyId: keyId,
      PolicyName: 'default',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' }] }),
    }));
    const dir = path.join(server.dataDir, 'download');
    await mkdir(dir);
    const copied = await server.awsCli('b-cross', ['s3', 'cp', '--sse', 'aws:kms', `s3://${bucket}`, dir, '--recursive'], { env });
    assert.equal(copied.code, 0, copied.stderr + copied.stdout);
    for (const [key, body] of Object.entries(objects)) assert.deepEqual(await readFile(path.join(dir, key)), body, key);

    const noId = await server.awsCli('b-no-external-id', ['s3', 'ls', `s3://${bucket}/`], { env });
    assert.notEqual(noId.code, 0);
    assert.match(noId.stderr, /AccessDenied/);
    assert.match(noId.stderr, /AssumeRole/);
  });
});
