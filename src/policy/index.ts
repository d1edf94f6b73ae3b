/**
 * crossbucket policy engine — pure (no I/O, no clock, no network; everything arrives as input).
 *
 * Parse once, evaluate many:
 *
 *   const cache = new PolicyCache();                       // one per server, injected
 *   const bucketPolicy = cache.get(text, 's3-bucket');      // compiled once per distinct document
 *
 *   const decision = evaluate(
 *     {
 *       principal: { arn, accountId, type: 'User', userId: 'AIDA…', userName: 'alice', canonicalId },
 *       action: 's3:GetObject',
 *       resource: 'arn:aws:s3:::bucket/key',
 *       resourceAccountId: bucketOwnerAccountId,            // null for actions without a resource owner
 *       context: { 'aws:SourceIp': '203.0.113.9', 'aws:SecureTransport': 'true', 's3:prefix': 'home/' },
 *     },
 *     {
 *       identity: [{ label: 'arn:aws:iam::111122223333:policy/ReadOnly', policy: compiledIdentity }],
 *       resource: { label: 'bucket policy', policy: bucketPolicy },
 *       boundary: null,            // permissions boundary of the user/role, if any
 *       session: null,             // session policies: null = none; [] = present but none allows
 *       aclAllows: false,          // S3 ACL grants the permission (aclGrant: 'account' | 'public')
 *     },
 *   );
 *   decision.decision  // 'Allow' | 'ExplicitDeny' | 'ImplicitDeny'
 *   decision.reason    // { kind, policyType, policyLabel?, statementSid?, statementIndex? }
 *   s3AccessDeniedMessage(request, decision)   // 'Access Denied' or the enhanced same-account text
 *   accessDeniedMessage(request, decision)     // IAM/STS wording
 *
 * Validation at write time (PutBucketPolicy, CreatePolicy, CreateRole …):
 *
 *   parsePolicy(text, 's3-bucket', { bucketName, principalExists: (arn) => … })
 *   // throws PolicyValidationError { code: 'MalformedPolicy' | 'MalformedPolicyDocument', message }
 *
 * Kinds: 'identity' (user/group/role/managed policies), 'boundary', 'session' (no Principal allowed),
 * 'trust' (role trust policy: Principal required, no Resource; must allow by itself even in the same
 * account), 's3-bucket' (S3 error wording and checks), 'kms-key' (like trust: must allow by itself),
 * 'resource' (other resource policies).
 *
 * Root callers: pass type 'Root' and no identity policies; root is allowed in its own account unless
 * something explicitly denies. Anonymous callers: type 'Anonymous'; only "*" principals / public ACLs allow.
 * Context keys: pass them lower-cased ('aws:sourceip') for the fast path; other spellings are folded once
 * per evaluation. Condition keys derived from the principal (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
 * aws:userid, aws:username) are filled in when the context does not carry them.
 */
export { PolicyValidationError, type PolicyErrorCode } from './errors.js';
export { parsePolicy, type ParseOptions } from './parse.js';
export { PolicyCache, POLICY_CACHE_DEFAULT_MAX_ENTRIES } from './cache.js';
export { evaluate } from './evaluate.js';
export { accessDeniedMessage, s3AccessDeniedMessage, denialContext, type MessageOptions } from './message.js';
export { splitArn } from './arn.js';
export { parseCidr, cidrContains } from './conditions/ip.js';
export { parseDate } from './conditions/operators.js';
export { S3_ACTIONS, type S3ResourceType } from './s3-actions.js';
export type {
  ActionCandidates,
  AuthzRequest,
  CompiledPolicy,
  CompiledStatement,
  Decision,
  DecisionReason,
  LabeledPolicy,
  PolicyInput,
  PolicyKind,
  PolicySet,
  PolicyType,
  PolicyVersion,
  PrincipalType,
  ReasonKind,
  RequestPrincipal,
  StatementRef,
} from './types.js';
