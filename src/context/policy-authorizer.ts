/**
 * The pipeline's permission step on the pure policy engine: gathers the principal's policies
 * (identity, boundary, session), the resource policy the ARN names (bucket policy, role trust
 * policy) and the condition keys, then asks `evaluate`. All I/O happens here, never in the engine.
 */
import type { MetadataStore } from '../store/types.js';
import type { Authorizer, AuthorizationOutcome, AuthorizationRequest } from './authorizer.js';
import type { Identity } from './request-context.js';
import { PolicyCache, evaluate, accessDeniedMessage, s3AccessDeniedMessage, type AuthzRequest, type Decision, type LabeledPolicy, type PolicyKind, type RequestPrincipal } from '../policy/index.js';
import { customerPolicyResolver, loadPrincipalPolicies, type ManagedPolicyResolver, type PolicyText } from './principal-policies.js';
import { getRole, parseRoleArn } from '../iam/model.js';
import type { S3AuthContext } from './s3-auth-context.js';
import { loadKeyPolicy } from '../kms/key-policy.js';

/** Loads the S3 inputs (owners, ACL grants, RestrictPublicBuckets) of a request on a bucket or object. */
export type S3ContextLoader = (request: AuthorizationRequest, bucketPolicyText: string | null) => Promise<S3AuthContext | null>;

export interface PolicyAuthorizerOptions {
  store: MetadataStore;
  resolveManaged?: ManagedPolicyResolver;
  s3Context?: S3ContextLoader;
  /** Organization ID of every account (all accounts are members of one organization). */
  organizationId?: () => Promise<string | null>;
}

const trustActions = new Set(['sts:assumerole', 'sts:tagsession', 'sts:setsourceidentity', 'sts:assumerolewithwebidentity', 'sts:assumerolewithsaml']);

const policyManagement = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

export class PolicyAuthorizer implements Authorizer {
  private readonly cache = new PolicyCache();
  private principalCache = new Map<string, LoadedPrincipal>();
  private readonly bucketPolicies = new Map<string, { text: string; policy: LabeledPolicy | null }>();
  private cacheGeneration = -1;
  private readonly resolveManaged: ManagedPolicyResolver;

  constructor(private readonly options: PolicyAuthorizerOptions) {
    this.resolveManaged = options.resolveManaged ?? customerPolicyResolver;
  }

  private async principalPolicies(identity: Identity): Promise<LoadedPrincipal> {
    const generation = this.options.store.documentsGeneration();
    if (generation !== this.cacheGeneration) {
      this.principalCache = new Map();
      this.cacheGeneration = generation;
    }
    // Session policies differ per session; key by access key for sessions, by ARN otherwise.
    const key = identity.session ? `${identity.arn}\u0000${identity.accessKeyId}` : identity.arn;
    const hit = this.principalCache.get(key);
    if (hit) return hit;
    const texts = await this.options.store.readDocuments((tx) => loadPrincipalPolicies(tx, identity, this.resolveManaged));
    // Compiled once per principal and store generation: the hot path never re-reads or re-keys documents.
    const loaded: LoadedPrincipal = {
      tags: texts.tags,
      side: {
        identity: texts.exists ? this.compile(texts.identity, 'identity') : [],
        boundary: texts.boundary ? this.compile([texts.boundary], 'boundary')[0] ?? null : null,
        session: texts.session ? this.compile(texts.session, 'session') : null,
      },
    };
    if (this.principalCache.size > 10_000) this.principalCache.clear();
    this.principalCache.set(key, loaded);
    return loaded;
  }

  private compile(texts: PolicyText[], kind: PolicyKind): LabeledPolicy[] {
    const out: LabeledPolicy[] = [];
    for (const text of texts) {
      const policy = this.tryCompile(text.document, kind);
      if (policy) out.push({ label: text.label, policy });
    }
    return out;
  }

  private tryCompile(text: string, kind: PolicyKind) {
    try {
      return this.cache.get(text, kind);
    } catch {
      // Stored documents were validated when saved; a document that no longer parses allows nothing.
      return null;
    }
  }

  private async resourcePolicy(request: AuthorizationRequest, actionLower: string): Promise<{ policy: LabeledPolicy | null; text: string | null }> {
    if (request.bucket !== null && request.resourceArn.startsWith('arn:aws:s3:::')) {
      const text = await this.options.store.getBucketConfig(request.bucket, 'policy');
      if (text === null) return { policy: null, text };
      const cached = this.bucketPolicies.get(request.bucket);
      if (cached && cached.text === text) return { policy: cached.policy, text };
      const compiled = this.tryCompile(text, 's3-bucket');
      const policy = compiled ? { label: 'bucket policy', policy: compiled } : null;
      if (this.bucketPolicies.size > 10_000) this.bucketPolicies.clear();
      this.bucketPolicies.set(request.bucket, { text, policy });
      return { policy, text };
    }
    return { policy: await this.otherResourcePolicy(request, actionLower), text: null };
  }

  private async otherResourcePolicy(request: AuthorizationRequest, actionLower: string): Promise<LabeledPolicy | null> {
    if (request.resourceArn.startsWith('arn:aws:kms:') && actionLower.startsWith('kms:')) {
      // KMS key policies are the primary authority: they must allow, even in the key's own account.
      const text = await this.options.store.readDocuments((tx) => loadKeyPolicy(tx, request.resourceArn));
      const policy = text === null ? null : this.tryCompile(text, 'kms-key');
      return policy ? { label: `key policy of ${request.resourceArn}`, policy } : null;
    }
    if (trustActions.has(actionLower)) {
      const parts = parseRoleArn(request.resourceArn);
      if (!parts) return null;
      const role = await this.options.store.readDocuments((tx) => getRole(tx, parts.accountId, parts.name));
      if (!role || role.arn !== request.resourceArn) return null;
      const policy = this.tryCompile(role.assumeRolePolicyDocument, 'trust');
      return policy ? { label: `trust policy of ${role.arn}`, policy } : null;
    }
    return null;
  }

  /**
   * One decision, with S3's contexts (S3 UG "How Amazon S3 authorizes a request"): the bucket policy's
   * explicit denies always apply; in the object context (object not owned by the bucket owner) only the
   * object owner's ACL can grant; under RestrictPublicBuckets a public policy only denies.
   */
  private decide(authz: AuthzRequest, side: IdentitySide, resource: LabeledPolicy | null, s3: S3AuthContext | null, identity: Identity, actionLower: string): Decision {
    if (!s3) return evaluate(authz, { ...side, resource, aclAllows: false });
    const objectContext = s3.objectOwnerAccountId !== null && !(actionLower === 's3:deleteobject' && identity.accountId === s3.bucketOwnerAccountId);
    const denyOnly = objectContext || s3.policyDenyOnly;
    if (denyOnly && resource) {
      const bucketContext = evaluate(authz, { ...side, resource, aclAllows: false });
      if (bucketContext.decision === 'ExplicitDeny') return bucketContext;
    }
    if (objectContext) {
      const grant = s3.objectAclGrant;
      return evaluate({ ...authz, resourceAccountId: s3.objectOwnerAccountId }, { ...side, resource: null, aclAllows: grant !== null, aclGrant: grant ?? undefined });
    }
    const grant = strongest(s3.bucketAclGrant, s3.objectAclGrant);
    return evaluate(authz, { ...side, resource: denyOnly ? null : resource, aclAllows: grant !== null, aclGrant: grant ?? undefined });
  }

  async authorize(request: AuthorizationRequest): Promise<AuthorizationOutcome> {
    const { identity } = request;
    const actionLower = request.action.toLowerCase();
    const principal: RequestPrincipal = {
      arn: identity.arn,
      accountId: identity.accountId ?? '',
      type: identity.type,
      userId: identity.userId,
      userName: identity.userName,
      roleArn: identity.roleArn,
      canonicalId: identity.canonicalId,
    };
    const loaded = identity.type === 'Anonymous' ? null : await this.principalPolicies(identity);
    const context: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(request.conditions)) context[key.toLowerCase()] = value;
    if (loaded) for (const [key, value] of Object.entries(loaded.tags)) context[`aws:principaltag/${key.toLowerCase()}`] = value;
    if (request.resourceAccountId) context['aws:resourceaccount'] = request.resourceAccountId;
    if (identity.accountId && this.options.organizationId) {
      const orgId = await this.options.organizationId();
      if (orgId) context['aws:principalorgid'] = orgId;
    }
    const authz: AuthzRequest = { principal, action: request.action, resource: request.resourceArn, resourceAccountId: request.resourceAccountId, context };

    const { policy: resource, text: policyText } = await this.resourcePolicy(request, actionLower);
    const s3 = request.bucket !== null && this.options.s3Context ? await this.options.s3Context(request, policyText) : null;
    const identitySide: IdentitySide = loaded?.side ?? { identity: [], boundary: null, session: null };
    const decision = this.decide(authz, identitySide, resource, s3, identity, actionLower);
    if (decision.decision === 'Allow') return { allowed: true, message: '', decision };
    // S3 UG (bucket policies): the bucket owner's root user can always get, put and delete the bucket
    // policy, even when the policy denies it — so a bad policy can never lock the owner out.
    if (identity.type === 'Root' && policyManagement.has(actionLower) && request.resourceAccountId === identity.accountId) {
      return { allowed: true, message: '', decision };
    }
    return { allowed: false, message: deniedMessage(request, authz, decision), decision };
  }
}

type IdentitySide = { identity: LabeledPolicy[]; boundary: LabeledPolicy | null; session: LabeledPolicy[] | null };

interface LoadedPrincipal {
  tags: Record<string, string>;
  side: IdentitySide;
}

function strongest(a: 'account' | 'public' | null, b: 'account' | 'public' | null): 'account' | 'public' | null {
  return a === 'public' || b === 'public' ? 'public' : (a ?? b);
}

function deniedMessage(request: AuthorizationRequest, authz: AuthzRequest, decision: Parameters<typeof accessDeniedMessage>[1]): string {
  if (request.service === 's3' || request.service === undefined) return s3AccessDeniedMessage(authz, decision);
  // STS AssumeRole denials name principal, action and role without a reason (AWS wording).
  if (request.service === 'sts') return accessDeniedMessage(authz, decision, { withoutContext: true });
  return accessDeniedMessage(authz, decision);
}
