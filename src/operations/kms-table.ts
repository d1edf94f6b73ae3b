/**
 * AWS KMS operations (JSON 1.1, X-Amz-Target TrentService.<Operation>), with the actions of the
 * Service Authorization Reference ("Actions defined by AWS KMS").
 *
 * Operations on a key name it by key ID, key ARN, alias name or alias ARN; resolving an alias needs
 * a store read and the pipeline's resource() is synchronous, so those entries have action null and
 * their handlers resolve the key and authorize the listed action on the key ARN through
 * call.authorize (services/kms/key-access.ts) — the same authorizer and condition keys. Alias
 * management is authorized on the alias ARN here and on the key(s) in the handler, as AWS does.
 */
import type { JsonHandler, JsonOperationTable, ServiceCall, ServiceOperation } from '../services/service-call.js';
import { callerAccount, encryptionContextKeys } from '../kms/condition-keys.js';
import type { EncryptionContext } from '../kms/ciphertext.js';
import { cancelKeyDeletion, createKey, describeKey, disableKey, enableKey, listKeys, scheduleKeyDeletion } from '../services/kms/keys.js';
import { createAlias, deleteAlias, listAliases, requestAliasArn, updateAlias } from '../services/kms/aliases.js';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from '../services/kms/policies.js';
import { decrypt, encrypt, generateDataKey, generateDataKeyWithoutPlaintext, reEncrypt, requestAlias } from '../services/kms/crypto.js';

export const kmsTargetPrefix = 'TrentService';

function contextOf(call: ServiceCall, name: string): EncryptionContext | null {
  const value = call.input[name];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: EncryptionContext = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

/** KMS condition keys of a request (KMS Developer Guide, "AWS KMS condition keys"). */
function kmsContext(call: ServiceCall): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {
    ...callerAccount(call.identity.accountId),
    ...encryptionContextKeys(contextOf(call, 'EncryptionContext'), contextOf(call, 'SourceEncryptionContext'), contextOf(call, 'DestinationEncryptionContext')),
  };
  const alias = requestAlias(call, 'KeyId') ?? requestAlias(call, 'DestinationKeyId');
  if (alias) values['kms:RequestAlias'] = alias;
  if (['Encrypt', 'Decrypt', 'ReEncrypt'].includes(call.operation)) values['kms:EncryptionAlgorithm'] = 'SYMMETRIC_DEFAULT';
  if (call.operation === 'CreateKey') Object.assign(values, { 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT', 'kms:KeyOrigin': 'AWS_KMS', 'kms:MultiRegion': 'false' });
  if (call.operation === 'CreateKey' || call.operation === 'PutKeyPolicy') values['kms:BypassPolicyLockoutSafetyCheck'] = call.input.BypassPolicyLockoutSafetyCheck === true ? 'true' : 'false';
  return values;
}

/** Authorized by the handler on the key it resolves (action in the comment beside each entry). */
function onKey(handler: JsonHandler): ServiceOperation<JsonHandler> {
  return { action: null, resource: () => '*', context: kmsContext, handler };
}

export const kmsOperations: JsonOperationTable = {
  CreateKey: { action: 'kms:CreateKey', resource: () => '*', context: kmsContext, handler: createKey },
  ListKeys: { action: 'kms:ListKeys', resource: () => '*', context: kmsContext, handler: listKeys },
  ListAliases: { action: 'kms:ListAliases', resource: () => '*', context: kmsContext, handler: listAliases },
  DescribeKey: onKey(describeKey), // kms:DescribeKey
  EnableKey: onKey(enableKey), // kms:EnableKey
  DisableKey: onKey(disableKey), // kms:DisableKey
  ScheduleKeyDeletion: onKey(scheduleKeyDeletion), // kms:ScheduleKeyDeletion
  CancelKeyDeletion: onKey(cancelKeyDeletion), // kms:CancelKeyDeletion
  GetKeyPolicy: onKey(getKeyPolicy), // kms:GetKeyPolicy
  PutKeyPolicy: onKey(putKeyPolicy), // kms:PutKeyPolicy
  ListKeyPolicies: onKey(listKeyPolicies), // kms:ListKeyPolicies
  Encrypt: onKey(encrypt), // kms:Encrypt
  Decrypt: onKey(decrypt), // kms:Decrypt (on the key the ciphertext names)
  ReEncrypt: onKey(reEncrypt), // kms:ReEncryptFrom (source key), kms:ReEncryptTo (destination key)
  GenerateDataKey: onKey(generateDataKey), // kms:GenerateDataKey
  GenerateDataKeyWithoutPlaintext: onKey(generateDataKeyWithoutPlaintext), // kms:GenerateDataKeyWithoutPlaintext
  // Alias ARN authorized here; the target key(s) in the handler.
  CreateAlias: { action: 'kms:CreateAlias', resource: requestAliasArn, context: kmsContext, handler: createAlias },
  UpdateAlias: { action: 'kms:UpdateAlias', resource: requestAliasArn, context: kmsContext, handler: updateAlias },
  DeleteAlias: { action: 'kms:DeleteAlias', resource: requestAliasArn, context: kmsContext, handler: deleteAlias },
};
