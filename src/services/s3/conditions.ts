import { s3Error } from '../../protocol/errors.js';

/** The precondition headers of a GET/HEAD (or their x-amz-copy-source-if-* twins on copies). */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

export type PreconditionOutcome = 'proceed' | 'not-modified' | 'failed';

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').map((s) => s.trim()).some((candidate) => candidate === '*' || candidate === etag || `"${candidate}"` === etag || candidate.replace(/^W\//, '') === etag);
}

function parseDate(text: string | undefined): number | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * RFC 7232 as S3 applies it (GetObject docs): If-Match true wins over If-Unmodified-Since false;
 * If-None-Match false (ETag matched) with If-Modified-Since true still answers 304.
 */
export function evaluatePreconditions(p: Preconditions, etag: string, lastModifiedMs: number): PreconditionOutcome {
  const lastModifiedSeconds = Math.floor(lastModifiedMs / 1000) * 1000;
  if (p.ifMatch !== undefined) {
    if (!etagMatches(p.ifMatch, etag)) return 'failed';
  } else {
    const since = parseDate(p.ifUnmodifiedSince);
    if (since !== null && lastModifiedSeconds > since) return 'failed';
  }
  if (p.ifNoneMatch !== undefined) {
    if (etagMatches(p.ifNoneMatch, etag)) return 'not-modified';
  } else {
    const since = parseDate(p.ifModifiedSince);
    if (since !== null && lastModifiedSeconds <= since) return 'not-modified';
  }
  return 'proceed';
}

export function readPreconditions(headers: Record<string, string | string[] | undefined>, prefix = 'if-'): Preconditions {
  const get = (name: string) => {
    const value = headers[prefix + name];
    return value === undefined ? undefined : String(value);
  };
  return { ifMatch: get('match'), ifNoneMatch: get('none-match'), ifModifiedSince: get('modified-since'), ifUnmodifiedSince: get('unmodified-since') };
}

/** Copy sources: both failing outcomes are 412 PreconditionFailed (CopyObject docs). */
export function assertCopySourcePreconditions(headers: Record<string, string | string[] | undefined>, etag: string, lastModifiedMs: number): void {
  const outcome = evaluatePreconditions(readPreconditions(headers, 'x-amz-copy-source-if-'), etag, lastModifiedMs);
  if (outcome !== 'proceed') throw s3Error('PreconditionFailed', undefined, { Condition: 'x-amz-copy-source-If-Match' });
}

export interface ByteRange {
  start: number;
  endInclusive: number;
}

/**
 * Parse a single HTTP Range (bytes=a-b, bytes=a-, bytes=-n). Returns null when the header should be
 * ignored (absent, malformed or several ranges: S3 serves the whole object then), throws InvalidRange
 * when unsatisfiable.
 */
export function parseRange(header: string | undefined, sizeBytes: number): ByteRange | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw invalidRange(header, sizeBytes);
    start = Math.max(0, sizeBytes - suffix);
    end = sizeBytes - 1;
  } else {
    start = Number(first);
    end = last === '' ? sizeBytes - 1 : Math.min(Number(last), sizeBytes - 1);
    if (last !== '' && Number(last) < start) return null;
  }
  if (start >= sizeBytes || sizeBytes === 0) throw invalidRange(header, sizeBytes);
  return { start, endInclusive: end };
}

function invalidRange(header: string, sizeBytes: number) {
  return s3Error('InvalidRange', 'The requested range is not satisfiable', { RangeRequested: header, ActualObjectSize: String(sizeBytes) });
}
