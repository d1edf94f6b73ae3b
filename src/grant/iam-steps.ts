/** The customer managed policy and the role `<client>-ExtRole`, tagged crossbucket:client=<client>. */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
  type Role,
  type Tag,
} from '@aws-sdk/client-iam';
import { call } from './aws-clients.js';
import { clientTagKey, policyArn, roleArn, roleName, rolePermissionsPolicy, trustPolicy, type GrantSpec } from './documents.js';
import type { Step } from './plan.js';
import { asList, parsePolicy, sameJson, type PolicyDocument } from './policy-json.js';
import { orNull } from './read-state.js';
import { externalIdPlaceholder, type GrantRuntime } from './runtime.js';
import { GrantInputError } from './validate.js';

export function clientTags(client: string): Tag[] {
  return [{ Key: clientTagKey, Value: client }];
}

function taggedFor(tags: Tag[] | undefined, client: string): boolean {
  return (tags ?? []).some((tag) => tag.Key === clientTagKey && tag.Value === client);
}

/** Something named like ours but not created by crossbucket for this client is never adopted. */
export class GrantConflictError extends GrantInputError {}

export async function readRole(iam: IAMClient, client: string): Promise<Role | null> {
  const out = await orNull(`iam role ${roleName(client)}`, 'IAM', ['NoSuchEntity', 'NoSuchEntityException'], () => iam.send(new GetRoleCommand({ RoleName: roleName(client) })));
  return out?.Role ?? null;
}

/** The ExternalId our trust statement requires, if the role exists. */
export function externalIdOf(role: Role | null): string | undefined {
  const trust = parsePolicy(role?.AssumeRolePolicyDocument);
  for (const statement of trust?.Statement ?? []) {
    const value = asList(statement.Condition?.StringEquals?.['sts:ExternalId'])[0];
    if (value) return value;
  }
  return undefined;
}

export function assertOwned(kind: string, name: string, tags: Tag[] | undefined, client: string): void {
  if (!taggedFor(tags, client)) {
    throw new GrantConflictError(`${kind} ${name} exists but is not tagged ${clientTagKey}=${client}; crossbucket will not take it over (rename the client or remove the ${kind})`);
  }
}

export async function managedPolicySteps(run: GrantRuntime): Promise<Step[]> {
  const { iam, spec } = run;
  const arn = policyArn(spec);
  const resource = `iam policy ${roleName(spec.client)}`;
  const desired = rolePermissionsPolicy(spec);
  const current = await orNull(resource, 'IAM', ['NoSuchEntity', 'NoSuchEntityException'], () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  if (!current?.Policy) {
    return [{
      resource,
      kind: 'create',
      summary: `CreatePolicy ${arn} tagged ${clientTagKey}=${spec.client}`,
      document: desired,
      apply: async () => {
        await call(resource, 'IAM', () => iam.send(new CreatePolicyCommand({
          PolicyName: roleName(spec.client),
          PolicyDocument: JSON.stringify(desired),
          Description: `crossbucket grant: ${spec.access} on s3://${spec.bucket}/${spec.prefix} for account ${spec.externalAccount}`,
          Tags: clientTags(spec.client),
        })));
      },
    }];
  }
  assertOwned('IAM policy', arn, current.Policy.Tags, spec.client);
  const versionId = current.Policy.DefaultVersionId!;
  const version = await call(resource, 'IAM', () => iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })));
  const document = parsePolicy(version.PolicyVersion?.Document);
  if (document && sameJson(document.Statement, desired.Statement)) return [{ resource, kind: 'no-change', summary: `default version ${versionId} matches` }];
  return [{
    resource,
    kind: 'update',
    summary: `CreatePolicyVersion (set as default; replaces ${versionId})`,
    document: desired,
    apply: async () => {
      const versions = await call(resource, 'IAM', () => iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })));
      const old = (versions.Versions ?? []).filter((v) => !v.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
      if ((versions.Versions ?? []).length >= 5 && old[0]?.VersionId) {
        await call(resource, 'IAM', () => iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: old[0]!.VersionId! })));
      }
      await call(resource, 'IAM', () => iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(desired), SetAsDefault: true })));
    },
  }];
}

function trustForPlan(spec: GrantSpec): PolicyDocument {
  return trustPolicy(spec, externalIdPlaceholder);
}

export async function roleSteps(run: GrantRuntime, role: Role | null): Promise<Step[]> {
  const { iam, spec } = run;
  const name = roleName(spec.client);
  const resource = `iam role ${name}`;
  const arn = policyArn(spec);
  const trust = trustPolicy(spec, run.externalId);
  if (!role) {
    return [
      {
        resource,
        kind: 'create',
        summary: `CreateRole ${roleArn(spec)} trusting account ${spec.externalAccount} with an sts:ExternalId condition, MaxSessionDuration ${spec.maxSessionSeconds}s, tagged ${clientTagKey}=${spec.client}`,
        document: trustForPlan(spec),
        apply: async () => {
          await call(resource, 'IAM', () => iam.send(new CreateRoleCommand({
            RoleName: name,
            AssumeRolePolicyDocument: JSON.stringify(trust),
            MaxSessionDuration: spec.maxSessionSeconds,
            Description: `crossbucket grant for ${spec.client} (account ${spec.externalAccount})`,
            Tags: clientTags(spec.client),
          })));
        },
      },
      {
        resource: `iam role ${name} ← policy ${name}`,
        kind: 'create',
        summary: `AttachRolePolicy ${arn}`,
        apply: async () => {
          await call(resource, 'IAM', () => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
        },
      },
    ];
  }
  assertOwned('IAM role', name, role.Tags, spec.client);
  const steps: Step[] = [];
  const currentTrust = parsePolicy(role.AssumeRolePolicyDocument);
  if (!currentTrust || !sameJson(currentTrust.Statement, trust.Statement)) {
    steps.push({
      resource: `${resource} trust policy`,
      kind: 'update',
      summary: 'UpdateAssumeRolePolicy',
      document: trustForPlan(spec),
      apply: async () => {
        await call(resource, 'IAM', () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(trust) })));
      },
    });
  } else {
    steps.push({ resource: `${resource} trust policy`, kind: 'no-change', summary: `trusts account ${spec.externalAccount} with its ExternalId` });
  }
  if (role.MaxSessionDuration !== spec.maxSessionSeconds) {
    steps.push({
      resource: `${resource} max session`,
      kind: 'update',
      summary: `UpdateRole MaxSessionDuration ${role.MaxSessionDuration ?? '?'}s → ${spec.maxSessionSeconds}s`,
      apply: async () => {
        await call(resource, 'IAM', () => iam.send(new UpdateRoleCommand({ RoleName: name, MaxSessionDuration: spec.maxSessionSeconds })));
      },
    });
  }
  const attached = await call(resource, 'IAM', () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })));
  const isAttached = (attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === arn);
  steps.push(isAttached
    ? { resource: `iam role ${name} ← policy ${name}`, kind: 'no-change', summary: 'attached' }
    : {
      resource: `iam role ${name} ← policy ${name}`,
      kind: 'create',
      summary: `AttachRolePolicy ${arn}`,
      apply: async () => {
        await call(resource, 'IAM', () => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
      },
    });
  return steps;
}
