/**
 * Policy documents as plain JSON: parsing what the services return, comparing documents by meaning,
 * and merging / removing statements by Sid without touching anyone else's statements.
 */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export const policyVersion = '2012-10-17';

/**
 * Parse a policy document. IAM returns documents URL-encoded (RFC 3986) in GetRole,
 * GetPolicyVersion and GetRolePolicy; S3 and KMS return them as plain JSON.
 */
export function parsePolicy(text: string | undefined | null): PolicyDocument | null {
  if (text === undefined || text === null || text.trim() === '') return null;
  let raw = text.trim();
  if (!raw.startsWith('{')) raw = decodeURIComponent(raw);
  const parsed = JSON.parse(raw) as { Statement?: Statement | Statement[] } & Omit<PolicyDocument, 'Statement'>;
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return { ...parsed, Statement: statements };
}

/** A canonical form: object keys sorted, one-element lists as scalars, lists sorted, booleans as strings. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    if (items.length === 1) return items[0];
    return items.map((item) => JSON.stringify(item)).sort().map((item) => JSON.parse(item) as unknown);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function findStatement(doc: PolicyDocument | null, sid: string): Statement | undefined {
  return doc?.Statement.find((statement) => statement.Sid === sid);
}

/** Sids among `desired` whose statement is absent or different in `doc`. */
export function changedStatements(doc: PolicyDocument | null, desired: Statement[]): Statement[] {
  return desired.filter((statement) => {
    const current = findStatement(doc, statement.Sid ?? '');
    return current === undefined || !sameJson(current, statement);
  });
}

/**
 * `doc` with each desired statement replacing the one with the same Sid (in place) or appended.
 * Every other statement, the Id and the Version are kept as they are.
 */
export function mergeStatements(doc: PolicyDocument | null, desired: Statement[]): PolicyDocument {
  for (const statement of desired) if (!statement.Sid) throw new Error('merged statements need a Sid');
  const statements = doc ? doc.Statement.map((statement) => desired.find((d) => d.Sid === statement.Sid) ?? statement) : [];
  for (const statement of desired) if (!statements.some((s) => s.Sid === statement.Sid)) statements.push(statement);
  // An existing policy without Version keeps none: adding one would change how its own statements
  // read policy variables.
  if (doc) return { ...doc, Statement: statements };
  return { Version: policyVersion, Statement: statements };
}

/** `doc` without the statements whose Sid is listed; null when nothing remains. */
export function removeStatements(doc: PolicyDocument | null, sids: readonly string[]): PolicyDocument | null {
  if (!doc) return null;
  const statements = doc.Statement.filter((statement) => !statement.Sid || !sids.includes(statement.Sid));
  if (statements.length === 0) return null;
  return { ...doc, Statement: statements };
}

export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
