/**
 * IAM over HTTP with unmodified clients: @aws-sdk/client-iam (IAM endpoint = the server's endpoint,
 * region us-east-1), and the aws CLI when installed. A real `crossbucket serve` (test/e2e/harness.ts).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  GetUserPolicyCommand,
  DeleteUserPolicyCommand,
  DeleteAccessKeyCommand,
  ListRolesCommand,
  CreateGroupCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startServer, hasAwsCli, hasBoto3, type Server, type ProcessResult } from '../e2e/harness.js';

const s3Read = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::demo/*' }] });

function ok(result: ProcessResult, what: string): string {
  assert.equal(result.code, 0, `${what} failed (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

describe('IAM with @aws-sdk/client-iam', () => {
  let server: Server;
  let iam: IAMClient;
  let ownerAccount: string;

  before(async () => {
    server = await startServer();
    iam = new IAMClient({
      region: 'us-east-1',
      endpoint: server.httpEndpoint,
      credentials: server.credentials('owner'),
      requestHandler: server.requestHandler(),
      maxAttempts: 1,
    });
    ownerAccount = '111111111111';
  });
  after(async () => {
    iam?.destroy();
    await server?.close();
  });

  it('CreateUser / GetUser / ListUsers parse with the SDK (dates, tags, pagination fields)', async () => {
    const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.equal(created.User?.Arn, `arn:aws:iam::${ownerAccount}:user/eng/alice`);
    assert.ok(created.User?.CreateDate instanceof Date);
    assert.match(created.User?.UserId ?? '', /^AIDA/);
    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    assert.deepEqual(got.User?.Tags, [{ Key: 'team', Value: 'blue' }]);
    const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/eng/' }));
    assert.deepEqual(listed.Users?.map((u) => u.UserName), ['alice']);
    assert.equal(listed.IsTruncated, false);
    const root = await iam.send(new GetUserCommand({}));
    assert.equal(root.User?.Arn, `arn:aws:iam::${ownerAccount}:root`);
    assert.equal(root.User?.UserId, ownerAccount);
  });

  it('errors arrive as the SDK exception classes with AWS messages', async () => {
    await assert.rejects(iam.send(new GetUserCommand({ UserName: 'nobody' })), (e: any) => {
      assert.equal(e.name, 'NoSuchEntityException');
      assert.equal(e.message, 'The user with name nobody cannot be found.');
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
    await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), (e: any) => e.name === 'EntityAlreadyExistsException' && e.$metadata.httpStatusCode === 409);
    await assert.rejects(iam.send(new CreateUserCommand({ UserName: 'bad name' })), (e: any) => {
      assert.equal(e.name, 'ValidationError');
      assert.match(e.message, /at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
      return true;
    });
    await assert.rejects(
      iam.send(new CreatePolicyCommand({ PolicyName: 'broken', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["*",]}]}' })),
      (e: any) => e.name === 'MalformedPolicyDocumentException' && e.message === 'Syntax errors in policy.',
    );
  });

  it('managed policies, versions and attachments; documents come back URL-encoded', async () => {
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'read-demo', PolicyDocument: s3Read, Description: 'demo reads' }));
    const arn = policy.Policy!.Arn!;
    assert.equal(arn, `arn:aws:iam::${ownerAccount}:policy/read-demo`);
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: s3Read, SetAsDefault: true }));
    assert.equal(v2.PolicyVersion?.VersionId, 'v2');
    assert.equal(v2.PolicyVersion?.IsDefaultVersion, true);
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    assert.equal(decodeURIComponent(version.PolicyVersion!.Document!), s3Read);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ['read-demo', 'ReadOnlyAccess']);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.equal(local.Policies?.[0]?.AttachmentCount, 1);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
    assert.deepEqual(aws.Policies?.map((p) => p.PolicyName), ['ReadOnlyAccess']);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'inline', PolicyDocument: s3Read }));
    const inline = await iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'inline' }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), s3Read);
    await assert.rejects(iam.send(new DeleteUserCommand({ UserName: 'alice' })), (e: any) => e.name === 'DeleteConflictException');
  });

  it('CreateRole with a cross-account trust policy; unknown principals are refused', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } }] });
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'partner-access', AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }));
    assert.equal(role.Role?.Arn, `arn:aws:iam::${ownerAccount}:role/partner-access`);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'partner-access' }));
    assert.equal(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!), trust);
    assert.equal(got.Role?.MaxSessionDuration, 7200);
    const roles = await iam.send(new ListRolesCommand({}));
    assert.ok(roles.Roles?.some((r) => r.RoleName === 'partner-access'));
    const unknown = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] });
    await assert.rejects(iam.send(new CreateRoleCommand({ RoleName: 'nobody', AssumeRolePolicyDocument: unknown })), (e: any) => {
      assert.equal(e.name, 'MalformedPolicyDocumentException');
      assert.equal(e.message, 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:root"');
      return true;
    });
  });

  it('access keys of an IAM user: create, list, a third is LimitExceeded, the key signs requests as the user', async () => {
    const first = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    assert.match(first.AccessKey!.AccessKeyId!, /^AKIA/);
    assert.equal(first.AccessKey!.SecretAccessKey!.length, 40);
    await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await assert.rejects(iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })), (e: any) => e.name === 'LimitExceededException' && e.message === 'Cannot exceed quota for AccessKeysPerUser: 2');
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }));
    assert.equal(keys.AccessKeyMetadata?.length, 2);
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: server.httpEndpoint,
      credentials: { accessKeyId: first.AccessKey!.AccessKeyId!, secretAccessKey: first.AccessKey!.SecretAccessKey! },
      requestHandler: server.requestHandler(),
      maxAttempts: 1,
    });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ownerAccount}:user/eng/alice`);
    sts.destroy();
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: first.AccessKey!.AccessKeyId! }));
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata?.length, 1);
  });

  it('an IAM user is denied IAM calls until a managed policy (IAMFullAccess) is attached to its group', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'operator' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'operator' }));
    const asOperator = new IAMClient({
      region: 'us-east-1',
      endpoint: server.httpEndpoint,
      credentials: { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! },
      requestHandler: server.requestHandler(),
      maxAttempts: 1,
    });
    await assert.rejects(asOperator.send(new CreateUserCommand({ UserName: 'made-by-operator' })), (e: any) => {
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    await iam.send(new CreateGroupCommand({ GroupName: 'iam-admins' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'iam-admins', UserName: 'operator' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'iam-admins', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
    const made = await asOperator.send(new CreateUserCommand({ UserName: 'made-by-operator' }));
    assert.equal(made.User?.UserName, 'made-by-operator');
    const self = await asOperator.send(new GetUserCommand({}));
    assert.equal(self.User?.UserName, 'operator');
    asOperator.destroy();
  });

  it('GetAccountAuthorizationDetails parses (users, roles, policies with versions)', async () => {
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    const alice = details.UserDetailList?.find((u) => u.UserName === 'alice');
    assert.deepEqual(alice?.AttachedManagedPolicies?.map((p) => p.PolicyName), ['read-demo', 'ReadOnlyAccess']);
    assert.equal(decodeURIComponent(alice!.UserPolicyList![0]!.PolicyDocument!), s3Read);
    assert.ok(details.RoleDetailList?.some((r) => r.RoleName === 'partner-access'));
    const demo = details.Policies?.find((p) => p.PolicyName === 'read-demo');
    assert.equal(demo?.PolicyVersionList?.length, 2);
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'inline' }));
    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: demo!.Arn! }));
  });
});

describe('IAM with the aws CLI', { skip: !hasAwsCli() && 'aws CLI not installed' }, () => {
  let server: Server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.close();
  });

  it('aws iam create-user / get-user / list-users / create-access-key / delete-user', async () => {
    const created = JSON.parse(ok(await server.awsCli('owner', ['iam', 'create-user', '--user-name', 'alice']), 'create-user'));
    assert.equal(created.User.UserName, 'alice');
    assert.equal(created.User.Arn, 'arn:aws:iam::111111111111:user/alice');
    const listed = JSON.parse(ok(await server.awsCli('owner', ['iam', 'list-users']), 'list-users'));
    assert.deepEqual(listed.Users.map((u: any) => u.UserName), ['alice']);
    const key = JSON.parse(ok(await server.awsCli('owner', ['iam', 'create-access-key', '--user-name', 'alice']), 'create-access-key'));
    assert.match(key.AccessKey.AccessKeyId, /^AKIA/);
    const conflict = await server.awsCli('owner', ['iam', 'delete-user', '--user-name', 'alice']);
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /DeleteConflict.*Cannot delete entity, must delete access keys first\./);
    ok(await server.awsCli('owner', ['iam', 'delete-access-key', '--user-name', 'alice', '--access-key-id', key.AccessKey.AccessKeyId]), 'delete-access-key');
    ok(await server.awsCli('owner', ['iam', 'delete-user', '--user-name', 'alice']), 'delete-user');
    const missing = await server.awsCli('owner', ['iam', 'get-user', '--user-name', 'alice']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NoSuchEntity.*The user with name alice cannot be found\./);
  });

  it('aws iam put-role-policy / get-role-policy decode the document', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }] });
    ok(await server.awsCli('owner', ['iam', 'create-role', '--role-name', 'r', '--assume-role-policy-document', trust]), 'create-role');
    ok(await server.awsCli('owner', ['iam', 'put-role-policy', '--role-name', 'r', '--policy-name', 'p', '--policy-document', s3Read]), 'put-role-policy');
    const got = JSON.parse(ok(await server.awsCli('owner', ['iam', 'get-role-policy', '--role-name', 'r', '--policy-name', 'p']), 'get-role-policy'));
    assert.deepEqual(got.PolicyDocument, JSON.parse(s3Read));
    const role = JSON.parse(ok(await server.awsCli('owner', ['iam', 'get-role', '--role-name', 'r']), 'get-role'));
    assert.deepEqual(role.Role.AssumeRolePolicyDocument, JSON.parse(trust));
  });
});

describe('IAM with boto3', { skip: !hasBoto3() && 'boto3 not installed' }, () => {
  let server: Server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.close();
  });

  it('boto3 paginators follow Marker/IsTruncated; errors map to client.exceptions', async () => {
    const script = `
import boto3, json
iam = boto3.Session(profile_name='owner').client('iam', region_name='us-east-1')
for name in ['u3', 'u1', 'u2']:
    iam.create_user(UserName=name)
pages = list(iam.get_paginator('list_users').paginate(PaginationConfig={'PageSize': 1}))
names = [u['UserName'] for p in pages for u in p['Users']]
try:
    iam.get_user(UserName='ghost')
    missing = None
except iam.exceptions.NoSuchEntityException as e:
    missing = e.response['Error']['Message']
arn = iam.create_policy(PolicyName='p', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:ListBucket', 'Resource': '*'}]}))['Policy']['Arn']
version = iam.get_policy_version(PolicyArn=arn, VersionId='v1')['PolicyVersion']
print(json.dumps({'pages': len(pages), 'names': names, 'missing': missing, 'document': version['Document']}))
`;
    const out = ok(await server.python(script), 'boto3 script');
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.equal(result.pages, 3);
    assert.deepEqual(result.names, ['u1', 'u2', 'u3']);
    assert.equal(result.missing, 'The user with name ghost cannot be found.');
    // botocore decodes the URL-encoded document and parses the JSON.
    assert.deepEqual(result.document, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
  });
});
