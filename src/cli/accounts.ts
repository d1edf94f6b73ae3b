/**
 * `crossbucket accounts list [--data DIR] [--json]`
 * `crossbucket accounts create NAME [--id 123456789012] [--data DIR] [--json]`
 *
 * Works directly on a data directory (SQLite allows it while a server runs; the server reads keys
 * from the store per request, so a new account works without a restart). `create` prints the root
 * secret exactly once and rewrites `<data>/credentials` and `<data>/config` when they exist.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateMasterKey } from '../crypto/master-key.js';
import {
  AccountConfigError,
  accountEmail,
  ensureAccounts,
  validateAccountId,
  validateAccountName,
  type AccountWithKeys,
} from '../identity/accounts.js';
import { configFileName, credentialsFileName, writeCredentialFiles } from '../identity/credential-files.js';
import { openSqliteMetadataStore } from '../store/sqlite-metadata.js';
import type { MetadataStore } from '../store/types.js';

export const accountsHelp = `Usage:
  crossbucket accounts list [--data DIR] [--json]
  crossbucket accounts create NAME [--id 123456789012] [--data DIR] [--json]

Options:
  --data DIR   data directory (default ./crossbucket-data; CROSSBUCKET_DATA)
  --id ID      12-digit account ID for the new account (random if omitted)
  --json       machine-readable output
  -h, --help   this help

'create' prints the new account's root secret access key once; it is also written to
<data>/credentials when that file exists (it is rewritten together with <data>/config).
`;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

const metadataFileName = 'metadata.db';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function listCommand(store: MetadataStore, json: boolean, io: CommandIo): Promise<number> {
  const accounts = await store.listAccounts();
  const rows = [];
  for (const account of accounts) {
    const keys = (await store.listAccessKeys(account.id, null)).filter((key) => key.principalType === 'root');
    rows.push({
      name: account.name,
      accountId: account.id,
      canonicalId: account.canonicalId,
      email: account.email,
      rootAccessKeys: keys.map((key) => ({ accessKeyId: key.accessKeyId, status: key.status })),
      createdAt: new Date(account.createdAtMs).toISOString(),
    });
  }
  if (json) {
    io.stdout(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const header = ['NAME', 'ACCOUNT ID', 'CANONICAL ID', 'ROOT ACCESS KEY', 'EMAIL'];
  const body = rows.map((row) => [
    row.name,
    row.accountId,
    row.canonicalId,
    row.rootAccessKeys.map((key) => (key.status === 'Active' ? key.accessKeyId : `${key.accessKeyId} (${key.status})`)).join(',') || '-',
    row.email,
  ]);
  io.stdout(table([header, ...body]));
  return 0;
}

/** Settings of the existing generated config file ([default] section), to rewrite it alike. */
async function existingConfigSettings(dataDir: string): Promise<{ region: string; httpsEndpoint: string; caPath: string }> {
  const settings = { region: 'us-east-1', httpsEndpoint: 'https://localhost:4581', caPath: path.join(dataDir, 'tls', 'ca.pem') };
  let text: string;
  try {
    text = await readFile(path.join(dataDir, configFileName), 'utf8');
  } catch {
    return settings;
  }
  const section = text.split(/^\[/m).find((part) => part.startsWith('default]')) ?? '';
  const value = (name: string) => new RegExp(`^${name}\\s*=\\s*(.+?)\\s*$`, 'm').exec(section)?.[1];
  return {
    region: value('region') ?? settings.region,
    httpsEndpoint: value('endpoint_url') ?? settings.httpsEndpoint,
    caPath: value('ca_bundle') ?? settings.caPath,
  };
}

async function createCommand(
  store: MetadataStore,
  dataDir: string,
  name: string,
  id: string | undefined,
  json: boolean,
  io: CommandIo,
): Promise<number> {
  const existing = await store.getAccountByName(name);
  if (existing) {
    io.stderr(`crossbucket accounts create: account '${name}' already exists (ID ${existing.id})\n`);
    return 1;
  }
  const masterKey = await loadOrCreateMasterKey(dataDir, io.env);
  const accounts = await ensureAccounts(store, masterKey, [id === undefined ? { name } : { name, id }], {
    rootAccessKeyId: io.env.CROSSBUCKET_ROOT_ACCESS_KEY_ID,
    rootSecretAccessKey: io.env.CROSSBUCKET_ROOT_SECRET_ACCESS_KEY,
  });
  const created = accounts.find((entry) => entry.account.name === name) as AccountWithKeys;
  let rewritten: string[] = [];
  if (existsSync(path.join(dataDir, credentialsFileName)) || existsSync(path.join(dataDir, configFileName))) {
    const settings = await existingConfigSettings(dataDir);
    const files = await writeCredentialFiles({ dataDir, accounts, ...settings });
    rewritten = [files.credentialsPath, files.configPath];
  }
  if (json) {
    io.stdout(
      JSON.stringify(
        {
          name,
          accountId: created.account.id,
          canonicalId: created.account.canonicalId,
          email: created.account.email,
          rootAccessKeyId: created.rootAccessKeyId,
          rootSecretAccessKey: created.rootSecretAccessKey,
          filesRewritten: rewritten,
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  io.stdout(
    `Created account '${name}'\n` +
      `  account ID          ${created.account.id}\n` +
      `  canonical ID        ${created.account.canonicalId}\n` +
      `  email               ${accountEmail(name)}\n` +
      `  root access key ID  ${created.rootAccessKeyId}\n` +
      `  root secret key     ${created.rootSecretAccessKey}\n` +
      `  (the secret is shown only this once${rewritten.length ? `; it is also in ${rewritten[0]}` : ''})\n` +
      (rewritten.length ? `Rewrote ${rewritten.join(' and ')}; use: aws --profile ${name} s3 ls\n` : ''),
  );
  return 0;
}

export async function runAccountsCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        id: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`crossbucket accounts: ${(error as Error).message}\n\n${accountsHelp}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(accountsHelp);
    return 0;
  }
  const [subcommand, ...rest] = positionals;
  const dataDir = path.resolve(values.data ?? io.env.CROSSBUCKET_DATA ?? './crossbucket-data');
  const usage = (message: string) => {
    io.stderr(`crossbucket accounts: ${message}\n\n${accountsHelp}`);
    return 2;
  };
  if (subcommand === 'list') {
    if (rest.length > 0 || values.id !== undefined) return usage('list takes no NAME or --id');
  } else if (subcommand === 'create') {
    if (rest.length !== 1) return usage('create takes exactly one NAME');
    try {
      validateAccountName(rest[0]!);
      if (values.id !== undefined) validateAccountId(values.id);
    } catch (error) {
      return usage((error as Error).message);
    }
  } else {
    return usage(subcommand === undefined ? 'missing subcommand (list or create)' : `unknown subcommand '${subcommand}'`);
  }
  const dbPath = path.join(dataDir, metadataFileName);
  if (subcommand === 'list' && !existsSync(dbPath)) {
    io.stderr(`crossbucket accounts: no crossbucket data in ${dataDir} (start 'crossbucket serve --data ${dataDir}' once, or pass --data)\n`);
    return 1;
  }
  const store = openSqliteMetadataStore(dbPath);
  try {
    if (subcommand === 'list') return await listCommand(store, values.json ?? false, io);
    return await createCommand(store, dataDir, rest[0]!, values.id, values.json ?? false, io);
  } catch (error) {
    if (error instanceof AccountConfigError) {
      io.stderr(`crossbucket accounts: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}
