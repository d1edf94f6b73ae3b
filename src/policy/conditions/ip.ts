/** IPv4/IPv6 addresses and CIDR blocks for IpAddress/NotIpAddress [IAM-OPS]. */

export interface Cidr {
  readonly v6: boolean;
  /** IPv4 network as an unsigned 32-bit number (v6 === false). */
  readonly network4: number;
  readonly mask4: number;
  /** IPv6 network (v6 === true). */
  readonly network6: bigint;
  readonly prefixBits: number;
}

export type ParsedIp = { readonly v6: false; readonly v4: number } | { readonly v6: true; readonly value: bigint };

/** Dotted quad → unsigned 32-bit number, or null. */
function parseV4(text: string): number | null {
  let value = 0;
  let octet = -1;
  let parts = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      if (octet < 0 || octet > 255) return null;
      value = value * 256 + octet;
      parts++;
      octet = -1;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (++digits > 3) return null;
      octet = (octet < 0 ? 0 : octet * 10) + (code - 48);
    } else {
      return null;
    }
  }
  return parts === 4 ? value : null;
}

function parseV6(text: string): bigint | null {
  let body = text;
  if (body.includes('.')) {
    // Embedded IPv4 tail (e.g. ::ffff:192.0.2.1): rewrite it as two hex groups.
    const lastColon = body.lastIndexOf(':');
    const v4 = parseV4(body.slice(lastColon + 1));
    if (v4 === null) return null;
    body = body.slice(0, lastColon + 1) + Math.floor(v4 / 65536).toString(16) + ':' + (v4 % 65536).toString(16);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const toGroups = (s: string): bigint[] | null => {
    if (s === '') return [];
    const groups: bigint[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(BigInt(parseInt(g, 16)));
    }
    return groups;
  };
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!head || !rest) return null;
  const known = head.length + rest.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (known > 7) return null;
    groups = [...head, ...new Array<bigint>(8 - known).fill(0n), ...rest];
  } else {
    groups = head;
    if (groups.length !== 8) return null;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | g;
  return value;
}

/** Parses an address; IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are treated as IPv4. */
export function parseIp(text: string): ParsedIp | null {
  if (text.includes(':')) {
    const value = parseV6(text);
    if (value === null) return null;
    if (value >> 32n === 0xffffn) return { v6: false, v4: Number(value & 0xffffffffn) };
    return { v6: true, value };
  }
  const v4 = parseV4(text);
  return v4 === null ? null : { v6: false, v4 };
}

/** Parses `a.b.c.d/n` or `x::y/n`; a bare address is /32 (IPv4) or /128 (IPv6). */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = (slash < 0 ? text : text.slice(0, slash)).trim();
  const ip = parseIp(address);
  if (!ip) return null;
  const width = ip.v6 ? 128 : 32;
  let prefixBits = width;
  if (slash >= 0) {
    const bits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bits)) return null;
    prefixBits = Number(bits);
    if (prefixBits > (address.includes(':') ? 128 : width)) return null;
  }
  // An IPv4-mapped address written with an IPv6 prefix length: convert the prefix to IPv4.
  if (!ip.v6 && address.includes(':')) prefixBits = slash < 0 ? 32 : Math.max(0, prefixBits - 96);
  if (ip.v6) {
    const shift = BigInt(128 - prefixBits);
    return { v6: true, network4: 0, mask4: 0, network6: (ip.value >> shift) << shift, prefixBits };
  }
  const mask4 = prefixBits === 0 ? 0 : (0xffffffff << (32 - prefixBits)) >>> 0;
  return { v6: false, network4: (ip.v4 & mask4) >>> 0, mask4, network6: 0n, prefixBits };
}

export function ipInCidr(cidr: Cidr, ip: ParsedIp): boolean {
  if (ip.v6 !== cidr.v6) return false;
  if (!ip.v6) return ((ip.v4 & cidr.mask4) >>> 0) === cidr.network4;
  const shift = BigInt(128 - cidr.prefixBits);
  return (ip.value >> shift) << shift === cidr.network6;
}

export function cidrContains(cidr: Cidr, address: string): boolean {
  const ip = parseIp(address.trim());
  return ip !== null && ipInCidr(cidr, ip);
}
