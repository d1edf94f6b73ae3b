/** Unit-test harness for IAM handlers: a real SQLite store in memory and ServiceCalls built by hand. */
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { Identity } from '../../src/context/request-context.js';
import { createIdGenerator } from '../../src/identity/ids.js';
import { iamOperations } from '../../src/operations/iam-table.js';
import { ServiceError } from '../../src/protocol/errors.js';
import { queryResponse } from '../../src/protocol/query.js';
import type { ServiceCall } from '../../src/services/service-call.js';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import type { MetadataStore } from '../../src/store/types.js';

export const ownerId = '111111111111';
export const partnerId = '222222222222';

export interface Harness {
  app: App;
  store: MetadataStore;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function makeHarness(): Promise<Harness> {
  const store = openSqliteMetadataStore(':memory:');
  const clock = new ManualClock(Date.parse('2026-12-02T05:30:00.123Z'));
  for (const [id, name] of [[ownerId, 'owner'], [partnerId, 'partner']] as const) {
    await store.putAccount({ id, name, canonicalId: id[0]!.repeat(64), email: `${name}@example.com`, createdAtMs: Date.parse('2026-01-01T00:00:00Z') });
  }
  const app = {
    config: { region: 'us-east-1', dataDir: '/nonexistent', version: 'test' },
    clock,
    store,
    blobs: undefined as never,
    credentials: undefined as never,
    masterKey: randomBytes(32),
    ids: createIdGenerator(),
  } satisfies App;
  return { app, store, clock, close: () => store.close() };
}

export function rootIdentity(accountId = ownerId): Identity {
  return {
    type: 'Root',
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    userId: accountId,
    canonicalId: null,
    accessKeyId: 'AKIAEXAMPLEROOT00000',
    userName: null,
    roleArn: null,
    sessionName: null,
    mfaPresent: false,
    tokenIssueTimeMs: null,
  };
}

export function userIdentity(userName: string, accountId = ownerId): Identity {
  return { ...rootIdentity(accountId), type: 'User', arn: `arn:aws:iam::${accountId}:user/${userName}`, userId: 'AIDAEXAMPLE', userName };
}

export function roleIdentity(accountId = ownerId): Identity {
  return { ...rootIdentity(accountId), type: 'AssumedRole', arn: `arn:aws:sts::${accountId}:assumed-role/R/s`, userId: 'AROAEXAMPLE:s', roleArn: `arn:aws:iam::${accountId}:role/R`, sessionName: 's' };
}

export function makeCall(h: Harness, operation: string, params: Record<string, string>, identity: Identity = rootIdentity()): ServiceCall {
  return {
    app: h.app,
    info: { requestId: 'req-1' } as never,
    identity,
    service: 'iam',
    operation,
    params: new Map([['Action', operation], ['Version', '2010-05-08'], ...Object.entries(params)]),
    input: {},
    authorize: async () => {},
  };
}

/** Run an IAM operation through the table; resolves with the Result content. */
export async function iam(h: Harness, operation: string, params: Record<string, string> = {}, identity?: Identity): Promise<any> {
  const entry = iamOperations[operation];
  if (!entry) throw new Error(`no IAM operation ${operation}`);
  return entry.handler(makeCall(h, operation, params, identity));
}

/** The full response document the pipeline would send. */
export async function iamXml(h: Harness, operation: string, params: Record<string, string> = {}, identity?: Identity): Promise<string> {
  return queryResponse('iam', operation, await iam(h, operation, params, identity), 'req-1');
}

/** Resolves with the ServiceError the call throws (fails when it succeeds). */
export async function iamError(h: Harness, operation: string, params: Record<string, string> = {}, identity?: Identity): Promise<ServiceError> {
  try {
    await iam(h, operation, params, identity);
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error(`${operation} succeeded but an error was expected`);
}

export const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
export const trustAccount = (accountId: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] });
