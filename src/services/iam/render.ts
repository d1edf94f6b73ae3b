/**
 * XML shapes of IAM entities (IAM API reference data types User, Group, Role, Policy, PolicyVersion,
 * AccessKey …). Objects become elements; lists are `{ member: [...] }`. Undefined fields are omitted.
 */
import type { GroupDoc, ManagedPolicyDoc, PolicyVersionDoc, RoleDoc, Tag, UserDoc } from '../../iam/model.js';
import type { AwsManagedPolicy } from '../../iam/aws-managed-policies.js';
import { encodePolicyDocument } from '../../iam/policy-encoding.js';

/** IAM renders times without milliseconds: 2026-12-02T05:30:00Z. */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function members<T>(items: T[]): { member: T[] } {
  return { member: items };
}

export function tagsXml(tags: Tag[]): { member: Tag[] } {
  return members(tags.map((t) => ({ Key: t.Key, Value: t.Value })));
}

function boundaryXml(arn: string | null): Record<string, unknown> | undefined {
  return arn ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } : undefined;
}

/** `full`: GetUser/CreateUser also carry PermissionsBoundary and Tags; ListUsers does not. */
export function userXml(user: UserDoc, full: boolean): Record<string, unknown> {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: iamTime(user.createdAtMs),
    PermissionsBoundary: full ? boundaryXml(user.permissionsBoundaryArn) : undefined,
    Tags: full && user.tags.length > 0 ? tagsXml(user.tags) : undefined,
  };
}

export function groupXml(group: GroupDoc): Record<string, unknown> {
  return { Path: group.path, GroupName: group.groupName, GroupId: group.groupId, Arn: group.arn, CreateDate: iamTime(group.createdAtMs) };
}

/** mode 'get': GetRole (boundary, tags, RoleLastUsed); 'create': CreateRole; 'list': ListRoles. */
export function roleXml(role: RoleDoc, mode: 'get' | 'create' | 'list'): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: iamTime(role.createdAtMs),
    AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicyDocument),
    Description: role.description ?? undefined,
    MaxSessionDuration: role.maxSessionDurationSeconds,
    PermissionsBoundary: mode === 'list' ? undefined : boundaryXml(role.permissionsBoundaryArn),
    Tags: mode !== 'list' && role.tags.length > 0 ? tagsXml(role.tags) : undefined,
    RoleLastUsed: mode === 'get' ? {} : undefined,
  };
}

export interface PolicyUsage {
  attachmentCount: number;
  boundaryUsageCount: number;
}

/** `full`: GetPolicy/CreatePolicy (Description, Tags); ListPolicies leaves them out. */
export function customerPolicyXml(policy: ManagedPolicyDoc, usage: PolicyUsage, full: boolean): Record<string, unknown> {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: usage.attachmentCount,
    PermissionsBoundaryUsageCount: usage.boundaryUsageCount,
    IsAttachable: true,
    Description: full && policy.description !== null ? policy.description : undefined,
    CreateDate: iamTime(policy.createdAtMs),
    UpdateDate: iamTime(policy.updatedAtMs),
    Tags: full && policy.tags.length > 0 ? tagsXml(policy.tags) : undefined,
  };
}

export function awsPolicyXml(policy: AwsManagedPolicy, usage: PolicyUsage, full: boolean): Record<string, unknown> {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: usage.attachmentCount,
    PermissionsBoundaryUsageCount: usage.boundaryUsageCount,
    IsAttachable: true,
    Description: full ? policy.description : undefined,
    CreateDate: iamTime(policy.createdAtMs),
    UpdateDate: iamTime(policy.updatedAtMs),
  };
}

export function policyVersionXml(version: PolicyVersionDoc, defaultVersionId: string, withDocument: boolean): Record<string, unknown> {
  return {
    Document: withDocument ? encodePolicyDocument(version.document) : undefined,
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === defaultVersionId,
    CreateDate: iamTime(version.createdAtMs),
  };
}
