/**
 * A lean SigV4 S3 client for the benchmark: node:http with a keep-alive Agent and header signing
 * with node:crypto (HMAC-SHA256), so the client costs a few microseconds per request and the server
 * is what gets measured. Path-style addressing; signed headers: host, x-amz-content-sha256, x-amz-date.
 * The signing key is derived once per day and reused, as the AWS SDKs do.
 */
import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';

export const unsignedPayload = 'UNSIGNED-PAYLOAD';
export const emptyBodySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Target {
  host: string;
  port: number;
}

export interface SignedRequest {
  method: string;
  /** Path as sent on the wire (already percent-encoded where needed). */
  path: string;
  /** Query parameters (unencoded); signed and sent in canonical order. */
  query?: Record<string, string>;
  /** Body hash to sign: hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
  contentLength?: number;
  /** Credential-scope service (default 's3'). */
  service?: string;
  /** Extra headers, sent but not signed (e.g. content-type). */
  headers?: Record<string, string>;
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  /** The body, only when keepBody was asked for. */
  body: Buffer | null;
}

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept). */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export class SigV4Client {
  readonly agent: http.Agent;
  private readonly hostHeader: string;
  private readonly signingKeys = new Map<string, Buffer>();

  constructor(
    private readonly target: Target,
    private readonly credentials: Credentials,
    private readonly region = 'us-east-1',
    maxSockets = 16,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    this.hostHeader = `${target.host}:${target.port}`;
  }

  private keyFor(date: string, service: string): Buffer {
    const id = `${date}/${service}`;
    let key = this.signingKeys.get(id);
    if (!key) {
      const kDate = hmac(`AWS4${this.credentials.secretAccessKey}`, date);
      key = hmac(hmac(hmac(kDate, this.region), service), 'aws4_request');
      this.signingKeys.set(id, key);
    }
    return key;
  }

  /** Headers (including Authorization) and the request path with its query string. */
  sign(request: SignedRequest, nowMs = Date.now()): { path: string; headers: Record<string, string | number> } {
    const amzDate = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const date = amzDate.slice(0, 8);
    const query = request.query
      ? Object.entries(request.query)
          .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
          .sort()
          .join('&')
      : '';
    const canonical = [
      request.method,
      request.path,
      query,
      `host:${this.hostHeader}\nx-amz-content-sha256:${request.payloadHash}\nx-amz-date:${amzDate}\n`,
      'host;x-amz-content-sha256;x-amz-date',
      request.payloadHash,
    ].join('\n');
    const service = request.service ?? 's3';
    const scope = `${date}/${this.region}/${service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
    const signature = createHmac('sha256', this.keyFor(date, service)).update(toSign, 'utf8').digest('hex');
    const headers: Record<string, string | number> = {
      ...request.headers,
      host: this.hostHeader,
      'x-amz-content-sha256': request.payloadHash,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${signature}`,
    };
    if (request.contentLength !== undefined) headers['content-length'] = request.contentLength;
    return { path: query ? `${request.path}?${query}` : request.path, headers };
  }

  /** Send one signed request; the response body is counted (and kept when keepBody). */
  send(request: SignedRequest, body?: Buffer, keepBody = false): Promise<Response> {
    const signed = this.sign(request);
    return rawRequest(this.target, this.agent, request.method, signed.path, signed.headers, body, keepBody);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One HTTP exchange with the given agent; resolves when the response body has ended. */
export function rawRequest(
  target: Target,
  agent: http.Agent,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: Buffer,
  keepBody = false,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, method, path, headers, agent }, (res) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      // Error bodies are always kept, so a failure can say what the server answered.
      const keep = keepBody || (res.statusCode ?? 0) >= 300;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, body: keep ? Buffer.concat(chunks) : null }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Throw with the server's error text unless the status is the expected one. */
export function expectStatus(response: Response, expected: number, what: string): void {
  if (response.status !== expected) {
    const detail = response.body ? response.body.toString('utf8').slice(0, 300) : `${response.bytes} bytes`;
    throw new Error(`${what}: HTTP ${response.status} (expected ${expected}): ${detail}`);
  }
}
