/** Percent-encoding helpers for SigV4 canonical forms (RFC 3986, upper-case hex). */

const unreserved = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') unreserved[c.charCodeAt(0)] = 1;
const hexUpper = '0123456789ABCDEF';

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Decode %XX sequences to bytes; anything else (including a stray '%') is kept as its UTF-8 bytes. '+' stays '+'. */
export function percentDecodeBytes(text: string): Buffer {
  if (!text.includes('%')) return Buffer.from(text, 'utf8');
  const raw = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(raw.length);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 37 && i + 2 < raw.length) {
      const hi = hexValue(raw[i + 1]!);
      const lo = hexValue(raw[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = byte;
  }
  return out.subarray(0, o);
}

/** RFC 3986 encoding of bytes: unreserved characters kept, everything else %XX (upper-case); '/' kept when keepSlash. */
export function uriEncodeBytes(bytes: Buffer, keepSlash = false): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (unreserved[byte] || (keepSlash && byte === 47)) out += String.fromCharCode(byte);
    else out += '%' + hexUpper[byte >> 4] + hexUpper[byte & 15];
  }
  return out;
}

/** RFC 3986 encoding of a string's UTF-8 bytes. */
export function uriEncode(text: string, keepSlash = false): string {
  return uriEncodeBytes(Buffer.from(text, 'utf8'), keepSlash);
}

/** Normalize a wire-encoded component to its canonical encoding (decode, then encode strictly). */
export function canonicalComponent(wire: string): string {
  return uriEncodeBytes(percentDecodeBytes(wire));
}

/** "41 57 53 34" — how S3 prints StringToSignBytes / CanonicalRequestBytes. */
export function spacedHex(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = bytes[i]!.toString(16).padStart(2, '0');
  return parts.join(' ');
}

/** Split a raw query string into [name, value] pairs, both still wire-encoded. */
export function splitRawQuery(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}

/** Decoded query parameter lookup (first occurrence), for X-Amz-* presign parameters. */
export function queryParams(rawQuery: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of splitRawQuery(rawQuery)) {
    const key = percentDecodeBytes(name).toString('utf8');
    if (!map.has(key)) map.set(key, percentDecodeBytes(value).toString('utf8'));
  }
  return map;
}
