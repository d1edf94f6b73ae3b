/**
 * IAM entities as stored in the metadata store's documents (store/types.ts DocumentTx).
 * Scope = the owning account ID; kind = one of `iamKinds`; name = the entity name (unique per
 * account, case-insensitively in AWS — callers compare lower-cased names via `nameKey`).
 * Inline policies and attachments live inside the owning user/group/role document, so one read
 * gives everything the authorizer needs for a principal.
 */
import type { DocumentTx } from '../store/types.js';

export const iamKinds = {
  user: 'iam-user',
  group: 'iam-group',
  role: 'iam-role',
  /** Customer managed policy (name = policy name). */
  policy: 'iam-policy',
} as const;

export interface Tag {
  Key: string;
  Value: string;
}

/** AWS entity names are unique case-insensitively; documents are keyed by the lower-cased name. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

interface PolicyHolder {
  /** Inline policies: name → JSON document text (as given, not URL-encoded). */
  inlinePolicies: Record<string, string>;
  /** Attached managed policy ARNs (customer or arn:aws:iam::aws:policy/…), in attach order. */
  attachedPolicyArns: string[];
}

export interface UserDoc extends PolicyHolder {
  accountId: string;
  userName: string;
  /** AIDA… */
  userId: string;
  path: string;
  arn: string;
  createdAtMs: number;
  permissionsBoundaryArn: string | null;
  tags: Tag[];
  /** Group names (as created) the user belongs to. */
  groups: string[];
}

export interface GroupDoc extends PolicyHolder {
  accountId: string;
  groupName: string;
  /** AGPA… */
  groupId: string;
  path: string;
  arn: string;
  createdAtMs: number;
}

export interface RoleDoc extends PolicyHolder {
  accountId: string;
  roleName: string;
  /** AROA… */
  roleId: string;
  path: string;
  arn: string;
  createdAtMs: number;
  /** Trust policy JSON text. */
  assumeRolePolicyDocument: string;
  description: string | null;
  maxSessionDurationSeconds: number;
  permissionsBoundaryArn: string | null;
  tags: Tag[];
}

export interface PolicyVersionDoc {
  /** v1, v2 … */
  versionId: string;
  /** JSON text. */
  document: string;
  createdAtMs: number;
}

export interface ManagedPolicyDoc {
  accountId: string;
  policyName: string;
  /** ANPA… */
  policyId: string;
  path: string;
  arn: string;
  description: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  defaultVersionId: string;
  /** At most 5; ordered oldest first. */
  versions: PolicyVersionDoc[];
  /** Next version number to hand out (versions are never renumbered). */
  nextVersion: number;
  tags: Tag[];
}

export function getUser(tx: DocumentTx, accountId: string, userName: string): UserDoc | null {
  return tx.get<UserDoc>(accountId, iamKinds.user, nameKey(userName));
}

export function getGroup(tx: DocumentTx, accountId: string, groupName: string): GroupDoc | null {
  return tx.get<GroupDoc>(accountId, iamKinds.group, nameKey(groupName));
}

export function getRole(tx: DocumentTx, accountId: string, roleName: string): RoleDoc | null {
  return tx.get<RoleDoc>(accountId, iamKinds.role, nameKey(roleName));
}

export function getCustomerPolicy(tx: DocumentTx, accountId: string, policyName: string): ManagedPolicyDoc | null {
  return tx.get<ManagedPolicyDoc>(accountId, iamKinds.policy, nameKey(policyName));
}

/** arn:aws:iam::ACCOUNT:role/path/NAME → { accountId, name }; null when not a role ARN. */
export function parseRoleArn(arn: string): { accountId: string; path: string; name: string } | null {
  const match = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/.exec(arn);
  return match ? { accountId: match[1]!, path: match[2]!, name: match[3]! } : null;
}

/** arn:aws:iam::ACCOUNT:policy/path/NAME (ACCOUNT may be 'aws') → parts; null otherwise. */
export function parsePolicyArn(arn: string): { accountId: string; path: string; name: string } | null {
  const match = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/.exec(arn);
  return match ? { accountId: match[1]!, path: match[2]!, name: match[3]! } : null;
}
