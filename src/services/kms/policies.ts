/** Key policies (KMS API Reference): GetKeyPolicy, PutKeyPolicy, ListKeyPolicies. The only policy name is "default". */
import type { ServiceCall } from '../service-call.js';
import { notFound } from '../../kms/errors.js';
import { keyFor, ownKeyOnly, updateKey } from './key-access.js';
import { optionalBool, optionalString, requiredString } from './params.js';
import { policyParam } from './policy-input.js';

function policyName(input: Record<string, unknown>): string {
  const name = optionalString(input, 'PolicyName', 1, 128) ?? 'default';
  if (name !== 'default') throw notFound('No such policy exists');
  return name;
}

export async function getKeyPolicy(call: ServiceCall): Promise<Record<string, unknown>> {
  const name = policyName(call.input);
  const { key } = await keyFor(call, requiredString(call.input, 'KeyId'), 'kms:GetKeyPolicy', ownKeyOnly);
  return { Policy: key.policy, PolicyName: name };
}

export async function putKeyPolicy(call: ServiceCall): Promise<Record<string, unknown>> {
  policyName(call.input);
  const policy = policyParam(call.input, true)!;
  optionalBool(call.input, 'BypassPolicyLockoutSafetyCheck');
  const { key } = await keyFor(call, requiredString(call.input, 'KeyId'), 'kms:PutKeyPolicy', ownKeyOnly);
  await updateKey(call, key, (current) => {
    current.policy = policy;
  });
  return {};
}

export async function listKeyPolicies(call: ServiceCall): Promise<Record<string, unknown>> {
  await keyFor(call, requiredString(call.input, 'KeyId'), 'kms:ListKeyPolicies', ownKeyOnly);
  return { PolicyNames: ['default'], Truncated: false };
}
