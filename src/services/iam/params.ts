/** Reading AWS Query parameters of IAM calls (Tags.member.N.Key, TagKeys.member.N, Marker/MaxItems …). */
import type { ServiceCall } from '../service-call.js';
import type { Tag } from '../../iam/model.js';
import { serviceError } from '../../protocol/errors.js';
import { Checks } from '../../iam/validation.js';

export function param(call: ServiceCall, name: string): string | undefined {
  return call.params.get(name);
}

/** Values of NAME.member.1, NAME.member.2 … in index order. */
export function memberList(call: ServiceCall, name: string): string[] {
  const prefix = `${name}.member.`;
  const found: Array<[number, string]> = [];
  for (const [key, value] of call.params) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(key.slice(prefix.length));
    if (Number.isInteger(index) && index > 0) found.push([index, value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

/** Tags.member.N.Key / .Value; undefined when no tag parameter is present. */
export function tagList(call: ServiceCall, name = 'Tags'): Tag[] | undefined {
  const prefix = `${name}.member.`;
  const byIndex = new Map<number, { Key?: string; Value?: string }>();
  for (const [key, value] of call.params) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)\.(Key|Value)$/.exec(key.slice(prefix.length));
    if (!match) continue;
    const entry = byIndex.get(Number(match[1])) ?? {};
    entry[match[2] as 'Key' | 'Value'] = value;
    byIndex.set(Number(match[1]), entry);
  }
  if (byIndex.size === 0) return undefined;
  const tags: Tag[] = [];
  const checks = new Checks();
  for (const [index, entry] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    if (entry.Key === undefined) checks.fail(`tags.${index}.member.key`, null, 'Member must not be null');
    if (entry.Value === undefined) checks.fail(`tags.${index}.member.value`, null, 'Member must not be null');
    if (entry.Key !== undefined) {
      checks.length(`tags.${index}.member.key`, entry.Key, 1, 128);
      checks.pattern(`tags.${index}.member.key`, entry.Key, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    }
    if (entry.Value !== undefined) {
      checks.length(`tags.${index}.member.value`, entry.Value, 0, 256);
      checks.pattern(`tags.${index}.member.value`, entry.Value, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    }
    tags.push({ Key: entry.Key ?? '', Value: entry.Value ?? '' });
  }
  checks.done();
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw serviceError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    seen.add(key);
  }
  return tags;
}

export const maxTagsPerResource = 50;

/** Merge tags into existing ones (keys compare case-insensitively; the new spelling wins). */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const out = existing.slice();
  for (const tag of added) {
    const index = out.findIndex((t) => t.Key.toLowerCase() === tag.Key.toLowerCase());
    if (index >= 0) out[index] = tag;
    else out.push(tag);
  }
  if (out.length > maxTagsPerResource) throw serviceError('LimitExceeded', `The number of tags has reached the maximum limit.`, 409);
  return out;
}

export function removeTags(existing: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}

/** Condition keys for tagging requests: aws:RequestTag/KEY and aws:TagKeys. */
export function tagContext(call: ServiceCall, name = 'Tags'): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  let tags: Tag[] | undefined;
  try {
    tags = tagList(call, name);
  } catch {
    return context; // the handler reports the validation error
  }
  if (!tags) return context;
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  context['aws:TagKeys'] = tags.map((t) => t.Key);
  return context;
}

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker: string | undefined;
}

/**
 * Marker/MaxItems pagination (MaxItems 1..1000, default 100). The marker is opaque to clients: it
 * carries the sort key of the last item returned.
 */
export function paginate<T>(call: ServiceCall, items: T[], keyOf: (item: T) => string, defaultMax = 100): Page<T> {
  const checks = new Checks();
  const max = checks.integer('maxItems', param(call, 'MaxItems'), 1, 1000) ?? defaultMax;
  const rawMarker = param(call, 'Marker');
  checks.length('marker', rawMarker, 1, 320);
  checks.done();
  let start = 0;
  if (rawMarker !== undefined) {
    const after = decodeMarker(rawMarker);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + max);
  const isTruncated = start + max < items.length;
  return { items: page, isTruncated, marker: isTruncated ? encodeMarker(keyOf(page[page.length - 1]!)) : undefined };
}

function encodeMarker(key: string): string {
  return Buffer.from(`cb1:${key}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  if (!text.startsWith('cb1:')) throw serviceError('ValidationError', 'Invalid Marker.', 400);
  return text.slice(4);
}

/** Page fields of a list result: IsTruncated, and Marker when truncated. */
export function pageFields(page: Page<unknown>): Record<string, unknown> {
  return page.isTruncated ? { IsTruncated: true, Marker: page.marker } : { IsTruncated: false };
}

/** The entity's path starts with PathPrefix (validated; default '/'). */
export function pathPrefixFilter(call: ServiceCall): (path: string) => boolean {
  const prefix = param(call, 'PathPrefix');
  const checks = new Checks();
  checks.pathPrefix('pathPrefix', prefix);
  checks.done();
  const wanted = prefix ?? '/';
  return (path) => path.startsWith(wanted);
}

/** Tags in key order (List*Tags pages through them by key). */
export function sortedTags(tags: Tag[]): Tag[] {
  return tags.slice().sort((a, b) => (a.Key.toLowerCase() < b.Key.toLowerCase() ? -1 : a.Key.toLowerCase() > b.Key.toLowerCase() ? 1 : 0));
}
