/** IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy, DeleteRole, TagRole, UntagRole, ListRoleTags. */
import type { QueryHandler, ServiceCall } from '../service-call.js';
import { serviceError } from '../../protocol/errors.js';
import { getRole, iamKinds, nameKey, type RoleDoc } from '../../iam/model.js';
import { Checks } from '../../iam/validation.js';
import { accountOf } from './caller.js';
import { checkTrustPolicy, knownAccounts } from './documents.js';
import { requireBoundaryPolicy, requireRole } from './lookup.js';
import { memberList, mergeTags, pageFields, paginate, param, pathPrefixFilter, removeTags, sortedTags, tagList } from './params.js';
import { members, roleXml, tagsXml } from './render.js';
import { deleteConflict } from './users.js';

const descriptionPattern = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const descriptionPatternText = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*';

function checkDescription(checks: Checks, description: string | undefined): void {
  checks.length('description', description, 0, 1000);
  checks.pattern('description', description, descriptionPattern, descriptionPatternText);
}

export const createRole: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const roleName = param(call, 'RoleName');
  const path = param(call, 'Path') ?? '/';
  const trust = param(call, 'AssumeRolePolicyDocument');
  const description = param(call, 'Description');
  const boundary = param(call, 'PermissionsBoundary');
  const checks = new Checks();
  checks.name('roleName', roleName, 64);
  checks.path('path', path);
  checks.policyDocument('assumeRolePolicyDocument', trust);
  checkDescription(checks, description);
  const maxSession = checks.integer('maxSessionDuration', param(call, 'MaxSessionDuration'), 3600, 43200) ?? 3600;
  checks.arn('permissionsBoundary', boundary, false);
  checks.done();
  const tags = tagList(call) ?? [];
  const accounts = await knownAccounts(call);
  const role = await call.app.store.writeDocuments((tx) => {
    if (getRole(tx, accountId, roleName!)) throw serviceError('EntityAlreadyExists', `Role with name ${roleName} already exists.`, 409);
    checkTrustPolicy(tx, accounts, trust!);
    if (boundary !== undefined) requireBoundaryPolicy(tx, accountId, boundary);
    const doc: RoleDoc = {
      accountId,
      roleName: roleName!,
      roleId: call.app.ids.roleUniqueId(),
      path,
      arn: `arn:aws:iam::${accountId}:role${path}${roleName}`,
      createdAtMs: call.app.clock.nowMs(),
      assumeRolePolicyDocument: trust!,
      description: description ?? null,
      maxSessionDurationSeconds: maxSession,
      permissionsBoundaryArn: boundary ?? null,
      tags: mergeTags([], tags),
      inlinePolicies: {},
      attachedPolicyArns: [],
    };
    tx.put(accountId, iamKinds.role, nameKey(doc.roleName), doc);
    return doc;
  });
  return { Role: roleXml(role, 'create') };
};

function roleNameParam(call: ServiceCall, checks = new Checks()): string {
  const roleName = param(call, 'RoleName');
  checks.name('roleName', roleName, 64);
  return roleName!;
}

export const getRoleHandler: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  checks.done();
  const role = await call.app.store.readDocuments((tx) => requireRole(tx, accountId, roleName));
  return { Role: roleXml(role, 'get') };
};

export const listRoles: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const matches = pathPrefixFilter(call);
  const roles = await call.app.store.readDocuments((tx) => tx.list<RoleDoc>(accountId, iamKinds.role).map((r) => r.value));
  const page = paginate(call, roles.filter((r) => matches(r.path)), (r) => nameKey(r.roleName));
  return { Roles: members(page.items.map((r) => roleXml(r, 'list'))), ...pageFields(page) };
};

export const updateRole: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  const description = param(call, 'Description');
  checkDescription(checks, description);
  const maxSession = checks.integer('maxSessionDuration', param(call, 'MaxSessionDuration'), 3600, 43200);
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const role = requireRole(tx, accountId, roleName);
    tx.put(accountId, iamKinds.role, nameKey(role.roleName), {
      ...role,
      description: description !== undefined ? description : role.description,
      maxSessionDurationSeconds: maxSession ?? role.maxSessionDurationSeconds,
    });
  });
  return {};
};

export const updateAssumeRolePolicy: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  const document = param(call, 'PolicyDocument');
  checks.policyDocument('policyDocument', document);
  checks.done();
  const accounts = await knownAccounts(call);
  await call.app.store.writeDocuments((tx) => {
    const role = requireRole(tx, accountId, roleName);
    checkTrustPolicy(tx, accounts, document!);
    tx.put(accountId, iamKinds.role, nameKey(role.roleName), { ...role, assumeRolePolicyDocument: document! });
  });
  return null;
};

export const deleteRole: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const role = requireRole(tx, accountId, roleName);
    if (role.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(role.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    tx.delete(accountId, iamKinds.role, nameKey(role.roleName));
  });
  return null;
};

export const tagRole: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  const tags = tagList(call);
  if (!tags) checks.fail('tags', null, 'Member must not be null');
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const role = requireRole(tx, accountId, roleName);
    tx.put(accountId, iamKinds.role, nameKey(role.roleName), { ...role, tags: mergeTags(role.tags, tags!) });
  });
  return null;
};

export const untagRole: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  const keys = memberList(call, 'TagKeys');
  if (keys.length === 0) checks.fail('tagKeys', null, 'Member must not be null');
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const role = requireRole(tx, accountId, roleName);
    tx.put(accountId, iamKinds.role, nameKey(role.roleName), { ...role, tags: removeTags(role.tags, keys) });
  });
  return null;
};

export const listRoleTags: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const roleName = roleNameParam(call, checks);
  checks.done();
  const role = await call.app.store.readDocuments((tx) => requireRole(tx, accountId, roleName));
  const page = paginate(call, sortedTags(role.tags), (t) => t.Key.toLowerCase());
  return { Tags: tagsXml(page.items), ...pageFields(page) };
};
