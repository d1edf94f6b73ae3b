/**
 * PackedPolicySize: "A percentage value that indicates the packed size of the session policies and
 * session tags combined passed in the request. The request fails if the packed size is greater than
 * 100 percent" (STS API Reference, AssumeRole response elements).
 *
 * AWS-DIFF: AWS's packed binary format is not documented. We count the inline policy without
 * insignificant whitespace, the managed policy ARNs and the tag keys and values, against 2,048
 * characters (the documented plaintext limit for session policies).
 */
import { serviceError } from '../../protocol/errors.js';

export const packedPolicyMaxChars = 2048;

export interface PackedInput {
  policy: string | null;
  policyArns: string[];
  tags: Array<{ key: string; value: string }>;
}

function compactPolicy(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.replace(/\s+/g, '');
  }
}

export function packedPolicyPercent(input: PackedInput): number {
  let chars = input.policy === null ? 0 : compactPolicy(input.policy).length;
  for (const arn of input.policyArns) chars += arn.length;
  for (const tag of input.tags) chars += tag.key.length + tag.value.length;
  return Math.ceil((chars * 100) / packedPolicyMaxChars);
}

/** Throws PackedPolicyTooLarge when over 100 percent; returns the percentage otherwise. */
export function checkPackedPolicySize(input: PackedInput): number {
  const percent = packedPolicyPercent(input);
  if (percent > 100) {
    throw serviceError('PackedPolicyTooLarge', `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`, 400);
  }
  return percent;
}
