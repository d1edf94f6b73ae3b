/**
 * The two servers under test, each in its own process: a real `crossbucket serve` on a temporary
 * data directory, and the raw node:http ceiling. Plus /proc readers for their memory and CPU time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Credentials } from './sigv4-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/bench/processes.js → dist/src/cli/main.js (BENCH_SERVER_MAIN runs another build, e.g. a patched copy). */
const mainScript = process.env.BENCH_SERVER_MAIN ?? path.resolve(here, '../src/cli/main.js');
const rawScript = path.resolve(here, 'raw-server.js');

export interface RunningServer {
  pid: number;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface Crossbucket extends RunningServer {
  dataDir: string;
  owner: Credentials;
  region: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stopper(child: ChildProcess, after?: () => Promise<void>): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await after?.();
  };
}

/** Parse one profile of an AWS shared-credentials INI file. */
export function credentialsFromIni(text: string, profile: string): Credentials {
  let section = '';
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) section = header[1]!;
    else if (section === profile && trimmed.includes('=')) {
      const eq = trimmed.indexOf('=');
      values[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
    }
  }
  if (!values.aws_access_key_id || !values.aws_secret_access_key) throw new Error(`profile ${profile} not found in credentials file`);
  return { accessKeyId: values.aws_access_key_id, secretAccessKey: values.aws_secret_access_key };
}

/** Start `crossbucket serve` on ephemeral ports; extra node flags (e.g. --cpu-prof) go before the script. */
export async function startCrossbucket(nodeFlags: string[] = []): Promise<Crossbucket> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'crossbucket-bench-'));
  const child = spawn(
    process.execPath,
    [...nodeFlags, mainScript, 'serve', '--data', dataDir, '--port', '0', '--tls-port', '0', '--accounts', 'owner,partner'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const deadline = Date.now() + 30_000;
  let info: { pid: number; host: string; httpPort: number; region: string } | null = null;
  while (!info) {
    if (child.exitCode !== null) throw new Error(`crossbucket exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      throw new Error(`crossbucket did not start in 30 s: ${stderr}`);
    }
    try {
      info = JSON.parse(await readFile(path.join(dataDir, 'server.json'), 'utf8'));
    } catch {
      await sleep(50);
    }
  }
  const owner = credentialsFromIni(await readFile(path.join(dataDir, 'credentials'), 'utf8'), 'owner');
  return {
    pid: child.pid!,
    host: info.host,
    port: info.httpPort,
    region: info.region,
    dataDir,
    owner,
    stop: stopper(child, async () => {
      if (stderr.trim()) process.stderr.write(`crossbucket stderr:\n${stderr}\n`);
      await rm(dataDir, { recursive: true, force: true });
    }),
  };
}

export async function startRawServer(): Promise<RunningServer> {
  const child = spawn(process.execPath, [rawScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve((JSON.parse(out.slice(0, newline)) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`raw server exited with ${code}`)));
  });
  return { pid: child.pid!, host: '127.0.0.1', port, stop: stopper(child) };
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes. */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: field('VmRSS'), peakRssBytes: field('VmHWM') };
}

/** User + system CPU seconds a process has used (all its threads). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) are at 11 and 12 after the command name; clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples a process's RSS every few milliseconds until stopped; reports the highest seen. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  maxRssBytes = 0;

  constructor(private readonly pid: number, everyMs = 20) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    this.maxRssBytes = Math.max(this.maxRssBytes, memoryOf(this.pid).rssBytes);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.maxRssBytes;
  }
}
