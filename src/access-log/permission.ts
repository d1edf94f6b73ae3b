/**
 * May S3's logging service deliver into the target bucket? (S3 UG "Permissions for log delivery"):
 * a bucket policy that allows the logging.s3.amazonaws.com service principal s3:PutObject on the
 * log keys (aws:SourceAccount / aws:SourceArn conditions evaluated), or — where the target bucket
 * has ACLs enabled — a WRITE (or FULL_CONTROL) grant to the LogDelivery group in its ACL.
 */
import type { App } from '../app.js';
import type { BucketRecord } from '../store/types.js';
import { evaluate, parsePolicy } from '../policy/index.js';
import { aclsEnabled, LOG_DELIVERY_URI } from '../s3-access/index.js';
import { loadBucketPolicyText } from '../services/s3/bucket-policy.js';
import { loadObjectOwnership } from '../services/s3/ownership-controls.js';
import { loadStoredBucketAcl } from '../services/s3/acl.js';

export const LOGGING_SERVICE_PRINCIPAL = 'logging.s3.amazonaws.com';

export interface DeliveryCheck {
  source: BucketRecord;
  target: BucketRecord;
  /** A log object key the service would write (for Resource matching). */
  sampleKey: string;
}

/** Pure: does this bucket policy text allow the logging service to put sampleKey for source? */
export function policyAllowsDelivery(policyText: string, check: DeliveryCheck): boolean {
  let policy;
  try {
    policy = parsePolicy(policyText, 's3-bucket');
  } catch {
    return false;
  }
  const decision = evaluate(
    {
      principal: { type: 'Service', service: LOGGING_SERVICE_PRINCIPAL, arn: LOGGING_SERVICE_PRINCIPAL, accountId: '', userId: LOGGING_SERVICE_PRINCIPAL },
      action: 's3:PutObject',
      resource: `arn:aws:s3:::${check.target.name}/${check.sampleKey}`,
      resourceAccountId: check.target.accountId,
      context: {
        'aws:sourceaccount': check.source.accountId,
        'aws:sourcearn': `arn:aws:s3:::${check.source.name}`,
        'aws:securetransport': 'true',
      },
    },
    { identity: [], resource: policy },
  );
  return decision.decision === 'Allow';
}

export async function deliveryPermitted(app: App, check: DeliveryCheck): Promise<boolean> {
  const policyText = await loadBucketPolicyText(app, check.target.name);
  if (policyText !== null && policyAllowsDelivery(policyText, check)) return true;
  const ownership = await loadObjectOwnership(app, check.target.name);
  if (!aclsEnabled(ownership)) return false;
  const acl = await loadStoredBucketAcl(app, check.target);
  return acl.grants.some(
    (grant) => grant.grantee.type === 'Group' && grant.grantee.uri === LOG_DELIVERY_URI && (grant.permission === 'WRITE' || grant.permission === 'FULL_CONTROL'),
  );
}
