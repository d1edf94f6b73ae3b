/** Account-wide IAM reads: ListEntitiesForPolicy, GetAccountAuthorizationDetails, ListAccountAliases. */
import type { QueryHandler } from '../service-call.js';
import { iamKinds, nameKey, type GroupDoc, type ManagedPolicyDoc, type RoleDoc, type Tag, type UserDoc } from '../../iam/model.js';
import { awsManagedPolicies } from '../../iam/aws-managed-policies.js';
import { encodePolicyDocument } from '../../iam/policy-encoding.js';
import { Checks } from '../../iam/validation.js';
import { accountOf } from './caller.js';
import { listEntities, policyUsages, requirePolicy, usageOf } from './lookup.js';
import { attachedPolicyXml } from './holders.js';
import { memberList, pageFields, paginate, param, pathPrefixFilter } from './params.js';
import { awsPolicyXml, customerPolicyXml, iamTime, members, policyVersionXml, roleXml, tagsXml } from './render.js';

const entityFilters = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;

export const listEntitiesForPolicy: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const arn = param(call, 'PolicyArn');
  const filter = param(call, 'EntityFilter');
  const usageFilter = param(call, 'PolicyUsageFilter');
  const checks = new Checks();
  checks.arn('policyArn', arn);
  checks.oneOf('entityFilter', filter, entityFilters);
  checks.oneOf('policyUsageFilter', usageFilter, ['PermissionsPolicy', 'PermissionsBoundary']);
  checks.done();
  const matches = pathPrefixFilter(call);
  const entities = await call.app.store.readDocuments((tx) => {
    requirePolicy(tx, accountId, arn!);
    return listEntities(tx, accountId);
  });
  const uses = (holder: { attachedPolicyArns: string[]; permissionsBoundaryArn?: string | null }) =>
    (usageFilter !== 'PermissionsBoundary' && holder.attachedPolicyArns.includes(arn!)) ||
    (usageFilter !== 'PermissionsPolicy' && holder.permissionsBoundaryArn === arn);
  const rows: Array<{ key: string; kind: 'group' | 'user' | 'role'; xml: Record<string, unknown> }> = [];
  if (filter === undefined || filter === 'Group') {
    for (const g of entities.groups) if (matches(g.path) && uses(g)) rows.push({ key: `g:${nameKey(g.groupName)}`, kind: 'group', xml: { GroupName: g.groupName, GroupId: g.groupId } });
  }
  if (filter === undefined || filter === 'Role') {
    for (const r of entities.roles) if (matches(r.path) && uses(r)) rows.push({ key: `r:${nameKey(r.roleName)}`, kind: 'role', xml: { RoleName: r.roleName, RoleId: r.roleId } });
  }
  if (filter === undefined || filter === 'User') {
    for (const u of entities.users) if (matches(u.path) && uses(u)) rows.push({ key: `u:${nameKey(u.userName)}`, kind: 'user', xml: { UserName: u.userName, UserId: u.userId } });
  }
  const page = paginate(call, rows, (row) => row.key);
  const of = (kind: string) => members(page.items.filter((row) => row.kind === kind).map((row) => row.xml));
  return { PolicyGroups: of('group'), PolicyUsers: of('user'), PolicyRoles: of('role'), ...pageFields(page) };
};

function inlineList(policies: Record<string, string>): { member: Array<Record<string, unknown>> } {
  return members(Object.keys(policies).sort().map((name) => ({ PolicyName: name, PolicyDocument: encodePolicyDocument(policies[name]!) })));
}

function boundary(arn: string | null): Record<string, unknown> | undefined {
  return arn ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } : undefined;
}

function tagsOrNothing(tags: Tag[]) {
  return tags.length > 0 ? tagsXml(tags) : undefined;
}

export const getAccountAuthorizationDetails: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const filters = memberList(call, 'Filter');
  const checks = new Checks();
  filters.forEach((f, i) => checks.oneOf(`filter.${i + 1}.member`, f, entityFilters));
  checks.done();
  const wants = (f: (typeof entityFilters)[number]) => filters.length === 0 || filters.includes(f);
  const rows = await call.app.store.readDocuments((tx) => {
    const entities = listEntities(tx, accountId);
    const usages = policyUsages(entities);
    const out: Array<{ key: string; list: string; xml: Record<string, unknown> }> = [];
    if (wants('User')) {
      for (const u of entities.users as UserDoc[]) {
        out.push({
          key: `1:${nameKey(u.userName)}`,
          list: 'UserDetailList',
          xml: {
            Path: u.path,
            UserName: u.userName,
            UserId: u.userId,
            Arn: u.arn,
            CreateDate: iamTime(u.createdAtMs),
            UserPolicyList: inlineList(u.inlinePolicies),
            GroupList: members(u.groups),
            AttachedManagedPolicies: members(u.attachedPolicyArns.map(attachedPolicyXml)),
            PermissionsBoundary: boundary(u.permissionsBoundaryArn),
            Tags: tagsOrNothing(u.tags),
          },
        });
      }
    }
    if (wants('Group')) {
      for (const g of entities.groups as GroupDoc[]) {
        out.push({
          key: `2:${nameKey(g.groupName)}`,
          list: 'GroupDetailList',
          xml: {
            Path: g.path,
            GroupName: g.groupName,
            GroupId: g.groupId,
            Arn: g.arn,
            CreateDate: iamTime(g.createdAtMs),
            GroupPolicyList: inlineList(g.inlinePolicies),
            AttachedManagedPolicies: members(g.attachedPolicyArns.map(attachedPolicyXml)),
          },
        });
      }
    }
    if (wants('Role')) {
      for (const r of entities.roles as RoleDoc[]) {
        const base = roleXml(r, 'get');
        out.push({
          key: `3:${nameKey(r.roleName)}`,
          list: 'RoleDetailList',
          xml: {
            Path: r.path,
            RoleName: r.roleName,
            RoleId: r.roleId,
            Arn: r.arn,
            CreateDate: base.CreateDate,
            AssumeRolePolicyDocument: base.AssumeRolePolicyDocument,
            InstanceProfileList: members([]),
            RolePolicyList: inlineList(r.inlinePolicies),
            AttachedManagedPolicies: members(r.attachedPolicyArns.map(attachedPolicyXml)),
            PermissionsBoundary: boundary(r.permissionsBoundaryArn),
            Tags: tagsOrNothing(r.tags),
            RoleLastUsed: {},
          },
        });
      }
    }
    if (wants('LocalManagedPolicy')) {
      for (const { value: p } of tx.list<ManagedPolicyDoc>(accountId, iamKinds.policy)) {
        const usage = usageOf(usages, p.arn);
        out.push({
          key: `4:${p.arn}`,
          list: 'Policies',
          xml: {
            // GetAccountAuthorizationDetails' ManagedPolicyDetail: the policy fields plus every version.
            ...customerPolicyXml(p, usage, false),
            Description: p.description ?? undefined,
            PolicyVersionList: members(p.versions.map((v) => policyVersionXml(v, p.defaultVersionId, true))),
          },
        });
      }
    }
    if (wants('AWSManagedPolicy')) {
      // AWS lists the AWS managed policies that are in use in the account.
      for (const p of awsManagedPolicies) {
        const usage = usageOf(usages, p.arn);
        if (usage.attachmentCount + usage.boundaryUsageCount === 0) continue;
        out.push({
          key: `5:${p.arn}`,
          list: 'Policies',
          xml: {
            ...awsPolicyXml(p, usage, true),
            PolicyVersionList: members([
              policyVersionXml({ versionId: p.defaultVersionId, document: p.document, createdAtMs: p.updatedAtMs }, p.defaultVersionId, true),
            ]),
          },
        });
      }
    }
    return out;
  });
  const page = paginate(call, rows, (row) => row.key);
  const of = (list: string) => members(page.items.filter((row) => row.list === list).map((row) => row.xml));
  return {
    UserDetailList: of('UserDetailList'),
    GroupDetailList: of('GroupDetailList'),
    RoleDetailList: of('RoleDetailList'),
    Policies: of('Policies'),
    ...pageFields(page),
  };
};

export const listAccountAliases: QueryHandler = async (call) => {
  accountOf(call);
  // AWS-DIFF: account aliases are not supported (CreateAccountAlias is not implemented); the list is always empty.
  return { AccountAliases: members([]), IsTruncated: false };
};

