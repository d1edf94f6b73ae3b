/**
 * The Identity a request signed with STS session credentials stands for, from the claims sealed in
 * its session token (identity/session-token.ts). Pure: the credential resolver opens the token,
 * checks the access key ID and expiry, then calls this.
 */
import type { Identity } from '../../context/request-context.js';
import type { SessionClaims } from '../../identity/session-token.js';

export function identityFromClaims(claims: SessionClaims, canonicalId: string | null): Identity {
  return {
    type: claims.type,
    accountId: claims.accountId,
    arn: claims.arn,
    userId: claims.userId,
    canonicalId,
    accessKeyId: claims.accessKeyId,
    userName: claims.userName,
    roleArn: claims.roleArn,
    sessionName: claims.sessionName,
    mfaPresent: claims.mfaPresent,
    tokenIssueTimeMs: claims.issuedAtMs,
    session: {
      policy: claims.sessionPolicy,
      policyArns: claims.sessionPolicyArns,
      tags: claims.tags,
      transitiveTagKeys: claims.transitiveTagKeys,
      sourceIdentity: claims.sourceIdentity,
      expiresAtMs: claims.expiresAtMs,
      chained: claims.chained,
    },
  };
}
