import { canonicalComponent, percentDecodeBytes, splitRawQuery, uriEncode, uriEncodeBytes } from './encoding.js';
import { isS3 } from './errors.js';
import { sha256Hex } from './signing-key.js';
import type { AuthInput, SignedAuth } from './types.js';

/**
 * Canonical URI. S3: each path segment decoded and re-encoded once (RFC 3986), no normalization,
 * so keys like "a//b" or "../x" sign as sent. Other services: '.'/'..' and empty segments removed,
 * then the (already encoded) path encoded a second time.
 */
export function canonicalUri(rawPath: string, service: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (isS3(service)) {
    return path
      .split('/')
      .map((segment) => uriEncodeBytes(percentDecodeBytes(segment)))
      .join('/');
  }
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized, true);
}

/** Canonical query: every parameter decoded and re-encoded (RFC 3986), sorted by name then value. */
export function canonicalQuery(rawQuery: string, excludeSignature: boolean): string {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of splitRawQuery(rawQuery)) {
    const canonicalName = canonicalComponent(name);
    if (excludeSignature && canonicalName === 'X-Amz-Signature') continue;
    pairs.push([canonicalName, canonicalComponent(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const trim = (text: string) => text.trim().replace(/\s+/g, ' ');
  return Array.isArray(value) ? value.map(trim).join(',') : trim(value);
}

/** Canonical headers block: only the headers named in SignedHeaders, "name:value\n" each. */
export function canonicalHeaders(headers: AuthInput['headers'], signedHeaders: string[]): string {
  let out = '';
  for (const name of signedHeaders) out += `${name}:${canonicalHeaderValue(headers[name])}\n`;
  return out;
}

/** The SigV4 canonical request for a parsed signature, with the given payload hash. */
export function canonicalRequest(parsed: SignedAuth, req: AuthInput, payloadHash: string): string {
  return [
    req.method.toUpperCase(),
    canonicalUri(req.rawPath, parsed.service),
    canonicalQuery(req.rawQuery, parsed.kind === 'presigned'),
    canonicalHeaders(req.headers, parsed.signedHeaders),
    parsed.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** "date/region/service/aws4_request" */
export function credentialScope(parsed: SignedAuth): string {
  return `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
}

/** The SigV4 string to sign for a canonical request. */
export function stringToSign(parsed: SignedAuth, canonical: string): string {
  return `AWS4-HMAC-SHA256\n${parsed.amzDate}\n${credentialScope(parsed)}\n${sha256Hex(canonical)}`;
}
