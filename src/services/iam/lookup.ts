/** Entity lookups with AWS's NoSuchEntity messages, and usage counts of managed policies. */
import type { DocumentTx } from '../../store/types.js';
import { serviceError } from '../../protocol/errors.js';
import { getGroup, getRole, getUser, iamKinds, parsePolicyArn, type GroupDoc, type ManagedPolicyDoc, type RoleDoc, type UserDoc } from '../../iam/model.js';
import { getAwsManagedPolicy, type AwsManagedPolicy } from '../../iam/aws-managed-policies.js';
import { getCustomerPolicyByArn } from '../../iam/managed-policies.js';
import type { PolicyUsage } from './render.js';

export function noSuchEntity(message: string) {
  return serviceError('NoSuchEntity', message, 404);
}

export function requireUser(tx: DocumentTx, accountId: string, userName: string): UserDoc {
  const user = getUser(tx, accountId, userName);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

export function requireGroup(tx: DocumentTx, accountId: string, groupName: string): GroupDoc {
  const group = getGroup(tx, accountId, groupName);
  if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

export function requireRole(tx: DocumentTx, accountId: string, roleName: string): RoleDoc {
  const role = getRole(tx, accountId, roleName);
  if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

/** InvalidInput for strings that are not policy ARNs (AWS: "ARN foo is not valid."). */
export function checkPolicyArn(arn: string): void {
  if (!parsePolicyArn(arn)) throw serviceError('InvalidInput', `ARN ${arn} is not valid.`, 400);
}

export type AnyManagedPolicy = { kind: 'aws'; policy: AwsManagedPolicy } | { kind: 'customer'; policy: ManagedPolicyDoc };

/** A managed policy the caller's account can see: AWS managed, or its own customer managed policy. */
export function findManagedPolicy(tx: DocumentTx, accountId: string, arn: string): AnyManagedPolicy | null {
  const aws = getAwsManagedPolicy(arn);
  if (aws) return { kind: 'aws', policy: aws };
  const parts = parsePolicyArn(arn);
  if (!parts || parts.accountId !== accountId) return null;
  const doc = getCustomerPolicyByArn(tx, arn);
  return doc ? { kind: 'customer', policy: doc } : null;
}

/** For Attach*Policy: "Policy ARN does not exist or is not attachable." */
export function requireAttachablePolicy(tx: DocumentTx, accountId: string, arn: string): AnyManagedPolicy {
  checkPolicyArn(arn);
  const found = findManagedPolicy(tx, accountId, arn);
  if (!found) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return found;
}

/** For GetPolicy / DeletePolicy …: "Policy ARN was not found." */
export function requirePolicy(tx: DocumentTx, accountId: string, arn: string): AnyManagedPolicy {
  checkPolicyArn(arn);
  const found = findManagedPolicy(tx, accountId, arn);
  if (!found) throw noSuchEntity(`Policy ${arn} was not found.`);
  return found;
}

/** For Put*PermissionsBoundary and Create* with a boundary: "Scope ARN: ARN does not exist or is not attachable." */
export function requireBoundaryPolicy(tx: DocumentTx, accountId: string, arn: string): void {
  checkPolicyArn(arn);
  if (!findManagedPolicy(tx, accountId, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
}

export interface AccountEntities {
  users: UserDoc[];
  groups: GroupDoc[];
  roles: RoleDoc[];
}

export function listEntities(tx: DocumentTx, accountId: string): AccountEntities {
  return {
    users: tx.list<UserDoc>(accountId, iamKinds.user).map((r) => r.value),
    groups: tx.list<GroupDoc>(accountId, iamKinds.group).map((r) => r.value),
    roles: tx.list<RoleDoc>(accountId, iamKinds.role).map((r) => r.value),
  };
}

/** AttachmentCount / PermissionsBoundaryUsageCount of every managed policy ARN used in the account. */
export function policyUsages(entities: AccountEntities): Map<string, PolicyUsage> {
  const usages = new Map<string, PolicyUsage>();
  const usage = (arn: string) => {
    let found = usages.get(arn);
    if (!found) usages.set(arn, (found = { attachmentCount: 0, boundaryUsageCount: 0 }));
    return found;
  };
  for (const holder of [...entities.users, ...entities.groups, ...entities.roles]) {
    for (const arn of holder.attachedPolicyArns) usage(arn).attachmentCount += 1;
  }
  for (const holder of [...entities.users, ...entities.roles]) {
    if (holder.permissionsBoundaryArn) usage(holder.permissionsBoundaryArn).boundaryUsageCount += 1;
  }
  return usages;
}

export function usageOf(usages: Map<string, PolicyUsage>, arn: string): PolicyUsage {
  return usages.get(arn) ?? { attachmentCount: 0, boundaryUsageCount: 0 };
}
