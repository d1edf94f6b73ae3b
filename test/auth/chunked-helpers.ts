import { oracle, signingDate, toAuthInput, toRequest, type OracleRequest } from './helpers.js';
import { checksumOf, sha256Hex, type AuthInput } from '../../src/auth/index.js';

export type StreamingMode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';

export interface ChunkedRequest {
  input: AuthInput;
  body: Buffer;
}

/**
 * Build an aws-chunked request the way the SDKs do, with @smithy/signature-v4 signing the request
 * (seed), every chunk (signEvent with empty headers = AWS4-HMAC-SHA256-PAYLOAD) and the trailer.
 */
export async function chunkedRequest(
  mode: StreamingMode,
  payload: Buffer,
  chunkSize: number,
  opts: { trailerValue?: string; algorithm?: string; path?: string } = {},
): Promise<ChunkedRequest> {
  const signer = oracle('s3');
  const trailer = mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  const algorithm = opts.algorithm ?? 'CRC32';
  const trailerName = `x-amz-checksum-${algorithm.toLowerCase()}`;
  const headers: Record<string, string> = {
    host: 'localhost:4580',
    'x-amz-content-sha256': mode,
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(payload.length),
  };
  if (trailer) headers['x-amz-trailer'] = trailerName;
  const request: OracleRequest = { method: 'PUT', path: opts.path ?? '/bucket/object', headers };
  const signed = (await signer.sign(toRequest(request) as never, { signingDate })) as unknown as { headers: Record<string, string> };
  const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization!)![1]!;
  const signedChunks = mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const parts: Buffer[] = [];
  let previous = seed;
  const chunks: Buffer[] = [];
  for (let i = 0; i < payload.length; i += chunkSize) chunks.push(payload.subarray(i, i + chunkSize));
  chunks.push(Buffer.alloc(0));
  for (const chunk of chunks) {
    if (signedChunks) {
      previous = await signer.sign({ headers: new Uint8Array(0), payload: chunk } as never, { signingDate, priorSignature: previous } as never);
      parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`));
    } else {
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`));
    }
    if (chunk.length > 0) parts.push(chunk, Buffer.from('\r\n'));
  }
  if (trailer) {
    const value = opts.trailerValue ?? checksumOf(algorithm, payload);
    const canonical = `${trailerName}:${value}\n`;
    parts.push(Buffer.from(`${trailerName}:${value}\r\n`));
    if (signedChunks) {
      const stringToSign = `AWS4-HMAC-SHA256-TRAILER\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n${previous}\n${sha256Hex(canonical)}`;
      const signature = await signer.sign(stringToSign, { signingDate });
      parts.push(Buffer.from(`x-amz-trailer-signature:${signature}\r\n`));
    }
  }
  parts.push(Buffer.from('\r\n'));
  const body = Buffer.concat(parts);
  const input = toAuthInput({ method: 'PUT', path: request.path, headers: { ...signed.headers, 'content-length': String(body.length) } });
  return { input, body };
}
