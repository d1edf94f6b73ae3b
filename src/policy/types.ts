/** Shared data types of the policy engine (plain data; no I/O). */
import type { TextMatcher } from './wildcard.js';
import type { PrincipalSpec } from './principal.js';
import type { ResourceMatcher } from './resource.js';
import type { ConditionBlock } from './conditions/compile.js';

/** Where a policy document is attached; decides validation rules and error wording. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 's3-bucket' | 'kms-key' | 'session' | 'boundary';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export interface ActionMatcher {
  /** true for NotAction. */
  readonly negated: boolean;
  /** Original values (for explanations). */
  readonly patterns: readonly string[];
  /** Tests a lower-cased action name. */
  readonly test: TextMatcher;
}

export interface CompiledStatement {
  readonly index: number;
  readonly sid: string | null;
  readonly effect: 'Allow' | 'Deny';
  /** Principal or NotPrincipal (null in identity, boundary and session policies). */
  readonly principal: PrincipalSpec | null;
  readonly notPrincipal: boolean;
  readonly action: ActionMatcher;
  /** null when the statement has no Resource element (trust policies: the role itself). */
  readonly resource: ResourceMatcher | null;
  readonly condition: ConditionBlock | null;
}

/** A parsed, validated and compiled policy. Immutable and shareable (cache it by content). */
export interface CompiledPolicy {
  readonly kind: PolicyKind;
  /** Version element, or null when missing (2008-10-17 semantics: variables are literal text). */
  readonly version: PolicyVersion | null;
  readonly id: string | null;
  readonly statements: readonly CompiledStatement[];
  /** Statements whose Action/NotAction element matches the (lower-cased) action, by effect; memoised per policy. */
  candidatesFor(actionLower: string): ActionCandidates;
}

export interface ActionCandidates {
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
}

/** A compiled policy with the name/ARN to report in decisions. */
export interface LabeledPolicy {
  readonly label: string;
  readonly policy: CompiledPolicy;
}

export type PolicyInput = CompiledPolicy | LabeledPolicy;

export type PrincipalType = 'Root' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Anonymous' | 'Service';

export interface RequestPrincipal {
  /** root: arn:aws:iam::A:root; user ARN; session ARN arn:aws:sts::A:assumed-role/R/S; federated-user ARN; '*' for anonymous. */
  readonly arn: string;
  /** 12-digit account; '' or 'anonymous' for anonymous callers. */
  readonly accountId: string;
  readonly type: PrincipalType;
  /** aws:userid value. */
  readonly userId: string;
  readonly userName?: string | null;
  /** For role sessions: the role ARN (with path). */
  readonly roleArn?: string | null;
  /** Canonical user id of the principal's account (matches CanonicalUser principals). */
  readonly canonicalId?: string | null;
  /** For service principals: e.g. 'logging.s3.amazonaws.com'. */
  readonly service?: string | null;
  /**
   * For AssumeRoleWithWebIdentity/SAML: the identity provider matched by `Federated` principals
   * (pass type 'Anonymous': such callers have no identity policies).
   */
  readonly federatedProvider?: string | null;
}

export interface AuthzRequest {
  readonly principal: RequestPrincipal;
  /** e.g. 's3:GetObject' (any case). */
  readonly action: string;
  /** Resource ARN, e.g. 'arn:aws:s3:::bucket/key'. */
  readonly resource: string;
  /** Owner account of the resource; null for actions with no resource owner (treated as same-account). */
  readonly resourceAccountId: string | null;
  /**
   * Condition keys (any case). Keys derived from the principal (aws:PrincipalArn, aws:PrincipalAccount,
   * aws:PrincipalType, aws:userid, aws:username) are filled in when absent.
   */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export interface PolicySet {
  /** Identity-based policies of the principal (user inline/managed/group policies, role policies). */
  readonly identity: readonly PolicyInput[];
  /** Resource-based policy of the target (bucket policy, trust policy, key policy). */
  readonly resource?: PolicyInput | null;
  /** Permissions boundary of the user/role. */
  readonly boundary?: PolicyInput | null;
  /**
   * Session policies. null/undefined: the session has none (no limit). An empty array means "session
   * policies apply but none allows" (e.g. GetFederationToken without a policy).
   */
  readonly session?: readonly PolicyInput[] | null;
  /** Service control policies, one entry per level of the OU path; each level must allow. */
  readonly scps?: readonly PolicyInput[] | null;
  /** An S3 ACL grants the permission to the caller's account (or to a group, see aclGrant). */
  readonly aclAllows?: boolean;
  /**
   * Who the ACL grant names: 'account' (the caller's account canonical id; IAM principals still need
   * their identity allow) or 'public' (AllUsers/AuthenticatedUsers; behaves like Principal "*").
   * Default: 'public' for anonymous callers, 'account' otherwise.
   */
  readonly aclGrant?: 'account' | 'public';
}

export type PolicyType = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'acl' | 'root';

export type ReasonKind =
  | 'allowed'
  | 'explicit-deny'
  | 'no-identity-allow'
  | 'no-resource-allow'
  | 'boundary-implicit-deny'
  | 'session-implicit-deny'
  | 'scp-implicit-deny';

/** One statement that took part in a decision. */
export interface StatementRef {
  readonly policyType: PolicyType;
  readonly policyLabel?: string;
  readonly statementSid?: string;
  readonly statementIndex?: number;
}

export interface DecisionReason extends StatementRef {
  readonly kind: ReasonKind;
}

export interface Decision {
  readonly decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** What decided: the deny statement, the allow statement, or the policy type that had no allow. */
  readonly reason: DecisionReason;
  /** For Allow: every statement that contributed (identity, boundary, session, resource …). */
  readonly allowedBy: readonly StatementRef[];
}
