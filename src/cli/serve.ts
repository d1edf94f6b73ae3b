import { parseArgs } from 'node:util';
import { mkdir, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../clock.js';
import type { App } from '../app.js';
import { createIdGenerator } from '../identity/ids.js';
import { openSqliteMetadataStore } from '../store/sqlite-metadata.js';
import { FileBlobStore } from '../store/file-blob-store.js';
import { loadOrCreateMasterKey } from '../crypto/master-key.js';
import { ensureAccounts, parseAccountsFlag } from '../identity/accounts.js';
import { writeCredentialFiles, formatBanner } from '../identity/credential-files.js';
import { ensureTlsMaterial } from '../http/tls.js';
import { startListeners } from '../http/listeners.js';
import { createHandler, type Frontend } from '../http/handle.js';
import { StoreCredentialResolver } from '../context/credential-resolver.js';
import { PolicyAuthorizer } from '../context/policy-authorizer.js';
import { loadS3AuthContext } from '../context/s3-auth-context.js';
import { resolveManagedPolicy } from '../iam/managed-policies.js';
import { getOrCreateOrganization } from '../services/organizations/organization.js';
import { AuditTrail } from '../audit/trail.js';
import { AccessLogDelivery } from '../access-log/delivery.js';
import { version } from './version.js';

export const serveHelp = `Usage: crossbucket serve [options]

Runs the S3-compatible endpoint (plus IAM/STS/KMS/… on the same port).

Options (each has a CROSSBUCKET_* environment equivalent):
  --host HOST            listen address (default 127.0.0.1; CROSSBUCKET_HOST)
  --port N               HTTP port (default 4580; 0 = ephemeral; CROSSBUCKET_PORT)
  --tls-port N           HTTPS port (default 4581; 0 = ephemeral; CROSSBUCKET_TLS_PORT)
  --data DIR             data directory (default ./crossbucket-data; CROSSBUCKET_DATA)
  --region REGION        region served (default us-east-1; CROSSBUCKET_REGION)
  --accounts LIST        extra accounts NAME[=ID],... (CROSSBUCKET_ACCOUNTS)
  --log-flush-seconds N  access-log delivery interval (default 60; CROSSBUCKET_LOG_FLUSH_SECONDS)
  -h, --help             this help

Example:
  crossbucket serve --accounts owner=111111111111,partner=222222222222
`;

export interface ServeOptions {
  host: string;
  port: number;
  tlsPort: number;
  dataDir: string;
  region: string;
  accounts: string;
  logFlushSeconds: number;
}

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-port': { type: 'string' },
      data: { type: 'string' },
      region: { type: 'string' },
      accounts: { type: 'string' },
      'log-flush-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = (value: string | undefined, fallback: number, name: string) => {
    const n = Number(value ?? fallback);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number (0-65535), got ${value}`);
    return n;
  };
  const region = values.region ?? env.CROSSBUCKET_REGION ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`--region must look like us-east-1, got ${region}`);
  const flush = Number(values['log-flush-seconds'] ?? env.CROSSBUCKET_LOG_FLUSH_SECONDS ?? 60);
  if (!(flush > 0)) throw new Error('--log-flush-seconds must be a positive number');
  return {
    host: values.host ?? env.CROSSBUCKET_HOST ?? '127.0.0.1',
    port: port(values.port ?? env.CROSSBUCKET_PORT, 4580, 'port'),
    tlsPort: port(values['tls-port'] ?? env.CROSSBUCKET_TLS_PORT, 4581, 'tls-port'),
    dataDir: path.resolve(values.data ?? env.CROSSBUCKET_DATA ?? './crossbucket-data'),
    region,
    accounts: values.accounts ?? env.CROSSBUCKET_ACCOUNTS ?? '',
    logFlushSeconds: flush,
  };
}

/** Start everything; resolves once both listeners are up. Returns a stop function. */
export async function startServer(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ stop: () => Promise<void>; banner: string }> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const masterKey = await loadOrCreateMasterKey(options.dataDir, env);
  // fsync off the event loop: a COMMIT's fdatasync runs in the thread pool, writes are acknowledged after it.
  const store = openSqliteMetadataStore(path.join(options.dataDir, 'metadata.db'), { walSync: 'background' });
  const blobs = new FileBlobStore(options.dataDir);
  await blobs.sweepTemporaryFiles();
  const accounts = await ensureAccounts(store, masterKey, parseAccountsFlag(options.accounts), {
    rootAccessKeyId: env.CROSSBUCKET_ROOT_ACCESS_KEY_ID,
    rootSecretAccessKey: env.CROSSBUCKET_ROOT_SECRET_ACCESS_KEY,
  });
  const tls = await ensureTlsMaterial(options.dataDir);
  // Every account of this server is a member of one organization managed by `admin` (aws:PrincipalOrgID).
  const organization = await getOrCreateOrganization(store, systemClock);
  const app: App = {
    config: { region: options.region, dataDir: options.dataDir, version },
    clock: systemClock,
    store,
    blobs,
    credentials: new StoreCredentialResolver(store, masterKey, systemClock),
    masterKey,
    ids: createIdGenerator(),
  };
  const auditTrail = new AuditTrail(app);
  const accessLogs = new AccessLogDelivery(app, { flushSeconds: options.logFlushSeconds });
  const startedAtMs = Date.now();
  let listenersRef: Awaited<ReturnType<typeof startListeners>> | null = null;
  const frontend: Frontend = { app, authorizer: new PolicyAuthorizer({
      store,
      resolveManaged: resolveManagedPolicy,
      organizationId: async () => organization.id,
      s3Context: async (request, policyText) => {
        const bucket = request.bucket === null ? null : await store.getBucket(request.bucket);
        return bucket ? loadS3AuthContext(app, bucket, request.key, request.action, request.identity, policyText) : null;
      },
    }), startedAtMs, listeners: () => listenersRef?.addresses() ?? [], observers: [auditTrail, accessLogs] };
  const listeners = await startListeners(
    { host: options.host, httpPort: options.port, httpsPort: options.tlsPort, tls: { certPem: tls.certPem, keyPem: tls.keyPem } },
    (secure) => createHandler(frontend, secure),
  );
  listenersRef = listeners;
  const addresses = listeners.addresses();
  const httpPort = addresses.find((a) => a.protocol === 'http')!.port;
  const httpsPort = addresses.find((a) => a.protocol === 'https')!.port;
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const httpEndpoint = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${httpPort}`;
  const httpsEndpoint = `https://localhost:${httpsPort}`;
  const files = await writeCredentialFiles({ dataDir: options.dataDir, accounts, region: options.region, httpsEndpoint, caPath: tls.caPath });
  const serverInfo = { pid: process.pid, host: options.host, httpPort, httpsPort, httpEndpoint, httpsEndpoint, caPath: tls.caPath, region: options.region };
  const infoPath = path.join(options.dataDir, 'server.json');
  await writeFile(infoPath + '.tmp', JSON.stringify(serverInfo, null, 2));
  await rename(infoPath + '.tmp', infoPath);
  const banner = formatBanner({ accounts, httpEndpoint, httpsEndpoint, caPath: tls.caPath, credentialsPath: files.credentialsPath, configPath: files.configPath, region: options.region, version });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await listeners.close();
      await accessLogs.flush();
      accessLogs.stop();
      await auditTrail.flush();
      await store.close();
    })();
    return stopping;
  };
  return { stop, banner };
}

export async function runServeCommand(argv: string[]): Promise<number> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeOptions(argv, process.env);
  } catch (error) {
    process.stderr.write(`crossbucket serve: ${(error as Error).message}\n\n${serveHelp}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(serveHelp);
    return 0;
  }
  const server = await startServer(options);
  process.stdout.write(server.banner + '\n');
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      process.stdout.write(`crossbucket: ${signal} received, shutting down\n`);
      server.stop().then(resolve, (error) => {
        process.stderr.write(`crossbucket: error during shutdown: ${(error as Error).message}\n`);
        resolve();
      });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}
