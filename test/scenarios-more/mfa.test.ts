/**
 * scenarios.md §4 last row: "policy with aws:MultiFactorAuthPresent true required → denied for sessions
 * without MFA" (and allowed for a session that was created with MFA). Sources: S3 UG "Adding a bucket
 * policy to require MFA"; IAM UG global condition keys (aws:MultiFactorAuthPresent is absent for
 * long-term access keys, "false" for temporary credentials obtained without MFA, "true" when STS
 * AssumeRole/GetSessionToken got SerialNumber + TokenCode).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetSessionTokenCommand, type Credentials as StsCredentials } from '@aws-sdk/client-sts';
import { startServer, type Server } from '../e2e/harness.js';
import { iamClient, stsClient, s3Client, rejection, type AnyCredentials } from '../scenarios/clients.js';

const B = '222222222222';
const bucket = 'mfa-shared';
const readerRoleArn = `arn:aws:iam::${B}:role/MfaReader`;
const serialNumber = `arn:aws:iam::${B}:mfa/reader`;
const readPolicy = { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };

const asCreds = (c: StsCredentials | undefined): AnyCredentials => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });

describe('scenarios.md §4: bucket policy requiring aws:MultiFactorAuthPresent true', () => {
  let server: Server;
  let reader: AnyCredentials;

  before(async () => {
    server = await startServer();
    const owner = s3Client(server, server.credentials('owner'));
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'q3.csv', Body: 'numbers' }));
    await owner.send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'PartnerReadWithMfa', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
      }),
    }));
    const iam = iamClient(server, server.credentials('partner'));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'reader',
      PolicyName: 'read-and-assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [readPolicy, { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: readerRoleArn }] }),
    }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    reader = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await iam.send(new CreateRoleCommand({
      RoleName: 'MfaReader',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sts:AssumeRole' }] }),
    }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'MfaReader', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [readPolicy] }) }));
  });
  after(async () => {
    await server?.close();
  });

  const getObject = (creds: AnyCredentials) => s3Client(server, creds).send(new GetObjectCommand({ Bucket: bucket, Key: 'q3.csv' }));

  it('B user with long-term access keys (no MFA context) → AccessDenied', async () => {
    const denied = await rejection(getObject(reader));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
  });

  it('B role session from AssumeRole without MFA → AccessDenied', async () => {
    const out = await stsClient(server, reader).send(new AssumeRoleCommand({ RoleArn: readerRoleArn, RoleSessionName: 'no-mfa' }));
    const denied = await rejection(getObject(asCreds(out.Credentials)));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
  });

  it('B user session from GetSessionToken without MFA → AccessDenied', async () => {
    const out = await stsClient(server, reader).send(new GetSessionTokenCommand({}));
    const denied = await rejection(getObject(asCreds(out.Credentials)));
    assert.equal(denied.name, 'AccessDenied');
    assert.equal(denied.status, 403);
  });

  it('B role session from AssumeRole with SerialNumber + TokenCode (MFA) → allowed', async () => {
    const out = await stsClient(server, reader).send(new AssumeRoleCommand({ RoleArn: readerRoleArn, RoleSessionName: 'with-mfa', SerialNumber: serialNumber, TokenCode: '123456' }));
    const got = await getObject(asCreds(out.Credentials));
    assert.equal(await got.Body!.transformToString(), 'numbers');
  });

  it('B user session from GetSessionToken with SerialNumber + TokenCode (MFA) → allowed', async () => {
    const out = await stsClient(server, reader).send(new GetSessionTokenCommand({ SerialNumber: serialNumber, TokenCode: '654321' }));
    const got = await getObject(asCreds(out.Credentials));
    assert.equal(await got.Body!.transformToString(), 'numbers');
  });
});
