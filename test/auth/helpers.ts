import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { AuthInput } from '../../src/auth/index.js';

export const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
export const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const signingDate = new Date('2013-05-24T00:00:00Z');
export const signingNowMs = signingDate.getTime();

/** The oracle: @smithy/signature-v4 with the pure-JS SHA-256. */
export function oracle(service = 's3', region = 'us-east-1', secret = secretAccessKey, sessionToken?: string): SignatureV4 {
  return new SignatureV4({
    service,
    region,
    sha256: Sha256,
    credentials: { accessKeyId, secretAccessKey: secret, ...(sessionToken ? { sessionToken } : {}) },
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
}

/** RFC 3986 encoding as the SDKs put it on the wire. */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface OracleRequest {
  method: string;
  /** Wire path (already encoded). */
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export function toRequest(r: OracleRequest) {
  return { method: r.method, protocol: 'http:', hostname: 'localhost', port: 4580, path: r.path, query: r.query ?? {}, headers: { ...r.headers }, body: r.body };
}

/** Turn a smithy-signed request into what the HTTP front hands to parseAuth. */
export function toAuthInput(signed: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> }, nowMs = signingNowMs): AuthInput {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(signed.query ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) pairs.push(v === null || v === undefined ? rfc3986(name) : `${rfc3986(name)}=${rfc3986(String(v))}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: signed.method, rawPath: signed.path, rawQuery: pairs.join('&'), headers, nowMs };
}

/** Sign with the oracle and return the AuthInput. */
export async function signedInput(r: OracleRequest, opts: { service?: string; region?: string; nowMs?: number; secret?: string; sessionToken?: string } = {}): Promise<AuthInput> {
  const signer = oracle(opts.service, opts.region, opts.secret, opts.sessionToken);
  const signed = await signer.sign(toRequest(r) as never, { signingDate });
  return toAuthInput(signed as never, opts.nowMs);
}

/** Presign with the oracle and return the AuthInput. */
export async function presignedInput(r: OracleRequest, expiresIn: number, opts: { service?: string; nowMs?: number } = {}): Promise<AuthInput> {
  const signer = oracle(opts.service);
  const signed = await signer.presign(toRequest(r) as never, { signingDate, expiresIn });
  return toAuthInput(signed as never, opts.nowMs);
}

/** Push `parts` through a verifier and collect its output (rejects with the stream's error). */
export async function runThrough(verifier: Transform, parts: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(parts, { objectMode: false }), verifier, async function* (source) {
    for await (const chunk of source) out.push(chunk as Buffer);
  });
  return Buffer.concat(out);
}

/** Run a function expected to throw, and return the error. */
export function thrown(fn: () => unknown): { code: string; message: string; statusCode: number; extra: Record<string, string> } {
  try {
    fn();
  } catch (error) {
    return error as never;
  }
  throw new Error('expected an error');
}

export async function rejected(promise: Promise<unknown>): Promise<{ code: string; message: string; statusCode: number; extra: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected a rejection');
}
