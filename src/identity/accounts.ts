/**
 * Accounts: the management account `admin` plus those named by `--accounts NAME[=ID],...`.
 * `ensureAccounts` is idempotent across restarts: the same name is the same account (same ID,
 * canonical ID and root key); conflicting names/IDs fail with a message that says what to do.
 */
import { systemClock, type Clock } from '../clock.js';
import { SealError } from '../crypto/seal.js';
import type { AccessKeyRecord, AccountRecord, MetadataStore } from '../store/types.js';
import { openAccessKeySecret, sealAccessKeySecret } from './access-key-secrets.js';
import { accountIdPattern, createIdGenerator, type IdGenerator } from './ids.js';

export { resolveSecret, SecretCache } from './access-key-secrets.js';

export const managementAccountName = 'admin';
export const accountEmailDomain = 'crossbucket.local';

export interface AccountSpec {
  name: string;
  /** 12 digits; a random ID (no leading 0) when absent. */
  id?: string;
}

export interface AccountWithKeys {
  account: AccountRecord;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
}

export interface EnsureAccountsOptions {
  /** Pins the root access key of `admin` (CROSSBUCKET_ROOT_ACCESS_KEY_ID). */
  rootAccessKeyId?: string | undefined;
  /** Pins the root secret of `admin` (CROSSBUCKET_ROOT_SECRET_ACCESS_KEY). */
  rootSecretAccessKey?: string | undefined;
  ids?: IdGenerator;
  clock?: Clock;
}

/** A configuration problem the operator must fix (bad flag, conflicting names or IDs). */
export class AccountConfigError extends Error {
  override readonly name = 'AccountConfigError';
}

const accountNamePattern = /^[a-z0-9_-]{1,64}$/;
const pinnedAccessKeyIdPattern = /^[A-Za-z0-9]{3,128}$/;
const maxIdAttempts = 100;

export function accountEmail(name: string): string {
  return `${name}@${accountEmailDomain}`;
}

export function validateAccountName(name: string): void {
  if (!accountNamePattern.test(name)) {
    throw new AccountConfigError(`invalid account name '${name}': use 1-64 characters of a-z, 0-9, '-' and '_'`);
  }
  // The generated config file has a [default] section (= admin); a profile named "default" would clash.
  if (name === 'default') throw new AccountConfigError(`invalid account name 'default': it is reserved for the default profile`);
}

export function validateAccountId(id: string): void {
  if (!accountIdPattern.test(id)) throw new AccountConfigError(`invalid account ID '${id}': an AWS account ID is exactly 12 digits`);
}

/** Parse `owner=111111111111,partner=222222222222,tester` (empty items are ignored). */
export function parseAccountsFlag(text: string): AccountSpec[] {
  const specs: AccountSpec[] = [];
  const names = new Set<string>();
  const ids = new Map<string, string>();
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const equals = item.indexOf('=');
    const name = (equals === -1 ? item : item.slice(0, equals)).trim();
    const id = equals === -1 ? undefined : item.slice(equals + 1).trim();
    try {
      validateAccountName(name);
      if (id !== undefined) validateAccountId(id);
    } catch (error) {
      throw new AccountConfigError(`--accounts item '${item}': ${(error as Error).message} (expected NAME or NAME=123456789012)`);
    }
    if (names.has(name)) throw new AccountConfigError(`--accounts names account '${name}' twice`);
    names.add(name);
    if (id !== undefined) {
      const other = ids.get(id);
      if (other !== undefined) throw new AccountConfigError(`--accounts gives account ID ${id} to both '${other}' and '${name}'`);
      ids.set(id, name);
    }
    specs.push(id === undefined ? { name } : { name, id });
  }
  return specs;
}

interface Context {
  store: MetadataStore;
  masterKey: Buffer;
  ids: IdGenerator;
  clock: Clock;
}

async function newAccountId(context: Context): Promise<string> {
  for (let attempt = 0; attempt < maxIdAttempts; attempt += 1) {
    const id = context.ids.accountId();
    if (!(await context.store.getAccount(id))) return id;
  }
  throw new Error('could not find an unused account ID');
}

async function newCanonicalId(context: Context): Promise<string> {
  for (let attempt = 0; attempt < maxIdAttempts; attempt += 1) {
    const id = context.ids.canonicalUserId();
    if (!(await context.store.getAccountByCanonicalId(id))) return id;
  }
  throw new Error('could not find an unused canonical user ID');
}

async function newAccessKeyId(context: Context): Promise<string> {
  for (let attempt = 0; attempt < maxIdAttempts; attempt += 1) {
    const id = context.ids.accessKeyId();
    if (!(await context.store.getAccessKey(id))) return id;
  }
  throw new Error('could not find an unused access key ID');
}

async function ensureAccountRecord(context: Context, spec: AccountSpec): Promise<AccountRecord> {
  const { store } = context;
  const existing = await store.getAccountByName(spec.name);
  if (existing) {
    if (spec.id !== undefined && spec.id !== existing.id) {
      throw new AccountConfigError(
        `account '${spec.name}' already exists with ID ${existing.id}, but ID ${spec.id} was requested; ` +
          `account IDs cannot change — drop the ID, use ${spec.name}=${existing.id}, or choose another name`,
      );
    }
    return existing;
  }
  if (spec.id !== undefined) {
    const holder = await store.getAccount(spec.id);
    if (holder) {
      throw new AccountConfigError(
        `account ID ${spec.id} already belongs to account '${holder.name}'; cannot give it to '${spec.name}'`,
      );
    }
  }
  const account: AccountRecord = {
    id: spec.id ?? (await newAccountId(context)),
    name: spec.name,
    canonicalId: await newCanonicalId(context),
    email: accountEmail(spec.name),
    createdAtMs: context.clock.nowMs(),
  };
  await store.putAccount(account);
  return account;
}

function openOrExplain(context: Context, record: AccessKeyRecord, accountName: string): string {
  try {
    return openAccessKeySecret(context.masterKey, record);
  } catch (error) {
    if (error instanceof SealError) {
      throw new Error(
        `cannot decrypt the root secret of account '${accountName}' (${record.accessKeyId}): the master key ` +
          `differs from the one that sealed it (check CROSSBUCKET_MASTER_KEY and <data>/master.key)`,
      );
    }
    throw error;
  }
}

async function putRootKey(context: Context, account: AccountRecord, accessKeyId: string, secret: string): Promise<void> {
  await context.store.putAccessKey({
    accessKeyId,
    secretSealed: sealAccessKeySecret(context.masterKey, accessKeyId, secret),
    accountId: account.id,
    principalType: 'root',
    userName: null,
    status: 'Active',
    createdAtMs: context.clock.nowMs(),
  });
}

async function rootKeys(context: Context, account: AccountRecord): Promise<AccessKeyRecord[]> {
  const keys = await context.store.listAccessKeys(account.id, null);
  return keys.filter((key) => key.principalType === 'root');
}

/** The account's root key: the oldest Active one, else the oldest one, else a new one. */
async function ensureRootKey(context: Context, account: AccountRecord): Promise<AccountWithKeys> {
  const keys = await rootKeys(context, account);
  const chosen = keys.find((key) => key.status === 'Active') ?? keys[0];
  if (chosen) {
    return { account, rootAccessKeyId: chosen.accessKeyId, rootSecretAccessKey: openOrExplain(context, chosen, account.name) };
  }
  const accessKeyId = await newAccessKeyId(context);
  const secret = context.ids.secretAccessKey();
  await putRootKey(context, account, accessKeyId, secret);
  return { account, rootAccessKeyId: accessKeyId, rootSecretAccessKey: secret };
}

/** Make the pinned key the (only) root key of `account`. */
async function ensurePinnedRootKey(context: Context, account: AccountRecord, accessKeyId: string, secret: string): Promise<AccountWithKeys> {
  const existing = await context.store.getAccessKey(accessKeyId);
  if (existing && (existing.accountId !== account.id || existing.principalType !== 'root')) {
    throw new AccountConfigError(
      `CROSSBUCKET_ROOT_ACCESS_KEY_ID ${accessKeyId} is already in use by another principal (account ${existing.accountId})`,
    );
  }
  const unchanged = existing && existing.status === 'Active' && openOrExplain(context, existing, account.name) === secret;
  if (!unchanged) await putRootKey(context, account, accessKeyId, secret);
  for (const key of await rootKeys(context, account)) {
    if (key.accessKeyId !== accessKeyId) await context.store.deleteAccessKey(key.accessKeyId);
  }
  return { account, rootAccessKeyId: accessKeyId, rootSecretAccessKey: secret };
}

function pinnedRootKey(options: EnsureAccountsOptions): { accessKeyId: string; secret: string } | null {
  const accessKeyId = options.rootAccessKeyId?.trim() || undefined;
  const secret = options.rootSecretAccessKey || undefined;
  if (accessKeyId === undefined && secret === undefined) return null;
  if (accessKeyId === undefined || secret === undefined) {
    throw new AccountConfigError('CROSSBUCKET_ROOT_ACCESS_KEY_ID and CROSSBUCKET_ROOT_SECRET_ACCESS_KEY must be set together');
  }
  if (!pinnedAccessKeyIdPattern.test(accessKeyId)) {
    throw new AccountConfigError('CROSSBUCKET_ROOT_ACCESS_KEY_ID must be 3-128 letters and digits');
  }
  if (secret.length > 128 || /[\s\x00-\x1f\x7f]/.test(secret)) {
    throw new AccountConfigError('CROSSBUCKET_ROOT_SECRET_ACCESS_KEY must be at most 128 characters without whitespace');
  }
  return { accessKeyId, secret };
}

/**
 * Create what is missing and return every account in the store with its root key: `admin` first,
 * then the accounts of `spec` in order, then any others (e.g. made by `crossbucket accounts create`)
 * by name.
 */
export async function ensureAccounts(
  store: MetadataStore,
  masterKey: Buffer,
  spec: AccountSpec[],
  options: EnsureAccountsOptions = {},
): Promise<AccountWithKeys[]> {
  const context: Context = { store, masterKey, ids: options.ids ?? createIdGenerator(), clock: options.clock ?? systemClock };
  const pinned = pinnedRootKey(options);
  const specs = spec.some((item) => item.name === managementAccountName) ? [...spec] : [{ name: managementAccountName }, ...spec];
  specs.sort((a, b) => Number(b.name === managementAccountName) - Number(a.name === managementAccountName));
  const seen = new Set<string>();
  for (const item of specs) {
    validateAccountName(item.name);
    if (item.id !== undefined) validateAccountId(item.id);
    if (seen.has(item.name)) throw new AccountConfigError(`account '${item.name}' is named twice`);
    seen.add(item.name);
  }

  const ordered: AccountRecord[] = [];
  for (const item of specs) ordered.push(await ensureAccountRecord(context, item));
  const named = new Set(ordered.map((account) => account.id));
  for (const account of await store.listAccounts()) {
    if (!named.has(account.id)) ordered.push(account);
  }

  const result: AccountWithKeys[] = [];
  for (const account of ordered) {
    if (account.name === managementAccountName && pinned) {
      result.push(await ensurePinnedRootKey(context, account, pinned.accessKeyId, pinned.secret));
    } else {
      result.push(await ensureRootKey(context, account));
    }
  }
  return result;
}
