/**
 * AccessDenied message text [IAM-AD][S3-403]; aws-semantics §5.3:
 * `User: <arn> is not authorized to perform: <action> on resource: <resource> <context>`.
 */
import type { AuthzRequest, Decision, PolicyType } from './types.js';

const EXPLICIT_CONTEXT: Record<PolicyType, string> = {
  identity: 'with an explicit deny in an identity-based policy',
  resource: 'with an explicit deny in a resource-based policy',
  boundary: 'with an explicit deny in a permissions boundary',
  session: 'with an explicit deny in a session policy',
  scp: 'with an explicit deny in a service control policy',
  acl: 'with an explicit deny in a resource-based policy',
  root: 'with an explicit deny in an identity-based policy',
};

/** The `because …` / `with an explicit deny …` part; '' when the decision is Allow. */
export function denialContext(action: string, decision: Decision): string {
  switch (decision.reason.kind) {
    case 'allowed':
      return '';
    case 'explicit-deny':
      return EXPLICIT_CONTEXT[decision.reason.policyType];
    case 'scp-implicit-deny':
      // AWS reports an SCP implicit deny as an explicit deny [IAM-AD].
      return EXPLICIT_CONTEXT.scp;
    case 'no-identity-allow':
      return `because no identity-based policy allows the ${action} action`;
    case 'no-resource-allow':
      return `because no resource-based policy allows the ${action} action`;
    case 'boundary-implicit-deny':
      return `because no permissions boundary allows the ${action} action`;
    case 'session-implicit-deny':
      return `because no session policy allows the ${action} action`;
  }
}

export interface MessageOptions {
  /** S3 quotes the resource ARN: on resource: "arn:aws:s3:::bucket/key". */
  readonly quoteResource?: boolean;
  /** Leave out the reason (e.g. STS AssumeRole wording). */
  readonly withoutContext?: boolean;
}

/** Full IAM-style AccessDenied message; '' when the decision is Allow. */
export function accessDeniedMessage(request: AuthzRequest, decision: Decision, options: MessageOptions = {}): string {
  if (decision.decision === 'Allow') return '';
  const resource = options.quoteResource ? `"${request.resource}"` : request.resource;
  const base = `User: ${request.principal.arn} is not authorized to perform: ${request.action} on resource: ${resource}`;
  if (options.withoutContext) return base;
  const context = denialContext(request.action, decision);
  return context ? `${base} ${context}` : base;
}

/**
 * S3's AccessDenied message: the enhanced text only for same-account requests by signed principals
 * (since Aug 2024); plain `Access Denied` for cross-account and anonymous callers [S3-403].
 */
export function s3AccessDeniedMessage(request: AuthzRequest, decision: Decision): string {
  if (decision.decision === 'Allow') return '';
  const principal = request.principal;
  const sameAccount = request.resourceAccountId === null || request.resourceAccountId === principal.accountId;
  if (principal.type === 'Anonymous' || principal.type === 'Service' || !sameAccount) return 'Access Denied';
  return accessDeniedMessage(request, decision, { quoteResource: true });
}
