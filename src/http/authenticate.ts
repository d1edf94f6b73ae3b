import type { Readable } from 'node:stream';
import type { App } from '../app.js';
import type { Identity, RequestInfo } from '../context/request-context.js';
import { anonymousIdentity } from '../context/request-context.js';
import type { BodySource } from '../services/s3/call.js';
import { parseAuth, verifySignature, createPayloadVerifier, SigningKeyCache } from '../auth/index.js';
import { s3Error, serviceError, ServiceError } from '../protocol/errors.js';
import { CredentialError } from '../context/credential-resolver.js';

// Derived SigV4 signing keys, keyed by (secret, date, region, service): four HMACs saved per request.
const signingKeys = new SigningKeyCache();

export interface Authenticated {
  identity: Identity;
  body: BodySource;
}

/**
 * SigV4 step: parse the signature (header or presigned), look up the secret, verify the signature
 * in constant time, and wrap the body in a verifier that checks payload hashes, chunk signatures
 * and trailers as it streams.
 */
export async function authenticate(app: App, info: RequestInfo, service: string): Promise<Authenticated> {
  const input = { method: info.method, rawPath: info.rawPath, rawQuery: info.rawQuery, headers: info.headers, nowMs: app.clock.nowMs() };
  const parsed = parseAuth(input, { region: app.config.region, service });
  const declaredLength = declaredLengthOf(info);
  if (parsed.kind === 'anonymous') {
    return { identity: anonymousIdentity, body: { stream: info.req as Readable, declaredLength, trailers: () => ({}) } };
  }
  const resolved = await resolveCredential(app, parsed.accessKeyId, parsed.sessionToken, service);
  if (!resolved) {
    if (service === 's3') throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: parsed.accessKeyId });
    throw serviceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  verifySignature(parsed, input, resolved.secretAccessKey, { service, signingKeys });
  const verifier = createPayloadVerifier(parsed, input, resolved.secretAccessKey, { service, signingKeys });
  const stream = (info.req as Readable).pipe(verifier);
  (info.req as Readable).on('error', (error) => verifier.destroy(error));
  return {
    identity: resolved.identity,
    body: { stream, declaredLength, trailers: () => verifier.trailers ?? {} },
  };
}

async function resolveCredential(app: App, accessKeyId: string, sessionToken: string | undefined, service: string) {
  try {
    return await app.credentials.resolve(accessKeyId, sessionToken);
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    if (error.kind === 'expired-token') {
      if (service === 's3') throw s3Error('ExpiredToken', 'The provided token has expired.');
      throw serviceError('ExpiredToken', 'The security token included in the request is expired', 403);
    }
    if (service === 's3') throw s3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.');
    throw serviceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
}

function declaredLengthOf(info: RequestInfo): number | null {
  const decoded = info.headers['x-amz-decoded-content-length'];
  const text = decoded !== undefined ? String(decoded) : info.headers['content-length'] !== undefined ? String(info.headers['content-length']) : null;
  if (text === null) return null;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw s3Error('InvalidArgument', 'Invalid Content-Length');
  return value;
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}
