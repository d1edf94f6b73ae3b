/**
 * Closed-loop load: `concurrency` workers each issue one request after another until the time is
 * up (after a warm-up whose results are dropped). Records every request's latency and the CPU time
 * the client and the server process used during the measured window.
 */
import { cpuSecondsOf } from './processes.js';

export interface LoadResult {
  operations: number;
  seconds: number;
  operationsPerSecond: number;
  bytes: number;
  megabytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds per wall second (1.0 = one core busy). */
  serverCpu: number;
  clientCpu: number;
}

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** Server process whose CPU time is read from /proc. */
  serverPid: number;
}

/** `operation(n)` performs request number n and resolves with the payload bytes it moved. */
export type Operation = (n: number) => Promise<number>;

export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

async function loop(concurrency: number, untilNs: bigint, operation: Operation, counter: { next: number }, latencies: number[] | null): Promise<number> {
  let bytes = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (process.hrtime.bigint() < untilNs) {
        const started = process.hrtime.bigint();
        bytes += await operation(counter.next++);
        if (latencies) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  return bytes;
}

export async function runLoad(options: LoadOptions, operation: Operation): Promise<LoadResult> {
  const counter = { next: 0 };
  await loop(options.concurrency, process.hrtime.bigint() + BigInt(options.warmupMs) * 1_000_000n, operation, counter, null);
  const latencies: number[] = [];
  const serverCpuBefore = cpuSecondsOf(options.serverPid);
  const clientCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const bytes = await loop(options.concurrency, started + BigInt(options.durationMs) * 1_000_000n, operation, counter, latencies);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpu = cpuSecondsOf(options.serverPid) - serverCpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  return {
    operations: latencies.length,
    seconds,
    operationsPerSecond: latencies.length / seconds,
    bytes,
    megabytesPerSecond: bytes / seconds / 1e6,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    serverCpu: serverCpu / seconds,
    clientCpu: (clientCpu.user + clientCpu.system) / 1e6 / seconds,
  };
}

/** Run `operation` exactly `count` times, one after another (for large objects). */
export async function runCount(count: number, serverPid: number, operation: Operation): Promise<LoadResult> {
  const latencies: number[] = [];
  let bytes = 0;
  const serverCpuBefore = cpuSecondsOf(serverPid);
  const clientCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let n = 0; n < count; n++) {
    const t0 = process.hrtime.bigint();
    bytes += await operation(n);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  return {
    operations: count,
    seconds,
    operationsPerSecond: count / seconds,
    bytes,
    megabytesPerSecond: bytes / seconds / 1e6,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    serverCpu: (cpuSecondsOf(serverPid) - serverCpuBefore) / seconds,
    clientCpu: (clientCpu.user + clientCpu.system) / 1e6 / seconds,
  };
}
