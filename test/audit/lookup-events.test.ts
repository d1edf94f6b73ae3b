// CloudTrail API Reference "LookupEvents": one lookup attribute, time range, MaxResults ≤ 50,
// NextToken pagination, newest first, scoped to the caller's account; the trail is append-only storage.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { openSqliteMetadataStore, type SqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import { AuditTrail } from '../../src/audit/trail.js';
import { lookupEvents } from '../../src/services/cloudtrail/lookup-events.js';
import type { ServiceCall } from '../../src/services/service-call.js';
import type { Identity } from '../../src/context/request-context.js';
import { ServiceError } from '../../src/protocol/errors.js';
import { outcomeOf, ownerAccount, partnerAccount, requestStartMs, rootOf, sessionOf, userOf } from './helpers.js';

let store: SqliteMetadataStore;
let app: App;

function call(identity: Identity, input: Record<string, unknown>): ServiceCall {
  return { app, info: outcomeOf().info, identity, service: 'cloudtrail', operation: 'LookupEvents', params: new Map(), input, authorize: async () => undefined };
}

async function lookup(identity: Identity, input: Record<string, unknown>): Promise<{ Events: any[]; NextToken?: string }> {
  return (await lookupEvents(call(identity, input))) as { Events: any[]; NextToken?: string };
}

async function rejects(identity: Identity, input: Record<string, unknown>, code: string): Promise<void> {
  await assert.rejects(lookup(identity, input), (error: unknown) => error instanceof ServiceError && error.code === code && error.statusCode === 400);
}

before(async () => {
  store = openSqliteMetadataStore(':memory:');
  app = { config: { region: 'us-east-1', dataDir: '/nonexistent', version: 'test' }, clock: new ManualClock(requestStartMs), store, blobs: null as never, credentials: null as never, masterKey: randomBytes(32), ids: null as never };
  const trail = new AuditTrail(app, { batchDelayMs: 1 });
  const session = sessionOf(ownerAccount, 'CLIENT-ExtRole', 'partner-session');
  // 60 S3 calls by the role session, one second apart, then a cross-account AssumeRole and a denied call.
  for (let i = 0; i < 60; i += 1) {
    const outcome = outcomeOf({ method: 'PUT', path: `/data/k${i}`, trace: { operation: i % 2 === 0 ? 'PutObject' : 'GetObject', identity: session, bucket: 'data', key: `k${i}`, bucketOwnerAccountId: ownerAccount, authType: 'AuthHeader' } });
    outcome.info.startMs = requestStartMs + i * 1000;
    trail.observe(outcome);
  }
  const assume = outcomeOf({ trace: { service: 'sts', operation: 'AssumeRole', identity: userOf(partnerAccount, 'alice'), resourceAccountId: ownerAccount, resources: [{ arn: `arn:aws:iam::${ownerAccount}:role/CLIENT-ExtRole`, type: 'AWS::IAM::Role', accountId: ownerAccount }] } });
  assume.info.startMs = requestStartMs + 100_000;
  trail.observe(assume);
  const denied = outcomeOf({ status: 403, trace: { operation: 'DeleteBucket', identity: session, bucket: 'data', bucketOwnerAccountId: ownerAccount, errorCode: 'AccessDenied', errorMessage: 'Access Denied' } });
  denied.info.startMs = requestStartMs + 101_000;
  trail.observe(denied);
  await trail.flush();
});

after(async () => {
  await store.close();
});

describe('LookupEvents', () => {
  it('returns the newest 50 events of the caller account by default, then the rest with NextToken', async () => {
    const owner = rootOf(ownerAccount);
    const first = await lookup(owner, {});
    assert.equal(first.Events.length, 50);
    assert.equal(first.Events[0].EventName, 'DeleteBucket');
    assert.equal(first.Events[1].EventName, 'AssumeRole');
    assert.ok(first.NextToken);
    const second = await lookup(owner, { NextToken: first.NextToken });
    assert.equal(second.Events.length, 12);
    assert.equal(second.NextToken, undefined);
    const ids = new Set([...first.Events, ...second.Events].map((e) => e.EventId));
    assert.equal(ids.size, 62);
    const times = [...first.Events, ...second.Events].map((e) => e.EventTime);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  it('shapes each Event as the API reference does, with CloudTrailEvent as JSON text', async () => {
    const { Events } = await lookup(rootOf(ownerAccount), { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteBucket' }] });
    assert.equal(Events.length, 1);
    const event = Events[0];
    assert.deepEqual(Object.keys(event).sort(), ['AccessKeyId', 'CloudTrailEvent', 'EventId', 'EventName', 'EventSource', 'EventTime', 'ReadOnly', 'Resources', 'Username']);
    assert.equal(event.ReadOnly, 'false');
    assert.equal(event.EventSource, 's3.amazonaws.com');
    assert.equal(event.Username, 'partner-session');
    assert.equal(event.EventTime, Math.floor((requestStartMs + 101_000) / 1000));
    assert.deepEqual(event.Resources, [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'data' }]);
    const record = JSON.parse(event.CloudTrailEvent);
    assert.equal(record.eventID, event.EventId);
    assert.equal(record.errorCode, 'AccessDenied');
  });

  it('scopes to the caller account: the partner sees only its side of the AssumeRole, sharing its sharedEventID', async () => {
    const partner = await lookup(rootOf(partnerAccount), {});
    assert.deepEqual(partner.Events.map((e) => e.EventName), ['AssumeRole']);
    const owner = await lookup(rootOf(ownerAccount), { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] });
    assert.equal(owner.Events.length, 1);
    const [a, b] = [JSON.parse(partner.Events[0].CloudTrailEvent), JSON.parse(owner.Events[0].CloudTrailEvent)];
    assert.equal(a.sharedEventID, b.sharedEventID);
    assert.notEqual(a.eventID, b.eventID);
  });

  it('filters by each lookup attribute', async () => {
    const owner = rootOf(ownerAccount);
    const count = async (key: string, value: string) => (await lookup(owner, { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], MaxResults: 50 })).Events.length;
    assert.equal(await count('EventName', 'PutObject'), 30);
    assert.equal(await count('Username', 'partner-session'), 50);
    assert.equal(await count('Username', 'alice'), 1);
    assert.equal(await count('ResourceName', 'data/k7'), 1);
    assert.equal(await count('ResourceName', 'arn:aws:s3:::data/k7'), 1);
    assert.equal(await count('ResourceType', 'AWS::IAM::Role'), 1);
    assert.equal(await count('AccessKeyId', 'ASIASESSIONEXAMPLE01'), 50);
    assert.equal(await count('EventSource', 'sts.amazonaws.com'), 1);
    assert.equal(await count('ReadOnly', 'true'), 31);
    const some = (await lookup(owner, { MaxResults: 1 })).Events[0];
    assert.equal(await count('EventId', some.EventId), 1);
  });

  it('honours StartTime and EndTime (epoch seconds, inclusive)', async () => {
    const start = (requestStartMs + 10_000) / 1000;
    const end = (requestStartMs + 19_000) / 1000;
    const { Events } = await lookup(rootOf(ownerAccount), { StartTime: start, EndTime: end });
    assert.equal(Events.length, 10);
  });

  it('refuses what AWS refuses', async () => {
    const owner = rootOf(ownerAccount);
    await rejects(owner, { MaxResults: 51 }, 'InvalidMaxResultsException');
    await rejects(owner, { MaxResults: 0 }, 'InvalidMaxResultsException');
    await rejects(owner, { StartTime: 200, EndTime: 100 }, 'InvalidTimeRangeException');
    await rejects(owner, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'A' }, { AttributeKey: 'Username', AttributeValue: 'B' }] }, 'InvalidLookupAttributesException');
    await rejects(owner, { LookupAttributes: [{ AttributeKey: 'Bucket', AttributeValue: 'data' }] }, 'InvalidLookupAttributesException');
    await rejects(owner, { NextToken: 'bm90LWEtdG9rZW4' }, 'InvalidNextTokenException');
    const first = await lookup(owner, { MaxResults: 5 });
    await rejects(owner, { MaxResults: 5, NextToken: first.NextToken, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutObject' }] }, 'InvalidNextTokenException');
  });
});

describe('audit store', () => {
  it('filters the CLI way: denied-only, principal substring, bucket, all accounts', async () => {
    const denied = await store.queryAuditEvents({ accountId: null, deniedOnly: true, limit: 100 });
    assert.deepEqual(denied.map((e) => e.eventName), ['DeleteBucket']);
    const both = await store.queryAuditEvents({ accountId: null, attribute: { key: 'EventName', value: 'AssumeRole' }, limit: 100 });
    assert.deepEqual(both.map((e) => e.accountId).sort(), [ownerAccount, partnerAccount]);
    const byPrincipal = await store.queryAuditEvents({ accountId: ownerAccount, principalContains: 'assumed-role/CLIENT-ExtRole', limit: 100 });
    assert.equal(byPrincipal.length, 61);
    const byBucket = await store.queryAuditEvents({ accountId: ownerAccount, bucket: 'data', limit: 100 });
    assert.equal(byBucket.length, 61);
    const likeMeta = await store.queryAuditEvents({ accountId: ownerAccount, principalContains: '%', limit: 100 });
    assert.equal(likeMeta.length, 0, 'LIKE wildcards in filters are literal');
  });
});
