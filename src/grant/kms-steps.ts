/** The bucket's KMS key: created on --kms new (alias/crossbucket-<bucket>), and its key policy entry for the role. */
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import { call, retryNewPrincipal } from './aws-clients.js';
import { clientKeyStatement, defaultKeyPolicy } from './documents.js';
import type { Step } from './plan.js';
import { changedStatements, mergeStatements, parsePolicy, type PolicyDocument } from './policy-json.js';
import { orNull } from './read-state.js';
import type { GrantRuntime } from './runtime.js';

export function keyAlias(bucket: string): string {
  return `alias/crossbucket-${bucket.replace(/\./g, '_')}`;
}

export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyMetadata | null> {
  const out = await orNull(`kms key ${keyId}`, 'KMS', ['NotFoundException'], () => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  return out?.KeyMetadata ?? null;
}

/**
 * The key the grant uses: --kms new → the bucket's crossbucket alias (created when missing);
 * --kms KEY → that key; no --kms but the bucket already uses a customer managed key → that key, so
 * the role can read and write its objects. `create` makes the key (with the default key policy);
 * `policy` adds the role's statement, after the role exists.
 */
export async function kmsSteps(run: GrantRuntime, existingBucketKey: string | undefined): Promise<{ create: Step[]; policy: Step[]; keyArn?: string }> {
  const { kms, spec } = run;
  const statement = clientKeyStatement(spec);
  const ref = run.kmsOption === 'new' ? keyAlias(spec.bucket) : run.kmsOption ?? existingBucketKey;
  if (!ref) return { create: [], policy: [] };
  const key = await describeKey(kms, ref);
  if (!key && run.kmsOption === 'new') {
    const initial = defaultKeyPolicy(spec.partition, spec.ownerAccount);
    const alias = keyAlias(spec.bucket);
    const merged = mergeStatements(initial, [statement]);
    return {
      create: [{
        resource: `kms key ${alias}`,
        kind: 'create',
        summary: `CreateKey (symmetric, tagged crossbucket:bucket=${spec.bucket}) with this key policy, then CreateAlias ${alias}`,
        document: initial,
        apply: async () => {
          const created = await call(`kms key ${alias}`, 'KMS', () => kms.send(new CreateKeyCommand({
            Description: `crossbucket: default encryption of s3://${spec.bucket}`,
            Policy: JSON.stringify(initial),
            Tags: [{ TagKey: 'crossbucket:bucket', TagValue: spec.bucket }],
          })));
          run.keyArn = created.KeyMetadata!.Arn!;
          await call(`kms alias ${alias}`, 'KMS', () => kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: created.KeyMetadata!.KeyId! })));
        },
      }],
      policy: [putKeyPolicyStep(run, `kms key policy ${alias}`, merged, statement.Sid!)],
    };
  }
  if (!key) return { create: [], policy: [] }; // an existing bucket key that cannot be described: nothing we can edit
  if (key.KeyManager === 'AWS') return { create: [], policy: [], keyArn: key.Arn! };
  const keyArn = key.Arn!;
  const resource = `kms key policy ${keyArn}`;
  const out = await call(resource, 'KMS', () => kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })));
  const current = parsePolicy(out.Policy);
  if (changedStatements(current, [statement]).length === 0) return { keyArn, create: [], policy: [{ resource, kind: 'no-change', summary: `${statement.Sid} present` }] };
  return { keyArn, create: [], policy: [putKeyPolicyStep(run, resource, mergeStatements(current, [statement]), statement.Sid!)] };
}

function putKeyPolicyStep(run: GrantRuntime, resource: string, merged: PolicyDocument, sid: string): Step {
  return {
    resource,
    kind: 'update',
    summary: `PutKeyPolicy: set ${sid} (kms:Decrypt, kms:GenerateDataKey for the role); other statements kept`,
    document: merged,
    apply: async () => {
      const keyArn = run.keyArn;
      if (!keyArn) throw new Error('internal: KMS key ARN unknown when updating its key policy');
      await call(resource, 'KMS', () => retryNewPrincipal(() => run.kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify(merged) }))));
    },
  };
}
