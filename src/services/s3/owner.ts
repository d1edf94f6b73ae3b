import type { App } from '../../app.js';
import type { AccountId } from '../../store/types.js';

export interface OwnerXml {
  ID: string;
  DisplayName: string;
}

/** The <Owner> element S3 renders for an account (canonical ID + display name). */
export async function ownerXml(app: App, accountId: AccountId): Promise<OwnerXml> {
  const account = await app.store.getAccount(accountId);
  return { ID: account?.canonicalId ?? accountId, DisplayName: account?.name ?? accountId };
}

/** Memoizing variant for listings (one lookup per distinct owner). */
export function ownerCache(app: App): (accountId: AccountId) => Promise<OwnerXml> {
  const cache = new Map<AccountId, Promise<OwnerXml>>();
  return (accountId) => {
    let hit = cache.get(accountId);
    if (!hit) {
      hit = ownerXml(app, accountId);
      cache.set(accountId, hit);
    }
    return hit;
  };
}
