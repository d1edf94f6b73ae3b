/**
 * Reading and writing KMS key and alias documents inside one store transaction, and resolving the
 * key references KMS accepts: key ID, key ARN, alias name, alias ARN. As in AWS, a key in another
 * account can only be named by its key ARN or alias ARN; key IDs and alias names are looked up in
 * the caller's account.
 */
import type { DocumentTx } from '../store/types.js';
import { aliasArn, aliasKind, isDeleted, keyArn, keyKind, type AliasDoc, type KeyDoc } from './model.js';
import { aliasNotFound, invalidKeyId, keyNotFound } from './errors.js';

const keyIdPattern = /^(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export interface KmsScope {
  /** Account of the caller (key IDs and alias names are looked up here). */
  callerAccountId: string;
  region: string;
  nowMs: number;
}

export type KeyReference =
  | { kind: 'key'; accountId: string; keyId: string; text: string }
  | { kind: 'alias'; accountId: string; aliasName: string; text: string };

/** Parse a KeyId parameter; throws NotFoundException for text that names nothing KMS could hold. */
export function parseKeyReference(text: string, scope: KmsScope): KeyReference {
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    const [, partition, service, region, accountId] = parts;
    const resource = parts.slice(5).join(':');
    if (partition !== 'aws' || service !== 'kms' || !/^\d{12}$/.test(accountId ?? '')) throw invalidKeyId(text);
    if (resource.startsWith('key/')) {
      const keyId = resource.slice(4);
      if (region !== scope.region || !keyIdPattern.test(keyId)) throw keyNotFound(text);
      return { kind: 'key', accountId: accountId!, keyId: keyId.toLowerCase(), text };
    }
    if (resource.startsWith('alias/')) {
      if (region !== scope.region) throw aliasNotFound(text);
      return { kind: 'alias', accountId: accountId!, aliasName: resource, text };
    }
    throw invalidKeyId(text);
  }
  if (text.startsWith('alias/')) return { kind: 'alias', accountId: scope.callerAccountId, aliasName: text, text };
  if (!keyIdPattern.test(text)) throw invalidKeyId(text);
  return { kind: 'key', accountId: scope.callerAccountId, keyId: text.toLowerCase(), text };
}

export function getKey(tx: DocumentTx, accountId: string, keyId: string, nowMs: number): KeyDoc | null {
  const key = tx.get<KeyDoc>(accountId, keyKind, keyId);
  return key && !isDeleted(key, nowMs) ? key : null;
}

export function putKey(tx: DocumentTx, key: KeyDoc): void {
  tx.put(key.accountId, keyKind, key.keyId, key);
}

/** Keys of an account in key-ID order (deleted ones left out). */
export function listKeys(tx: DocumentTx, accountId: string, nowMs: number): KeyDoc[] {
  return tx.list<KeyDoc>(accountId, keyKind).map((row) => row.value).filter((key) => !isDeleted(key, nowMs));
}

export function getAlias(tx: DocumentTx, accountId: string, aliasName: string): AliasDoc | null {
  return tx.get<AliasDoc>(accountId, aliasKind, aliasName);
}

export function putAlias(tx: DocumentTx, accountId: string, alias: AliasDoc): void {
  tx.put(accountId, aliasKind, alias.aliasName, alias);
}

export function deleteAlias(tx: DocumentTx, accountId: string, aliasName: string): boolean {
  return tx.delete(accountId, aliasKind, aliasName);
}

export function listAliases(tx: DocumentTx, accountId: string): AliasDoc[] {
  return tx.list<AliasDoc>(accountId, aliasKind).map((row) => row.value);
}

/** Physically remove keys whose deletion date has passed, with their aliases (called from write transactions). */
export function purgeDeletedKeys(tx: DocumentTx, accountId: string, nowMs: number): void {
  const gone = new Set<string>();
  for (const { value } of tx.list<KeyDoc>(accountId, keyKind)) {
    if (isDeleted(value, nowMs)) {
      tx.delete(accountId, keyKind, value.keyId);
      gone.add(value.keyId);
    }
  }
  if (gone.size === 0) return;
  for (const alias of listAliases(tx, accountId)) if (gone.has(alias.targetKeyId)) deleteAlias(tx, accountId, alias.aliasName);
}

export interface ResolvedKey {
  key: KeyDoc;
  /** The alias name when the reference was an alias (kms:RequestAlias). */
  aliasName: string | null;
}

export interface ResolveOptions {
  /** Accept alias names / alias ARNs (data-plane operations and DescribeKey do; management operations do not). */
  aliases: boolean;
  /** Accept keys of other accounts (named by ARN). */
  crossAccount: boolean;
}

/** Resolve a key reference to the key document; throws NotFoundException as KMS does. */
export function resolveKey(tx: DocumentTx, scope: KmsScope, ref: KeyReference, options: ResolveOptions): ResolvedKey {
  // AWS-DIFF (unverified): management operations given another account's key ARN answer NotFoundException.
  if (!options.crossAccount && ref.accountId !== scope.callerAccountId) {
    throw ref.kind === 'key' ? keyNotFound(keyArn(scope.region, ref.accountId, ref.keyId)) : invalidKeyId(ref.text);
  }
  if (ref.kind === 'alias') {
    if (!options.aliases) throw invalidKeyId(ref.text);
    const alias = getAlias(tx, ref.accountId, ref.aliasName);
    const key = alias ? getKey(tx, ref.accountId, alias.targetKeyId, scope.nowMs) : null;
    if (!key) throw aliasNotFound(aliasArn(scope.region, ref.accountId, ref.aliasName));
    return { key, aliasName: ref.aliasName };
  }
  const key = getKey(tx, ref.accountId, ref.keyId, scope.nowMs);
  if (!key) throw keyNotFound(keyArn(scope.region, ref.accountId, ref.keyId));
  return { key, aliasName: null };
}

/** Look a key up by its ARN (the ciphertext names its key this way). */
export function keyByArn(tx: DocumentTx, arn: string, nowMs: number): KeyDoc | null {
  const match = /^arn:aws:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(arn);
  if (!match) return null;
  const key = getKey(tx, match[2]!, match[3]!, nowMs);
  return key && key.arn === arn ? key : null;
}
