/**
 * Resolve the key a request names and authorize the action on it. The pipeline's resource()
 * builders are synchronous and aliases need a store read, so KMS operations that act on a key are
 * authorized here, after resolution, through call.authorize (same authorizer, same condition keys).
 * Order as in KMS: unknown key → NotFoundException; then authorization; then the key-state check.
 */
import type { ServiceCall } from '../service-call.js';
import { parseKeyReference, resolveKey, type KmsScope, type ResolvedKey, type ResolveOptions } from '../../kms/key-store.js';
import { isDeleted, keyKind, type KeyDoc } from '../../kms/model.js';
import { putKey } from '../../kms/key-store.js';
import { keyNotFound } from '../../kms/errors.js';

export function scopeOf(call: ServiceCall): KmsScope {
  return { callerAccountId: call.identity.accountId ?? '', region: call.app.config.region, nowMs: call.app.clock.nowMs() };
}

export function recordKey(call: ServiceCall, key: KeyDoc): void {
  const trace = call.info?.trace;
  if (!trace) return;
  trace.resourceAccountId = key.accountId;
  if (!trace.resources.some((r) => r.arn === key.arn)) trace.resources.push({ arn: key.arn, type: 'AWS::KMS::Key', accountId: key.accountId });
}

export async function authorizeKey(call: ServiceCall, action: string, key: KeyDoc): Promise<void> {
  recordKey(call, key);
  await call.authorize(action, key.arn, key.accountId);
}

/** Resolve `reference` (key ID / key ARN / alias name / alias ARN as `options` allow) and authorize `action` on the key. */
export async function keyFor(call: ServiceCall, reference: string, action: string, options: ResolveOptions): Promise<ResolvedKey> {
  const scope = scopeOf(call);
  const ref = parseKeyReference(reference, scope);
  const resolved = await call.app.store.readDocuments((tx) => resolveKey(tx, scope, ref, options));
  await authorizeKey(call, action, resolved.key);
  return resolved;
}

/** Key-only references in the caller's account (management operations). */
export const ownKeyOnly: ResolveOptions = { aliases: false, crossAccount: false };
/** Every reference form, any account by ARN (cryptographic operations, DescribeKey). */
export const anyKey: ResolveOptions = { aliases: true, crossAccount: true };

/** Re-read the key in a write transaction, apply `change`, store it; the key must still exist. */
export async function updateKey<T>(call: ServiceCall, key: KeyDoc, change: (current: KeyDoc) => T): Promise<T> {
  const nowMs = call.app.clock.nowMs();
  return call.app.store.writeDocuments((tx) => {
    const current = tx.get<KeyDoc>(key.accountId, keyKind, key.keyId);
    if (!current || isDeleted(current, nowMs)) throw keyNotFound(key.arn);
    const result = change(current);
    putKey(tx, current);
    return result;
  });
}
