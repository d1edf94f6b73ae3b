/**
 * The one organization of a crossbucket server: every account in the store is a member, the
 * account named `admin` is the management account. Created lazily on first use and stored as a
 * document (scope 'global', kind 'organization', name 'org'); its ID never changes afterwards.
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../clock.js';
import { managementAccountName } from '../../identity/accounts.js';
import { serviceError } from '../../protocol/errors.js';
import type { ServiceCall } from '../service-call.js';
import type { MetadataStore } from '../../store/types.js';

export const organizationScope = 'global';
export const organizationKinds = {
  organization: 'organization',
  /** CreateAccount requests (name = car-… ID). */
  createAccountStatus: 'organization-create-account',
  /** Organizations-only facts about a member account (name = account ID). */
  member: 'organization-account',
} as const;
const organizationName = 'org';

export interface OrganizationDoc {
  /** o- + 10 lowercase letters/digits. */
  id: string;
  arn: string;
  featureSet: 'ALL';
  masterAccountId: string;
  masterAccountArn: string;
  masterAccountEmail: string;
  /** r- + 4 lowercase letters/digits. */
  rootId: string;
  createdAtMs: number;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `count` lowercase letters/digits (rejection sampling keeps them uniform). */
function randomAlphanumeric(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      if (byte >= 252) continue; // 252 = 7 × 36
      out += alphabet[byte % 36];
      if (out.length === count) break;
    }
  }
  return out;
}

export function newCreateAccountRequestId(): string {
  return `car-${randomAlphanumeric(32)}`;
}

export function accountArn(organization: OrganizationDoc, accountId: string): string {
  return `arn:aws:organizations::${organization.masterAccountId}:account/${organization.id}/${accountId}`;
}

/** The organization, created on first call (idempotent and race-free: created inside one transaction). */
export async function getOrCreateOrganization(store: MetadataStore, clock: Clock = systemClock): Promise<OrganizationDoc> {
  const existing = await store.readDocuments((tx) => tx.get<OrganizationDoc>(organizationScope, organizationKinds.organization, organizationName));
  if (existing) return existing;
  const management = await store.getAccountByName(managementAccountName);
  if (!management) {
    throw serviceError('AWSOrganizationsNotInUseException', "Your account is not a member of an organization.", 400);
  }
  const id = `o-${randomAlphanumeric(10)}`;
  const created: OrganizationDoc = {
    id,
    arn: `arn:aws:organizations::${management.id}:organization/${id}`,
    featureSet: 'ALL',
    masterAccountId: management.id,
    masterAccountArn: `arn:aws:organizations::${management.id}:account/${id}/${management.id}`,
    masterAccountEmail: management.email,
    rootId: `r-${randomAlphanumeric(4)}`,
    createdAtMs: clock.nowMs(),
  };
  return store.writeDocuments((tx) => {
    const raced = tx.get<OrganizationDoc>(organizationScope, organizationKinds.organization, organizationName);
    if (raced) return raced;
    tx.put(organizationScope, organizationKinds.organization, organizationName, created);
    return created;
  });
}

/**
 * Operations AWS allows only from the management account (or a delegated administrator, which
 * crossbucket does not have). AWS answers member accounts with AccessDeniedException (HTTP 400).
 */
export function requireManagementAccount(call: ServiceCall, organization: OrganizationDoc): void {
  if (call.identity.accountId !== organization.masterAccountId) {
    throw serviceError('AccessDeniedException', "You don't have permissions to access this resource.", 400);
  }
}

/** The organization for a call from a member account (every account in the store is one). */
export async function organizationFor(call: ServiceCall): Promise<OrganizationDoc> {
  if (call.identity.accountId === null) throw serviceError('AccessDeniedException', "You don't have permissions to access this resource.", 400);
  return getOrCreateOrganization(call.app.store, call.app.clock);
}

/** JSON protocol timestamps are epoch seconds (numbers). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
