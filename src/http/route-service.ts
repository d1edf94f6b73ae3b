import type { RequestInfo } from '../context/request-context.js';

export type Protocol = 's3' | 'query' | 'json' | 'internal';

/** Services served on the one endpoint, by SigV4 credential-scope name, with their protocol. */
export const serviceProtocols: Record<string, Protocol> = {
  s3: 's3',
  iam: 'query',
  sts: 'query',
  kms: 'json',
  organizations: 'json',
  cloudtrail: 'json',
};

/**
 * Which service and protocol a request is for, read from the SigV4 credential scope (header or
 * presigned query) before verification, falling back to the request's shape for unsigned calls.
 */
export function routeService(info: RequestInfo): { service: string; protocol: Protocol } {
  if (info.rawPath.startsWith('/_crossbucket/')) return { service: 'crossbucket', protocol: 'internal' };
  const authorization = info.headers.authorization;
  const scopeSource = typeof authorization === 'string' ? authorization : info.query.get('X-Amz-Credential') ?? '';
  const match = /Credential=?[^/]*\/\d{8}\/[^/]+\/([^/,\s]+)\/aws4_request/.exec(scopeSource) ?? /^[^/]*\/\d{8}\/[^/]+\/([^/]+)\/aws4_request$/.exec(scopeSource);
  if (match) {
    const service = match[1]!;
    return { service, protocol: serviceProtocols[service] ?? guessProtocol(info) };
  }
  const guessed = guessProtocol(info);
  if (guessed === 'json') return { service: jsonServiceOf(String(info.headers['x-amz-target'] ?? '')), protocol: guessed };
  return { service: guessed === 'query' ? 'sts' : 's3', protocol: guessed };
}

/** Unsigned JSON requests: the service from the X-Amz-Target prefix (so errors use its wording). */
function jsonServiceOf(target: string): string {
  if (target.startsWith('TrentService.')) return 'kms';
  if (target.startsWith('AWSOrganizationsV20161128.')) return 'organizations';
  if (target.startsWith('com.amazonaws.cloudtrail.')) return 'cloudtrail';
  return 'unknown';
}

function guessProtocol(info: RequestInfo): Protocol {
  if (info.headers['x-amz-target'] !== undefined) return 'json';
  const contentType = String(info.headers['content-type'] ?? '');
  if (info.method === 'POST' && info.rawPath === '/' && contentType.startsWith('application/x-www-form-urlencoded')) return 'query';
  return 's3';
}
