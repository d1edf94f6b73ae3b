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
import { getGroup, getRole, getUser, type Tag } from '../iam/model.js';
import type { DocumentTx } from '../store/types.js';

function acct(call: ServiceCall): string {
  return call.identity.accountId ?? '';
}

/** Path of a new entity (Path parameter) or '/'. */
function pathOf(call: ServiceCall): string {
  const path = call.params.get('Path');
  return path && path.startsWith('/') && path.endsWith('/') ? path : '/';
}

interface LoadedEntity {
  arn: string;
  permissionsBoundaryArn?: string | null;
  tags?: Tag[];
}

/** Entities the resource functions loaded, for the condition keys computed right after (per call). */
const loaded = new WeakMap<ServiceCall, LoadedEntity>();

/** The stored ARN of an existing entity (its path included); null when it does not exist. */
async function storedArn(call: ServiceCall, read: (tx: DocumentTx, accountId: string) => LoadedEntity | null): Promise<string | null> {
  const accountId = call.identity.accountId;
  if (!accountId) return null;
  const entity = await call.app.store.readDocuments((tx) => read(tx, accountId));
  if (!entity) return null;
  loaded.set(call, entity);
  return entity.arn;
}

const userArn = async (call: ServiceCall): Promise<string> => {
  const name = call.params.get('UserName') ?? (call.identity.type === 'User' ? call.identity.userName ?? undefined : undefined);
  if (name === undefined) return `arn:aws:iam::${acct(call)}:root`; // the root acting on itself (GetUser, CreateAccessKey …)
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

type Context = Record<string, string | string[]>;

const policyArnContext = (call: ServiceCall): Context => {
  const arn = call.params.get('PolicyArn');
  return arn ? { 'iam:PolicyARN': arn } : {};
};
/** iam:PermissionsBoundary of the request (Create*, Put*PermissionsBoundary). */
const boundaryContext = (call: ServiceCall): Context => {
  const arn = call.params.get('PermissionsBoundary');
  return arn ? { 'iam:PermissionsBoundary': arn } : {};
};
/** iam:PermissionsBoundary of the user or role the call changes (Attach/Detach/Put/Delete*Policy, Delete*PermissionsBoundary). */
const existingBoundaryContext = (call: ServiceCall): Context => {
  const arn = loaded.get(call)?.permissionsBoundaryArn;
  return arn ? { 'iam:PermissionsBoundary': arn } : {};
};
/** aws:ResourceTag/KEY of an existing user or role. */
const resourceTagContext = (call: ServiceCall): Context => {
  const context: Context = {};
  for (const tag of loaded.get(call)?.tags ?? []) context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return context;
};
const createContext = (call: ServiceCall): Context => ({ ...boundaryContext(call), ...tagContext(call) });
const untagContext = (call: ServiceCall): Context => {
  const tagKeys = memberList(call, 'TagKeys');
  return tagKeys.length > 0 ? { 'aws:TagKeys': tagKeys } : {};
};
const both =
  (...parts: Array<(call: ServiceCall) => Context>) =>
  (call: ServiceCall): Context =>
    Object.assign({}, ...parts.map((part) => part(call)));

function op(
  action: string,
  resource: (call: ServiceCall) => string | Promise<string>,
  handler: QueryHandler,
  context?: (call: ServiceCall) => Context,
): ServiceOperation<QueryHandler> {
  return context ? { action, resource, context, handler } : { action, resource, handler };
}

/** Operations on an existing user or role also carry its aws:ResourceTag/… keys. */
function entityOp(action: string, resource: (call: ServiceCall) => Promise<string>, handler: QueryHandler, context?: (call: ServiceCall) => Context) {
  return op(action, resource, handler, context ? both(resourceTagContext, context) : resourceTagContext);
}

export const iamOperations: QueryOperationTable = {
  // users
  CreateUser: op('iam:CreateUser', userArn, users.createUser, createContext),
  GetUser: entityOp('iam:GetUser', userArn, users.getUserHandler),
  ListUsers: op('iam:ListUsers', anyResource, users.listUsers),
  UpdateUser: entityOp('iam:UpdateUser', userArn, users.updateUser),
  DeleteUser: entityOp('iam:DeleteUser', userArn, users.deleteUser),
  TagUser: entityOp('iam:TagUser', userArn, users.tagUser, (call) => tagContext(call)),
  UntagUser: entityOp('iam:UntagUser', userArn, users.untagUser, untagContext),
  ListUserTags: entityOp('iam:ListUserTags', userArn, users.listUserTags),

  // groups
  CreateGroup: op('iam:CreateGroup', groupArn, groups.createGroup),
  GetGroup: op('iam:GetGroup', groupArn, groups.getGroupHandler),
  ListGroups: op('iam:ListGroups', anyResource, groups.listGroups),
  DeleteGroup: op('iam:DeleteGroup', groupArn, groups.deleteGroup),
  AddUserToGroup: op('iam:AddUserToGroup', groupArn, groups.addUserToGroup),
  RemoveUserFromGroup: op('iam:RemoveUserFromGroup', groupArn, groups.removeUserFromGroup),
  ListGroupsForUser: entityOp('iam:ListGroupsForUser', userArn, groups.listGroupsForUser),

  // roles
  CreateRole: op('iam:CreateRole', roleArn, roles.createRole, createContext),
  GetRole: entityOp('iam:GetRole', roleArn, roles.getRoleHandler),
  ListRoles: op('iam:ListRoles', anyResource, roles.listRoles),
  UpdateRole: entityOp('iam:UpdateRole', roleArn, roles.updateRole),
  UpdateAssumeRolePolicy: entityOp('iam:UpdateAssumeRolePolicy', roleArn, roles.updateAssumeRolePolicy),
  DeleteRole: entityOp('iam:DeleteRole', roleArn, roles.deleteRole),
  TagRole: entityOp('iam:TagRole', roleArn, roles.tagRole, (call) => tagContext(call)),
  UntagRole: entityOp('iam:UntagRole', roleArn, roles.untagRole, untagContext),
  ListRoleTags: entityOp('iam:ListRoleTags', roleArn, roles.listRoleTags),

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
  PutUserPolicy: entityOp('iam:PutUserPolicy', userArn, putInlinePolicy(userHolder), existingBoundaryContext),
  GetUserPolicy: entityOp('iam:GetUserPolicy', userArn, getInlinePolicy(userHolder)),
  DeleteUserPolicy: entityOp('iam:DeleteUserPolicy', userArn, deleteInlinePolicy(userHolder), existingBoundaryContext),
  ListUserPolicies: entityOp('iam:ListUserPolicies', userArn, listInlinePolicies(userHolder)),
  PutGroupPolicy: op('iam:PutGroupPolicy', groupArn, putInlinePolicy(groupHolder)),
  GetGroupPolicy: op('iam:GetGroupPolicy', groupArn, getInlinePolicy(groupHolder)),
  DeleteGroupPolicy: op('iam:DeleteGroupPolicy', groupArn, deleteInlinePolicy(groupHolder)),
  ListGroupPolicies: op('iam:ListGroupPolicies', groupArn, listInlinePolicies(groupHolder)),
  PutRolePolicy: entityOp('iam:PutRolePolicy', roleArn, putInlinePolicy(roleHolder), existingBoundaryContext),
  GetRolePolicy: entityOp('iam:GetRolePolicy', roleArn, getInlinePolicy(roleHolder)),
  DeleteRolePolicy: entityOp('iam:DeleteRolePolicy', roleArn, deleteInlinePolicy(roleHolder), existingBoundaryContext),
  ListRolePolicies: entityOp('iam:ListRolePolicies', roleArn, listInlinePolicies(roleHolder)),

  // managed policy attachments
  AttachUserPolicy: entityOp('iam:AttachUserPolicy', userArn, attachPolicy(userHolder), both(policyArnContext, existingBoundaryContext)),
  DetachUserPolicy: entityOp('iam:DetachUserPolicy', userArn, detachPolicy(userHolder), both(policyArnContext, existingBoundaryContext)),
  ListAttachedUserPolicies: entityOp('iam:ListAttachedUserPolicies', userArn, listAttachedPolicies(userHolder)),
  AttachGroupPolicy: op('iam:AttachGroupPolicy', groupArn, attachPolicy(groupHolder), policyArnContext),
  DetachGroupPolicy: op('iam:DetachGroupPolicy', groupArn, detachPolicy(groupHolder), policyArnContext),
  ListAttachedGroupPolicies: op('iam:ListAttachedGroupPolicies', groupArn, listAttachedPolicies(groupHolder)),
  AttachRolePolicy: entityOp('iam:AttachRolePolicy', roleArn, attachPolicy(roleHolder), both(policyArnContext, existingBoundaryContext)),
  DetachRolePolicy: entityOp('iam:DetachRolePolicy', roleArn, detachPolicy(roleHolder), both(policyArnContext, existingBoundaryContext)),
  ListAttachedRolePolicies: entityOp('iam:ListAttachedRolePolicies', roleArn, listAttachedPolicies(roleHolder)),

  // permissions boundaries
  PutUserPermissionsBoundary: entityOp('iam:PutUserPermissionsBoundary', userArn, putPermissionsBoundary(userHolder), boundaryContext),
  DeleteUserPermissionsBoundary: entityOp('iam:DeleteUserPermissionsBoundary', userArn, deletePermissionsBoundary(userHolder), existingBoundaryContext),
  PutRolePermissionsBoundary: entityOp('iam:PutRolePermissionsBoundary', roleArn, putPermissionsBoundary(roleHolder), boundaryContext),
  DeleteRolePermissionsBoundary: entityOp('iam:DeleteRolePermissionsBoundary', roleArn, deletePermissionsBoundary(roleHolder), existingBoundaryContext),

  // access keys
  CreateAccessKey: entityOp('iam:CreateAccessKey', userArn, keys.createAccessKey),
  ListAccessKeys: entityOp('iam:ListAccessKeys', userArn, keys.listAccessKeys),
  UpdateAccessKey: entityOp('iam:UpdateAccessKey', userArn, keys.updateAccessKey),
  DeleteAccessKey: entityOp('iam:DeleteAccessKey', userArn, keys.deleteAccessKey),

  // account
  GetAccountAuthorizationDetails: op('iam:GetAccountAuthorizationDetails', anyResource, account.getAccountAuthorizationDetails),
  ListAccountAliases: op('iam:ListAccountAliases', anyResource, account.listAccountAliases),
};
