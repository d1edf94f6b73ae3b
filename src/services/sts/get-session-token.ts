/**
 * STS GetSessionToken: temporary credentials for the calling IAM user or root user, with the same
 * permissions (STS API Reference). "No permissions are required"; it must be called with long-term
 * credentials. Durations: users 900..129,600 s (default 43,200); root at most 3,600 s — "If the
 * duration is longer than one hour, the session for Amazon Web Services account owners defaults to
 * one hour".
 */
import type { QueryHandler } from '../service-call.js';
import { serviceError } from '../../protocol/errors.js';
import { isTemporaryAccessKey } from './caller-session.js';
import { credentialsElement, mintCredentials } from './credentials.js';
import { ValidationCollector } from './validation.js';

export const getSessionTokenLimits = {
  minSeconds: 900,
  maxSeconds: 129_600,
  userDefaultSeconds: 43_200,
  rootMaxSeconds: 3600,
} as const;

export const getSessionToken: QueryHandler = async (call) => {
  const { identity, params } = call;
  const v = new ValidationCollector();
  const requested = v.integer('durationSeconds', params.get('DurationSeconds'), getSessionTokenLimits.minSeconds, getSessionTokenLimits.maxSeconds);
  const serialNumber = params.get('SerialNumber') ?? null;
  const tokenCode = params.get('TokenCode') ?? null;
  if (serialNumber !== null) v.string('serialNumber', serialNumber, { min: 9, max: 256, pattern: { text: '[\\w+=/:,.@-]*', regex: /^[\w+=/:,.@-]*$/ } });
  if (tokenCode !== null) v.string('tokenCode', tokenCode, { min: 6, max: 6, pattern: { text: '[\\d]*', regex: /^\d*$/ } });
  v.throwIfAny();

  if (identity.type !== 'User' && identity.type !== 'Root') {
    if (identity.type === 'Anonymous' || identity.accountId === null) throw serviceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    throw serviceError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  }
  if (isTemporaryAccessKey(identity.accessKeyId)) throw serviceError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  if ((serialNumber === null) !== (tokenCode === null)) {
    // AWS-DIFF: AWS's wording for a lone SerialNumber/TokenCode is not documented ("an access denied error").
    throw serviceError('AccessDenied', 'MultiFactorAuthentication failed, SerialNumber and TokenCode must be given together.', 403);
  }

  const isRoot = identity.type === 'Root';
  let durationSeconds = requested ?? (isRoot ? getSessionTokenLimits.rootMaxSeconds : getSessionTokenLimits.userDefaultSeconds);
  if (isRoot) durationSeconds = Math.min(durationSeconds, getSessionTokenLimits.rootMaxSeconds);

  const minted = mintCredentials(
    call.app,
    {
      accountId: identity.accountId!,
      type: isRoot ? 'Root' : 'User',
      arn: identity.arn,
      userId: identity.userId,
      roleArn: null,
      roleName: null,
      sessionName: null,
      userName: identity.userName,
      sessionPolicy: null,
      sessionPolicyArns: [],
      sourceIdentity: null,
      tags: {},
      transitiveTagKeys: [],
      // AWS-DIFF: any six-digit TokenCode is accepted (crossbucket has no MFA devices to verify against).
      mfaPresent: serialNumber !== null && tokenCode !== null,
      chained: false,
    },
    durationSeconds,
  );
  return { Credentials: credentialsElement(minted) };
};
