/** Pure helpers for review: which principals are outside the account, which statements reach a bucket. */
import { asList, type Statement } from './policy-json.js';

export interface PrincipalRef {
  kind: 'public' | 'account' | 'principal' | 'service' | 'federated' | 'canonical-user';
  value: string;
  /** Account ID when known. */
  account?: string;
}

export function principalsOf(principal: unknown): PrincipalRef[] {
  if (principal === undefined) return [];
  if (principal === '*') return [{ kind: 'public', value: '*' }];
  const out: PrincipalRef[] = [];
  const entries = principal && typeof principal === 'object' ? Object.entries(principal as Record<string, unknown>) : [];
  for (const [type, values] of entries) {
    for (const value of asList(values)) {
      if (type === 'AWS') {
        if (value === '*') out.push({ kind: 'public', value });
        else if (/^\d{12}$/.test(value)) out.push({ kind: 'account', value, account: value });
        else {
          const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(value)?.[1];
          out.push({ kind: /:root$/.test(value) ? 'account' : 'principal', value, ...(account ? { account } : {}) });
        }
      } else if (type === 'Service') out.push({ kind: 'service', value });
      else if (type === 'Federated') out.push({ kind: 'federated', value });
      else if (type === 'CanonicalUser') out.push({ kind: 'canonical-user', value });
    }
  }
  return out;
}

/** Principals outside `ownerAccount` (services are reported separately: they act for the owner). */
export function isExternal(p: PrincipalRef, ownerAccount: string, ownerCanonicalId?: string): boolean {
  if (p.kind === 'public' || p.kind === 'federated') return true;
  if (p.kind === 'canonical-user') return p.value !== ownerCanonicalId;
  if (p.kind === 'service') return false;
  return p.account !== undefined && p.account !== ownerAccount;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Whether an action pattern can match some S3 action (or kms action for `service` 'kms'). */
export function actionReaches(pattern: string, service: 's3' | 'kms' | 'sts'): boolean {
  const probe = `${service}:`;
  if (pattern === '*') return true;
  const literal = pattern.split(/[*?]/)[0]!.toLowerCase();
  return literal.startsWith(probe) || probe.startsWith(literal);
}

/** Whether a resource pattern covers the bucket or some object in it. */
export function resourceReaches(pattern: string, bucketArn: string): boolean {
  if (globToRegExp(pattern).test(bucketArn)) return true;
  if (pattern.toLowerCase().startsWith(`${bucketArn}/`.toLowerCase())) return true;
  const literal = pattern.split(/[*?]/)[0]!;
  return pattern.length !== literal.length && `${bucketArn}/`.toLowerCase().startsWith(literal.toLowerCase());
}

/** An Allow statement that grants something on the bucket through S3 actions. */
export function statementReachesBucket(statement: Statement, bucketArn: string): boolean {
  if (statement.Effect !== 'Allow') return false;
  const actions = statement.NotAction !== undefined ? ['*'] : asList(statement.Action);
  const resources = statement.NotResource !== undefined ? ['*'] : asList(statement.Resource);
  return actions.some((a) => actionReaches(a, 's3')) && resources.some((r) => resourceReaches(r, bucketArn));
}

export function isTlsOnlyDeny(statement: Statement): boolean {
  if (statement.Effect !== 'Deny') return false;
  const value = asList(statement.Condition?.Bool?.['aws:SecureTransport'])[0];
  return value !== undefined && value.toLowerCase() === 'false' && asList(statement.Action).some((a) => a === 's3:*' || a === '*');
}

export function actionsOf(statement: Statement): string[] {
  return statement.NotAction !== undefined ? asList(statement.NotAction).map((a) => `NOT ${a}`) : asList(statement.Action);
}

/** Risk notes common to any Allow statement. */
export function statementRisks(statement: Statement, principals: PrincipalRef[]): string[] {
  const risks: string[] = [];
  const conditions = Object.keys(statement.Condition ?? {});
  if (principals.some((p) => p.kind === 'public')) risks.push(conditions.length > 0 ? `public principal '*' (limited only by conditions: ${conditions.join(', ')})` : "public principal '*': anyone");
  const actions = actionsOf(statement);
  if (actions.some((a) => a.includes('*'))) risks.push(`wildcard actions (${actions.filter((a) => a.includes('*')).join(', ')})`);
  if (statement.NotAction !== undefined) risks.push('NotAction grants everything not listed');
  if (statement.NotResource !== undefined) risks.push('NotResource grants everything not listed');
  return risks;
}
