/**
 * scenarios.md §3 (put from another account via a role the destination account owns), the rows
 * test/scenarios/runbook.test.ts does not cover: "the role trusted by a whole account serves all its
 * users that have sts:AssumeRole" (and none of the others), and the source side with boto3
 * (assume_role → put_object). IAM UG "Cross account resource access" / "Granting a user permissions to
 * switch roles": trusting arn:aws:iam::SOURCE:root delegates to SOURCE's own IAM policies.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, hasBoto3, type Server } from '../e2e/harness.js';
import { iamClient, stsClient, s3Client, rejection, type AnyCredentials } from '../scenarios/clients.js';

const DEST = '111111111111';
const SOURCE = '222222222222';
const bucket = 'account-trust-dest';
const roleArn = `arn:aws:iam::${DEST}:role/SourceWriter`;
const assumePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] });

describe('scenarios.md §3 (more rows): a role trusted by a whole source account', () => {
  let server: Server;
  const users: Record<string, AnyCredentials> = {};

  async function user(iam: IAMClient, name: string): Promise<AnyCredentials> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  }

  before(async () => {
    server = await startServer();
    await s3Client(server, server.credentials('owner')).send(new CreateBucketCommand({ Bucket: bucket }));
    const destIam = iamClient(server, server.credentials('owner'));
    await destIam.send(new CreateRoleCommand({
      RoleName: 'SourceWriter',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SOURCE}:root` }, Action: 'sts:AssumeRole' }] }),
    }));
    await destIam.send(new PutRolePolicyCommand({ RoleName: 'SourceWriter', PolicyName: 'put', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*` }] }) }));

    const sourceIam = iamClient(server, server.credentials('partner'));
    // Three ways a source user can "have sts:AssumeRole": inline, a managed policy on the user's group, none.
    users.inline = await user(sourceIam, 'alice');
    await sourceIam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'assume', PolicyDocument: assumePolicy }));
    users.group = await user(sourceIam, 'bob');
    const managed = await sourceIam.send(new CreatePolicyCommand({ PolicyName: 'AssumeSourceWriter', PolicyDocument: assumePolicy }));
    await sourceIam.send(new CreateGroupCommand({ GroupName: 'uploaders' }));
    await sourceIam.send(new AttachGroupPolicyCommand({ GroupName: 'uploaders', PolicyArn: managed.Policy!.Arn }));
    await sourceIam.send(new AddUserToGroupCommand({ GroupName: 'uploaders', UserName: 'bob' }));
    users.none = await user(sourceIam, 'carol');
    // A user whose sts:AssumeRole names another role does not get this one either.
    users.other = await user(sourceIam, 'dave');
    await sourceIam.send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'assume-other', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${DEST}:role/SomethingElse` }] }) }));
  });
  after(async () => {
    await server?.close();
  });

  async function assume(credentials: AnyCredentials, sessionName: string): Promise<AnyCredentials> {
    const out = await stsClient(server, credentials).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
    return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  }

  it('the role trusted by a whole account serves all its users that have sts:AssumeRole (inline or through a group)', async () => {
    for (const [who, creds] of [['alice', users.inline!], ['bob', users.group!]] as const) {
      const s3 = s3Client(server, await assume(creds, who));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `from/${who}.txt`, Body: who }));
    }
    const listed = await s3Client(server, server.credentials('owner')).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'from/' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['from/alice.txt', 'from/bob.txt']);
  });

  it('source-account users without sts:AssumeRole on that role → AccessDenied at AssumeRole', async () => {
    for (const [who, creds] of [['carol', users.none!], ['dave', users.other!]] as const) {
      const denied = await rejection(assume(creds, who));
      assert.equal(denied.name, 'AccessDenied', who);
      assert.equal(denied.status, 403);
      assert.match(denied.message, new RegExp(`arn:aws:iam::${SOURCE}:user/${who} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`));
    }
  });

  it('source side with boto3: sts.assume_role → s3.put_object', async (t) => {
    if (!hasBoto3()) return t.skip('boto3 not installed');
    const script = `
import os, boto3, botocore
kw = dict(region_name=os.environ['CB_REGION'], endpoint_url=os.environ['CB_ENDPOINT'], verify=os.environ['CB_CA'])
sts = boto3.client('sts', aws_access_key_id=os.environ['CB_KEY'], aws_secret_access_key=os.environ['CB_SECRET'], **kw)
c = sts.assume_role(RoleArn=os.environ['CB_ROLE'], RoleSessionName='boto3-source')['Credentials']
s3 = boto3.client('s3', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'],
                  config=botocore.config.Config(s3={'addressing_style': 'path'}), **kw)
s3.put_object(Bucket=os.environ['CB_BUCKET'], Key='boto3/from-source.txt', Body=b'via boto3')
print('PUT-OK')
`;
    const r = await server.python(script, {
      CB_REGION: server.region,
      CB_ENDPOINT: server.httpsEndpoint,
      CB_CA: server.info.caPath,
      CB_KEY: users.inline!.accessKeyId,
      CB_SECRET: users.inline!.secretAccessKey,
      CB_ROLE: roleArn,
      CB_BUCKET: bucket,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PUT-OK$/m);
    const listed = await s3Client(server, server.credentials('owner')).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'boto3/' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['boto3/from-source.txt']);
  });
});
