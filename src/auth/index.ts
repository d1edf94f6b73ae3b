/**
 * SigV4 verification and body integrity — pure functions and streams, no HTTP server, no store.
 *
 * The HTTP front uses it like this:
 *   const input = { method, rawPath, rawQuery, headers, nowMs };        // AuthInput
 *   const parsed = parseAuth(input, { region, service, signingKeys });  // throws S3-shaped errors
 *   if (parsed.kind !== 'anonymous') {
 *     const secret = lookUp(parsed.accessKeyId, parsed.sessionToken);  // InvalidAccessKeyId is the caller's
 *     verifySignature(parsed, input, secret, { service, signingKeys });
 *   }
 *   const body = req.pipe(createPayloadVerifier(parsed, input, secret, { service, signingKeys }));
 *   const digester = new BodyDigester(headers, { defaultAlgorithm: 'CRC64NVME' });
 *   for await (const chunk of body) digester.update(chunk);   // (and store the bytes)
 *   const digest = digester.finish(body.trailers);            // ETag + checksum to store
 *
 * Errors are S3Error (S3) or ServiceError (other services) from src/protocol/errors.ts.
 */
export type { AuthInput, AuthOptions, ParsedAuth, PayloadMode, SignedAuth } from './types.js';
export { parseAuth, headerValue } from './parse.js';
export { verifySignature, checkSignature, computeSignature, type SignatureComputation } from './verify.js';
export { canonicalRequest, canonicalUri, canonicalQuery, canonicalHeaders, credentialScope, stringToSign } from './canonical.js';
export { SigningKeyCache, deriveSigningKey, signingKeyFor, signaturesEqual, sha256Hex, emptySha256 } from './signing-key.js';
export { s3SignatureMismatchMessage, serviceSignatureMismatchMessage, isS3, parseAmzDate, formatAmzDate } from './errors.js';
export { createPayloadVerifier, type PayloadVerifier, type PayloadOptions } from './payload.js';
export { AwsChunkedDecoder, type ChunkSigning, type ChunkedDecoderOptions } from './chunked.js';
export {
  createChecksum,
  checksumOf,
  checksumAlgorithm,
  checksumAlgorithmNames,
  checksumDigestBytes,
  checksumHeaderName,
  isValidChecksumValue,
  type Checksum,
  type ChecksumAlgorithmName,
} from './checksums.js';
export { BodyDigester, type BodyDigest, type BodyDigesterOptions } from './body-digester.js';
export { compositeChecksum, fullObjectChecksum, fullObjectAlgorithms, multipartEtag } from './multipart-checksums.js';
export { crc32, crc32c, Crc64Nvme, crc32Combine, crc32cCombine, crc64NvmeCombine } from './crc.js';
