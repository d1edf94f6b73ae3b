/** What SigV4 verification needs from an HTTP request (no server objects, so it stays pure). */
export interface AuthInput {
  method: string;
  /** The path exactly as on the wire, still percent-encoded (no query). */
  rawPath: string;
  /** The query string after '?', exactly as on the wire ('' when absent). */
  rawQuery: string;
  /**
   * Lower-case header names, as node's IncomingMessage.headers. An array value is a header sent
   * several times; pass `req.headersDistinct` to keep repeated headers exact (node joins some with ', ').
   */
  headers: Record<string, string | string[] | undefined>;
  /** The server's "now" (ms since epoch) — from the injected clock. */
  nowMs: number;
}

/**
 * How the body is protected:
 * - signed: x-amz-content-sha256 is the hex SHA-256 of the body (checked as it streams)
 * - unsigned: UNSIGNED-PAYLOAD
 * - streaming-signed: STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked, every chunk signed)
 * - streaming-unsigned-trailer: STREAMING-UNSIGNED-PAYLOAD-TRAILER (aws-chunked, trailing checksum)
 * - streaming-signed-trailer: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER (signed chunks + signed trailer)
 * - body-hash: a non-S3 service request without x-amz-content-sha256: the canonical request uses the
 *   SHA-256 of the body itself, so the signature can only be checked once the body has been read
 *   (verifySignature checks it at once when the request declares an empty body; otherwise the
 *   payload verifier checks it at the end of the body — the caller must consume the body first).
 */
export type PayloadMode = 'signed' | 'unsigned' | 'streaming-signed' | 'streaming-unsigned-trailer' | 'streaming-signed-trailer' | 'body-hash';

export interface SignedAuth {
  kind: 'header' | 'presigned';
  accessKeyId: string;
  /** Credential-scope date, YYYYMMDD. */
  date: string;
  region: string;
  service: string;
  /** Lower-case names, in the order the client listed them. */
  signedHeaders: string[];
  /** Lower-case hex signature as provided. */
  signature: string;
  /** Request timestamp as signed, ISO 8601 basic (YYYYMMDDTHHMMSSZ). */
  amzDate: string;
  sessionToken?: string;
  /** The hash that goes in the canonical request ('' in body-hash mode until the body is read). */
  payloadHash: string;
  payloadMode: PayloadMode;
  /** Presigned only: X-Amz-Expires. */
  expiresSeconds?: number;
}

export type ParsedAuth = { kind: 'anonymous' } | SignedAuth;

/** Options shared by parseAuth / verifySignature / createPayloadVerifier. */
export interface AuthOptions {
  /** The region this endpoint serves (credential scope must name it). */
  region?: string;
  /**
   * The service the request was routed to ('s3', 'sts', 'iam', 'kms', ...). Selects S3's error
   * codes/messages and S3's canonical-URI rule (no normalization, no double encoding) versus
   * the other services'.
   */
  service?: string;
  /** Signing-key cache to reuse (create one per server: `new SigningKeyCache()`). */
  signingKeys?: import('./signing-key.js').SigningKeyCache;
}
