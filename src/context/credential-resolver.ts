import type { CredentialResolver, ResolvedCredential } from '../app.js';
import type { MetadataStore } from '../store/types.js';
import type { Identity } from './request-context.js';
import { resolveSecret } from '../identity/accounts.js';

/** Access keys in the metadata store (root keys now; IAM user keys and STS sessions plug in here). */
export class StoreCredentialResolver implements CredentialResolver {
  constructor(private readonly store: MetadataStore, private readonly masterKey: Buffer) {}

  async resolve(accessKeyId: string, _sessionToken: string | undefined): Promise<ResolvedCredential | null> {
    const found = await resolveSecret(this.store, this.masterKey, accessKeyId);
    if (!found || found.record.status !== 'Active') return null;
    const account = await this.store.getAccount(found.record.accountId);
    if (!account) return null;
    const identity: Identity = {
      type: 'Root',
      accountId: account.id,
      arn: `arn:aws:iam::${account.id}:root`,
      userId: account.id,
      canonicalId: account.canonicalId,
      accessKeyId,
      userName: null,
      roleArn: null,
      sessionName: null,
      mfaPresent: false,
      tokenIssueTimeMs: null,
    };
    return { secretAccessKey: found.secret, identity };
  }
}
