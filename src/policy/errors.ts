/**
 * Policy validation error, carrying AWS's error code and message.
 * IAM APIs report `MalformedPolicyDocument` (HTTP 400); S3 PutBucketPolicy reports `MalformedPolicy` (HTTP 400).
 */
export type PolicyErrorCode = 'MalformedPolicyDocument' | 'MalformedPolicy';

export class PolicyValidationError extends Error {
  readonly code: PolicyErrorCode;
  readonly httpStatus = 400;
  constructor(code: PolicyErrorCode, message: string) {
    super(message);
    this.name = 'PolicyValidationError';
    this.code = code;
  }
}
