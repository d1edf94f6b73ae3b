/**
 * A real in-memory metadata store with accounts `admin` and `owner`, and ServiceCalls built by hand
 * for STS/Organizations handler tests (the pipeline's authorization is recorded, not performed).
 */
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { Identity, RequestInfo } from '../../src/context/request-context.js';
import { ensureAccounts } from '../../src/identity/accounts.js';
import { createIdGenerator } from '../../src/identity/ids.js';
import { iamKinds, nameKey, type RoleDoc } from '../../src/iam/model.js';
import type { ServiceCall } from '../../src/services/service-call.js';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import type { AccountRecord } from '../../src/store/types.js';

export const ownerId = '111111111111';
export const startMs = Date.UTC(2025, 0, 15, 12, 0, 0);

export interface Fixture {
  app: App;
  clock: ManualClock;
  admin: AccountRecord;
  owner: AccountRecord;
  close(): Promise<void>;
}

export async function fixture(): Promise<Fixture> {
  const store = openSqliteMetadataStore(':memory:');
  const clock = new ManualClock(startMs);
  const masterKey = randomBytes(32);
  const ids = createIdGenerator();
  const accounts = await ensureAccounts(store, masterKey, [{ name: 'owner', id: ownerId }], { ids, clock });
  const app = {
    config: { region: 'us-east-1', dataDir: '/nonexistent', version: 'test' },
    clock,
    store,
    blobs: null as never,
    credentials: null as never,
    masterKey,
    ids,
  } satisfies App;
  return {
    app,
    clock,
    admin: accounts.find((entry) => entry.account.name === 'admin')!.account,
    owner: accounts.find((entry) => entry.account.name === 'owner')!.account,
    close: () => store.close(),
  };
}

export function rootIdentity(account: AccountRecord): Identity {
  return {
    type: 'Root',
    accountId: account.id,
    arn: `arn:aws:iam::${account.id}:root`,
    userId: account.id,
    canonicalId: account.canonicalId,
    accessKeyId: 'AKIAEXAMPLEROOTKEY01',
    userName: null,
    roleArn: null,
    sessionName: null,
    mfaPresent: false,
    tokenIssueTimeMs: null,
  };
}

export function userIdentity(account: AccountRecord, userName: string): Identity {
  return {
    ...rootIdentity(account),
    type: 'User',
    arn: `arn:aws:iam::${account.id}:user/${userName}`,
    userId: 'AIDAEXAMPLEUSERID0001',
    accessKeyId: 'AKIAEXAMPLEUSERKEY01',
    userName,
  };
}

export interface RecordedCall extends ServiceCall {
  authorized: Array<{ action: string; resourceArn: string; resourceAccountId: string | null }>;
}

export function serviceCall(
  app: App,
  identity: Identity,
  options: { service?: string; operation?: string; params?: Record<string, string>; input?: Record<string, unknown>; headers?: Record<string, string> } = {},
): RecordedCall {
  const info = { headers: options.headers ?? {}, query: new Map<string, string>(), requestId: 'REQ', method: 'POST' } as unknown as RequestInfo;
  const authorized: RecordedCall['authorized'] = [];
  return {
    app,
    info,
    identity,
    service: options.service ?? 'sts',
    operation: options.operation ?? 'AssumeRole',
    params: new Map(Object.entries(options.params ?? {})),
    input: options.input ?? {},
    authorized,
    authorize: async (action, resourceArn, resourceAccountId) => {
      authorized.push({ action, resourceArn, resourceAccountId });
    },
  };
}

export async function putRole(app: App, accountId: string, roleName: string, options: { path?: string; maxSessionDurationSeconds?: number } = {}): Promise<RoleDoc> {
  const path = options.path ?? '/';
  const role: RoleDoc = {
    accountId,
    roleName,
    roleId: app.ids.roleUniqueId(),
    path,
    arn: `arn:aws:iam::${accountId}:role${path}${roleName}`,
    createdAtMs: app.clock.nowMs(),
    assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] }),
    description: null,
    maxSessionDurationSeconds: options.maxSessionDurationSeconds ?? 3600,
    permissionsBoundaryArn: null,
    tags: [],
    inlinePolicies: {},
    attachedPolicyArns: [],
  };
  await app.store.writeDocuments((tx) => tx.put(accountId, iamKinds.role, nameKey(roleName), role));
  return role;
}

/** Resolves with the ServiceError a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string; statusCode: number }> {
  try {
    if (typeof promise === 'function') await promise();
    else await promise;
  } catch (error) {
    return error as { code: string; message: string; statusCode: number };
  }
  throw new Error('expected a rejection');
}
