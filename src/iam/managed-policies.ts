/**
 * Managed policy lookups shared by the IAM handlers and the authorizer.
 */
import type { DocumentTx } from '../store/types.js';
import { getAwsManagedPolicy } from './aws-managed-policies.js';
import { getCustomerPolicy, parsePolicyArn, type ManagedPolicyDoc } from './model.js';

/** The customer managed policy with exactly this ARN (path included), or null. */
export function getCustomerPolicyByArn(tx: DocumentTx, arn: string): ManagedPolicyDoc | null {
  const parts = parsePolicyArn(arn);
  if (!parts || parts.accountId === 'aws') return null;
  const doc = getCustomerPolicy(tx, parts.accountId, parts.name);
  return doc && doc.arn === arn ? doc : null;
}

/** The default version document of a customer or AWS managed policy; null when it does not exist. */
export function resolveManagedPolicy(tx: DocumentTx, arn: string): { arn: string; document: string } | null {
  const aws = getAwsManagedPolicy(arn);
  if (aws) return { arn, document: aws.document };
  const doc = getCustomerPolicyByArn(tx, arn);
  if (!doc) return null;
  const version = doc.versions.find((v) => v.versionId === doc.defaultVersionId);
  return version ? { arn, document: version.document } : null;
}
