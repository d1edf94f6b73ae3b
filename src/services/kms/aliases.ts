/**
 * Aliases (KMS API Reference): CreateAlias, UpdateAlias, DeleteAlias, ListAliases. An alias lives in
 * the caller's account and points at a key of that account; alias/aws/ is reserved for AWS managed keys.
 * CreateAlias/UpdateAlias/DeleteAlias need the permission on the alias (authorized by the pipeline)
 * and on each key involved (authorized here).
 */
import type { ServiceCall } from '../service-call.js';
import { deleteAlias as removeAlias, getAlias, getKey, listAliases as storedAliases, parseKeyReference, putAlias } from '../../kms/key-store.js';
import { aliasArn, type KeyDoc } from '../../kms/model.js';
import { alreadyExists, aliasNotFound, constraint, notAuthorized, pendingDeletion, validation } from '../../kms/errors.js';
import { authorizeKey, keyFor, ownKeyOnly, scopeOf } from './key-access.js';
import { listResult, optionalString, pageOf, requiredString } from './params.js';
import { seconds } from './render.js';

const aliasPattern = /^[a-zA-Z0-9/_-]+$/;

export function aliasNameParam(input: Record<string, unknown>): string {
  const name = requiredString(input, 'AliasName', 1, 256);
  if (!/^[a-zA-Z0-9:/_-]+$/.test(name)) throw constraint(name, 'aliasName', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$');
  if (!name.startsWith('alias/') || name.length === 'alias/'.length) throw validation('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  if (!aliasPattern.test(name)) throw validation(`${name} contains invalid characters for an alias`);
  return name;
}

/** ARN of the alias an alias-management request names (the pipeline authorizes the action on it). */
export function requestAliasArn(call: ServiceCall): string {
  const name = typeof call.input.AliasName === 'string' ? call.input.AliasName : '';
  return aliasArn(call.app.config.region, call.identity.accountId ?? '', name);
}

function reserved(name: string): boolean {
  return name.startsWith('alias/aws/');
}

/** TargetKeyId: a key ID or key ARN of the caller's account (not an alias). */
async function targetKey(call: ServiceCall, action: string): Promise<KeyDoc> {
  const reference = requiredString(call.input, 'TargetKeyId');
  if (parseKeyReference(reference, scopeOf(call)).kind === 'alias') throw validation('Aliases must refer to keys. Not aliases');
  const { key } = await keyFor(call, reference, action, ownKeyOnly);
  if (key.keyState === 'PendingDeletion') throw pendingDeletion(key.arn);
  return key;
}

export async function createAlias(call: ServiceCall): Promise<Record<string, unknown>> {
  const name = aliasNameParam(call.input);
  if (reserved(name)) throw notAuthorized();
  const key = await targetKey(call, 'kms:CreateAlias');
  const nowMs = call.app.clock.nowMs();
  const accountId = key.accountId;
  await call.app.store.writeDocuments((tx) => {
    if (getAlias(tx, accountId, name)) throw alreadyExists(`An alias with the name ${aliasArn(call.app.config.region, accountId, name)} already exists`);
    putAlias(tx, accountId, { aliasName: name, targetKeyId: key.keyId, creationDateMs: nowMs, lastUpdatedDateMs: nowMs });
  });
  return {};
}

async function existingAlias(call: ServiceCall, name: string) {
  const scope = scopeOf(call);
  const found = await call.app.store.readDocuments((tx) => {
    const alias = getAlias(tx, scope.callerAccountId, name);
    return alias ? { alias, key: getKey(tx, scope.callerAccountId, alias.targetKeyId, scope.nowMs) } : null;
  });
  if (!found) throw aliasNotFound(aliasArn(scope.region, scope.callerAccountId, name));
  return found;
}

export async function updateAlias(call: ServiceCall): Promise<Record<string, unknown>> {
  const name = aliasNameParam(call.input);
  if (reserved(name)) throw notAuthorized();
  const { key: current } = await existingAlias(call, name);
  if (current) await authorizeKey(call, 'kms:UpdateAlias', current);
  const key = await targetKey(call, 'kms:UpdateAlias');
  const nowMs = call.app.clock.nowMs();
  await call.app.store.writeDocuments((tx) => {
    const alias = getAlias(tx, key.accountId, name);
    if (!alias) throw aliasNotFound(aliasArn(call.app.config.region, key.accountId, name));
    putAlias(tx, key.accountId, { ...alias, targetKeyId: key.keyId, lastUpdatedDateMs: nowMs });
  });
  return {};
}

export async function deleteAlias(call: ServiceCall): Promise<Record<string, unknown>> {
  const name = aliasNameParam(call.input);
  if (reserved(name)) throw notAuthorized();
  const { key } = await existingAlias(call, name);
  if (key) await authorizeKey(call, 'kms:DeleteAlias', key);
  const accountId = call.identity.accountId!;
  await call.app.store.writeDocuments((tx) => removeAlias(tx, accountId, name));
  return {};
}

export async function listAliases(call: ServiceCall): Promise<Record<string, unknown>> {
  const scope = scopeOf(call);
  const filter = optionalString(call.input, 'KeyId', 1, 2048);
  let keyId: string | null = null;
  if (filter !== null) {
    const ref = parseKeyReference(filter, scope);
    if (ref.kind === 'alias') throw validation('KeyId must be a key ID or key ARN.');
    keyId = ref.keyId;
  }
  const aliases = await call.app.store.readDocuments((tx) =>
    storedAliases(tx, scope.callerAccountId).filter((alias) => getKey(tx, scope.callerAccountId, alias.targetKeyId, scope.nowMs) !== null),
  );
  const selected = keyId === null ? aliases : aliases.filter((alias) => alias.targetKeyId === keyId);
  const { items, nextMarker } = pageOf(call.input, selected, 50, 100);
  const rendered = items.map((alias) => ({
    AliasName: alias.aliasName,
    AliasArn: aliasArn(scope.region, scope.callerAccountId, alias.aliasName),
    TargetKeyId: alias.targetKeyId,
    CreationDate: seconds(alias.creationDateMs),
    LastUpdatedDate: seconds(alias.lastUpdatedDateMs),
  }));
  return listResult('Aliases', rendered, nextMarker);
}
