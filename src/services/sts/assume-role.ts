/**
 * STS AssumeRole. The pipeline has already authorized sts:AssumeRole on the role ARN with the
 * caller's identity policies and the role's trust policy (aws-semantics §3.5); this handler checks
 * what needs the role (MaxSessionDuration, chaining limit), the session policies and tags, and
 * mints the session credentials.
 */
import type { Identity } from '../../context/request-context.js';
import type { QueryHandler, ServiceCall } from '../service-call.js';
import { getRole, parseRoleArn, type RoleDoc } from '../../iam/model.js';
import { parsePolicy, PolicyValidationError } from '../../policy/index.js';
import { serviceError } from '../../protocol/errors.js';
import { assumeRoleInput, assumeRoleLimits, type AssumeRoleInput } from './assume-role-request.js';
import { callerSession, isTemporaryAccessKey, type CallerSession } from './caller-session.js';
import { credentialsElement, mintCredentials } from './credentials.js';
import { checkPackedPolicySize } from './packed-policy.js';

export function assumeRoleDenied(identity: Identity, roleArn: string): Error {
  return serviceError('AccessDenied', `User: ${identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
}

/** Request condition keys of AssumeRole (IAM UG "AWS STS condition keys"; "Passing session tags"). */
export function assumeRoleContext(call: ServiceCall): Record<string, string | string[]> {
  const input = assumeRoleInput(call);
  const context: Record<string, string | string[]> = { 'sts:RoleSessionName': input.roleSessionName };
  if (input.externalId !== null) context['sts:ExternalId'] = input.externalId;
  const sourceIdentity = input.sourceIdentity ?? callerSession(call)?.sourceIdentity ?? null;
  if (sourceIdentity !== null) context['sts:SourceIdentity'] = sourceIdentity;
  if (input.tags.length > 0) {
    for (const tag of input.tags) context[`aws:RequestTag/${tag.key}`] = tag.value;
    context['aws:TagKeys'] = input.tags.map((tag) => tag.key);
  }
  if (input.transitiveTagKeys.length > 0) context['sts:TransitiveTagKeys'] = input.transitiveTagKeys;
  if (input.serialNumber !== null && input.tokenCode !== null) {
    context['aws:MultiFactorAuthPresent'] = 'true';
    context['aws:MultiFactorAuthAge'] = '0';
  }
  return context;
}

function checkDuration(role: RoleDoc, input: AssumeRoleInput, fromTemporaryCredentials: boolean): number {
  const requested = input.durationSeconds ?? assumeRoleLimits.defaultDurationSeconds;
  if (requested > role.maxSessionDurationSeconds) {
    throw serviceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  }
  // STS API Reference (DurationSeconds): role chaining limits the session to one hour. AWS applies
  // the limit to every AssumeRole made with temporary credentials (also GetSessionToken ones).
  if (fromTemporaryCredentials && requested > assumeRoleLimits.chainedMaxSeconds) {
    throw serviceError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
  }
  return requested;
}

function checkSessionPolicy(policy: string | null): void {
  if (policy === null) return;
  try {
    parsePolicy(policy, 'session');
  } catch (error) {
    if (error instanceof PolicyValidationError) throw serviceError('MalformedPolicyDocument', error.message, 400);
    throw error;
  }
}

interface SessionTags {
  tags: Record<string, string>;
  transitiveTagKeys: string[];
}

/**
 * Session tags of the new session: the caller's transitive tags (role chaining carries them over,
 * IAM UG "Chaining roles with session tags") plus the tags passed now, which may not redefine an
 * inherited transitive key.
 */
function sessionTags(input: AssumeRoleInput, caller: CallerSession | null): SessionTags {
  const tags: Record<string, string> = {};
  const transitive: string[] = [];
  const inherited = new Set<string>();
  for (const key of caller?.transitiveTagKeys ?? []) {
    const value = caller?.tags[key];
    if (value === undefined) continue;
    tags[key] = value;
    transitive.push(key);
    inherited.add(key.toLowerCase());
  }
  for (const tag of input.tags) {
    if (inherited.has(tag.key.toLowerCase())) {
      // AWS-DIFF: message wording from peers (not in the STS reference); the code is InvalidParameterValue.
      throw serviceError('InvalidParameterValue', "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.", 400);
    }
    tags[tag.key] = tag.value;
  }
  for (const key of input.transitiveTagKeys) {
    const tag = input.tags.find((candidate) => candidate.key.toLowerCase() === key.toLowerCase());
    if (tag && !transitive.includes(tag.key)) transitive.push(tag.key);
  }
  return { tags, transitiveTagKeys: transitive };
}

function sourceIdentityOf(input: AssumeRoleInput, caller: CallerSession | null): string | null {
  const inherited = caller?.sourceIdentity ?? null;
  if (inherited !== null && input.sourceIdentity !== null && input.sourceIdentity !== inherited) {
    // IAM UG "Monitor and control actions taken with assumed roles": once set, the source identity
    // persists across chained sessions and cannot be changed.
    // AWS-DIFF: AWS's exact code/message for a changed source identity is not documented.
    throw serviceError('InvalidParameterValue', 'The source identity of a role session cannot be changed in a role chain.', 400);
  }
  return input.sourceIdentity ?? inherited;
}

export const assumeRole: QueryHandler = async (call) => {
  const { identity } = call;
  const input = assumeRoleInput(call);
  const target = parseRoleArn(input.roleArn);
  if (!target || identity.accountId === null) throw assumeRoleDenied(identity, input.roleArn);
  const role = await call.app.store.readDocuments((tx) => getRole(tx, target.accountId, target.name));
  if (!role || role.arn !== input.roleArn) throw assumeRoleDenied(identity, input.roleArn);

  const caller = callerSession(call);
  const durationSeconds = checkDuration(role, input, isTemporaryAccessKey(identity.accessKeyId));
  checkSessionPolicy(input.policy);
  const { tags, transitiveTagKeys } = sessionTags(input, caller);
  const sourceIdentity = sourceIdentityOf(input, caller);
  const hasPackedContent = input.policy !== null || input.policyArns.length > 0 || input.tags.length > 0;
  const packedPercent = hasPackedContent ? checkPackedPolicySize(input) : null;

  if (input.tags.length > 0) await call.authorize('sts:TagSession', role.arn, role.accountId);
  if (input.sourceIdentity !== null) await call.authorize('sts:SetSourceIdentity', role.arn, role.accountId);

  const sessionArn = `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${input.roleSessionName}`;
  const userId = `${role.roleId}:${input.roleSessionName}`;
  const minted = mintCredentials(
    call.app,
    {
      accountId: role.accountId,
      type: 'AssumedRole',
      arn: sessionArn,
      userId,
      roleArn: role.arn,
      roleName: role.roleName,
      sessionName: input.roleSessionName,
      userName: null,
      sessionPolicy: input.policy,
      sessionPolicyArns: input.policyArns,
      sourceIdentity,
      tags,
      transitiveTagKeys,
      // AWS-DIFF: any six-digit TokenCode is accepted (crossbucket has no MFA devices to verify against).
      mfaPresent: input.serialNumber !== null && input.tokenCode !== null,
      chained: identity.type === 'AssumedRole',
    },
    durationSeconds,
  );

  const result: Record<string, unknown> = {
    Credentials: credentialsElement(minted),
    AssumedRoleUser: { AssumedRoleId: userId, Arn: sessionArn },
  };
  if (packedPercent !== null) result.PackedPolicySize = packedPercent;
  if (sourceIdentity !== null) result.SourceIdentity = sourceIdentity;
  return result;
};
