import { canonicalRequest, stringToSign } from './canonical.js';
import { spacedHex } from './encoding.js';
import { signatureMismatch } from './errors.js';
import { headerValue } from './parse.js';
import { emptySha256, hmac, signaturesEqual, signingKeyFor } from './signing-key.js';
import type { AuthInput, AuthOptions, ParsedAuth, SignedAuth } from './types.js';

/** What a signature check computed (exported for diagnostics and tests). */
export interface SignatureComputation {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Compute the signature the client should have sent, for the given payload hash. */
export function computeSignature(parsed: SignedAuth, req: AuthInput, secretAccessKey: string, payloadHash: string, opts: AuthOptions = {}): SignatureComputation {
  const canonical = canonicalRequest(parsed, req, payloadHash);
  const toSign = stringToSign(parsed, canonical);
  const key = signingKeyFor(secretAccessKey, parsed.date, parsed.region, parsed.service, opts.signingKeys);
  return { canonicalRequest: canonical, stringToSign: toSign, signature: hmac(key, toSign).toString('hex') };
}

/** Throw SignatureDoesNotMatch (with S3's diagnostic elements) unless the signature matches. */
export function checkSignature(parsed: SignedAuth, req: AuthInput, secretAccessKey: string, payloadHash: string, opts: AuthOptions = {}): void {
  const computed = computeSignature(parsed, req, secretAccessKey, payloadHash, opts);
  if (signaturesEqual(computed.signature, parsed.signature)) return;
  throw signatureMismatch(opts.service ?? parsed.service, {
    AWSAccessKeyId: parsed.accessKeyId,
    StringToSign: computed.stringToSign,
    SignatureProvided: parsed.signature,
    StringToSignBytes: spacedHex(computed.stringToSign),
    CanonicalRequest: computed.canonicalRequest,
    CanonicalRequestBytes: spacedHex(computed.canonicalRequest),
  });
}

/** True when the request says it has no body (so a body-hash signature can be checked at once). */
function declaresEmptyBody(req: AuthInput): boolean {
  const length = headerValue(req.headers, 'content-length');
  if (length !== undefined) return length.trim() === '0';
  return headerValue(req.headers, 'transfer-encoding') === undefined;
}

/**
 * Verify the request signature (header or presigned) against the secret, in constant time.
 * Anonymous requests pass through (the caller decides what they may do).
 * In 'body-hash' mode with a non-empty body the check happens in createPayloadVerifier at the end
 * of the body (the canonical request needs the body's SHA-256).
 * Throws SignatureDoesNotMatch: S3's carries AWSAccessKeyId, StringToSign, SignatureProvided,
 * StringToSignBytes, CanonicalRequest, CanonicalRequestBytes; other services' the plain message.
 */
export function verifySignature(parsed: ParsedAuth, req: AuthInput, secretAccessKey: string, opts: AuthOptions = {}): void {
  if (parsed.kind === 'anonymous') return;
  if (parsed.payloadMode === 'body-hash') {
    if (declaresEmptyBody(req)) checkSignature(parsed, req, secretAccessKey, emptySha256, opts);
    return;
  }
  checkSignature(parsed, req, secretAccessKey, parsed.payloadHash, opts);
}
