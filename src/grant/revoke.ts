/**
 * `revoke`: remove exactly what grant created for one client — its bucket-policy and key-policy
 * statements, the role `<client>-ExtRole` and the managed policy `<client>-ExtRole` (both only when
 * tagged crossbucket:client=<client>). Objects, logging, the TLS-only statement, the bucket's
 * hardening and other clients' grants stay.
 */
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { call, iamClient, kmsClient, s3Client, stsClient, type Connection } from './aws-clients.js';
import { clientSids, policyArn, roleName } from './documents.js';
import { whoAmI } from './grant-plan.js';
import { assertOwned, readRole } from './iam-steps.js';
import { describeKey } from './kms-steps.js';
import type { Step } from './plan.js';
import { unmergeBucketPolicyStep } from './policy-steps.js';
import { parsePolicy, removeStatements } from './policy-json.js';
import { headBucket, orNull, readEncryption } from './read-state.js';

async function keyPolicyStep(connection: Connection, keyId: string, sid: string): Promise<Step[]> {
  const kms = kmsClient(connection);
  const key = await describeKey(kms, keyId);
  if (!key?.Arn || key.KeyManager === 'AWS') return [];
  const resource = `kms key policy ${key.Arn}`;
  const out = await call(resource, 'KMS', () => kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: 'default' })));
  const current = parsePolicy(out.Policy);
  if (!current?.Statement.some((s) => s.Sid === sid)) return [{ resource, kind: 'no-change', summary: `no statement ${sid}` }];
  const remaining = removeStatements(current, [sid]);
  if (!remaining) return [{ resource, kind: 'no-change', summary: `${sid} is the key policy's only statement: left in place (a key policy cannot be empty)` }];
  return [{
    resource,
    kind: 'update',
    summary: `PutKeyPolicy: remove ${sid}; ${remaining.Statement.length} other statement(s) kept`,
    document: remaining,
    apply: async () => {
      await call(resource, 'KMS', () => kms.send(new PutKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: 'default', Policy: JSON.stringify(remaining) })));
    },
  }];
}

async function roleAndPolicySteps(connection: Connection, client: string, account: string, partition: string): Promise<Step[]> {
  const iam = iamClient(connection);
  const name = roleName(client);
  const steps: Step[] = [];
  const role = await readRole(iam, client);
  if (role) {
    assertOwned('IAM role', name, role.Tags, client);
    const attached = await call(`iam role ${name}`, 'IAM', () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })));
    for (const p of attached.AttachedPolicies ?? []) {
      steps.push({ resource: `iam role ${name} ← policy ${p.PolicyName}`, kind: 'delete', summary: `DetachRolePolicy ${p.PolicyArn}`, apply: async () => {
        await call(`iam role ${name}`, 'IAM', () => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn! })));
      } });
    }
    const inline = await call(`iam role ${name}`, 'IAM', () => iam.send(new ListRolePoliciesCommand({ RoleName: name })));
    for (const policyName of inline.PolicyNames ?? []) {
      steps.push({ resource: `iam role ${name} inline policy ${policyName}`, kind: 'delete', summary: 'DeleteRolePolicy', apply: async () => {
        await call(`iam role ${name}`, 'IAM', () => iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
      } });
    }
    steps.push({ resource: `iam role ${name}`, kind: 'delete', summary: `DeleteRole ${role.Arn}`, apply: async () => {
      await call(`iam role ${name}`, 'IAM', () => iam.send(new DeleteRoleCommand({ RoleName: name })));
    } });
  } else {
    steps.push({ resource: `iam role ${name}`, kind: 'no-change', summary: 'absent' });
  }
  const arn = policyArn({ partition, ownerAccount: account, client });
  const resource = `iam policy ${name}`;
  const policy = await orNull(resource, 'IAM', ['NoSuchEntity', 'NoSuchEntityException'], () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  if (!policy?.Policy) {
    steps.push({ resource, kind: 'no-change', summary: 'absent' });
    return steps;
  }
  assertOwned('IAM policy', arn, policy.Policy.Tags, client);
  steps.push({ resource, kind: 'delete', summary: `DeletePolicy ${arn} (and its non-default versions)`, apply: async () => {
    const versions = await call(resource, 'IAM', () => iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })));
    for (const v of versions.Versions ?? []) {
      if (!v.IsDefaultVersion) await call(resource, 'IAM', () => iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v.VersionId! })));
    }
    await call(resource, 'IAM', () => iam.send(new DeletePolicyCommand({ PolicyArn: arn })));
  } });
  return steps;
}

export async function planRevoke(bucket: string, client: string, connection: Connection): Promise<Step[]> {
  const caller = await whoAmI(stsClient(connection));
  const s3 = s3Client(connection);
  const sids = clientSids(client);
  const steps: Step[] = [];
  if ((await headBucket(s3, bucket)).exists) {
    steps.push(await unmergeBucketPolicyStep(s3, bucket, [sids.list, sids.objects]));
    const encryption = await readEncryption(s3, bucket);
    if (encryption?.SSEAlgorithm?.startsWith('aws:kms') && encryption.KMSMasterKeyID) steps.push(...(await keyPolicyStep(connection, encryption.KMSMasterKeyID, sids.key)));
  } else {
    steps.push({ resource: `s3 bucket ${bucket}`, kind: 'no-change', summary: 'absent: no bucket statements to remove' });
  }
  steps.push(...(await roleAndPolicySteps(connection, client, caller.account, caller.partition)));
  return steps;
}
