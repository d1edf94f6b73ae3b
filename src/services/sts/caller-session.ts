/**
 * What AssumeRole needs to know about the caller's own session (role chaining): its transitive
 * session tags and source identity. Taken from Identity.session (filled by the credential resolver
 * from the sealed token); when absent, the request's session token is opened again (the resolver
 * has already verified it) and must belong to the same access key.
 */
import type { ServiceCall } from '../service-call.js';
import { header } from '../../context/request-context.js';
import { openSessionToken } from '../../identity/session-token.js';

export interface CallerSession {
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  sourceIdentity: string | null;
}

export function isTemporaryAccessKey(accessKeyId: string | null): boolean {
  return accessKeyId !== null && accessKeyId.startsWith('ASIA');
}

export function callerSession(call: ServiceCall): CallerSession | null {
  if (!isTemporaryAccessKey(call.identity.accessKeyId)) return null;
  const session = call.identity.session;
  if (session) return { tags: session.tags, transitiveTagKeys: session.transitiveTagKeys, sourceIdentity: session.sourceIdentity };
  const token = header(call.info, 'x-amz-security-token') ?? call.info.query.get('X-Amz-Security-Token');
  if (!token) return null;
  const claims = openSessionToken(call.app.masterKey, token);
  if (!claims || claims.accessKeyId !== call.identity.accessKeyId) return null;
  return { tags: claims.tags, transitiveTagKeys: claims.transitiveTagKeys, sourceIdentity: claims.sourceIdentity };
}
