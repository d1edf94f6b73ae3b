/**
 * Organizations CreateAccount: a new member account (12-digit ID, canonical ID, sealed root key —
 * the same records `--accounts` makes) plus, inside it, the role RoleName (default
 * OrganizationAccountAccessRole) that trusts the management account and has AdministratorAccess
 * (Organizations UG "Accessing a member account that has a management account access role").
 *
 * AWS-DIFF: AWS creates accounts asynchronously (State IN_PROGRESS first); crossbucket creates the
 * account at once and answers SUCCEEDED (or FAILED) in the CreateAccount response itself.
 */
import type { App } from '../../app.js';
import { ensureAccounts, managementAccountName } from '../../identity/accounts.js';
import { iamKinds, nameKey, type RoleDoc } from '../../iam/model.js';
import type { AccountRecord } from '../../store/types.js';
import type { JsonHandler } from '../service-call.js';
import { stringParam, tagsParam } from './input.js';
import type { MemberDoc } from './members.js';
import {
  epochSeconds,
  newCreateAccountRequestId,
  organizationFor,
  organizationKinds,
  organizationScope,
  requireManagementAccount,
  type OrganizationDoc,
} from './organization.js';

export const defaultAccessRoleName = 'OrganizationAccountAccessRole';
export const administratorAccessArn = 'arn:aws:iam::aws:policy/AdministratorAccess';

export interface CreateAccountStatusDoc {
  id: string;
  accountName: string;
  state: 'SUCCEEDED' | 'FAILED';
  requestedAtMs: number;
  completedAtMs: number;
  accountId: string | null;
  failureReason: string | null;
}

export function createAccountStatusElement(status: CreateAccountStatusDoc): Record<string, unknown> {
  const element: Record<string, unknown> = {
    Id: status.id,
    AccountName: status.accountName,
    State: status.state,
    RequestedTimestamp: epochSeconds(status.requestedAtMs),
    CompletedTimestamp: epochSeconds(status.completedAtMs),
  };
  if (status.accountId !== null) element.AccountId = status.accountId;
  if (status.failureReason !== null) element.FailureReason = status.failureReason;
  return element;
}

/** Trust policy of the access role: the management account (delegating to its principals). */
export function accessRoleTrustPolicy(managementAccountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * crossbucket names every account (it is the profile name in the generated credentials file:
 * 1-64 of a-z, 0-9, '-', '_', not 'default'). The AccountName of CreateAccount is free text, so the
 * profile name is derived from it: lower-cased, other characters turned into '-', made unique with
 * a numeric suffix. ListAccounts/DescribeAccount still show the AccountName as given.
 */
export function profileNameFor(accountName: string, taken: Set<string>): string {
  let base = accountName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56);
  if (base === '' || base === 'default' || base === managementAccountName) base = base === '' ? 'account' : `${base}-account`;
  let candidate = base;
  for (let suffix = 2; taken.has(candidate); suffix += 1) candidate = `${base}-${suffix}`;
  return candidate;
}

async function createMemberAccount(app: App, accountName: string, email: string): Promise<AccountRecord> {
  const existing = await app.store.listAccounts();
  const name = profileNameFor(accountName, new Set(existing.map((account) => account.name)));
  const all = await ensureAccounts(app.store, app.masterKey, [{ name }], { ids: app.ids, clock: app.clock });
  const created = all.find((entry) => entry.account.name === name)!.account;
  const account: AccountRecord = { ...created, email };
  await app.store.putAccount(account);
  return account;
}

function accessRole(app: App, organization: OrganizationDoc, accountId: string, roleName: string, nowMs: number): RoleDoc {
  return {
    accountId,
    roleName,
    roleId: app.ids.roleUniqueId(),
    path: '/',
    arn: `arn:aws:iam::${accountId}:role/${roleName}`,
    createdAtMs: nowMs,
    assumeRolePolicyDocument: accessRoleTrustPolicy(organization.masterAccountId),
    description: null,
    maxSessionDurationSeconds: 3600,
    permissionsBoundaryArn: null,
    tags: [],
    inlinePolicies: {},
    attachedPolicyArns: [administratorAccessArn],
  };
}

export const createAccount: JsonHandler = async (call) => {
  const organization = await organizationFor(call);
  requireManagementAccount(call, organization);
  const email = stringParam(call.input, 'Email', { required: true, min: 6, max: 64, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ })!;
  const accountName = stringParam(call.input, 'AccountName', { required: true, min: 1, max: 50, pattern: /^[\u0020-\u007e]+$/ })!;
  const roleName = stringParam(call.input, 'RoleName', { max: 64, pattern: /^[\w+=,.@-]{1,64}$/ }) ?? defaultAccessRoleName;
  const tags = tagsParam(call.input);
  const { app } = call;
  const requestedAtMs = app.clock.nowMs();
  const id = newCreateAccountRequestId();

  const emailTaken = (await app.store.listAccounts()).some((account) => account.email.toLowerCase() === email.toLowerCase());
  let status: CreateAccountStatusDoc;
  if (emailTaken) {
    status = { id, accountName, state: 'FAILED', requestedAtMs, completedAtMs: app.clock.nowMs(), accountId: null, failureReason: 'EMAIL_ALREADY_EXISTS' };
    await app.store.writeDocuments((tx) => tx.put(organizationScope, organizationKinds.createAccountStatus, id, status));
  } else {
    const account = await createMemberAccount(app, accountName, email);
    const completedAtMs = app.clock.nowMs();
    status = { id, accountName, state: 'SUCCEEDED', requestedAtMs, completedAtMs, accountId: account.id, failureReason: null };
    const member: MemberDoc = { accountId: account.id, accountName, joinedMethod: 'CREATED', joinedAtMs: completedAtMs, tags };
    const role = accessRole(app, organization, account.id, roleName, completedAtMs);
    await app.store.writeDocuments((tx) => {
      tx.put(account.id, iamKinds.role, nameKey(roleName), role);
      tx.put(organizationScope, organizationKinds.member, account.id, member);
      tx.put(organizationScope, organizationKinds.createAccountStatus, id, status);
    });
  }
  return { CreateAccountStatus: createAccountStatusElement(status) };
};
