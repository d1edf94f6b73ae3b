/**
 * Key lifecycle (KMS API Reference): CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey,
 * ScheduleKeyDeletion, CancelKeyDeletion. Key states follow the KMS "Key states" table.
 */
import type { ServiceCall } from '../service-call.js';
import { defaultKeyPolicy } from '../../kms/default-policy.js';
import { newKey } from '../../kms/new-key.js';
import { listKeys as storedKeys, parseKeyReference, purgeDeletedKeys, putKey } from '../../kms/key-store.js';
import { getOrCreateAwsManagedKey } from '../../kms/aws-managed.js';
import { invalidState, pendingDeletion, tagError, unsupported, validation } from '../../kms/errors.js';
import { ServiceError } from '../../protocol/errors.js';
import { anyKey, keyFor, ownKeyOnly, scopeOf, updateKey } from './key-access.js';
import { enumValue, listResult, optionalBool, optionalInt, optionalString, pageOf, requiredString } from './params.js';
import { policyParam } from './policy-input.js';
import { keyMetadata, seconds } from './render.js';

const dayMs = 86_400_000;

function tagsParam(input: Record<string, unknown>): Array<{ TagKey: string; TagValue: string }> {
  const tags = input.Tags;
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw validation('Tags must be a list of TagKey/TagValue objects.');
  const seen = new Set<string>();
  return tags.map((tag) => {
    const key = (tag as { TagKey?: unknown })?.TagKey;
    const value = (tag as { TagValue?: unknown })?.TagValue;
    if (typeof key !== 'string' || typeof value !== 'string' || key.length < 1 || key.length > 128 || value.length > 256) {
      throw validation('Each tag needs a TagKey of 1-128 characters and a TagValue of at most 256 characters.');
    }
    if (seen.has(key)) throw tagError(`Duplicate tag key ${key}.`);
    seen.add(key);
    return { TagKey: key, TagValue: value };
  });
}

export async function createKey(call: ServiceCall): Promise<Record<string, unknown>> {
  const input = call.input;
  const accountId = call.identity.accountId!;
  const description = optionalString(input, 'Description', 0, 8192) ?? '';
  const usage = enumValue(input, 'KeyUsage', ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT']);
  const spec = optionalString(input, 'KeySpec', 1, 64) ?? optionalString(input, 'CustomerMasterKeySpec', 1, 64);
  const origin = enumValue(input, 'Origin', ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']);
  // AWS-DIFF: only symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, AWS_KMS origin, single-Region) exist here.
  if ((usage !== null && usage !== 'ENCRYPT_DECRYPT') || (spec !== null && spec !== 'SYMMETRIC_DEFAULT') || (origin !== null && origin !== 'AWS_KMS') || optionalBool(input, 'MultiRegion')) {
    throw unsupported('crossbucket supports only symmetric encryption keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT, Origin AWS_KMS, single-Region).');
  }
  optionalBool(input, 'BypassPolicyLockoutSafetyCheck');
  const policy = policyParam(input, false) ?? defaultKeyPolicy(accountId);
  const tags = tagsParam(input);
  const nowMs = call.app.clock.nowMs();
  const key = newKey({ accountId, region: call.app.config.region, nowMs, masterKey: call.app.masterKey, description, policy, keyManager: 'CUSTOMER', tags });
  await call.app.store.writeDocuments((tx) => {
    purgeDeletedKeys(tx, accountId, nowMs);
    putKey(tx, key);
  });
  return { KeyMetadata: keyMetadata(key) };
}

export async function describeKey(call: ServiceCall): Promise<Record<string, unknown>> {
  const reference = requiredString(call.input, 'KeyId');
  try {
    const { key } = await keyFor(call, reference, 'kms:DescribeKey', anyKey);
    return { KeyMetadata: keyMetadata(key) };
  } catch (error) {
    // KMS API Reference (DescribeKey): describing a predefined AWS alias with no key yet creates the AWS managed key.
    const scope = scopeOf(call);
    const ref = error instanceof ServiceError && error.code === 'NotFoundException' ? parseKeyReference(reference, scope) : null;
    if (ref?.kind === 'alias' && ref.aliasName === 'alias/aws/s3' && ref.accountId === scope.callerAccountId) {
      await getOrCreateAwsManagedKey(call.app, scope.callerAccountId, 'aws/s3');
      const { key } = await keyFor(call, reference, 'kms:DescribeKey', anyKey);
      return { KeyMetadata: keyMetadata(key) };
    }
    throw error;
  }
}

export async function listKeys(call: ServiceCall): Promise<Record<string, unknown>> {
  const scope = scopeOf(call);
  const keys = await call.app.store.readDocuments((tx) => storedKeys(tx, scope.callerAccountId, scope.nowMs));
  const { items, nextMarker } = pageOf(call.input, keys, 100, 1000);
  return listResult('Keys', items.map((key) => ({ KeyId: key.keyId, KeyArn: key.arn })), nextMarker);
}

export async function enableKey(call: ServiceCall): Promise<Record<string, unknown>> {
  const { key } = await keyFor(call, requiredString(call.input, 'KeyId'), 'kms:EnableKey', ownKeyOnly);
  await updateKey(call, key, (current) => {
    if (current.keyState === 'PendingDeletion') throw pendingDeletion(current.arn);
    current.keyState = 'Enabled';
  });
  return {};
}

export async function disableKey(call: ServiceCall): Promise<Record<string, unknown>> {
  const { key } = await keyFor(call, requiredString(call.input, 'KeyId'), 'kms:DisableKey', ownKeyOnly);
  await updateKey(call, key, (current) => {
    if (current.keyState === 'PendingDeletion') throw pendingDeletion(current.arn);
    current.keyState = 'Disabled';
  });
  return {};
}

export async function scheduleKeyDeletion(call: ServiceCall): Promise<Record<string, unknown>> {
  const reference = requiredString(call.input, 'KeyId');
  const days = optionalInt(call.input, 'PendingWindowInDays', 7, 30) ?? 30;
  const { key } = await keyFor(call, reference, 'kms:ScheduleKeyDeletion', ownKeyOnly);
  const nowMs = call.app.clock.nowMs();
  const updated = await updateKey(call, key, (current) => {
    if (current.keyState === 'PendingDeletion') throw pendingDeletion(current.arn);
    current.keyState = 'PendingDeletion';
    current.deletionDateMs = nowMs + days * dayMs;
    current.pendingWindowInDays = days;
    return current;
  });
  return { KeyId: updated.arn, DeletionDate: seconds(updated.deletionDateMs!), KeyState: 'PendingDeletion', PendingWindowInDays: days };
}

export async function cancelKeyDeletion(call: ServiceCall): Promise<Record<string, unknown>> {
  const { key } = await keyFor(call, requiredString(call.input, 'KeyId'), 'kms:CancelKeyDeletion', ownKeyOnly);
  await updateKey(call, key, (current) => {
    if (current.keyState !== 'PendingDeletion') throw invalidState(`${current.arn} is not pending deletion.`);
    // KMS API Reference (CancelKeyDeletion): the key is Disabled afterwards.
    current.keyState = 'Disabled';
    current.deletionDateMs = null;
    current.pendingWindowInDays = null;
  });
  return { KeyId: key.arn };
}
