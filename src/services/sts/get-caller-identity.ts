import type { Identity } from '../../context/request-context.js';

/** STS GetCallerIdentity: needs no permission (AWS: "No permissions are required"). */
export function getCallerIdentity(identity: Identity): Record<string, unknown> {
  return { Arn: identity.arn, UserId: identity.userId, Account: identity.accountId };
}
