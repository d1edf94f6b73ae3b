/**
 * Which policy documents apply to a principal, read from the IAM documents (src/iam/model.ts):
 * a user's inline and attached policies plus those of its groups; a role session's role policies;
 * the permissions boundary; the session policies; and the principal's tags (aws:PrincipalTag/*).
 * Runs inside one DocumentTx (synchronous); the authorizer caches results per store generation.
 */
import type { DocumentTx } from '../store/types.js';
import type { Identity } from './request-context.js';
import { getCustomerPolicy, getGroup, getRole, getUser, parsePolicyArn, parseRoleArn, type Tag } from '../iam/model.js';

export interface PolicyText {
  /** ARN of a managed policy, or "user/NAME/inline/POLICY"-style label for inline ones. */
  label: string;
  document: string;
}

export interface PrincipalPolicies {
  identity: PolicyText[];
  boundary: PolicyText | null;
  /** null: not a session with session policies. */
  session: PolicyText[] | null;
  tags: Record<string, string>;
  /** False when the principal no longer exists (deleted user or role): nothing allows. */
  exists: boolean;
}

export type ManagedPolicyResolver = (tx: DocumentTx, arn: string) => { arn: string; document: string } | null;

/** Customer managed policies only (AWS managed ones come from src/iam when wired in). */
export const customerPolicyResolver: ManagedPolicyResolver = (tx, arn) => {
  const parts = parsePolicyArn(arn);
  if (!parts || parts.accountId === 'aws') return null;
  const policy = getCustomerPolicy(tx, parts.accountId, parts.name);
  if (!policy || policy.arn !== arn) return null;
  const version = policy.versions.find((entry) => entry.versionId === policy.defaultVersionId);
  return version ? { arn, document: version.document } : null;
};

function tagsOf(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) out[tag.Key] = tag.Value;
  return out;
}

function holderPolicies(tx: DocumentTx, resolve: ManagedPolicyResolver, kind: string, name: string, holder: { inlinePolicies: Record<string, string>; attachedPolicyArns: string[] }): PolicyText[] {
  const out: PolicyText[] = [];
  for (const [policyName, document] of Object.entries(holder.inlinePolicies)) out.push({ label: `${kind}/${name}/inline/${policyName}`, document });
  for (const arn of holder.attachedPolicyArns) {
    const found = resolve(tx, arn);
    if (found) out.push({ label: arn, document: found.document });
  }
  return out;
}

function boundaryOf(tx: DocumentTx, resolve: ManagedPolicyResolver, arn: string | null): PolicyText | null | 'missing' {
  if (!arn) return null;
  const found = resolve(tx, arn);
  return found ? { label: arn, document: found.document } : 'missing';
}

const nothing: PrincipalPolicies = { identity: [], boundary: null, session: null, tags: {}, exists: false };

export function loadPrincipalPolicies(tx: DocumentTx, identity: Identity, resolve: ManagedPolicyResolver): PrincipalPolicies {
  if (identity.type === 'Root' || identity.type === 'Anonymous' || identity.accountId === null) {
    return { identity: [], boundary: null, session: sessionPolicies(tx, identity, resolve), tags: {}, exists: true };
  }
  if (identity.type === 'User') {
    const user = identity.userName ? getUser(tx, identity.accountId, identity.userName) : null;
    if (!user || user.arn !== identity.arn) return nothing;
    const policies = holderPolicies(tx, resolve, 'user', user.userName, user);
    for (const groupName of user.groups) {
      const group = getGroup(tx, identity.accountId, groupName);
      if (group) policies.push(...holderPolicies(tx, resolve, 'group', group.groupName, group));
    }
    const boundary = boundaryOf(tx, resolve, user.permissionsBoundaryArn);
    // A boundary that cannot be found allows nothing (fail closed).
    const bound = boundary === 'missing' ? { label: user.permissionsBoundaryArn!, document: denyAllDocument } : boundary;
    return { identity: policies, boundary: bound, session: sessionPolicies(tx, identity, resolve), tags: tagsOf(user.tags), exists: true };
  }
  if (identity.type === 'AssumedRole' && identity.roleArn) {
    const parts = parseRoleArn(identity.roleArn);
    const role = parts ? getRole(tx, parts.accountId, parts.name) : null;
    if (!role || role.arn !== identity.roleArn) return nothing;
    const boundary = boundaryOf(tx, resolve, role.permissionsBoundaryArn);
    const bound = boundary === 'missing' ? { label: role.permissionsBoundaryArn!, document: denyAllDocument } : boundary;
    const tags = { ...tagsOf(role.tags), ...(identity.session?.tags ?? {}) };
    return { identity: holderPolicies(tx, resolve, 'role', role.roleName, role), boundary: bound, session: sessionPolicies(tx, identity, resolve), tags, exists: true };
  }
  return nothing;
}

const denyAllDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';

function sessionPolicies(tx: DocumentTx, identity: Identity, resolve: ManagedPolicyResolver): PolicyText[] | null {
  const session = identity.session;
  if (!session || (session.policy === null && session.policyArns.length === 0)) return null;
  const out: PolicyText[] = [];
  if (session.policy !== null) out.push({ label: 'session policy', document: session.policy });
  for (const arn of session.policyArns) {
    const found = resolve(tx, arn);
    if (found) out.push({ label: arn, document: found.document });
  }
  return out;
}
