import type { CredentialResolver, ResolvedCredential } from '../app.js';
import type { MetadataStore } from '../store/types.js';
import type { Identity } from './request-context.js';
import { resolveSecret, SecretCache } from '../identity/accounts.js';
import { openSessionToken } from '../identity/session-token.js';
import { identityFromClaims } from '../services/sts/session-identity.js';
import { getUser } from '../iam/model.js';
import type { Clock } from '../clock.js';

/** A session token that is not ours or no longer valid; authenticate.ts words it per service. */
export class CredentialError extends Error {
  constructor(readonly kind: 'invalid-token' | 'expired-token') {
    super(kind);
  }
}

/**
 * Access keys: long-term keys (account root, IAM users) in the metadata store, and STS session
 * keys (ASIA…) whose claims travel sealed in the session token.
 */
export class StoreCredentialResolver implements CredentialResolver {
  private readonly secrets = new SecretCache();
  /** IAM users by account/name, valid for one documents generation. */
  private users = new Map<string, { userName: string; arn: string; userId: string } | null>();
  private usersGeneration = -1;

  constructor(private readonly store: MetadataStore, private readonly masterKey: Buffer, private readonly clock: Clock) {}

  async resolve(accessKeyId: string, sessionToken: string | undefined): Promise<ResolvedCredential | null> {
    if (sessionToken !== undefined && sessionToken !== '') return this.resolveSession(accessKeyId, sessionToken);
    if (accessKeyId.startsWith('ASIA')) return null;
    const found = await resolveSecret(this.store, this.masterKey, accessKeyId, this.secrets);
    if (!found || found.record.status !== 'Active') return null;
    const account = await this.store.getAccount(found.record.accountId);
    if (!account) return null;
    const base = { canonicalId: account.canonicalId, accessKeyId, roleArn: null, sessionName: null, mfaPresent: false, tokenIssueTimeMs: null, session: null };
    if (found.record.principalType === 'user') {
      const userName = found.record.userName ?? '';
      const user = await this.lookUpUser(account.id, userName);
      if (!user) return null;
      const identity: Identity = { ...base, type: 'User', accountId: account.id, arn: user.arn, userId: user.userId, userName: user.userName };
      return { secretAccessKey: found.secret, identity };
    }
    const identity: Identity = { ...base, type: 'Root', accountId: account.id, arn: `arn:aws:iam::${account.id}:root`, userId: account.id, userName: null };
    return { secretAccessKey: found.secret, identity };
  }

  private async lookUpUser(accountId: string, userName: string) {
    const generation = this.store.documentsGeneration();
    if (generation !== this.usersGeneration) {
      this.users = new Map();
      this.usersGeneration = generation;
    }
    const key = `${accountId}/${userName}`;
    if (this.users.has(key)) return this.users.get(key)!;
    const doc = await this.store.readDocuments((tx) => getUser(tx, accountId, userName));
    const user = doc ? { userName: doc.userName, arn: doc.arn, userId: doc.userId } : null;
    if (this.users.size > 10_000) this.users.clear();
    this.users.set(key, user);
    return user;
  }

  private async resolveSession(accessKeyId: string, token: string): Promise<ResolvedCredential | null> {
    const claims = openSessionToken(this.masterKey, token);
    if (!claims || claims.accessKeyId !== accessKeyId) throw new CredentialError('invalid-token');
    if (this.clock.nowMs() >= claims.expiresAtMs) throw new CredentialError('expired-token');
    const account = await this.store.getAccount(claims.accountId);
    if (!account) throw new CredentialError('invalid-token');
    return { secretAccessKey: claims.secretAccessKey, identity: identityFromClaims(claims, account.canonicalId) };
  }
}
