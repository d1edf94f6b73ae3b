/**
 * The HTTP scenarios, each run against crossbucket and against the raw node:http ceiling with the
 * same client code, the same signing work and the same concurrency.
 */
import { randomBytes } from 'node:crypto';
import { SigV4Client, emptyBodySha256, expectStatus, rawRequest, sha256Hex, unsignedPayload, type Target } from './sigv4-client.js';
import { runCount, runLoad, type LoadResult } from './load.js';
import { memoryOf, RssSampler } from './processes.js';

export const bucket = 'bench-bucket';
const small = randomBytes(4096);
const mib = 1024 * 1024;

export interface Side {
  name: 'crossbucket' | 'raw';
  client: SigV4Client;
  target: Target;
  pid: number;
}

export interface Timing {
  durationMs: number;
  warmupMs: number;
}

export interface PairResult {
  scenario: string;
  unit: 'ops/s' | 'MB/s' | 'listings/s';
  crossbucket: LoadResult;
  raw: LoadResult;
  note?: string;
}

/** Seed the raw server with bytes it will serve for GET `path`. */
async function keepOnRaw(side: Side, path: string, body: Buffer): Promise<void> {
  const response = await rawRequest(side.target, side.client.agent, 'PUT', path, { 'x-raw-keep': '1', 'content-length': body.length }, body);
  expectStatus(response, 200, `seed raw ${path}`);
}

export async function createBucket(cb: Side): Promise<void> {
  const response = await cb.client.send({ method: 'PUT', path: `/${bucket}`, payloadHash: emptyBodySha256, contentLength: 0 });
  expectStatus(response, 200, 'CreateBucket');
}

/** PUT 4 KiB, signing the real SHA-256 of the body, computed per request as an SDK does over HTTP. */
function put4k(side: Side, concurrency: number, written = { count: 0 }) {
  return async (n: number) => {
    const response = await side.client.send(
      { method: 'PUT', path: `/${bucket}/small/c${concurrency}/${String(n).padStart(6, '0')}`, payloadHash: sha256Hex(small), contentLength: small.length },
      small,
    );
    expectStatus(response, 200, 'PUT 4 KiB');
    written.count = Math.max(written.count, n + 1);
    return small.length;
  };
}

function get(side: Side, path: (n: number) => string, expectedBytes: number | null) {
  return async (n: number) => {
    const response = await side.client.send({ method: 'GET', path: path(n), payloadHash: emptyBodySha256 });
    expectStatus(response, 200, `GET ${path(n)}`);
    if (expectedBytes !== null && response.bytes !== expectedBytes) throw new Error(`GET ${path(n)}: ${response.bytes} bytes, expected ${expectedBytes}`);
    return response.bytes;
  };
}

/** How many small/c16/NNNNNN keys the GET scenarios read (set by smallObjects). */
export const smallKeys = { count: 0 };

export async function smallObjects(cb: Side, raw: Side, timing: Timing): Promise<PairResult[]> {
  const results: PairResult[] = [];
  const written = { count: 0 };
  for (const concurrency of [1, 16]) {
    const options = (side: Side) => ({ ...timing, concurrency, serverPid: side.pid });
    const rawPut = await runLoad(options(raw), put4k(raw, concurrency));
    const cbPut = await runLoad(options(cb), put4k(cb, concurrency, written));
    results.push({ scenario: `PUT 4 KiB, c${concurrency}`, unit: 'ops/s', crossbucket: cbPut, raw: rawPut });
  }
  await keepOnRaw(raw, `/${bucket}/small/get`, small);
  // Keys 0..count-1 of small/c16/ exist: every request up to the highest one completed.
  smallKeys.count = Math.min(1000, written.count);
  for (const concurrency of [1, 16]) {
    const options = (side: Side) => ({ ...timing, concurrency, serverPid: side.pid });
    const rawGet = await runLoad(options(raw), get(raw, () => `/${bucket}/small/get`, small.length));
    const cbGet = await runLoad(options(cb), get(cb, (n) => `/${bucket}/small/c16/${String(n % smallKeys.count).padStart(6, '0')}`, small.length));
    results.push({ scenario: `GET 4 KiB, c${concurrency}`, unit: 'ops/s', crossbucket: cbGet, raw: rawGet });
  }
  return results;
}

/** crossbucket's own HTTP front without SigV4 or storage: GET /_crossbucket/health. */
export async function health(cb: Side, raw: Side, timing: Timing): Promise<PairResult> {
  const probe = await rawRequest(cb.target, cb.client.agent, 'GET', '/_crossbucket/health', {}, undefined, true);
  expectStatus(probe, 200, 'health');
  await keepOnRaw(raw, '/_crossbucket/health', probe.body!);
  const run = (side: Side) =>
    runLoad({ ...timing, concurrency: 16, serverPid: side.pid }, async () => {
      const response = await rawRequest(side.target, side.client.agent, 'GET', '/_crossbucket/health', {});
      expectStatus(response, 200, 'health');
      return response.bytes;
    });
  const rawResult = await run(raw);
  const cbResult = await run(cb);
  return { scenario: 'GET /_crossbucket/health (unsigned, no storage), c16', unit: 'ops/s', crossbucket: cbResult, raw: rawResult };
}

export interface MemoryFigures {
  phase: string;
  rssBeforeBytes: number;
  peakRssBytes: number;
  hwmAfterBytes: number;
}

export interface LargeResult {
  pairs: PairResult[];
  memory: MemoryFigures[];
}

export async function largeObjects(cb: Side, raw: Side, count: number): Promise<LargeResult> {
  const big = randomBytes(64 * mib);
  const bigHash = sha256Hex(big); // computed once, outside the timed loop: the client's hashing is not measured
  const pairs: PairResult[] = [];
  const memory: MemoryFigures[] = [];
  const put = (side: Side, mode: 'unsigned' | 'signed') => async (n: number) => {
    const response = await side.client.send(
      { method: 'PUT', path: `/${bucket}/big/${mode}/${n}`, payloadHash: mode === 'unsigned' ? unsignedPayload : bigHash, contentLength: big.length },
      big,
    );
    expectStatus(response, 200, `PUT 64 MiB (${mode})`);
    return big.length;
  };
  const measured = async (phase: string, run: () => Promise<LoadResult>) => {
    const before = memoryOf(cb.pid).rssBytes;
    const sampler = new RssSampler(cb.pid);
    const result = await run();
    memory.push({ phase, rssBeforeBytes: before, peakRssBytes: sampler.stop(), hwmAfterBytes: memoryOf(cb.pid).peakRssBytes });
    return result;
  };

  await put(cb, 'unsigned')(-1); // warm-up
  const cbUnsigned = await measured('PUT 64 MiB, UNSIGNED-PAYLOAD', () => runCount(count, cb.pid, put(cb, 'unsigned')));
  await put(raw, 'unsigned')(-1);
  const rawPut = await runCount(count, raw.pid, put(raw, 'unsigned'));
  pairs.push({ scenario: 'PUT 64 MiB, UNSIGNED-PAYLOAD', unit: 'MB/s', crossbucket: cbUnsigned, raw: rawPut });
  const cbSigned = await measured('PUT 64 MiB, signed SHA-256 payload', () => runCount(count, cb.pid, put(cb, 'signed')));
  pairs.push({ scenario: 'PUT 64 MiB, signed SHA-256 payload', unit: 'MB/s', crossbucket: cbSigned, raw: rawPut, note: 'server verifies the SHA-256 as it streams' });

  await keepOnRaw(raw, `/${bucket}/big/get`, big);
  const rawGetOp = get(raw, () => `/${bucket}/big/get`, big.length);
  const cbGetOp = get(cb, (n) => `/${bucket}/big/unsigned/${n % count}`, big.length);
  await rawGetOp(0);
  await cbGetOp(0);
  const rawGet = await runCount(count, raw.pid, rawGetOp);
  const cbGet = await measured('GET 64 MiB', () => runCount(count, cb.pid, cbGetOp));
  pairs.push({ scenario: 'GET 64 MiB', unit: 'MB/s', crossbucket: cbGet, raw: rawGet });
  return { pairs, memory };
}

export interface ListResult {
  pair: PairResult;
  keys: number;
  seedSeconds: number;
}

/** ListObjectsV2 over `keyCount` keys in pages of 1000, following continuation tokens. */
export async function listing(cb: Side, raw: Side, timing: Timing, keyCount = 10_000): Promise<ListResult> {
  const seedStarted = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let n = next++; n < keyCount; n = next++) {
        const response = await cb.client.send({ method: 'PUT', path: `/${bucket}/list/${String(n).padStart(5, '0')}`, payloadHash: emptyBodySha256, contentLength: 0 });
        expectStatus(response, 200, 'seed PUT');
      }
    }),
  );
  const seedSeconds = Number(process.hrtime.bigint() - seedStarted) / 1e9;

  const pages: Buffer[] = [];
  const fullListing = async (keep: boolean): Promise<number> => {
    let token: string | null = null;
    let keys = 0;
    let bytes = 0;
    for (;;) {
      const query: Record<string, string> = { 'list-type': '2', 'max-keys': '1000', prefix: 'list/' };
      if (token !== null) query['continuation-token'] = token;
      const response = await cb.client.send({ method: 'GET', path: `/${bucket}`, query, payloadHash: emptyBodySha256 }, undefined, true);
      expectStatus(response, 200, 'ListObjectsV2');
      const text = response.body!.toString('utf8');
      if (keep) pages.push(response.body!);
      keys += text.split('<Key>').length - 1;
      bytes += response.bytes;
      token = /<IsTruncated>true<\/IsTruncated>/.test(text) ? (/<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(text)?.[1] ?? null) : null;
      if (token === null) break;
    }
    if (keys !== keyCount) throw new Error(`listing returned ${keys} keys, expected ${keyCount}`);
    return bytes;
  };
  await fullListing(true);
  for (let i = 0; i < pages.length; i++) await keepOnRaw(raw, `/${bucket}/list-page/${i}`, pages[i]!);
  const rawListing = async () => {
    let bytes = 0;
    for (let i = 0; i < pages.length; i++) bytes += await get(raw, () => `/${bucket}/list-page/${i}`, pages[i]!.length)(i);
    return bytes;
  };
  const rawResult = await runLoad({ ...timing, concurrency: 1, serverPid: raw.pid }, rawListing);
  const cbResult = await runLoad({ ...timing, concurrency: 1, serverPid: cb.pid }, () => fullListing(false));
  return {
    pair: { scenario: `ListObjectsV2, ${keyCount.toLocaleString('en-US')} keys (${pages.length} pages of 1,000), c1`, unit: 'listings/s', crossbucket: cbResult, raw: rawResult, note: 'raw serves the same XML pages' },
    keys: keyCount,
    seedSeconds,
  };
}
