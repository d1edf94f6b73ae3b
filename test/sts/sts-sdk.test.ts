// STS and Organizations end to end: a real server, the AWS SDK for JavaScript STS client, and
// SigV4-signed JSON 1.1 requests for Organizations (@aws-sdk/client-organizations is not a
// devDependency). Sources: STS API Reference (AssumeRole, GetSessionToken, GetCallerIdentity),
// Organizations API Reference (CreateAccount, ListAccounts, DescribeOrganization), Organizations UG
// "Accessing a member account that has a management account access role".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { startServer, type Server } from '../e2e/harness.js';
import { signedRequest } from '../e2e/raw.js';

interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

async function organizations(server: Server, profile: string, operation: string, input: Record<string, unknown> = {}, credentials?: SessionCredentials) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSOrganizationsV20161128.${operation}` };
  if (credentials) headers['x-amz-security-token'] = credentials.sessionToken;
  const response = await signedRequest(
    server,
    profile,
    { method: 'POST', path: '/', headers, body: JSON.stringify(input) },
    { service: 'organizations', ...(credentials ? { credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey } } : {}) },
  );
  return { status: response.status, body: JSON.parse(response.text || '{}') as Record<string, any> };
}

describe('STS and Organizations over the wire', () => {
  let server: Server;
  let admin: STSClient;
  let sandbox: { accountId: string; roleArn: string; credentials: SessionCredentials } | undefined;

  before(async () => {
    server = await startServer();
    admin = server.sts('admin');
  });
  after(() => server?.close());

  function stsWith(credentials: SessionCredentials): STSClient {
    const client = new STSClient({ region: server.region, endpoint: server.httpEndpoint, credentials, requestHandler: server.requestHandler(), maxAttempts: 1 });
    return client;
  }

  it('GetCallerIdentity of the admin root user', async () => {
    const identity = await admin.send(new GetCallerIdentityCommand({}));
    assert.match(identity.Account!, /^\d{12}$/);
    assert.equal(identity.Arn, `arn:aws:iam::${identity.Account}:root`);
  });

  it('GetSessionToken: root sessions are capped at one hour and act as root', async () => {
    const before = Date.now();
    const result = await admin.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    const credentials = result.Credentials!;
    assert.match(credentials.AccessKeyId!, /^ASIA/);
    const lifetimeMs = credentials.Expiration!.getTime() - before;
    assert.ok(lifetimeMs <= 3600_000 + 2000 && lifetimeMs > 3500_000, `root session lifetime ${lifetimeMs}`);
    const session = stsWith({ accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken! });
    const identity = await session.send(new GetCallerIdentityCommand({}));
    assert.match(identity.Arn!, /^arn:aws:iam::\d{12}:root$/);
    await assert.rejects(session.send(new GetSessionTokenCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'AccessDenied');
      assert.equal(error.message, 'Cannot call GetSessionToken with session credentials');
      return true;
    });
  });

  it('AssumeRole validation errors come back as ValidationError with AWS wording', async () => {
    await assert.rejects(admin.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/Anything', RoleSessionName: 'x y' })), (error: Error) => {
      assert.equal(error.name, 'ValidationError');
      assert.equal(error.message, "1 validation error detected: Value 'x y' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
      return true;
    });
  });

  it('AssumeRole of a role that does not exist is AccessDenied', async () => {
    await assert.rejects(admin.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/DoesNotExist', RoleSessionName: 'probe' })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'AccessDenied');
      assert.equal(error.$metadata?.httpStatusCode, 403);
      return true;
    });
  });

  it('Organizations: DescribeOrganization names the admin account as management account', async () => {
    const { status, body } = await organizations(server, 'admin', 'DescribeOrganization');
    assert.equal(status, 200, JSON.stringify(body));
    const identity = await admin.send(new GetCallerIdentityCommand({}));
    assert.match(body.Organization.Id, /^o-[a-z0-9]{10}$/);
    assert.equal(body.Organization.MasterAccountId, identity.Account);
    assert.equal(body.Organization.FeatureSet, 'ALL');
  });

  it('Organizations: a member account cannot list accounts', async () => {
    const { status, body } = await organizations(server, 'owner', 'ListAccounts');
    assert.equal(status, 400);
    assert.equal(body.__type, 'AccessDeniedException');
    assert.equal(body.message, "You don't have permissions to access this resource.");
  });

  it('CreateAccount, then AssumeRole into OrganizationAccountAccessRole from the management account', async () => {
    const created = await organizations(server, 'admin', 'CreateAccount', { Email: 'sandbox@example.com', AccountName: 'Sandbox' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const status = created.body.CreateAccountStatus;
    assert.equal(status.State, 'SUCCEEDED');
    assert.equal(typeof status.RequestedTimestamp, 'number');
    const accountId = status.AccountId as string;

    const listed = await organizations(server, 'admin', 'ListAccounts');
    assert.ok((listed.body.Accounts as Array<Record<string, unknown>>).some((account) => account.Id === accountId && account.Name === 'Sandbox' && account.JoinedMethod === 'CREATED'));

    const roleArn = `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`;
    const assumed = await admin.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'setup' }));
    assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${accountId}:assumed-role/OrganizationAccountAccessRole/setup`);
    assert.match(assumed.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:setup$/);
    const credentials = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const session = stsWith(credentials);
    const identity = await session.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, accountId);
    assert.equal(identity.Arn, assumed.AssumedRoleUser!.Arn);
    assert.equal(identity.UserId, assumed.AssumedRoleUser!.AssumedRoleId);

    // The role trusts only the management account: its own session (in the member account) is not trusted.
    await assert.rejects(session.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'again' })), (error: Error) => {
      assert.equal(error.name, 'AccessDenied');
      assert.match(error.message, /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::\d{12}:role\/OrganizationAccountAccessRole/);
      return true;
    });

    sandbox = { accountId, roleArn, credentials };

    const failed = await organizations(server, 'admin', 'CreateAccount', { Email: 'sandbox@example.com', AccountName: 'Sandbox Two' });
    assert.equal(failed.body.CreateAccountStatus.State, 'FAILED');
    assert.equal(failed.body.CreateAccountStatus.FailureReason, 'EMAIL_ALREADY_EXISTS');
  });

  // Role chaining (STS API Reference, DurationSeconds): the member-account session (AdministratorAccess)
  // creates a role that trusts the access role, then assumes it — more than one hour is refused.
  it('role chaining from the OrganizationAccountAccessRole session is limited to one hour', async () => {
    assert.ok(sandbox, 'needs the CreateAccount test');
    const { accountId, roleArn, credentials } = sandbox;
    const session = stsWith(credentials);
    const iam = new IAMClient({ region: server.region, endpoint: server.httpEndpoint, credentials, requestHandler: server.requestHandler(), maxAttempts: 1 });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'sts:AssumeRole' }] };
    const chainRole = await iam.send(new CreateRoleCommand({ RoleName: 'ChainTarget', Path: '/chain/', AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: 43200 }));
    iam.destroy();
    await assert.rejects(session.send(new AssumeRoleCommand({ RoleArn: chainRole.Role!.Arn!, RoleSessionName: 'chained', DurationSeconds: 7200 })), (error: Error) => {
      assert.equal(error.name, 'ValidationError');
      assert.equal(error.message, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
      return true;
    });
    const chained = await session.send(new AssumeRoleCommand({ RoleArn: chainRole.Role!.Arn!, RoleSessionName: 'chained' }));
    assert.equal(chained.AssumedRoleUser!.Arn, `arn:aws:sts::${accountId}:assumed-role/ChainTarget/chained`);
  });
});
