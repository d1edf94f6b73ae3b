/**
 * Principal / NotPrincipal elements [IAM-PRIN][IAM-NOTPRIN]: parsing, validation and matching.
 *
 * Matching yields *how* the request principal was named, because AWS grants differ by it
 * (aws-semantics §3.2): a direct grant (user ARN, session ARN, "*") is not limited by the caller's
 * identity policies; a role-ARN grant to one of its sessions is limited by boundary and session
 * policies; an account grant (id, :root, CanonicalUser) delegates to the account's IAM policies.
 */
import type { RequestPrincipal } from './types.js';

export interface PrincipalSpec {
  readonly any: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly arns: ReadonlySet<string>;
  readonly canonicalUsers: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly federated: ReadonlySet<string>;
}

/** How a statement's Principal named the request principal (higher is a stronger grant). */
export const enum PrincipalMatch {
  None = 0,
  Account = 1,
  Role = 2,
  Direct = 3,
}

export type PrincipalProblem = { readonly field: string; readonly value: string };

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/;
const IAM_ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role)(\/[\x21-\x7e]*)?\/[\w+=,.@-]+$/;
const SESSION_ARN = /^arn:aws:sts::(\d{12}):(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)$/;
const CANONICAL_ID = /^[0-9a-f]{64}$/;

export interface PrincipalParseOptions {
  readonly allowCanonicalUser: boolean;
  readonly allowFederated: boolean;
  readonly principalExists?: ((arn: string) => boolean) | undefined;
}

/**
 * Parses a Principal value. Returns the spec, or the offending field/value (the caller turns it into
 * "Invalid principal in policy").
 */
export function parsePrincipal(value: unknown, options: PrincipalParseOptions): PrincipalSpec | PrincipalProblem {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const canonicalUsers = new Set<string>();
  const services = new Set<string>();
  const federated = new Set<string>();
  let any = false;
  if (value === '*') {
    return { any: true, accounts, arns, canonicalUsers, services, federated };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { field: 'AWS', value: typeof value === 'string' ? value : JSON.stringify(value) };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { field: '', value: '' };
  for (const [field, raw] of entries) {
    const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : null;
    if (!list || list.length === 0) return { field, value: JSON.stringify(raw) };
    for (const item of list) {
      if (typeof item !== 'string' || item === '') return { field, value: String(item) };
      if (field === 'AWS') {
        if (item === '*') {
          any = true;
          continue;
        }
        const rootMatch = ROOT_ARN.exec(item);
        const account = ACCOUNT_ID.test(item) ? item : rootMatch ? rootMatch[1]! : null;
        if (account !== null) {
          if (options.principalExists && !options.principalExists(`arn:aws:iam::${account}:root`)) return { field, value: item };
          accounts.add(account);
        } else if (IAM_ENTITY_ARN.test(item) || SESSION_ARN.test(item)) {
          if (options.principalExists && !options.principalExists(item)) return { field, value: item };
          arns.add(item);
        } else {
          return { field, value: item };
        }
      } else if (field === 'CanonicalUser' && options.allowCanonicalUser) {
        if (!CANONICAL_ID.test(item)) return { field, value: item };
        canonicalUsers.add(item);
      } else if (field === 'Service') {
        if (item === '*' || /\s/.test(item)) return { field, value: item };
        services.add(item);
      } else if (field === 'Federated' && options.allowFederated) {
        federated.add(item);
      } else {
        return { field, value: item };
      }
    }
  }
  return { any, accounts, arns, canonicalUsers, services, federated };
}

export function isPrincipalProblem(value: PrincipalSpec | PrincipalProblem): value is PrincipalProblem {
  return 'field' in value;
}

/** How `spec` (a Principal element) names the request principal. */
export function matchPrincipal(spec: PrincipalSpec, principal: RequestPrincipal): PrincipalMatch {
  if (spec.any) return PrincipalMatch.Direct;
  if (principal.federatedProvider && spec.federated.has(principal.federatedProvider)) return PrincipalMatch.Direct;
  switch (principal.type) {
    case 'Anonymous':
      return PrincipalMatch.None;
    case 'Service':
      return principal.service && spec.services.has(principal.service) ? PrincipalMatch.Direct : PrincipalMatch.None;
    default:
      break;
  }
  if (spec.arns.has(principal.arn)) return PrincipalMatch.Direct;
  if (principal.type === 'AssumedRole' && principal.roleArn && spec.arns.has(principal.roleArn)) return PrincipalMatch.Role;
  if (spec.accounts.has(principal.accountId)) return PrincipalMatch.Account;
  if (principal.canonicalId && spec.canonicalUsers.has(principal.canonicalId)) return PrincipalMatch.Account;
  return PrincipalMatch.None;
}

/**
 * NotPrincipal: applies to every principal not listed, anonymous included. The request principal
 * counts as listed when its own ARN, its role ARN (sessions) or its account is listed
 * (aws-semantics §2.3 implementation choice, from [IAM-NOTPRIN]).
 */
export function matchNotPrincipal(spec: PrincipalSpec, principal: RequestPrincipal): PrincipalMatch {
  return matchPrincipal(spec, principal) === PrincipalMatch.None ? PrincipalMatch.Direct : PrincipalMatch.None;
}
