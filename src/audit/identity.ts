/**
 * CloudTrail's userIdentity element (CloudTrail UG "CloudTrail userIdentity element") built from the
 * caller's Identity, as the caller's own account sees it and as another account sees it (AWSAccount).
 */
import type { Identity } from '../context/request-context.js';

export type UserIdentity = Record<string, unknown>;

/** CloudTrail renders times as ISO-8601 UTC with second precision (2013-11-02T01:06:28Z). */
export function trailTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function roleName(roleArn: string | null): string {
  if (!roleArn) return '';
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/** userIdentity as recorded in the caller's own account. */
export function ownUserIdentity(identity: Identity): UserIdentity {
  const accessKeyId = identity.accessKeyId ?? '';
  switch (identity.type) {
    case 'Root':
      return { type: 'Root', principalId: identity.accountId, arn: identity.arn, accountId: identity.accountId, accessKeyId };
    case 'User':
      return { type: 'IAMUser', principalId: identity.userId, arn: identity.arn, accountId: identity.accountId, accessKeyId, userName: identity.userName ?? roleName(identity.arn) };
    case 'AssumedRole': {
      const issuerId = identity.userId.split(':')[0] ?? identity.userId;
      const sessionContext: Record<string, unknown> = {
        sessionIssuer: { type: 'Role', principalId: issuerId, arn: identity.roleArn ?? '', accountId: identity.accountId, userName: roleName(identity.roleArn) },
        attributes: {
          creationDate: identity.tokenIssueTimeMs === null ? '' : trailTime(identity.tokenIssueTimeMs),
          mfaAuthenticated: identity.mfaPresent ? 'true' : 'false',
        },
      };
      if (identity.session?.sourceIdentity) sessionContext.sourceIdentity = identity.session.sourceIdentity;
      return { type: 'AssumedRole', principalId: identity.userId, arn: identity.arn, accountId: identity.accountId, accessKeyId, sessionContext };
    }
    case 'FederatedUser':
      return {
        type: 'FederatedUser',
        principalId: identity.userId,
        arn: identity.arn,
        accountId: identity.accountId,
        accessKeyId,
        sessionContext: {
          attributes: {
            creationDate: identity.tokenIssueTimeMs === null ? '' : trailTime(identity.tokenIssueTimeMs),
            mfaAuthenticated: identity.mfaPresent ? 'true' : 'false',
          },
        },
      };
    case 'Anonymous':
      // S3 data events for unauthenticated requests show the requester as an anonymous AWS account.
      return { type: 'AWSAccount', principalId: '', accountId: 'anonymous' };
  }
}

/** userIdentity as recorded in another account (the resource owner of a cross-account call). */
export function foreignUserIdentity(identity: Identity): UserIdentity {
  if (identity.type === 'Anonymous') return ownUserIdentity(identity);
  const principalId = identity.type === 'Root' ? identity.accountId : identity.userId;
  return { type: 'AWSAccount', principalId, accountId: identity.accountId, accessKeyId: identity.accessKeyId ?? '' };
}

/** LookupEvents "Username": the user name, the role session name, or 'root'. */
export function lookupUsername(identity: Identity): string | null {
  switch (identity.type) {
    case 'Root':
      return 'root';
    case 'User':
      return identity.userName;
    case 'AssumedRole':
    case 'FederatedUser':
      return identity.sessionName ?? identity.userName;
    case 'Anonymous':
      return null;
  }
}
