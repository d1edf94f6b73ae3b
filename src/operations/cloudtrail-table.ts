/**
 * CloudTrail operations (JSON 1.1, X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>):
 * the IAM action the pipeline authorizes (Service Authorization Reference, "Actions defined by AWS
 * CloudTrail") and the handler.
 */
import type { JsonOperationTable } from '../services/service-call.js';
import { lookupEvents } from '../services/cloudtrail/lookup-events.js';

export const cloudtrailTargetPrefix = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

export const cloudtrailOperations: JsonOperationTable = {
  // LookupEvents supports no resource types: authorized on '*'.
  LookupEvents: { action: 'cloudtrail:LookupEvents', resource: () => '*', handler: lookupEvents },
};
