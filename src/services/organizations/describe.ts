/**
 * Organizations read operations: DescribeOrganization (any member account), and, for the
 * management account only, ListAccounts, DescribeAccount, DescribeCreateAccountStatus and
 * ListCreateAccountStatus (Organizations API Reference).
 */
import { serviceError } from '../../protocol/errors.js';
import type { JsonHandler } from '../service-call.js';
import { createAccountStatusElement, type CreateAccountStatusDoc } from './create-account.js';
import { invalidInput, page, stringParam } from './input.js';
import { accountElement, memberDocs, orderAccounts } from './members.js';
import { organizationFor, organizationKinds, organizationScope, requireManagementAccount } from './organization.js';

export const describeOrganization: JsonHandler = async (call) => {
  const organization = await organizationFor(call);
  return {
    Organization: {
      Id: organization.id,
      Arn: organization.arn,
      FeatureSet: organization.featureSet,
      MasterAccountArn: organization.masterAccountArn,
      MasterAccountId: organization.masterAccountId,
      MasterAccountEmail: organization.masterAccountEmail,
      // Deprecated in the API reference ("doesn't include any policy type … other than SCPs"); SCPs are not enabled here.
      AvailablePolicyTypes: [],
    },
  };
};

export const listAccounts: JsonHandler = async (call) => {
  const organization = await organizationFor(call);
  requireManagementAccount(call, organization);
  const members = await memberDocs(call.app.store);
  const accounts = orderAccounts(organization, await call.app.store.listAccounts(), members);
  const { items, nextToken } = page(call.input, accounts);
  const response: Record<string, unknown> = { Accounts: items.map((account) => accountElement(organization, account, members.get(account.id) ?? null)) };
  if (nextToken !== null) response.NextToken = nextToken;
  return response;
};

export const describeAccount: JsonHandler = async (call) => {
  const organization = await organizationFor(call);
  requireManagementAccount(call, organization);
  const accountId = stringParam(call.input, 'AccountId', { required: true, max: 12, pattern: /^\d{12}$/ })!;
  const account = await call.app.store.getAccount(accountId);
  if (!account) throw serviceError('AccountNotFoundException', "You specified an account that doesn't exist.", 400);
  const members = await memberDocs(call.app.store);
  return { Account: accountElement(organization, account, members.get(account.id) ?? null) };
};

export const describeCreateAccountStatus: JsonHandler = async (call) => {
  const organization = await organizationFor(call);
  requireManagementAccount(call, organization);
  const id = stringParam(call.input, 'CreateAccountRequestId', { required: true, max: 36, pattern: /^car-[a-z0-9]{8,32}$/ })!;
  const status = await call.app.store.readDocuments((tx) => tx.get<CreateAccountStatusDoc>(organizationScope, organizationKinds.createAccountStatus, id));
  if (!status) throw serviceError('CreateAccountStatusNotFoundException', "We can't find an create account request with the CreateAccountRequestId that you specified.", 400);
  return { CreateAccountStatus: createAccountStatusElement(status) };
};

const createAccountStates = new Set(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']);

export const listCreateAccountStatus: JsonHandler = async (call) => {
  const organization = await organizationFor(call);
  requireManagementAccount(call, organization);
  const states = call.input.States;
  let wanted: Set<string> | null = null;
  if (states !== undefined && states !== null) {
    if (!Array.isArray(states) || states.some((state) => typeof state !== 'string' || !createAccountStates.has(state))) {
      throw invalidInput('INVALID_ENUM', 'States must list IN_PROGRESS, SUCCEEDED or FAILED.');
    }
    wanted = new Set(states as string[]);
  }
  const rows = await call.app.store.readDocuments((tx) => tx.list<CreateAccountStatusDoc>(organizationScope, organizationKinds.createAccountStatus));
  const statuses = rows
    .map((row) => row.value)
    .filter((status) => wanted === null || wanted.has(status.state))
    .sort((a, b) => a.requestedAtMs - b.requestedAtMs || a.id.localeCompare(b.id));
  const { items, nextToken } = page(call.input, statuses);
  const response: Record<string, unknown> = { CreateAccountStatuses: items.map(createAccountStatusElement) };
  if (nextToken !== null) response.NextToken = nextToken;
  return response;
};
