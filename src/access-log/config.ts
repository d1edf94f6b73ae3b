/**
 * Server access logging configuration (S3 API Reference "PutBucketLogging", "BucketLoggingStatus",
 * "TargetObjectKeyFormat"): parsed from and rendered to XML, stored as bucket config 'logging' (JSON).
 */
import { LOG_DELIVERY_URI, ALL_USERS_URI, AUTHENTICATED_USERS_URI } from '../s3-access/index.js';

export const LOGGING_CONFIG = 'logging';
/** BucketLoggingStatus uses its own namespace (not the usual s3.amazonaws.com/doc one). */
export const LOGGING_NAMESPACE = 'http://doc.s3.amazonaws.com/2006-03-01';

export type TargetPermission = 'FULL_CONTROL' | 'READ' | 'WRITE';

export type TargetGrantee =
  | { type: 'CanonicalUser'; id: string }
  | { type: 'Group'; uri: string }
  | { type: 'AmazonCustomerByEmail'; email: string };

export interface TargetGrant {
  grantee: TargetGrantee;
  permission: TargetPermission;
}

export type KeyFormat = { type: 'SimplePrefix' } | { type: 'PartitionedPrefix'; partitionDateSource: 'EventTime' | 'DeliveryTime' };

export interface LoggingConfig {
  targetBucket: string;
  targetPrefix: string;
  targetGrants: TargetGrant[];
  /** null: not given (S3's default, the simple prefix form); GetBucketLogging then omits it. */
  keyFormat: KeyFormat | null;
}

export class LoggingXmlError extends Error {
  constructor(
    readonly code: 'MalformedXML' | 'InvalidArgument',
    message?: string,
  ) {
    super(message ?? code);
  }
}

const PERMISSIONS: readonly string[] = ['FULL_CONTROL', 'READ', 'WRITE'];
const GROUPS: readonly string[] = [LOG_DELIVERY_URI, ALL_USERS_URI, AUTHENTICATED_USERS_URI];

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && typeof (value as Record<string, unknown>)['#text'] === 'string') return (value as Record<string, string>)['#text']!;
  return null;
}

function parseGrant(raw: unknown): TargetGrant {
  if (typeof raw !== 'object' || raw === null) throw new LoggingXmlError('MalformedXML');
  const grant = raw as Record<string, any>;
  const permission = text(grant.Permission);
  if (permission === null || !PERMISSIONS.includes(permission)) throw new LoggingXmlError('MalformedXML');
  const grantee = grant.Grantee;
  if (typeof grantee !== 'object' || grantee === null) throw new LoggingXmlError('MalformedXML');
  const type = text(grantee['@_type']);
  if (type === 'CanonicalUser') {
    const id = text(grantee.ID);
    if (!id) throw new LoggingXmlError('MalformedXML');
    return { grantee: { type, id }, permission: permission as TargetPermission };
  }
  if (type === 'Group') {
    const uri = text(grantee.URI);
    if (!uri) throw new LoggingXmlError('MalformedXML');
    if (!GROUPS.includes(uri)) throw new LoggingXmlError('InvalidArgument', 'Invalid group uri');
    return { grantee: { type, uri }, permission: permission as TargetPermission };
  }
  if (type === 'AmazonCustomerByEmail') {
    const email = text(grantee.EmailAddress);
    if (!email) throw new LoggingXmlError('MalformedXML');
    return { grantee: { type, email }, permission: permission as TargetPermission };
  }
  throw new LoggingXmlError('MalformedXML');
}

function parseKeyFormat(raw: unknown): KeyFormat | null {
  if (raw === undefined) return null;
  if (typeof raw !== 'object' || raw === null) throw new LoggingXmlError('MalformedXML');
  const format = raw as Record<string, any>;
  const simple = 'SimplePrefix' in format;
  const partitioned = 'PartitionedPrefix' in format;
  if (simple === partitioned) throw new LoggingXmlError('MalformedXML');
  if (simple) return { type: 'SimplePrefix' };
  const body = format.PartitionedPrefix;
  const source = typeof body === 'object' && body !== null ? text(body.PartitionDateSource) : null;
  if (source === null) return { type: 'PartitionedPrefix', partitionDateSource: 'EventTime' };
  if (source !== 'EventTime' && source !== 'DeliveryTime') throw new LoggingXmlError('MalformedXML');
  return { type: 'PartitionedPrefix', partitionDateSource: source };
}

/** The root element's content (already parsed by the XML layer) → config, or null for "disable logging". */
export function parseLoggingStatus(root: Record<string, any>): LoggingConfig | null {
  const enabled = root.LoggingEnabled;
  if (enabled === undefined) return null;
  if (typeof enabled !== 'object' || enabled === null) throw new LoggingXmlError('MalformedXML');
  const targetBucket = text(enabled.TargetBucket);
  const targetPrefix = enabled.TargetPrefix === undefined ? null : text(enabled.TargetPrefix) ?? '';
  if (!targetBucket || targetPrefix === null) throw new LoggingXmlError('MalformedXML');
  let grants: TargetGrant[] = [];
  if (enabled.TargetGrants !== undefined && enabled.TargetGrants !== '') {
    const list = enabled.TargetGrants;
    if (typeof list !== 'object' || list === null) throw new LoggingXmlError('MalformedXML');
    grants = (Array.isArray(list.Grant) ? list.Grant : list.Grant === undefined ? [] : [list.Grant]).map(parseGrant);
  }
  return { targetBucket, targetPrefix, targetGrants: grants, keyFormat: parseKeyFormat(enabled.TargetObjectKeyFormat) };
}

function granteeXml(grantee: TargetGrantee, displayName: (id: string) => string | undefined): Record<string, unknown> {
  const base = { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@_xsi:type': grantee.type };
  if (grantee.type === 'CanonicalUser') {
    const name = displayName(grantee.id);
    return name === undefined ? { ...base, ID: grantee.id } : { ...base, ID: grantee.id, DisplayName: name };
  }
  if (grantee.type === 'Group') return { ...base, URI: grantee.uri };
  return { ...base, EmailAddress: grantee.email };
}

/** The content of <BucketLoggingStatus> for GetBucketLogging. */
export function renderLoggingStatus(config: LoggingConfig | null, displayName: (id: string) => string | undefined = () => undefined): Record<string, unknown> {
  if (config === null) return {};
  const enabled: Record<string, unknown> = { TargetBucket: config.targetBucket, TargetPrefix: config.targetPrefix };
  if (config.targetGrants.length > 0) {
    enabled.TargetGrants = { Grant: config.targetGrants.map((grant) => ({ Grantee: granteeXml(grant.grantee, displayName), Permission: grant.permission })) };
  }
  if (config.keyFormat?.type === 'SimplePrefix') enabled.TargetObjectKeyFormat = { SimplePrefix: '' };
  else if (config.keyFormat?.type === 'PartitionedPrefix') {
    enabled.TargetObjectKeyFormat = { PartitionedPrefix: { PartitionDateSource: config.keyFormat.partitionDateSource } };
  }
  return { LoggingEnabled: enabled };
}

/** Stored JSON → config (null when absent or unreadable). */
export function loggingFromStored(text: string | null): LoggingConfig | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as LoggingConfig;
    return typeof value?.targetBucket === 'string' && typeof value.targetPrefix === 'string' ? value : null;
  } catch {
    return null;
  }
}
