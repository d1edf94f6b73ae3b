/**
 * Policy evaluation [IAM-EVAL][IAM-XACCT][IAM-SESSION]; aws-semantics §3.
 *
 * 1. Any applicable Deny (SCP, resource, identity, boundary, session) ⇒ ExplicitDeny, reported in that order.
 * 2. Same account (or no resource owner): Allow iff the identity path (identity ∧ boundary ∧ session ∧ SCP;
 *    root: implicit identity allow) or the resource path allows. Resource-path strength depends on how the
 *    resource policy names the caller: user/session ARN or "*" ⇒ direct; role ARN (for its session) ⇒
 *    limited by boundary and session policies; account ⇒ needs the identity path.
 *    Role trust policies and KMS key policies must allow by themselves even in the same account.
 * 3. Cross account: identity path AND an owner-side allow (resource policy naming the caller in any form,
 *    or an ACL grant).
 * 4. Anonymous and service callers have no identity side: only the resource policy / ACL can allow.
 */
import { ContextView } from './context.js';
import { matchNotPrincipal, matchPrincipal, PrincipalMatch } from './principal.js';
import type {
  AuthzRequest,
  CompiledPolicy,
  CompiledStatement,
  Decision,
  DecisionReason,
  PolicyInput,
  PolicySet,
  PolicyType,
  StatementRef,
} from './types.js';

interface Hit {
  readonly statement: CompiledStatement;
  readonly label: string | undefined;
  readonly match: PrincipalMatch;
}

interface Scan {
  deny: Hit | null;
  /** The strongest applicable Allow. */
  allow: Hit | null;
}

function policyOf(input: PolicyInput): CompiledPolicy {
  return 'policy' in input ? input.policy : input;
}

function labelOf(input: PolicyInput): string | undefined {
  return 'policy' in input ? input.label : undefined;
}

function applies(statement: CompiledStatement, request: AuthzRequest, view: ContextView, withPrincipal: boolean): PrincipalMatch {
  let match = PrincipalMatch.Direct;
  if (withPrincipal && statement.principal) {
    match = statement.notPrincipal
      ? matchNotPrincipal(statement.principal, request.principal)
      : matchPrincipal(statement.principal, request.principal);
    if (match === PrincipalMatch.None) return match;
  }
  if (statement.resource && !statement.resource.test(request.resource, view)) return PrincipalMatch.None;
  if (statement.condition && !statement.condition.test(view)) return PrincipalMatch.None;
  return match;
}

/**
 * Scans one policy: every Deny candidate, then Allow candidates until the strongest possible allow is
 * found (skipped entirely when `needAllow` is false, e.g. another identity policy already allowed).
 */
function scan(input: PolicyInput, actionLower: string, request: AuthzRequest, view: ContextView, withPrincipal: boolean, needAllow: boolean): Scan {
  const candidates = policyOf(input).candidatesFor(actionLower);
  const result: Scan = { deny: null, allow: null };
  for (const statement of candidates.denies) {
    const match = applies(statement, request, view, withPrincipal);
    if (match !== PrincipalMatch.None) {
      result.deny = { statement, label: labelOf(input), match };
      return result;
    }
  }
  if (!needAllow) return result;
  for (const statement of candidates.allows) {
    const match = applies(statement, request, view, withPrincipal);
    if (match !== PrincipalMatch.None && (!result.allow || match > result.allow.match)) {
      result.allow = { statement, label: labelOf(input), match };
      if (match === PrincipalMatch.Direct) break;
    }
  }
  return result;
}

function ref(policyType: PolicyType, hit: Hit | null, label?: string): StatementRef {
  const out: { -readonly [K in keyof StatementRef]: StatementRef[K] } = { policyType };
  const policyLabel = hit ? hit.label : label;
  if (policyLabel !== undefined) out.policyLabel = policyLabel;
  if (hit) {
    if (hit.statement.sid) out.statementSid = hit.statement.sid;
    out.statementIndex = hit.statement.index;
  }
  return out;
}

function explicitDeny(policyType: PolicyType, hit: Hit): Decision {
  return { decision: 'ExplicitDeny', reason: { kind: 'explicit-deny', ...ref(policyType, hit) }, allowedBy: [] };
}

function implicitDeny(reason: DecisionReason): Decision {
  return { decision: 'ImplicitDeny', reason, allowedBy: [] };
}

/** Evaluates one request against the policies that apply to it. Pure: no I/O, no clock. */
export function evaluate(request: AuthzRequest, policies: PolicySet): Decision {
  const view = new ContextView(request);
  const actionLower = request.action.toLowerCase();
  const principal = request.principal;
  const hasIdentitySide = principal.type !== 'Anonymous' && principal.type !== 'Service';
  const isRoot = principal.type === 'Root';

  // Service control policies: every level must allow; any deny is final.
  let scpOk = true;
  let scpFailedLabel: string | undefined;
  const scpHits: Hit[] = [];
  if (hasIdentitySide && policies.scps) {
    for (const level of policies.scps) {
      const result = scan(level, actionLower, request, view, false, true);
      if (result.deny) return explicitDeny('scp', result.deny);
      if (result.allow) scpHits.push(result.allow);
      else if (scpOk) {
        scpOk = false;
        scpFailedLabel = labelOf(level);
      }
    }
  }

  let resourceAllow: Hit | null = null;
  const resourceInput = policies.resource ?? null;
  if (resourceInput) {
    const result = scan(resourceInput, actionLower, request, view, true, true);
    if (result.deny) return explicitDeny('resource', result.deny);
    resourceAllow = result.allow;
  }

  let identityAllow: Hit | null = null;
  let boundaryAllow: Hit | null = null;
  let sessionAllow: Hit | null = null;
  const boundaryInput = hasIdentitySide ? (policies.boundary ?? null) : null;
  const sessionInputs = hasIdentitySide ? (policies.session ?? null) : null;
  if (hasIdentitySide) {
    for (const input of policies.identity) {
      const result = scan(input, actionLower, request, view, false, identityAllow === null);
      if (result.deny) return explicitDeny('identity', result.deny);
      identityAllow ??= result.allow;
    }
    if (boundaryInput) {
      const result = scan(boundaryInput, actionLower, request, view, false, true);
      if (result.deny) return explicitDeny('boundary', result.deny);
      boundaryAllow = result.allow;
    }
    if (sessionInputs) {
      for (const input of sessionInputs) {
        const result = scan(input, actionLower, request, view, false, sessionAllow === null);
        if (result.deny) return explicitDeny('session', result.deny);
        sessionAllow ??= result.allow;
      }
    }
  }

  const aclGrant = policies.aclAllows
    ? (policies.aclGrant ?? (hasIdentitySide ? 'account' : 'public')) === 'public'
      ? PrincipalMatch.Direct
      : PrincipalMatch.Account
    : PrincipalMatch.None;
  const state: State = {
    isRoot,
    scpOk,
    scpFailedLabel,
    scpHits,
    resourceInput,
    resourceAllow,
    resourceMatch: resourceAllow ? resourceAllow.match : PrincipalMatch.None,
    aclGrant,
    identityAllow,
    boundaryInput,
    boundaryAllow,
    sessionAllow,
    identityAllowed: isRoot || identityAllow !== null,
    boundaryOk: boundaryInput === null || boundaryAllow !== null,
    sessionOk: sessionInputs === null || sessionAllow !== null,
  };
  if (!hasIdentitySide) {
    if (state.resourceMatch !== PrincipalMatch.None || aclGrant !== PrincipalMatch.None) return allow(state, resourceRef(state));
    return noResourceAllow(state);
  }
  const sameAccount = request.resourceAccountId === null || request.resourceAccountId === principal.accountId;
  return sameAccount ? decideSameAccount(state) : decideCrossAccount(state);
}

/** Everything the final decision needs, gathered by the scans. */
interface State {
  readonly isRoot: boolean;
  readonly scpOk: boolean;
  readonly scpFailedLabel: string | undefined;
  readonly scpHits: readonly Hit[];
  readonly resourceInput: PolicyInput | null;
  readonly resourceAllow: Hit | null;
  readonly resourceMatch: PrincipalMatch;
  readonly aclGrant: PrincipalMatch;
  readonly identityAllow: Hit | null;
  readonly boundaryInput: PolicyInput | null;
  readonly boundaryAllow: Hit | null;
  readonly sessionAllow: Hit | null;
  readonly identityAllowed: boolean;
  readonly boundaryOk: boolean;
  readonly sessionOk: boolean;
}

const limitsOk = (s: State): boolean => s.scpOk && s.boundaryOk && s.sessionOk;
const identityPath = (s: State): boolean => s.identityAllowed && limitsOk(s);
const hasOwnerGrant = (s: State): boolean => s.resourceMatch !== PrincipalMatch.None || s.aclGrant !== PrincipalMatch.None;

function decideCrossAccount(s: State): Decision {
  if (!identityPath(s)) return implicitDeny(identityFailure(s));
  if (!hasOwnerGrant(s)) return noResourceAllow(s);
  return allow(s, resourceRef(s));
}

/** How much a resource-side grant is worth for a same-account caller (aws-semantics §3.2). */
function pathFor(s: State, match: PrincipalMatch): boolean {
  switch (match) {
    case PrincipalMatch.Direct:
      return s.scpOk;
    case PrincipalMatch.Role:
      return limitsOk(s);
    case PrincipalMatch.Account:
      return identityPath(s);
    default:
      return false;
  }
}

function decideSameAccount(s: State): Decision {
  const resourcePath = pathFor(s, s.resourceMatch) || pathFor(s, s.aclGrant);
  const kind = s.resourceInput ? policyOf(s.resourceInput).kind : null;
  if (kind === 'trust' || kind === 'kms-key') {
    // Role trust policies and KMS key policies must allow by themselves [IAM-EVAL].
    if (resourcePath) return allow(s, resourceRef(s));
    if (!hasOwnerGrant(s)) return noResourceAllow(s);
    return implicitDeny(s.resourceMatch === PrincipalMatch.Role ? (limitFailure(s) ?? identityFailure(s)) : identityFailure(s));
  }
  if (identityPath(s)) return allow(s, s.isRoot && !s.identityAllow ? { policyType: 'root' } : ref('identity', s.identityAllow));
  if (resourcePath) return allow(s, resourceRef(s));
  if (s.resourceMatch === PrincipalMatch.Role || (s.resourceMatch === PrincipalMatch.Direct && !s.scpOk)) {
    return implicitDeny(limitFailure(s) ?? identityFailure(s));
  }
  return implicitDeny(identityFailure(s));
}

function limitFailure(s: State): DecisionReason | null {
  if (!s.scpOk) return { kind: 'scp-implicit-deny', ...ref('scp', null, s.scpFailedLabel) };
  if (!s.boundaryOk) return { kind: 'boundary-implicit-deny', ...ref('boundary', null, s.boundaryInput ? labelOf(s.boundaryInput) : undefined) };
  if (!s.sessionOk) return { kind: 'session-implicit-deny', policyType: 'session' };
  return null;
}

function identityFailure(s: State): DecisionReason {
  if (!s.scpOk || s.identityAllowed) return limitFailure(s) ?? { kind: 'no-identity-allow', policyType: 'identity' };
  return { kind: 'no-identity-allow', policyType: 'identity' };
}

function noResourceAllow(s: State): Decision {
  return implicitDeny({ kind: 'no-resource-allow', ...ref('resource', null, s.resourceInput ? labelOf(s.resourceInput) : undefined) });
}

function resourceRef(s: State): StatementRef {
  return s.resourceAllow && s.resourceMatch >= s.aclGrant ? ref('resource', s.resourceAllow) : { policyType: 'acl' };
}

function allow(s: State, primary: StatementRef): Decision {
  const refs: StatementRef[] = s.scpHits.map((hit) => ref('scp', hit));
  if (s.isRoot) refs.push({ policyType: 'root' });
  if (s.identityAllow) refs.push(ref('identity', s.identityAllow));
  if (s.boundaryAllow) refs.push(ref('boundary', s.boundaryAllow));
  if (s.sessionAllow) refs.push(ref('session', s.sessionAllow));
  if (s.resourceAllow) refs.push(ref('resource', s.resourceAllow));
  if (s.aclGrant !== PrincipalMatch.None) refs.push({ policyType: 'acl' });
  return { decision: 'Allow', reason: { kind: 'allowed', ...primary }, allowedBy: refs };
}
