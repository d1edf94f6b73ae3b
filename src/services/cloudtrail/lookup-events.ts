/**
 * CloudTrail LookupEvents (CloudTrail API Reference "LookupEvents"): the caller's account's events,
 * newest first, narrowed by at most one lookup attribute and a time range, in pages of ≤ 50.
 */
import type { JsonHandler } from '../service-call.js';
import type { AuditLookupAttribute } from '../../store/types.js';
import { serviceError } from '../../protocol/errors.js';
import { decodeNextToken, encodeNextToken, lookupEvent } from '../../audit/lookup.js';

const ATTRIBUTE_KEYS: readonly AuditLookupAttribute[] = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];
export const LOOKUP_MAX_RESULTS = 50;

function invalid(code: string, message: string) {
  return serviceError(code, message, 400);
}

/** JSON timestamps arrive as epoch seconds (the SDKs' default) or, from hand-written calls, ISO text. */
function timestampMs(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? (/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value)) : NaN;
  if (!Number.isFinite(ms)) throw serviceError('SerializationException', `Invalid value for ${name}.`, 400);
  return ms;
}

export const lookupEvents: JsonHandler = async (call) => {
  const input = call.input;
  const attributes = input.LookupAttributes;
  if (attributes !== undefined && !Array.isArray(attributes)) throw serviceError('SerializationException', 'LookupAttributes must be a list.', 400);
  const list = (attributes ?? []) as Array<{ AttributeKey?: unknown; AttributeValue?: unknown }>;
  if (list.length > 1) throw invalid('InvalidLookupAttributesException', 'You can specify only one lookup attribute per request.');
  let attribute: { key: AuditLookupAttribute; value: string } | null = null;
  if (list.length === 1) {
    const { AttributeKey: key, AttributeValue: value } = list[0] ?? {};
    if (typeof key !== 'string' || !(ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
      throw invalid('InvalidLookupAttributesException', `Invalid attribute key: ${String(key)}. Valid keys are ${ATTRIBUTE_KEYS.join(', ')}.`);
    }
    if (typeof value !== 'string' || value.length < 1 || value.length > 2000) {
      throw invalid('InvalidLookupAttributesException', 'AttributeValue must be a string of 1 to 2000 characters.');
    }
    attribute = { key: key as AuditLookupAttribute, value };
  }
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw invalid('InvalidEventCategoryException', 'Occurs if an event category that is not valid is specified as a value of EventCategory.');
  }
  if (input.EventCategory === 'insight') return { Events: [] }; // crossbucket has no Insights events
  const startMs = timestampMs(input.StartTime, 'StartTime');
  const endMs = timestampMs(input.EndTime, 'EndTime');
  if (startMs !== null && endMs !== null && startMs > endMs) {
    throw invalid('InvalidTimeRangeException', 'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.');
  }
  const maxResults = input.MaxResults === undefined || input.MaxResults === null ? LOOKUP_MAX_RESULTS : Number(input.MaxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > LOOKUP_MAX_RESULTS) {
    throw invalid('InvalidMaxResultsException', 'This exception is thrown if the limit specified is not valid.');
  }
  const accountId = call.identity.accountId!;
  const queryKey = JSON.stringify([accountId, attribute, startMs, endMs]);
  let before = null;
  if (input.NextToken !== undefined && input.NextToken !== null) {
    before = typeof input.NextToken === 'string' ? decodeNextToken(input.NextToken, queryKey) : null;
    if (!before) throw invalid('InvalidNextTokenException', 'A token that is not valid, or a token that was previously used in a request with different parameters.');
  }
  // AWS-DIFF: AWS keeps 90 days of management events for LookupEvents and records S3 data events only
  // in trails; crossbucket keeps the whole trail and answers LookupEvents for data events too, so an
  // owner can see what a partner did without setting up a trail (issue 6).
  const rows = await call.app.store.queryAuditEvents({ accountId, startMs, endMs, attribute, before, limit: maxResults + 1 });
  const page = rows.slice(0, maxResults);
  const response: Record<string, unknown> = { Events: page.map(lookupEvent) };
  if (rows.length > maxResults) {
    const last = page[page.length - 1]!;
    response.NextToken = encodeNextToken({ eventTimeMs: last.eventTimeMs, eventId: last.eventId }, queryKey);
  }
  return response;
};
