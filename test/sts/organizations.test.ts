// AWS Organizations handlers against a real store (Organizations API Reference: DescribeOrganization,
// CreateAccount / CreateAccountStatus, ListAccounts, DescribeAccount; Organizations UG "Accessing a
// member account that has a management account access role").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { organizationsOperations } from '../../src/operations/organizations-table.js';
import { getOrCreateOrganization } from '../../src/services/organizations/organization.js';
import { getRole } from '../../src/iam/model.js';
import { resolveSecret } from '../../src/identity/accounts.js';
import { fixture, rejection, rootIdentity, serviceCall, userIdentity, type Fixture } from './fixtures.js';

const op = (name: string) => organizationsOperations[name]!;

describe('AWS Organizations', () => {
  let f: Fixture;
  before(async () => {
    f = await fixture();
  });
  after(() => f.close());

  const asAdmin = (operation: string, input: Record<string, unknown> = {}) => serviceCall(f.app, userIdentity(f.admin, 'ops'), { service: 'organizations', operation, input });
  const asOwner = (operation: string, input: Record<string, unknown> = {}) => serviceCall(f.app, rootIdentity(f.owner), { service: 'organizations', operation, input });

  it('the organization is created once, with the admin account as management account', async () => {
    const first = await getOrCreateOrganization(f.app.store, f.app.clock);
    const second = await getOrCreateOrganization(f.app.store);
    assert.deepEqual(second, first);
    assert.match(first.id, /^o-[a-z0-9]{10}$/);
    assert.match(first.rootId, /^r-[a-z0-9]{4}$/);
    assert.equal(first.masterAccountId, f.admin.id);
    assert.equal(first.arn, `arn:aws:organizations::${f.admin.id}:organization/${first.id}`);
    assert.equal(first.masterAccountArn, `arn:aws:organizations::${f.admin.id}:account/${first.id}/${f.admin.id}`);
  });

  it('DescribeOrganization works from any member account', async () => {
    const org = await getOrCreateOrganization(f.app.store);
    const result = await op('DescribeOrganization').handler(asOwner('DescribeOrganization'));
    assert.deepEqual(result.Organization, {
      Id: org.id,
      Arn: org.arn,
      FeatureSet: 'ALL',
      MasterAccountArn: org.masterAccountArn,
      MasterAccountId: f.admin.id,
      MasterAccountEmail: f.admin.email,
      AvailablePolicyTypes: [],
    });
  });

  it('member accounts get AccessDeniedException for management-only operations', async () => {
    for (const name of ['ListAccounts', 'CreateAccount', 'DescribeAccount', 'ListCreateAccountStatus', 'DescribeCreateAccountStatus']) {
      const error = await rejection(op(name).handler(asOwner(name, { Email: 'x@example.com', AccountName: 'X', AccountId: f.admin.id, CreateAccountRequestId: 'car-abcdefgh' })));
      assert.equal(error.code, 'AccessDeniedException', name);
      assert.equal(error.message, "You don't have permissions to access this resource.");
    }
  });

  it('CreateAccount creates the account, its root key and OrganizationAccountAccessRole trusting the management account', async () => {
    const result = await op('CreateAccount').handler(asAdmin('CreateAccount', { Email: 'dev@example.com', AccountName: 'Dev Account' }));
    const status = result.CreateAccountStatus as Record<string, unknown>;
    assert.match(status.Id as string, /^car-[a-z0-9]{8,32}$/);
    assert.equal(status.State, 'SUCCEEDED');
    assert.equal(status.AccountName, 'Dev Account');
    assert.equal(typeof status.RequestedTimestamp, 'number');
    assert.equal(typeof status.CompletedTimestamp, 'number');
    const accountId = status.AccountId as string;
    assert.match(accountId, /^\d{12}$/);

    const account = (await f.app.store.getAccount(accountId))!;
    assert.equal(account.email, 'dev@example.com');
    assert.equal(account.name, 'dev-account', 'profile name derived from the AccountName');
    assert.match(account.canonicalId, /^[0-9a-f]{64}$/);
    const keys = await f.app.store.listAccessKeys(accountId, null);
    assert.equal(keys.filter((key) => key.principalType === 'root').length, 1);
    assert.ok(await resolveSecret(f.app.store, f.app.masterKey, keys[0]!.accessKeyId));

    const role = (await f.app.store.readDocuments((tx) => getRole(tx, accountId, 'OrganizationAccountAccessRole')))!;
    assert.equal(role.arn, `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`);
    assert.match(role.roleId, /^AROA/);
    assert.deepEqual(role.attachedPolicyArns, ['arn:aws:iam::aws:policy/AdministratorAccess']);
    assert.equal(role.maxSessionDurationSeconds, 3600);
    assert.deepEqual(JSON.parse(role.assumeRolePolicyDocument), {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${f.admin.id}:root` }, Action: 'sts:AssumeRole' }],
    });

    const described = await op('DescribeCreateAccountStatus').handler(asAdmin('DescribeCreateAccountStatus', { CreateAccountRequestId: status.Id }));
    assert.deepEqual(described.CreateAccountStatus, status);

    const account2 = await op('DescribeAccount').handler(asAdmin('DescribeAccount', { AccountId: accountId }));
    const org = await getOrCreateOrganization(f.app.store);
    assert.deepEqual({ ...(account2.Account as object), JoinedTimestamp: 0 }, {
      Id: accountId,
      Arn: `arn:aws:organizations::${f.admin.id}:account/${org.id}/${accountId}`,
      Email: 'dev@example.com',
      Name: 'Dev Account',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: 0,
    });
  });

  it('CreateAccount with a custom RoleName creates that role', async () => {
    const result = await op('CreateAccount').handler(asAdmin('CreateAccount', { Email: 'qa@example.com', AccountName: 'QA', RoleName: 'AdminAccess' }));
    const accountId = (result.CreateAccountStatus as Record<string, string>).AccountId!;
    assert.ok(await f.app.store.readDocuments((tx) => getRole(tx, accountId, 'AdminAccess')));
    assert.equal(await f.app.store.readDocuments((tx) => getRole(tx, accountId, 'OrganizationAccountAccessRole')), null);
  });

  it('an email already in use gives a FAILED status with EMAIL_ALREADY_EXISTS', async () => {
    const before = (await f.app.store.listAccounts()).length;
    const result = await op('CreateAccount').handler(asAdmin('CreateAccount', { Email: 'DEV@example.com', AccountName: 'Again' }));
    const status = result.CreateAccountStatus as Record<string, unknown>;
    assert.equal(status.State, 'FAILED');
    assert.equal(status.FailureReason, 'EMAIL_ALREADY_EXISTS');
    assert.equal(status.AccountId, undefined);
    assert.equal((await f.app.store.listAccounts()).length, before);

    const failed = await op('ListCreateAccountStatus').handler(asAdmin('ListCreateAccountStatus', { States: ['FAILED'] }));
    assert.deepEqual((failed.CreateAccountStatuses as Array<Record<string, unknown>>).map((entry) => entry.Id), [status.Id]);
    const all = await op('ListCreateAccountStatus').handler(asAdmin('ListCreateAccountStatus'));
    assert.equal((all.CreateAccountStatuses as unknown[]).length, 3);
  });

  it('invalid CreateAccount input is InvalidInputException', async () => {
    const noEmail = await rejection(op('CreateAccount').handler(asAdmin('CreateAccount', { AccountName: 'X' })));
    assert.equal(noEmail.code, 'InvalidInputException');
    const badEmail = await rejection(op('CreateAccount').handler(asAdmin('CreateAccount', { Email: 'not-an-email', AccountName: 'X' })));
    assert.equal(badEmail.code, 'InvalidInputException');
  });

  it('ListAccounts lists every account (management first) and pages with NextToken', async () => {
    const all = await op('ListAccounts').handler(asAdmin('ListAccounts'));
    const accounts = all.Accounts as Array<Record<string, unknown>>;
    const stored = await f.app.store.listAccounts();
    assert.equal(accounts.length, stored.length);
    assert.equal(accounts[0]!.Id, f.admin.id);
    assert.equal(accounts[0]!.JoinedMethod, 'INVITED');
    assert.equal(all.NextToken, undefined);

    const first = await op('ListAccounts').handler(asAdmin('ListAccounts', { MaxResults: 2 }));
    assert.equal((first.Accounts as unknown[]).length, 2);
    assert.equal(typeof first.NextToken, 'string');
    const rest = await op('ListAccounts').handler(asAdmin('ListAccounts', { MaxResults: 20, NextToken: first.NextToken }));
    assert.deepEqual([...(first.Accounts as Array<Record<string, unknown>>), ...(rest.Accounts as Array<Record<string, unknown>>)].map((a) => a.Id), accounts.map((a) => a.Id));

    const badToken = await rejection(op('ListAccounts').handler(asAdmin('ListAccounts', { NextToken: 'garbage' })));
    assert.equal(badToken.code, 'InvalidInputException');
    const tooMany = await rejection(op('ListAccounts').handler(asAdmin('ListAccounts', { MaxResults: 21 })));
    assert.equal(tooMany.code, 'InvalidInputException');
  });

  it('DescribeAccount of an unknown account is AccountNotFoundException; unknown request ID is CreateAccountStatusNotFoundException', async () => {
    const account = await rejection(op('DescribeAccount').handler(asAdmin('DescribeAccount', { AccountId: '999999999999' })));
    assert.equal(account.code, 'AccountNotFoundException');
    const status = await rejection(op('DescribeCreateAccountStatus').handler(asAdmin('DescribeCreateAccountStatus', { CreateAccountRequestId: 'car-0000000000' })));
    assert.equal(status.code, 'CreateAccountStatusNotFoundException');
  });

  it('the table authorizes organizations:* actions (Service Authorization Reference names)', () => {
    assert.deepEqual(Object.fromEntries(Object.entries(organizationsOperations).map(([name, entry]) => [name, entry.action])), {
      DescribeOrganization: 'organizations:DescribeOrganization',
      CreateAccount: 'organizations:CreateAccount',
      DescribeCreateAccountStatus: 'organizations:DescribeCreateAccountStatus',
      ListCreateAccountStatus: 'organizations:ListCreateAccountStatus',
      ListAccounts: 'organizations:ListAccounts',
      DescribeAccount: 'organizations:DescribeAccount',
    });
    const context = op('CreateAccount').context!(asAdmin('CreateAccount', { Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.deepEqual(context, { 'aws:RequestTag/team': 'blue', 'aws:TagKeys': ['team'] });
  });
});
