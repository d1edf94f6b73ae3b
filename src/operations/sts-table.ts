/**
 * STS operations (Query protocol, https://sts.amazonaws.com/doc/2011-06-15/): the action the
 * pipeline authorizes, on which resource, with which request condition keys, then the handler.
 */
import type { QueryOperationTable } from '../services/service-call.js';
import { serviceError } from '../protocol/errors.js';
import { getCallerIdentity } from '../services/sts/get-caller-identity.js';
import { getSessionToken } from '../services/sts/get-session-token.js';
import { assumeRole, assumeRoleContext } from '../services/sts/assume-role.js';
import { assumeRoleInput } from '../services/sts/assume-role-request.js';

export const stsOperations: QueryOperationTable = {
  // STS API Reference: "No permissions are required to perform this operation."
  GetCallerIdentity: {
    action: null,
    resource: () => '*',
    handler: async (call) => {
      if (call.identity.type === 'Anonymous') throw serviceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      return getCallerIdentity(call.identity);
    },
  },
  // GetSessionToken authenticates (MFA); "You cannot use policies to control authentication operations."
  GetSessionToken: {
    action: null,
    resource: () => '*',
    handler: getSessionToken,
  },
  // The pipeline evaluates the caller's identity policies and the role's trust policy (resource policy
  // of the role ARN). resource/context validate the request first (ValidationError before AccessDenied).
  AssumeRole: {
    action: 'sts:AssumeRole',
    resource: (call) => assumeRoleInput(call).roleArn,
    context: assumeRoleContext,
    handler: assumeRole,
  },
};
