/**
 * Loads the JSON engine cases under test/policy-cases/** and turns them into engine inputs.
 * Case file shape:
 *   { "source": "...", "principals"?: {name: RequestPrincipal}, "cases": [ {
 *       "name", "source"?, "policies": { "identity"?: [Doc], "resource"?: Doc, "resourceKind"?: Kind,
 *         "boundary"?: Doc, "session"?: [Doc] | null, "scps"?: [Doc], "aclAllows"?: bool, "aclGrant"?: ... },
 *       "request": { "principal": name | RequestPrincipal, "action", "resource", "resourceAccountId"?, "context"? },
 *       "expect": { "decision", "reason", "policyType"?, "sid"?, "message"?, "s3Message"? } } ] }
 * A Doc is a full policy document, or a bare Statement array (Version 2012-10-17 is added).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthzRequest, PolicyKind, PolicySet, RequestPrincipal } from '../../src/policy/index.js';
import { parsePolicy } from '../../src/policy/index.js';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
export const CANONICAL_A = 'a'.repeat(64);
export const CANONICAL_B = 'b'.repeat(64);

function user(account: string, name: string, canonical: string): RequestPrincipal {
  return { arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, type: 'User', userId: `AIDA${name.toUpperCase()}EXAMPLE`, userName: name, canonicalId: canonical };
}

function session(account: string, role: string, sessionName: string, canonical: string, path = '/'): RequestPrincipal {
  return {
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`,
    accountId: account,
    type: 'AssumedRole',
    userId: `AROA${role.toUpperCase()}EXAMPLE:${sessionName}`,
    roleArn: `arn:aws:iam::${account}:role${path}${role}`,
    canonicalId: canonical,
  };
}

/** Principals every case file may name. */
export const BUILTIN_PRINCIPALS: Record<string, RequestPrincipal> = {
  rootA: { arn: `arn:aws:iam::${ACCOUNT_A}:root`, accountId: ACCOUNT_A, type: 'Root', userId: ACCOUNT_A, canonicalId: CANONICAL_A },
  rootB: { arn: `arn:aws:iam::${ACCOUNT_B}:root`, accountId: ACCOUNT_B, type: 'Root', userId: ACCOUNT_B, canonicalId: CANONICAL_B },
  alice: user(ACCOUNT_A, 'alice', CANONICAL_A),
  bob: user(ACCOUNT_A, 'bob', CANONICAL_A),
  carol: user(ACCOUNT_B, 'carol', CANONICAL_B),
  dave: user(ACCOUNT_B, 'dave', CANONICAL_B),
  sessionA: session(ACCOUNT_A, 'app', 's1', CANONICAL_A),
  sessionA2: session(ACCOUNT_A, 'app', 's2', CANONICAL_A),
  pathSessionA: session(ACCOUNT_A, 'deployer', 'ci', CANONICAL_A, '/team/'),
  sessionB: session(ACCOUNT_B, 'partner', 's1', CANONICAL_B),
  fedA: { arn: `arn:aws:sts::${ACCOUNT_A}:federated-user/fred`, accountId: ACCOUNT_A, type: 'FederatedUser', userId: `${ACCOUNT_A}:fred`, canonicalId: CANONICAL_A },
  anonymous: { arn: '*', accountId: 'anonymous', type: 'Anonymous', userId: 'anonymous' },
  logging: { arn: 'logging.s3.amazonaws.com', accountId: '', type: 'Service', userId: 'logging.s3.amazonaws.com', service: 'logging.s3.amazonaws.com' },
};

export interface CaseExpect {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  reason: string;
  policyType?: string;
  sid?: string;
  message?: string;
  s3Message?: string;
}

export interface EngineCase {
  file: string;
  name: string;
  source: string;
  request: AuthzRequest;
  policies: PolicySet;
  expect: CaseExpect;
}

type Doc = unknown;

function documentText(doc: Doc): string {
  if (typeof doc === 'string') return doc;
  if (Array.isArray(doc)) return JSON.stringify({ Version: '2012-10-17', Statement: doc });
  return JSON.stringify(doc);
}

function compile(doc: Doc, kind: PolicyKind, label: string) {
  return { label, policy: parsePolicy(documentText(doc), kind) };
}

interface RawCase {
  name: string;
  source?: string;
  policies?: Record<string, unknown>;
  request: { principal: string | RequestPrincipal; action: string; resource: string; resourceAccountId?: string | null; context?: Record<string, string | string[]> };
  expect: CaseExpect;
}

export function casesRoot(): string {
  // dist/test/policy/ → ../../../test/policy-cases
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'policy-cases');
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

export function loadCases(): EngineCase[] {
  const root = casesRoot();
  const cases: EngineCase[] = [];
  for (const path of walk(root)) {
    const file = relative(root, path);
    const data = JSON.parse(readFileSync(path, 'utf8')) as { source: string; principals?: Record<string, RequestPrincipal>; cases: RawCase[] };
    const principals = { ...BUILTIN_PRINCIPALS, ...(data.principals ?? {}) };
    for (const raw of data.cases) {
      const p = raw.policies ?? {};
      const principal = typeof raw.request.principal === 'string' ? principals[raw.request.principal] : raw.request.principal;
      if (!principal) throw new Error(`${file}: ${raw.name}: unknown principal ${String(raw.request.principal)}`);
      const resourceKind = (p.resourceKind as PolicyKind | undefined) ?? 's3-bucket';
      const policies: PolicySet = {
        identity: ((p.identity as Doc[] | undefined) ?? []).map((doc, i) => compile(doc, 'identity', `identity-${i}`)),
        resource: p.resource !== undefined ? compile(p.resource, resourceKind, 'resource') : null,
        boundary: p.boundary !== undefined ? compile(p.boundary, 'boundary', 'boundary') : null,
        session: p.session === undefined || p.session === null ? null : (p.session as Doc[]).map((doc, i) => compile(doc, 'session', `session-${i}`)),
        scps: p.scps === undefined ? null : (p.scps as Doc[]).map((doc, i) => compile(doc, 'identity', `scp-${i}`)),
        aclAllows: (p.aclAllows as boolean | undefined) ?? false,
        ...(p.aclGrant ? { aclGrant: p.aclGrant as 'account' | 'public' } : {}),
      };
      const request: AuthzRequest = {
        principal,
        action: raw.request.action,
        resource: raw.request.resource,
        resourceAccountId: raw.request.resourceAccountId === undefined ? ACCOUNT_A : raw.request.resourceAccountId,
        context: raw.request.context ?? {},
      };
      cases.push({ file, name: raw.name, source: raw.source ?? data.source, request, policies, expect: raw.expect });
    }
  }
  return cases;
}
