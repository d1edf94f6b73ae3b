/**
 * In-process cost of the authentication steps a signed 4 KiB GET pays on the server:
 *  - parseAuth + verifySignature without a SigningKeyCache (the four-HMAC signing-key derivation on
 *    every request, as src/http/authenticate.ts did until commit 89d2994) and with one;
 *  - opening the sealed access-key secret (AES-256-GCM): what every request pays without a SecretCache.
 * Run: node dist/bench/auth-bench.js
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseAuth, verifySignature, SigningKeyCache, deriveSigningKey, type AuthInput } from '../src/auth/index.js';
import { open, seal } from '../src/crypto/seal.js';
import { SigV4Client, emptyBodySha256 } from './sigv4-client.js';

export interface AuthBenchResult {
  name: string;
  microsecondsPerCall: number;
  callsPerSecond: number;
}

function measure(name: string, durationMs: number, body: () => void): AuthBenchResult {
  for (let i = 0; i < 2000; i++) body();
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i++) body();
    calls += 200;
    now = process.hrtime.bigint();
  }
  const seconds = Number(now - start) / 1e9;
  return { name, microsecondsPerCall: (seconds * 1e6) / calls, callsPerSecond: calls / seconds };
}

export function runAuthBench(durationMs = 600): AuthBenchResult[] {
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const client = new SigV4Client({ host: '127.0.0.1', port: 4580 }, credentials);
  const signed = client.sign({ method: 'GET', path: '/bench-bucket/small/c16/000123', payloadHash: emptyBodySha256 });
  client.close();
  const headers: Record<string, string> = { connection: 'keep-alive' };
  for (const [name, value] of Object.entries(signed.headers)) headers[name] = String(value);
  const input = (): AuthInput => ({ method: 'GET', rawPath: '/bench-bucket/small/c16/000123', rawQuery: '', headers, nowMs: Date.now() });
  const options = { region: 'us-east-1', service: 's3' };
  const cache = new SigningKeyCache();
  const cached = { ...options, signingKeys: cache };
  const masterKey = randomBytes(32);
  const sealed = seal(masterKey, Buffer.from(credentials.secretAccessKey), 'crossbucket:access-key-secret:AKIAIOSFODNN7EXAMPLE');
  return [
    measure('parseAuth + verifySignature, no SigningKeyCache', durationMs, () => {
      const request = input();
      verifySignature(parseAuth(request, options), request, credentials.secretAccessKey, options);
    }),
    measure('parseAuth + verifySignature, with SigningKeyCache', durationMs, () => {
      const request = input();
      verifySignature(parseAuth(request, cached), request, credentials.secretAccessKey, cached);
    }),
    measure('deriveSigningKey alone (4 HMAC-SHA256)', durationMs, () => {
      deriveSigningKey(credentials.secretAccessKey, '20240601', 'us-east-1', 's3');
    }),
    measure('open sealed access-key secret (AES-256-GCM, no SecretCache)', durationMs, () => {
      open(masterKey, sealed, 'crossbucket:access-key-secret:AKIAIOSFODNN7EXAMPLE');
    }),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of runAuthBench()) console.log(`${row.name}: ${row.microsecondsPerCall.toFixed(2)} µs (${Math.round(row.callsPerSecond).toLocaleString('en-US')}/s)`);
}
