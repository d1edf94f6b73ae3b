/**
 * Global condition keys AWS populates on every request (IAM User Guide "AWS global condition
 * context keys"). Keys are lower-cased for the engine's fast path.
 */
import type { TLSSocket } from 'node:tls';
import type { Identity, RequestInfo } from './request-context.js';

export function globalConditionKeys(info: RequestInfo, identity: Identity, region: string, nowMs: number): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {
    'aws:sourceip': info.sourceIp,
    'aws:securetransport': info.tls ? 'true' : 'false',
    'aws:currenttime': new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:epochtime': String(Math.floor(nowMs / 1000)),
    'aws:requestedregion': region,
    'aws:viaawsservice': 'false',
    'aws:principalisawsservice': 'false',
  };
  if (info.userAgent) keys['aws:useragent'] = info.userAgent;
  // Present only for temporary credentials (IAM UG: use BoolIfExists for long-term keys).
  if (identity.session) {
    keys['aws:multifactorauthpresent'] = identity.mfaPresent ? 'true' : 'false';
    if (identity.tokenIssueTimeMs !== null) keys['aws:tokenissuetime'] = new Date(identity.tokenIssueTimeMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (identity.session.sourceIdentity) keys['aws:sourceidentity'] = identity.session.sourceIdentity;
  }
  return keys;
}

/** s3:TlsVersion: the negotiated protocol (e.g. 1.3) on HTTPS requests. */
export function tlsVersion(info: RequestInfo): string | null {
  if (!info.tls) return null;
  const protocol = (info.req.socket as TLSSocket).getProtocol?.();
  const match = protocol ? /TLSv(\d(?:\.\d)?)/.exec(protocol) : null;
  return match ? (match[1]!.includes('.') ? match[1]! : `${match[1]}.0`) : null;
}
