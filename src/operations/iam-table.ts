/**
 * IAM operations: the action the pipeline authorizes, the resource ARN it is authorized on (IAM
 * Service Authorization Reference: user, group, role and policy resource types; '*' for List* calls
 * without a resource type), request condition keys, and the handler.
 */
import type { QueryHandler, QueryOperationTable, ServiceCall, ServiceOperation } from '../services/service-call.js';
import * as users from '../services/iam/users.js';
import * as groups from '../services/iam/groups.js';
import * as roles from '../services/iam/roles.js';
import * as policies from '../services/iam/policies.js';
import * as keys from '../services/iam/access-keys.js';
import * as account from '../services/iam/account.js';
import {
  attachPolicy,
  deleteInlinePolicy,
  deletePermissionsBoundary,
  detachPolicy,
  getInlinePolicy,
  groupHolder,
  listAttachedPolicies,
  listInlinePolicies,
  putInlinePolicy,
  putPermissionsBoundary,
  roleHolder,
  userHolder,
} from '../services/iam/holders.js';
import { memberList, tagContext } from '../services/iam/params.js';
import { getGroup, getRole, getUser } from '../iam/model.js';
import type { DocumentTx } from '../store/types.js';

function acct(call: ServiceCall): string {
  return call.identity.accountId ?? '';
}

/** Path of a new entity (Path parameter) or '/'. */
function pathOf(call: ServiceCall): string {
  const path = call.params.get('Path');
  return path && path.startsWith('/') && path.endsWith('/') ? path : '/';
}

/** The stored ARN of an existing entity (its path included); null when it does not exist. */
async function storedArn(call: ServiceCall, read: (tx: DocumentTx, accountId: string) => { arn: string } | null): Promise<string | null> {
  const accountId = call.identity.accountId;
  if (!accountId) return null;
  return call.app.store.readDocuments((tx) => read(tx, accountId)?.arn ?? null);
}

const userArn = async (call: ServiceCall): Promise<string> => {
  const name = call.params.get('UserName');
  if (name === undefined) {
    // Calls without UserName act on the caller (its own user ARN; the root's for root).
    return call.identity.type === 'User' ? call.identity.arn : `arn:aws:iam::${acct(call)}:root`;
  }
  return (await storedArn(call, (tx, id) => getUser(tx, id, name))) ?? `arn:aws:iam::${acct(call)}:user${pathOf(call)}${name}`;
};
const groupArn = async (call: ServiceCall): Promise<string> => {
  const name = call.params.get('GroupName') ?? '';
  return (await storedArn(call, (tx, id) => getGroup(tx, id, name))) ?? `arn:aws:iam::${acct(call)}:group${pathOf(call)}${name}`;
};
const roleArn = async (call: ServiceCall): Promise<string> => {
  const name = call.params.get('RoleName') ?? '';
  return (await storedArn(call, (tx, id) => getRole(tx, id, name))) ?? `arn:aws:iam::${acct(call)}:role${pathOf(call)}${name}`;
};
const policyArn = (call: ServiceCall): string => call.params.get('PolicyArn') ?? '*';
const newPolicyArn = (call: ServiceCall): string => `arn:aws:iam::${acct(call)}:policy${pathOf(call)}${call.params.get('PolicyName') ?? ''}`;
const anyResource = (): string => '*';

const policyArnContext = (call: ServiceCall): Record<string, string | string[]> => {
  const arn = call.params.get('PolicyArn');
  return arn ? { 'iam:PolicyARN': arn } : {};
};
const boundaryContext = (call: ServiceCall): Record<string, string | string[]> => {
  const arn = call.params.get('PermissionsBoundary');
  return arn ? { 'iam:PermissionsBoundary': arn } : {};
};
const createContext = (call: ServiceCall): Record<string, string | string[]> => ({ ...boundaryContext(call), ...tagContext(call) });
const untagContext = (call: ServiceCall): Record<string, string | string[]> => {
  const tagKeys = memberList(call, 'TagKeys');
  return tagKeys.length > 0 ? { 'aws:TagKeys': tagKeys } : {};
};

function op(
  action: string,
  resource: (call: ServiceCall) => string | Promise<string>,
  handler: QueryHandler,
  context?: (call: ServiceCall) => Record<string, string | string[]>,
): ServiceOperation<QueryHandler> {
  return context ? { action, resource, context, handler } : { action, resource, handler };
}

export const iamOperations: QueryOperationTable = {
  // users
  CreateUser: op('iam:CreateUser', userArn, users.createUser, createContext),
  GetUser: op('iam:GetUser', userArn, users.getUserHandler),
  ListUsers: op('iam:ListUsers', anyResource, users.listUsers),
  UpdateUser: op('iam:UpdateUser', userArn, users.updateUser),
  DeleteUser: op('iam:DeleteUser', userArn, users.deleteUser),
  TagUser: op('iam:TagUser', userArn, users.tagUser, (call) => tagContext(call)),
  UntagUser: op('iam:UntagUser', userArn, users.untagUser, untagContext),
  ListUserTags: op('iam:ListUserTags', userArn, users.listUserTags),

  // groups
  CreateGroup: op('iam:CreateGroup', groupArn, groups.createGroup),
  GetGroup: op('iam:GetGroup', groupArn, groups.getGroupHandler),
  ListGroups: op('iam:ListGroups', anyResource, groups.listGroups),
  DeleteGroup: op('iam:DeleteGroup', groupArn, groups.deleteGroup),
  AddUserToGroup: op('iam:AddUserToGroup', groupArn, groups.addUserToGroup),
  RemoveUserFromGroup: op('iam:RemoveUserFromGroup', groupArn, groups.removeUserFromGroup),
  ListGroupsForUser: op('iam:ListGroupsForUser', userArn, groups.listGroupsForUser),

  // roles
  CreateRole: op('iam:CreateRole', roleArn, roles.createRole, createContext),
  GetRole: op('iam:GetRole', roleArn, roles.getRoleHandler),
  ListRoles: op('iam:ListRoles', anyResource, roles.listRoles),
  UpdateRole: op('iam:UpdateRole', roleArn, roles.updateRole),
  UpdateAssumeRolePolicy: op('iam:UpdateAssumeRolePolicy', roleArn, roles.updateAssumeRolePolicy),
  DeleteRole: op('iam:DeleteRole', roleArn, roles.deleteRole),
  TagRole: op('iam:TagRole', roleArn, roles.tagRole, (call) => tagContext(call)),
  UntagRole: op('iam:UntagRole', roleArn, roles.untagRole, untagContext),
  ListRoleTags: op('iam:ListRoleTags', roleArn, roles.listRoleTags),

  // managed policies
  CreatePolicy: op('iam:CreatePolicy', newPolicyArn, policies.createPolicy, (call) => tagContext(call)),
  GetPolicy: op('iam:GetPolicy', policyArn, policies.getPolicy),
  ListPolicies: op('iam:ListPolicies', anyResource, policies.listPolicies),
  DeletePolicy: op('iam:DeletePolicy', policyArn, policies.deletePolicy),
  CreatePolicyVersion: op('iam:CreatePolicyVersion', policyArn, policies.createPolicyVersion),
  GetPolicyVersion: op('iam:GetPolicyVersion', policyArn, policies.getPolicyVersion),
  ListPolicyVersions: op('iam:ListPolicyVersions', policyArn, policies.listPolicyVersions),
  DeletePolicyVersion: op('iam:DeletePolicyVersion', policyArn, policies.deletePolicyVersion),
  SetDefaultPolicyVersion: op('iam:SetDefaultPolicyVersion', policyArn, policies.setDefaultPolicyVersion),
  ListEntitiesForPolicy: op('iam:ListEntitiesForPolicy', policyArn, account.listEntitiesForPolicy),

  // inline policies
  PutUserPolicy: op('iam:PutUserPolicy', userArn, putInlinePolicy(userHolder)),
  GetUserPolicy: op('iam:GetUserPolicy', userArn, getInlinePolicy(userHolder)),
  DeleteUserPolicy: op('iam:DeleteUserPolicy', userArn, deleteInlinePolicy(userHolder)),
  ListUserPolicies: op('iam:ListUserPolicies', userArn, listInlinePolicies(userHolder)),
  PutGroupPolicy: op('iam:PutGroupPolicy', groupArn, putInlinePolicy(groupHolder)),
  GetGroupPolicy: op('iam:GetGroupPolicy', groupArn, getInlinePolicy(groupHolder)),
  DeleteGroupPolicy: op('iam:DeleteGroupPolicy', groupArn, deleteInlinePolicy(groupHolder)),
  ListGroupPolicies: op('iam:ListGroupPolicies', groupArn, listInlinePolicies(groupHolder)),
  PutRolePolicy: op('iam:PutRolePolicy', roleArn, putInlinePolicy(roleHolder)),
  GetRolePolicy: op('iam:GetRolePolicy', roleArn, getInlinePolicy(roleHolder)),
  DeleteRolePolicy: op('iam:DeleteRolePolicy', roleArn, deleteInlinePolicy(roleHolder)),
  ListRolePolicies: op('iam:ListRolePolicies', roleArn, listInlinePolicies(roleHolder)),

  // managed policy attachments
  AttachUserPolicy: op('iam:AttachUserPolicy', userArn, attachPolicy(userHolder), policyArnContext),
  DetachUserPolicy: op('iam:DetachUserPolicy', userArn, detachPolicy(userHolder), policyArnContext),
  ListAttachedUserPolicies: op('iam:ListAttachedUserPolicies', userArn, listAttachedPolicies(userHolder)),
  AttachGroupPolicy: op('iam:AttachGroupPolicy', groupArn, attachPolicy(groupHolder), policyArnContext),
  DetachGroupPolicy: op('iam:DetachGroupPolicy', groupArn, detachPolicy(groupHolder), policyArnContext),
  ListAttachedGroupPolicies: op('iam:ListAttachedGroupPolicies', groupArn, listAttachedPolicies(groupHolder)),
  AttachRolePolicy: op('iam:AttachRolePolicy', roleArn, attachPolicy(roleHolder), policyArnContext),
  DetachRolePolicy: op('iam:DetachRolePolicy', roleArn, detachPolicy(roleHolder), policyArnContext),
  ListAttachedRolePolicies: op('iam:ListAttachedRolePolicies', roleArn, listAttachedPolicies(roleHolder)),

  // permissions boundaries
  PutUserPermissionsBoundary: op('iam:PutUserPermissionsBoundary', userArn, putPermissionsBoundary(userHolder), boundaryContext),
  DeleteUserPermissionsBoundary: op('iam:DeleteUserPermissionsBoundary', userArn, deletePermissionsBoundary(userHolder)),
  PutRolePermissionsBoundary: op('iam:PutRolePermissionsBoundary', roleArn, putPermissionsBoundary(roleHolder), boundaryContext),
  DeleteRolePermissionsBoundary: op('iam:DeleteRolePermissionsBoundary', roleArn, deletePermissionsBoundary(roleHolder)),

  // access keys
  CreateAccessKey: op('iam:CreateAccessKey', userArn, keys.createAccessKey),
  ListAccessKeys: op('iam:ListAccessKeys', userArn, keys.listAccessKeys),
  UpdateAccessKey: op('iam:UpdateAccessKey', userArn, keys.updateAccessKey),
  DeleteAccessKey: op('iam:DeleteAccessKey', userArn, keys.deleteAccessKey),

  // account
  GetAccountAuthorizationDetails: op('iam:GetAccountAuthorizationDetails', anyResource, account.getAccountAuthorizationDetails),
  ListAccountAliases: op('iam:ListAccountAliases', anyResource, account.listAccountAliases),
};
