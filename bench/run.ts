/**
 * `npm run bench`: a real `crossbucket serve` process and a raw node:http server (the ceiling: same
 * client, same concurrency, no auth, no storage) measured side by side over plain HTTP on 127.0.0.1,
 * plus the policy engine, the SigV4 verification steps and the storage layer in-process.
 * Prints markdown tables (results on stdout, progress on stderr).
 *
 * Environment:
 *   BENCH_DURATION_MS   measured time per timed scenario (default 3000; warm-up is a third of it)
 *   BENCH_LARGE_COUNT   64 MiB transfers per large-object scenario (default 4)
 *   BENCH_SKIP_STORE=1  skip the in-process storage-layer bench
 *   BENCH_CPU_PROF=DIR  run the crossbucket server under `node --cpu-prof` (profile written to DIR on exit;
 *                       summarize with `node dist/bench/profile-summary.js DIR/<file>.cpuprofile`)
 *   BENCH_ONLY=LIST     comma-separated subset of: small, health, large, features, list (for profiling one scenario)
 */
import { featureCosts, renderFeatureCosts, type FeatureRow } from './feature-costs.js';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { SigV4Client } from './sigv4-client.js';
import { startCrossbucket, startRawServer } from './processes.js';
import { bucket, createBucket, health, largeObjects, listing, smallObjects, type PairResult, type Side } from './scenarios.js';
import { authTable, authzTable, latencyTable, memoryTable, throughputTable, type Target } from './report.js';
import { authorizationCost, setUpPolicyUser, type InterleavedResult } from './authz-scenario.js';
import { runPolicyBench } from './policy-bench.js';
import { runAuthBench } from './auth-bench.js';
import { formatStoreBench, runStoreBench } from './store-bench.js';

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 3000);
const timing = { durationMs, warmupMs: Math.round(durationMs / 3) };
const largeCount = Number(process.env.BENCH_LARGE_COUNT ?? 4);
const mib = 1024 * 1024;
const flatLimitBytes = 32 * mib;
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const enabled = (part: string) => only === null || only.has(part);

function progress(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

function machine(): string {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return `${os.cpus().length} CPUs (${model}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

const percentOf = (pair: PairResult) => pair.crossbucket.operationsPerSecond / pair.raw.operationsPerSecond;

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0]!;
  const cpuProfDir = process.env.BENCH_CPU_PROF;
  const cbServer = await startCrossbucket(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []);
  const rawServer = await startRawServer().catch(async (error: unknown) => {
    await cbServer.stop();
    throw error;
  });
  const cb: Side = { name: 'crossbucket', client: new SigV4Client(cbServer, cbServer.owner, cbServer.region, 16), target: cbServer, pid: cbServer.pid };
  const raw: Side = { name: 'raw', client: new SigV4Client(rawServer, cbServer.owner, cbServer.region, 16), target: rawServer, pid: rawServer.pid };
  const pairs: PairResult[] = [];
  let memory;
  let list;
  let authz: InterleavedResult[] | null = null;
  let authzSkipped = '';
  let features: FeatureRow[] | null = null;
  try {
    await createBucket(cb);
    progress(`crossbucket pid ${cbServer.pid} on ${cbServer.host}:${cbServer.port}, raw pid ${rawServer.pid}; bucket ${bucket}`);
    if (enabled('small')) {
      progress('4 KiB PUT/GET at c1 and c16');
      pairs.push(...(await smallObjects(cb, raw, timing)));
      progress('authorization cost: 4 KiB GET as root vs. as a policy-governed IAM user');
      let userClient: SigV4Client | null = null;
      try {
        userClient = new SigV4Client(cbServer, await setUpPolicyUser(cb.client, bucket), cbServer.region, 16);
        authz = await authorizationCost(cb.client, userClient, bucket, timing);
      } catch (error) {
        authzSkipped = (error as Error).message;
        progress(`authorization scenario skipped: ${authzSkipped}`);
      } finally {
        userClient?.close();
      }
    }
    if (enabled('health')) {
      progress('health endpoint');
      pairs.push(await health(cb, raw, timing));
    }
    if (enabled('large')) {
      progress(`64 MiB PUT/GET × ${largeCount}`);
      const large = await largeObjects(cb, raw, largeCount);
      pairs.push(...large.pairs);
      memory = large.memory;
    }
    if (enabled('features')) {
      progress('encryption and access logging: SSE-S3 vs SSE-KMS vs SSE-S3 + logging');
      features = await featureCosts(cb, timing, largeCount);
    }
    if (enabled('list')) {
      progress('ListObjectsV2 over 10,000 keys');
      list = await listing(cb, raw, timing);
      pairs.push(list.pair);
    }
  } finally {
    cb.client.close();
    raw.client.close();
    await cbServer.stop();
    await rawServer.stop();
  }

  progress('policy engine');
  const policy = await runPolicyBench(1500);
  progress('SigV4 verification steps');
  const auth = runAuthBench();
  let store = null;
  if (process.env.BENCH_SKIP_STORE !== '1' && only === null) {
    progress('storage layer (in-process)');
    store = await runStoreBench({ putCount: 10_000 });
  }

  const getC1 = pairs.find((p) => p.scenario === 'GET 4 KiB, c1');
  const targets: Target[] = [
    { scenario: 'PUT 4 KiB, c16', text: '≥ 50% of ceiling', met: (p) => percentOf(p) >= 0.5 },
    { scenario: 'GET 4 KiB, c16', text: '≥ 50% of ceiling', met: (p) => percentOf(p) >= 0.5 },
    { scenario: 'PUT 64 MiB, UNSIGNED-PAYLOAD', text: '≥ 200 MB/s', met: (p) => p.crossbucket.megabytesPerSecond >= 200 },
    { scenario: 'PUT 64 MiB, signed SHA-256 payload', text: '≥ 200 MB/s', met: (p) => p.crossbucket.megabytesPerSecond >= 200 },
    { scenario: 'GET 64 MiB', text: '≥ 600 MB/s', met: (p) => p.crossbucket.megabytesPerSecond >= 600 },
  ];

  const out: string[] = [];
  out.push(`# crossbucket bench — ${new Date().toISOString()}`);
  out.push('');
  out.push(`Machine: ${machine()}. Client and both servers share this machine; each server is one Node process. ` +
    `1-minute load average ${loadAtStart.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end (above ${os.cpus().length} means other processes competed for the CPUs and every figure is depressed).`);
  out.push(`Client: node:http keep-alive Agent (maxSockets 16), SigV4 header signing with node:crypto HMAC (signing key cached per day, as the SDKs do). ` +
    `4 KiB PUTs sign the real SHA-256 of the body (hashed per request); GETs and LISTs sign the empty-body SHA-256; 64 MiB PUTs are shown with UNSIGNED-PAYLOAD and with the body's real SHA-256 (hashed once, outside the timing). ` +
    `The raw server receives the same signed requests and ignores the signature. Timed scenarios: ${timing.warmupMs} ms warm-up + ${durationMs} ms measured; 64 MiB: 1 warm-up + ${largeCount} sequential transfers.`);
  out.push('');
  out.push('## Throughput');
  out.push('');
  out.push(throughputTable(pairs, targets));
  out.push('');
  out.push('## Latency and CPU');
  out.push('');
  out.push(latencyTable(pairs));
  out.push('');
  if (memory) {
    out.push('## Server memory during 64 MiB transfers');
    out.push('');
    out.push(memoryTable(memory, flatLimitBytes));
    out.push('');
  }
  const decisionUs = 1e6 / policy.decisionsPerSecond;
  if (getC1) {
    const p50Us = getC1.crossbucket.p50Ms * 1000;
    out.push('## Authorization and authentication cost');
    out.push('');
    out.push(authTable(policy.decisionsPerSecond, auth, getC1.crossbucket));
    out.push('');
    if (authz) {
      out.push(authzTable(authz));
      out.push('');
      const c1 = authz.find((row) => row.concurrency === 1)!;
      const addedPercent = (100 * (c1.user.p50Ms - c1.root.p50Ms)) / c1.root.p50Ms;
      out.push(`- Measured end to end (c1 p50): authorization through the policy set adds ${addedPercent.toFixed(1)}% to a 4 KiB GET (target < 5%: **${addedPercent < 5 ? 'met' : 'NOT met'}**). The root caller still passes through the authorizer (bucket policy lookup, no identity policies), so this is the cost of the realistic policy set over the cheapest authorized path, not over no authorization at all (there is no switch to turn authorization off).`);
    } else {
      out.push(`- The IAM-user scenario did not run (${authzSkipped || 'not selected'}).`);
    }
    out.push(`- In-process estimate: one realistic policy decision costs ${decisionUs.toFixed(2)} µs = ${((100 * decisionUs) / p50Us).toFixed(2)}% of the 4 KiB GET c1 p50 (${p50Us.toFixed(0)} µs, root caller).`);
  }
  out.push(`- Policy engine: ${policy.decisionsPerSecond.toLocaleString('en-US')} decisions/s on one core, ${decisionUs.toFixed(2)} µs per decision (target ≥ 200,000: **${policy.decisionsPerSecond >= 200_000 ? 'met' : 'NOT met'}**).`);
  if (list) out.push(`- ListObjectsV2: seeding 10,000 empty objects at c16 took ${list.seedSeconds.toFixed(1)} s (${Math.round(list.keys / list.seedSeconds).toLocaleString('en-US')} PUTs/s).`);
  if (store) {
    out.push('');
    out.push('## Storage layer alone (bench/store-bench.ts, in-process, no HTTP)');
    out.push('');
    out.push(formatStoreBench(store));
  }
  out.push('');
  out.push(`Total bench time: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (features) out.push('', renderFeatureCosts(features));
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
