/**
 * LookupEvents shapes shared by the CloudTrail API and the `crossbucket audit` CLI: the Event
 * element of a stored record and the pagination token.
 */
import type { AuditEventRecord } from '../store/types.js';
import { resourceName } from './record.js';

export interface LookupEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  /** Epoch seconds (JSON protocol timestamp). */
  EventTime: number;
  EventSource: string;
  Username?: string;
  Resources: Array<{ ResourceType: string; ResourceName: string }>;
  CloudTrailEvent: string;
}

export function lookupEvent(row: AuditEventRecord): LookupEvent {
  const record = JSON.parse(row.record) as { resources?: Array<{ type: string; ARN: string }> };
  const event: LookupEvent = {
    EventId: row.eventId,
    EventName: row.eventName,
    ReadOnly: row.readOnly ? 'true' : 'false',
    EventTime: Math.floor(row.eventTimeMs / 1000),
    EventSource: row.eventSource,
    Resources: (record.resources ?? []).map((resource) => ({ ResourceType: resource.type, ResourceName: resourceName(resource) })),
    CloudTrailEvent: row.record,
  };
  if (row.accessKeyId) event.AccessKeyId = row.accessKeyId;
  if (row.username) event.Username = row.username;
  return event;
}

export interface PagePosition {
  eventTimeMs: number;
  eventId: string;
}

/** Opaque NextToken: the position of the last event returned, bound to the query it came from. */
export function encodeNextToken(position: PagePosition, queryKey: string): string {
  return Buffer.from(JSON.stringify({ t: position.eventTimeMs, i: position.eventId, q: queryKey }), 'utf8').toString('base64url');
}

/** null when the token is malformed or belongs to another query. */
export function decodeNextToken(token: string, queryKey: string): PagePosition | null {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { t?: unknown; i?: unknown; q?: unknown };
    if (typeof data.t !== 'number' || typeof data.i !== 'string' || data.q !== queryKey) return null;
    return { eventTimeMs: data.t, eventId: data.i };
  } catch {
    return null;
  }
}
