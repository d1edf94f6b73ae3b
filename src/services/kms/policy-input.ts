/** Key policy validation for CreateKey / PutKeyPolicy: the policy grammar of a KMS key policy. */
import { parsePolicy, PolicyValidationError } from '../../policy/index.js';
import { malformedPolicy } from '../../kms/errors.js';
import { optionalString, requiredString } from './params.js';

export const maxPolicyChars = 32_768;

/** The validated Policy parameter, or null when absent. */
export function policyParam(input: Record<string, unknown>, required: boolean): string | null {
  const text = required ? requiredString(input, 'Policy', 1, maxPolicyChars) : optionalString(input, 'Policy', 1, maxPolicyChars);
  if (text === null) return null;
  try {
    parsePolicy(text, 'kms-key');
  } catch (error) {
    if (error instanceof PolicyValidationError) throw malformedPolicy(error.message);
    throw error;
  }
  // AWS-DIFF: the policy lockout safety check (the new policy must let the caller PutKeyPolicy
  // unless BypassPolicyLockoutSafetyCheck) and the check that every principal exists are not made.
  return text;
}
