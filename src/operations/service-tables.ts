import type { JsonOperationTable, QueryOperationTable } from '../services/service-call.js';
import { iamOperations } from './iam-table.js';
import { stsOperations } from './sts-table.js';
import { organizationsOperations } from './organizations-table.js';
import { kmsOperations } from './kms-table.js';
import { cloudtrailOperations } from './cloudtrail-table.js';

/** Query-protocol services by credential-scope name. */
export const queryTables: Record<string, QueryOperationTable> = { iam: iamOperations, sts: stsOperations };

/** JSON-protocol services by credential-scope name (KMS and CloudTrail join in later issues). */
export const jsonTables: Record<string, JsonOperationTable> = { organizations: organizationsOperations, cloudtrail: cloudtrailOperations, kms: kmsOperations };
