/**
 * End-to-end harness: starts a real `crossbucket serve` child process on ephemeral ports with a
 * temporary data directory, and hands out clients (JS SDK, aws CLI, boto3) configured from the
 * files the server generates. No part of the server is mocked.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/test/e2e/harness.js → dist/src/cli/main.js (CROSSBUCKET_E2E_MAIN runs another build instead). */
export const mainScript = process.env.CROSSBUCKET_E2E_MAIN ?? path.resolve(here, '../../src/cli/main.js');

export const defaultAccounts = 'owner=111111111111,partner=222222222222';
const startTimeoutMs = 30_000;
const stopTimeoutMs = 15_000;

export interface ServerInfo {
  pid: number;
  host: string;
  httpPort: number;
  httpsPort: number;
  httpEndpoint: string;
  httpsEndpoint: string;
  caPath: string;
  region: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface StartOptions {
  accounts?: string;
  extraArgs?: string[];
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  region?: string;
}

export interface ClientOptions {
  https?: boolean;
  forcePathStyle?: boolean;
  /** Extra S3Client configuration (e.g. systemClockOffset, credentials override). */
  config?: Partial<S3ClientConfig>;
  /**
   * Verify the server certificate as if the host were this name. Needed for virtual-hosted style over
   * TLS: Node and OpenSSL refuse a "*.localhost" wildcard (a wildcard directly under a single label).
   */
  verifyHostAs?: string;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `*.localhost` resolves to loopback (RFC 6761 §6.3) even where the system resolver does not know it. */
export function loopbackLookup(hostname: string, options: dns.LookupOptions, callback: (...args: any[]) => void): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options && (options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dns.lookup(hostname, options, callback as never);
}

export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = out[header[1]!.trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && section) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** Children still running when the test process exits are killed, so no server outlives its test file. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

let awsCliAvailable: boolean | undefined;
let boto3Available: boolean | undefined;

/** Whether the `aws` CLI can be run; prints the reason once when not. */
export function hasAwsCli(): boolean {
  if (awsCliAvailable === undefined) {
    const r = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    awsCliAvailable = r.status === 0;
    if (!awsCliAvailable) console.log(`# skipping aws CLI tests: 'aws --version' failed (${r.error?.message ?? r.stderr})`);
  }
  return awsCliAvailable;
}

/** Whether python3 with boto3 is importable; prints the reason once when not. */
export function hasBoto3(): boolean {
  if (boto3Available === undefined) {
    const r = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
    boto3Available = r.status === 0;
    if (!boto3Available) console.log(`# skipping boto3 tests: python3 -c 'import boto3' failed (${r.error?.message ?? r.stderr.trim()})`);
  }
  return boto3Available;
}

/** Environment for the aws CLI / boto3 with every ambient AWS_* setting removed. */
function cleanAwsEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
}

export function runProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export class Server {
  info!: ServerInfo;
  stdout = '';
  stderr = '';
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private readonly clients: Array<{ destroy(): void }> = [];

  constructor(
    readonly dataDir: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly ownsDataDir: boolean,
  ) {}

  /** PID of the running server process (null before start / after exit). */
  get pid(): number | null {
    return this.child && this.child.exitCode === null && this.child.signalCode === null ? this.child.pid ?? null : null;
  }

  get httpEndpoint(): string {
    return this.info.httpEndpoint;
  }
  get httpsEndpoint(): string {
    return this.info.httpsEndpoint;
  }
  get region(): string {
    return this.info.region;
  }
  get ca(): string {
    return readFileSync(this.info.caPath, 'utf8');
  }
  get credentialsFile(): string {
    return path.join(this.dataDir, 'credentials');
  }
  get configFile(): string {
    return path.join(this.dataDir, 'config');
  }

  /** Spawn the server and wait until it has written server.json. */
  async start(): Promise<void> {
    await rm(path.join(this.dataDir, 'server.json'), { force: true });
    this.stdout = '';
    this.stderr = '';
    const child = spawn(process.execPath, [mainScript, 'serve', ...this.args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve(code);
    }));
    const deadline = Date.now() + startTimeoutMs;
    const infoPath = path.join(this.dataDir, 'server.json');
    for (;;) {
      if (exitCode !== undefined) throw new Error(`crossbucket serve exited with ${exitCode} before it was ready.\nargs: ${this.args.join(' ')}\nstderr:\n${this.stderr}\nstdout:\n${this.stdout}`);
      try {
        const info = JSON.parse(await readFile(infoPath, 'utf8')) as ServerInfo;
        if (info.httpEndpoint && info.httpsEndpoint) {
          this.info = info;
          return;
        }
      } catch {
        // not written yet (or half written)
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`crossbucket serve did not write ${infoPath} within ${startTimeoutMs} ms.\nstderr:\n${this.stderr}\nstdout:\n${this.stdout}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private destroyClients(): void {
    for (const c of this.clients.splice(0)) c.destroy();
  }

  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    this.destroyClients();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), stopTimeoutMs).unref());
    const result = await Promise.race([this.exited, timeout]);
    if (result === 'timeout') {
      child.kill('SIGKILL');
      await this.exited;
      throw new Error(`crossbucket serve did not exit within ${stopTimeoutMs} ms of SIGTERM.\nstderr:\n${this.stderr}`);
    }
    return result;
  }

  /** SIGKILL: no chance to flush anything. */
  async kill9(): Promise<void> {
    this.destroyClients();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Stop (if running) and start again on the same data dir; ports may change. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stop and remove the temporary data dir (when the harness created it). */
  async close(): Promise<void> {
    try {
      await this.stop();
    } finally {
      if (this.ownsDataDir) await rm(this.dataDir, { recursive: true, force: true });
    }
  }

  credentials(profile: string): Credentials {
    const ini = parseIni(readFileSync(this.credentialsFile, 'utf8'));
    const section = ini[profile];
    if (!section?.aws_access_key_id || !section.aws_secret_access_key) throw new Error(`profile ${profile} missing from ${this.credentialsFile}`);
    return { accessKeyId: section.aws_access_key_id, secretAccessKey: section.aws_secret_access_key };
  }

  /** A NodeHttpHandler trusting the generated CA and resolving *.localhost to loopback. */
  requestHandler(verifyHostAs?: string): NodeHttpHandler {
    const ca = this.ca;
    const httpAgent = new http.Agent({ keepAlive: true, lookup: loopbackLookup as never });
    const httpsAgent = new https.Agent({
      keepAlive: true,
      ca,
      lookup: loopbackLookup as never,
      ...(verifyHostAs ? { checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(verifyHostAs, cert) } : {}),
    });
    const handler = new NodeHttpHandler({ httpAgent, httpsAgent, requestTimeout: 120_000 });
    this.clients.push({ destroy: () => { httpAgent.destroy(); httpsAgent.destroy(); } });
    return handler;
  }

  endpoint(useHttps: boolean, virtualHosted = false): string {
    if (useHttps) return this.httpsEndpoint;
    // 127.0.0.1 is an IP: the SDK would force path-style. Use localhost for virtual-hosted style.
    return virtualHosted ? `http://localhost:${this.info.httpPort}` : this.httpEndpoint;
  }

  s3(profile: string, options: ClientOptions = {}): S3Client {
    const forcePathStyle = options.forcePathStyle ?? true;
    const client = new S3Client({
      region: this.region,
      endpoint: this.endpoint(options.https ?? false, !forcePathStyle),
      forcePathStyle,
      credentials: this.credentials(profile),
      requestHandler: this.requestHandler(options.verifyHostAs),
      maxAttempts: 1,
      ...options.config,
    });
    this.clients.push(client);
    return client;
  }

  sts(profile: string, options: { https?: boolean } = {}): STSClient {
    const client = new STSClient({
      region: this.region,
      endpoint: this.endpoint(options.https ?? false),
      credentials: this.credentials(profile),
      requestHandler: this.requestHandler(),
      maxAttempts: 1,
    });
    this.clients.push(client);
    return client;
  }

  /** Environment pointing the aws CLI / boto3 at the generated credentials and config files only. */
  awsEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...cleanAwsEnv(), AWS_SHARED_CREDENTIALS_FILE: this.credentialsFile, AWS_CONFIG_FILE: this.configFile, ...extra };
  }

  /** Run the real aws CLI with `--profile profile`. Callers check hasAwsCli() first. */
  awsCli(profile: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ProcessResult> {
    return runProcess('aws', ['--profile', profile, ...args], { env: this.awsEnv(options.env), cwd: options.cwd });
  }

  /** Run a python3 script (boto3) with the generated files. Callers check hasBoto3() first. */
  python(script: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
    return runProcess('python3', ['-c', script], { env: this.awsEnv(env) });
  }

  /** Whether a path exists inside the data dir. */
  async exists(relative: string): Promise<boolean> {
    return stat(path.join(this.dataDir, relative)).then(() => true, () => false);
  }
}

/** Start a server on ephemeral ports with a fresh temporary data dir (unless one is given). */
export async function startServer(opts: StartOptions = {}): Promise<Server> {
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'crossbucket-e2e-')));
  const args = [
    '--host', '127.0.0.1',
    '--port', '0',
    '--tls-port', '0',
    '--data', dataDir,
    '--region', opts.region ?? 'us-east-1',
    '--accounts', opts.accounts ?? defaultAccounts,
    ...(opts.extraArgs ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  const server = new Server(dataDir, args, env, ownsDataDir);
  try {
    await server.start();
  } catch (e) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  return server;
}
