/** Who the IAM call acts for: the caller's account, and the implicit user of GetUser/CreateAccessKey … */
import type { ServiceCall } from '../service-call.js';
import { serviceError } from '../../protocol/errors.js';

export function accountOf(call: ServiceCall): string {
  const accountId = call.identity.accountId;
  if (!accountId) throw serviceError('AccessDenied', 'Anonymous callers cannot call IAM.', 403);
  return accountId;
}

/**
 * The user a call without UserName acts on: the calling IAM user; null for the account root;
 * role sessions and federated users must name the user (AWS ValidationError).
 */
export function implicitUserName(call: ServiceCall): string | null {
  const identity = call.identity;
  if (identity.type === 'User' && identity.userName) return identity.userName;
  if (identity.type === 'Root') return null;
  throw serviceError('ValidationError', 'Must specify userName when calling with non-User credentials', 400);
}
