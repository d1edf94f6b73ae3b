/**
 * AWS Organizations operations (JSON 1.1, X-Amz-Target AWSOrganizationsV20161128.<Operation>): the
 * IAM action the pipeline authorizes (Service Authorization Reference, "Actions defined by AWS
 * Organizations"), on which resource, then the handler. Handlers add the management-account check.
 */
import type { JsonOperationTable, ServiceCall } from '../services/service-call.js';
import { createAccount } from '../services/organizations/create-account.js';
import {
  describeAccount,
  describeCreateAccountStatus,
  describeOrganization,
  listAccounts,
  listCreateAccountStatus,
} from '../services/organizations/describe.js';

export const organizationsTargetPrefix = 'AWSOrganizationsV20161128';

function requestTagContext(call: ServiceCall): Record<string, string | string[]> {
  const tags = Array.isArray(call.input.Tags) ? (call.input.Tags as Array<{ Key?: unknown; Value?: unknown }>) : [];
  const context: Record<string, string | string[]> = {};
  const keys: string[] = [];
  for (const tag of tags) {
    if (typeof tag?.Key !== 'string' || typeof tag.Value !== 'string') continue;
    context[`aws:RequestTag/${tag.Key}`] = tag.Value;
    keys.push(tag.Key);
  }
  if (keys.length > 0) context['aws:TagKeys'] = keys;
  return context;
}

export const organizationsOperations: JsonOperationTable = {
  DescribeOrganization: { action: 'organizations:DescribeOrganization', resource: () => '*', handler: describeOrganization },
  CreateAccount: { action: 'organizations:CreateAccount', resource: () => '*', context: requestTagContext, handler: createAccount },
  DescribeCreateAccountStatus: { action: 'organizations:DescribeCreateAccountStatus', resource: () => '*', handler: describeCreateAccountStatus },
  ListCreateAccountStatus: { action: 'organizations:ListCreateAccountStatus', resource: () => '*', handler: listCreateAccountStatus },
  ListAccounts: { action: 'organizations:ListAccounts', resource: () => '*', handler: listAccounts },
  // AWS-DIFF: AWS authorizes DescribeAccount on the account ARN (arn:aws:organizations::MGMT:account/o-…/ID);
  // resource builders are synchronous and the organization ID lives in the store, so '*' is used.
  DescribeAccount: { action: 'organizations:DescribeAccount', resource: () => '*', handler: describeAccount },
};
