import type { Identity } from './request-context.js';
import type { AccountId } from '../store/types.js';
import type { Decision } from '../policy/index.js';

/** One authorization question: may `identity` perform `action` on `resourceArn` owned by `resourceAccountId`? */
export interface AuthorizationRequest {
  identity: Identity;
  action: string;
  resourceArn: string;
  /** Owner account of the resource (bucket owner, key owner …); null when the action has no resource owner. */
  resourceAccountId: AccountId | null;
  bucket: string | null;
  key: string | null;
  /** Condition keys gathered for this request (aws:SecureTransport, s3:prefix, …). */
  conditions: Record<string, string | string[]>;
  /** Service whose error wording applies ('s3' when absent). */
  service?: string;
}

export interface AuthorizationOutcome {
  allowed: boolean;
  /** AWS-style AccessDenied message when denied. */
  message: string;
  /** The engine's decision and reason (absent for the owner-only authorizer). */
  decision?: Decision;
}

/** The pipeline's single permission step; handlers never check permissions themselves. */
export interface Authorizer {
  authorize(request: AuthorizationRequest): Promise<AuthorizationOutcome>;
}

/**
 * Owner-only authorization (the foundation's rule until IAM lands): only principals of the account
 * that owns a resource may act on it; anonymous callers are denied.
 */
export class OwnerOnlyAuthorizer implements Authorizer {
  async authorize(request: AuthorizationRequest): Promise<AuthorizationOutcome> {
    const { identity } = request;
    if (identity.type === 'Anonymous' || identity.accountId === null) return { allowed: false, message: 'Access Denied' };
    if (request.resourceAccountId === null || request.resourceAccountId === identity.accountId) return { allowed: true, message: '' };
    return { allowed: false, message: 'Access Denied' };
  }
}
