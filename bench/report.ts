/** Markdown tables for the bench results. */
import type { LoadResult } from './load.js';
import type { MemoryFigures, PairResult } from './scenarios.js';
import type { AuthBenchResult } from './auth-bench.js';
import type { InterleavedResult } from './authz-scenario.js';

const mib = 1024 * 1024;

function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function headline(result: LoadResult, unit: PairResult['unit']): string {
  if (unit === 'MB/s') return `${fmt(result.megabytesPerSecond)} MB/s`;
  if (unit === 'listings/s') return `${fmt(result.operationsPerSecond, 1)} listings/s (${fmt(result.operationsPerSecond * 10_000)} keys/s)`;
  return `${fmt(result.operationsPerSecond)} ops/s (${fmt(result.megabytesPerSecond, 1)} MB/s)`;
}

export interface Target {
  scenario: string;
  text: string;
  met: (pair: PairResult) => boolean;
}

export function throughputTable(pairs: PairResult[], targets: Target[]): string {
  const lines = ['| scenario | crossbucket | raw node:http ceiling | % of ceiling | target |', '|---|---:|---:|---:|---|'];
  for (const pair of pairs) {
    const measure = (r: LoadResult) => (pair.unit === 'MB/s' ? r.megabytesPerSecond : r.operationsPerSecond);
    const target = targets.find((t) => t.scenario === pair.scenario);
    const verdict = target ? `${target.text}: **${target.met(pair) ? 'met' : 'NOT met'}**` : '';
    lines.push(`| ${pair.scenario}${pair.note ? ` (${pair.note})` : ''} | ${headline(pair.crossbucket, pair.unit)} | ${headline(pair.raw, pair.unit)} | ${fmt((100 * measure(pair.crossbucket)) / measure(pair.raw))}% | ${verdict} |`);
  }
  return lines.join('\n');
}

export function latencyTable(pairs: PairResult[]): string {
  const lines = [
    '| scenario | crossbucket p50 / p99 ms | raw p50 / p99 ms | requests measured (crossbucket) | server CPU, cores (crossbucket / raw) | client CPU, cores (crossbucket run) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const pair of pairs) {
    const cb = pair.crossbucket;
    const raw = pair.raw;
    lines.push(
      `| ${pair.scenario} | ${fmt(cb.p50Ms, 3)} / ${fmt(cb.p99Ms, 3)} | ${fmt(raw.p50Ms, 3)} / ${fmt(raw.p99Ms, 3)} | ${fmt(cb.operations)} | ${fmt(cb.serverCpu, 2)} / ${fmt(raw.serverCpu, 2)} | ${fmt(cb.clientCpu, 2)} |`,
    );
  }
  return lines.join('\n');
}

export function memoryTable(memory: MemoryFigures[], flatLimitBytes: number): string {
  const lines = ['| phase (crossbucket server process) | RSS before | peak RSS during (sampled every 20 ms) | growth | VmHWM after | flat (growth < ' + fmt(flatLimitBytes / mib) + ' MiB)? |', '|---|---:|---:|---:|---:|---|'];
  for (const row of memory) {
    const growth = row.peakRssBytes - row.rssBeforeBytes;
    lines.push(
      `| ${row.phase} | ${fmt(row.rssBeforeBytes / mib, 1)} MiB | ${fmt(row.peakRssBytes / mib, 1)} MiB | ${fmt(growth / mib, 1)} MiB | ${fmt(row.hwmAfterBytes / mib, 1)} MiB | ${growth < flatLimitBytes ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

export function authTable(decisionsPerSecond: number, auth: AuthBenchResult[], getC1: LoadResult): string {
  const p50Us = getC1.p50Ms * 1000;
  const decisionUs = 1e6 / decisionsPerSecond;
  const lines = [
    '| step (in-process, one core) | cost per request | per second | share of 4 KiB GET p50 (' + fmt(p50Us, 0) + ' µs, c1) |',
    '|---|---:|---:|---:|',
    `| policy decision: 10 identity policies × 10 statements + bucket policy + boundary (runPolicyBench) | ${fmt(decisionUs, 2)} µs | ${fmt(decisionsPerSecond)} | ${fmt((100 * decisionUs) / p50Us, 2)}% |`,
  ];
  for (const row of auth) lines.push(`| ${row.name} | ${fmt(row.microsecondsPerCall, 2)} µs | ${fmt(row.callsPerSecond)} | ${fmt((100 * row.microsecondsPerCall) / p50Us, 2)}% |`);
  return lines.join('\n');
}

export function authzTable(results: InterleavedResult[]): string {
  const lines = [
    '| 4 KiB GET, root and IAM user interleaved | root p50 / p99 ms | IAM user (10 managed policies × 10 statements + boundary + bucket policy) p50 / p99 ms | p50 added by the policy set | requests (root / user) | total ops/s |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of results) {
    const added = row.user.p50Ms - row.root.p50Ms;
    lines.push(
      `| c${row.concurrency} | ${fmt(row.root.p50Ms, 3)} / ${fmt(row.root.p99Ms, 3)} | ${fmt(row.user.p50Ms, 3)} / ${fmt(row.user.p99Ms, 3)} | ${fmt(added * 1000)} µs (${fmt((100 * added) / row.root.p50Ms, 1)}%) | ${fmt(row.root.requests)} / ${fmt(row.user.requests)} | ${fmt(row.operationsPerSecond)} |`,
    );
  }
  return lines.join('\n');
}
