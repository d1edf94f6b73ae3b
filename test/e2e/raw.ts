/**
 * Hand-built HTTP requests for the cases SDKs never produce (tampered aws-chunked bodies, wrong
 * trailers, unknown operations). Signatures come from @smithy/signature-v4 (the oracle named in
 * design.md); aws-chunked chunk signatures are computed per the SigV4 streaming spec
 * ("Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks").
 */
import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { XMLParser } from 'fast-xml-parser';
import type { Credentials, Server } from './harness.js';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RawRequest {
  method: string;
  /** Already URI-encoded path, e.g. /bucket/key%20name */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  https?: boolean;
  /** Override the Host header (virtual-hosted style). */
  host?: string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function queryString(query: Record<string, string> | undefined): string {
  if (!query || Object.keys(query).length === 0) return '';
  return '?' + Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}${v === '' ? '=' : '=' + encodeURIComponent(v)}`).join('&');
}

/** Send one request with node:http(s) and collect the whole response. */
export function send(server: Server, request: RawRequest): Promise<RawResponse> {
  const useHttps = request.https ?? false;
  const port = useHttps ? server.info.httpsPort : server.info.httpPort;
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.host && !Object.keys(headers).some((h) => h.toLowerCase() === 'host')) headers.host = request.host;
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) headers['content-length'] = String(body.length);
  const options: https.RequestOptions = {
    host: '127.0.0.1',
    servername: useHttps ? 'localhost' : undefined,
    port,
    method: request.method,
    path: request.path + queryString(request.query),
    headers,
    ca: useHttps ? server.ca : undefined,
    agent: false,
  };
  return new Promise((resolve, reject) => {
    const req = (useHttps ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: all.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false });

/** Parse any XML document into plain objects (all values strings). */
export function parseXml(text: string): any {
  return parser.parse(text);
}

/** The `<Error>` element of an S3 error body (S3 API Reference, "Error responses"). */
export function s3ErrorOf(response: RawResponse): Record<string, string> {
  const doc = parseXml(response.text);
  if (!doc?.Error) throw new Error(`expected an S3 <Error> body, got ${response.status}: ${response.text.slice(0, 500)}`);
  return doc.Error as Record<string, string>;
}

export interface SignOptions {
  /** Sign for this service (default s3). */
  service?: string;
  region?: string;
  /** Value for x-amz-content-sha256 (default: the hex SHA-256 of the body). */
  payloadHash?: string;
  signingDate?: Date;
  credentials?: Credentials;
}

function signer(server: Server, credentials: Credentials, options: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials,
    region: options.region ?? server.region,
    service: options.service ?? 's3',
    sha256: Sha256,
    uriEscapePath: (options.service ?? 's3') !== 's3',
  });
}

function decodeQuery(query: Record<string, string> | undefined): Record<string, string> {
  return { ...(query ?? {}) };
}

export interface SignedParts {
  headers: Record<string, string>;
  /** Authorization header signature (the seed signature for aws-chunked bodies). */
  signature: string;
  amzDate: string;
  scope: string;
  signingDate: Date;
}

/** Compute SigV4 Authorization headers for a raw request (the body itself is not sent here). */
export async function signHeaders(server: Server, profile: string, request: RawRequest, options: SignOptions = {}): Promise<SignedParts> {
  const credentials = options.credentials ?? server.credentials(profile);
  const useHttps = request.https ?? false;
  const port = useHttps ? server.info.httpsPort : server.info.httpPort;
  const hostHeader = request.host ?? `${useHttps ? 'localhost' : '127.0.0.1'}:${port}`;
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string> = { host: hostHeader, ...lowerKeys(request.headers ?? {}) };
  headers['x-amz-content-sha256'] = options.payloadHash ?? headers['x-amz-content-sha256'] ?? sha256Hex(body);
  const signingDate = options.signingDate ?? new Date();
  const signed = await signer(server, credentials, options).sign(
    {
      method: request.method,
      protocol: useHttps ? 'https:' : 'http:',
      hostname: hostHeader.split(':')[0]!,
      port,
      // S3 canonical URIs are the request path as sent (already encoded, not re-encoded).
      path: request.path,
      query: decodeQuery(request.query),
      headers,
    },
    { signingDate },
  );
  const out = signed.headers as Record<string, string>;
  const authorization = out.authorization ?? out.Authorization!;
  const signature = /Signature=([0-9a-f]{64})/.exec(authorization)![1]!;
  const amzDate = out['x-amz-date']!;
  const scope = `${amzDate.slice(0, 8)}/${options.region ?? server.region}/${options.service ?? 's3'}/aws4_request`;
  return { headers: out, signature, amzDate, scope, signingDate };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Sign and send a request whose payload hash is the body's SHA-256 (or options.payloadHash). */
export async function signedRequest(server: Server, profile: string, request: RawRequest, options: SignOptions = {}): Promise<RawResponse> {
  const signed = await signHeaders(server, profile, request, options);
  return send(server, { ...request, headers: signed.headers });
}

/** Sign an arbitrary string-to-sign with the derived SigV4 key of the profile. */
export async function signString(server: Server, profile: string, stringToSign: string, signingDate: Date, options: SignOptions = {}): Promise<string> {
  const credentials = options.credentials ?? server.credentials(profile);
  return signer(server, credentials, options).sign(stringToSign, { signingDate, signingRegion: options.region ?? server.region, signingService: options.service ?? 's3' });
}

const emptySha256 = sha256Hex('');

/**
 * Build a STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) body: each chunk is
 * `hex-size;chunk-signature=SIG\r\nDATA\r\n`, the final chunk has size 0; with a trailer, the
 * trailer lines and `x-amz-trailer-signature` follow the final chunk.
 */
export async function signedChunkedBody(
  server: Server,
  profile: string,
  seed: SignedParts,
  chunks: Buffer[],
  trailer?: Record<string, string>,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let previous = seed.signature;
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', seed.amzDate, seed.scope, previous, emptySha256, sha256Hex(chunk)].join('\n');
    const signature = await signString(server, profile, stringToSign, seed.signingDate);
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), chunk, Buffer.from('\r\n'));
    previous = signature;
  }
  if (trailer) {
    // The final chunk's trailing CRLF is replaced by the trailer section.
    parts.pop();
    const trailerText = Object.entries(trailer).map(([k, v]) => `${k}:${v}\n`).join('');
    const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', seed.amzDate, seed.scope, previous, sha256Hex(trailerText)].join('\n');
    const signature = await signString(server, profile, stringToSign, seed.signingDate);
    parts.push(Buffer.from(Object.entries(trailer).map(([k, v]) => `${k}:${v}\r\n`).join('') + `x-amz-trailer-signature:${signature}\r\n\r\n`));
  }
  return Buffer.concat(parts);
}

/** Build a STREAMING-UNSIGNED-PAYLOAD-TRAILER body: plain aws-chunked with a trailer section. */
export function unsignedChunkedBody(chunks: Buffer[], trailer: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  parts.push(Buffer.from('0\r\n' + Object.entries(trailer).map(([k, v]) => `${k}:${v}\r\n`).join('') + '\r\n'));
  return Buffer.concat(parts);
}

/** Send a request to a full URL (e.g. a presigned one) on this server. */
export function sendUrl(server: Server, url: string, method = 'GET', body?: Buffer | string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const parsed = new URL(url);
  return send(server, { method, path: parsed.pathname + parsed.search, body, headers: { host: parsed.host, ...headers }, https: parsed.protocol === 'https:' });
}
