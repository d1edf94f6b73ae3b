/**
 * Member accounts as Organizations shows them (Account shape of the Organizations API Reference).
 * Accounts made by CreateAccount carry a member document (their AccountName, JoinedMethod CREATED);
 * accounts made by `--accounts`/`crossbucket accounts create` count as invited when the server set
 * them up.
 */
import type { AccountRecord, MetadataStore } from '../../store/types.js';
import { accountArn, epochSeconds, organizationKinds, organizationScope, type OrganizationDoc } from './organization.js';

export interface MemberDoc {
  accountId: string;
  /** AccountName as given to CreateAccount (may contain spaces; the account's profile name may differ). */
  accountName: string;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAtMs: number;
  tags: Array<{ Key: string; Value: string }>;
}

export function accountElement(organization: OrganizationDoc, account: AccountRecord, member: MemberDoc | null): Record<string, unknown> {
  return {
    Id: account.id,
    Arn: accountArn(organization, account.id),
    Email: account.email,
    Name: member?.accountName ?? account.name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: member?.joinedMethod ?? 'INVITED',
    JoinedTimestamp: epochSeconds(member?.joinedAtMs ?? account.createdAtMs),
  };
}

export async function memberDocs(store: MetadataStore): Promise<Map<string, MemberDoc>> {
  const rows = await store.readDocuments((tx) => tx.list<MemberDoc>(organizationScope, organizationKinds.member));
  return new Map(rows.map((row) => [row.name, row.value]));
}

/** Management account first, then by join time, then ID (a stable order for NextToken paging). */
export function orderAccounts(organization: OrganizationDoc, accounts: AccountRecord[], members: Map<string, MemberDoc>): AccountRecord[] {
  const joined = (account: AccountRecord) => members.get(account.id)?.joinedAtMs ?? account.createdAtMs;
  return [...accounts].sort((a, b) => {
    const management = Number(b.id === organization.masterAccountId) - Number(a.id === organization.masterAccountId);
    if (management !== 0) return management;
    return joined(a) - joined(b) || a.id.localeCompare(b.id);
  });
}
