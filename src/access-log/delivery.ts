/**
 * AccessLogDelivery: the RequestObserver behind S3 server access logs. For every finished S3
 * request on a bucket with logging enabled it formats one record and buffers it in memory per
 * (source bucket, target); every flushSeconds (and on flush()) each buffer becomes one log object
 * in the target bucket, owned by the target bucket's owner, named as S3 names log objects.
 * Nothing here runs on the request path: observe() only starts an asynchronous lookup. Records of
 * an interval cut short by a crash are lost (S3 delivery is best-effort too); a log object is
 * either written whole or not at all.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { App } from '../app.js';
import type { RequestObserver, RequestOutcome } from '../context/request-outcome.js';
import type { Identity } from '../context/request-context.js';
import type { BucketRecord, ObjectRecord } from '../store/types.js';
import { s3Target } from '../protocol/s3-dispatch.js';
import { resolveS3Route, type S3Level } from '../protocol/s3-routes.js';
import { serviceObjectEncryption } from '../services/s3/sse.js';
import { storeBody } from '../services/s3/object-data.js';
import { LOGGING_CONFIG, loggingFromStored, type LoggingConfig } from './config.js';
import { formatLogLine, logObjectName } from './format.js';
import { deliveryPermitted } from './permission.js';

export interface AccessLogDeliveryOptions {
  /** Delivery interval in seconds (the serve flag --log-flush-seconds; default 60). */
  flushSeconds?: number;
  /** Records buffered per log buffer at most before an early delivery (default 10,000). */
  bufferMaxRecords?: number;
}

interface LogBuffer {
  source: BucketRecord;
  config: LoggingConfig;
  /** [event time ms, line] */
  lines: Array<[number, string]>;
}

export class AccessLogDelivery implements RequestObserver {
  private readonly buffers = new Map<string, LogBuffer>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly canonicalIds = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private readonly bufferMaxRecords: number;
  /** Records not delivered (failed writes, revoked permissions); reported on stderr. */
  dropped = 0;

  constructor(
    private readonly app: App,
    options: AccessLogDeliveryOptions = {},
  ) {
    const flushSeconds = options.flushSeconds ?? 60;
    this.bufferMaxRecords = options.bufferMaxRecords ?? 10_000;
    this.timer = setInterval(() => void this.deliverAll(), Math.max(1, flushSeconds * 1000));
    this.timer.unref();
  }

  observe(outcome: RequestOutcome): void {
    if (outcome.trace.service !== 's3') return;
    const target = this.targetOf(outcome);
    if (target === null || target.bucket === null) return;
    this.track(this.record(outcome, target.bucket, target.key, target.operation));
  }

  private targetOf(outcome: RequestOutcome): { bucket: string | null; key: string | null; operation: string | null } | null {
    const { trace, info } = outcome;
    if (trace.bucket !== null) return { bucket: trace.bucket, key: trace.key, operation: trace.operation };
    // Requests that failed before dispatch (e.g. signature errors) are logged too.
    try {
      const target = s3Target(info);
      if (target.bucket === null) return null;
      const level: S3Level = target.key === null ? 'bucket' : 'object';
      return { ...target, operation: trace.operation ?? resolveS3Route(info.method, level, info.query, info.headers).operation ?? null };
    } catch {
      return null;
    }
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => {
      process.stderr.write(`crossbucket: access log: ${(error as Error).message}\n`);
    });
    this.pending.add(guarded);
    void guarded.finally(() => this.pending.delete(guarded));
  }

  private async record(outcome: RequestOutcome, bucketName: string, key: string | null, operation: string | null): Promise<void> {
    const store = this.app.store;
    const [source, stored] = await Promise.all([store.getBucket(bucketName), store.getBucketConfig(bucketName, LOGGING_CONFIG)]);
    const config = loggingFromStored(stored);
    if (!source || !config) return;
    const line = formatLogLine(outcome, {
      bucketOwnerCanonicalId: await this.canonicalId(source.accountId),
      bucket: bucketName,
      key,
      operation,
      requester: await this.requester(outcome.trace.identity),
    });
    const id = `${bucketName}\n${config.targetBucket}\n${config.targetPrefix}\n${JSON.stringify(config.keyFormat)}`;
    let buffer = this.buffers.get(id);
    if (!buffer) {
      buffer = { source, config, lines: [] };
      this.buffers.set(id, buffer);
    }
    buffer.config = config;
    buffer.lines.push([outcome.info.startMs, line]);
    if (buffer.lines.length >= this.bufferMaxRecords) {
      this.buffers.delete(id);
      this.track(this.deliver(buffer));
    }
  }

  /** Account root users appear as their canonical ID; IAM users and role sessions as their ARN. */
  private async requester(identity: Identity | null): Promise<string | null> {
    if (identity === null || identity.type === 'Anonymous') return null;
    if (identity.type === 'Root') return identity.canonicalId ?? (identity.accountId ? await this.canonicalId(identity.accountId) : identity.arn);
    return identity.arn;
  }

  private async canonicalId(accountId: string): Promise<string> {
    const known = this.canonicalIds.get(accountId);
    if (known !== undefined) return known;
    const account = await this.app.store.getAccount(accountId);
    const id = account?.canonicalId ?? accountId;
    if (account) this.canonicalIds.set(accountId, id);
    return id;
  }

  private async deliverAll(): Promise<void> {
    const buffers = [...this.buffers.values()];
    this.buffers.clear();
    await Promise.all(buffers.map((buffer) => this.deliver(buffer).catch((error: unknown) => {
      this.dropped += buffer.lines.length;
      process.stderr.write(`crossbucket: access log delivery to ${buffer.config.targetBucket} failed: ${(error as Error).message}\n`);
    })));
  }

  /** Write one buffer as log objects (one per partition day when partitioned by event time). */
  private async deliver(buffer: LogBuffer): Promise<void> {
    if (buffer.lines.length === 0) return;
    const { config, source } = buffer;
    const target = await this.app.store.getBucket(config.targetBucket);
    const now = this.app.clock.nowMs();
    const byPartition = new Map<number, string[]>();
    const eventTime = config.keyFormat?.type === 'PartitionedPrefix' && config.keyFormat.partitionDateSource === 'EventTime';
    for (const [timeMs, line] of buffer.lines) {
      const day = eventTime ? Math.floor(timeMs / 86_400_000) * 86_400_000 : now;
      const lines = byPartition.get(day) ?? [];
      lines.push(line);
      byPartition.set(day, lines);
    }
    for (const [partitionMs, lines] of byPartition) {
      const key = logObjectName({
        targetPrefix: config.targetPrefix,
        partitioned: config.keyFormat?.type === 'PartitionedPrefix',
        deliveryMs: now,
        partitionMs,
        sourceAccountId: source.accountId,
        sourceRegion: source.region,
        sourceBucket: source.name,
        uniqueString: randomBytes(8).toString('hex').toUpperCase(),
      });
      // Delivery needs the target to exist and still permit the logging service (as S3 checks).
      if (!target || !(await deliveryPermitted(this.app, { source, target, sampleKey: key }))) {
        this.dropped += lines.length;
        continue;
      }
      await this.writeObject(target, key, config, Buffer.from(lines.join('\n') + '\n', 'utf8'));
    }
  }

  private async writeObject(target: BucketRecord, key: string, config: LoggingConfig, body: Buffer): Promise<void> {
    // Log objects are encrypted at rest like every object (SSE-S3, as AWS applies to log delivery).
    const encryption = await serviceObjectEncryption(this.app, { bucket: target.name, key });
    let stored;
    try {
      stored = await storeBody(this.app, Readable.from([body]), body.length, [], encryption.cipher);
    } finally {
      encryption.cipher.key.fill(0);
    }
    const ownerCanonical = await this.canonicalId(target.accountId);
    const grants = config.targetGrants.filter((grant) => grant.grantee.type !== 'AmazonCustomerByEmail');
    const record: ObjectRecord = {
      bucket: target.name,
      key,
      ownerAccountId: target.accountId,
      sizeBytes: stored.sizeBytes,
      etag: `"${stored.md5Hex}"`,
      lastModifiedMs: this.app.clock.nowMs(),
      headers: { 'content-type': 'text/plain' },
      userMetadata: {},
      checksum: null,
      tags: {},
      // TargetGrants become grants on each log object, beside the owner's FULL_CONTROL.
      acl: grants.length === 0 ? null : { ownerId: ownerCanonical, grants: [{ grantee: { type: 'CanonicalUser', id: ownerCanonical }, permission: 'FULL_CONTROL' }, ...grants.map((grant) => ({ grantee: grant.grantee, permission: grant.permission }))] },
      encryption: encryption.info,
      storageClass: 'STANDARD',
      partsCount: null,
      partSizes: null,
      data: stored.data,
    };
    try {
      const replaced = await this.app.store.putObject(record);
      if (replaced && replaced.data.kind !== 'inline') await this.deleteBlobs(replaced);
    } catch (error) {
      if (stored.data.kind === 'blob') await this.app.blobs.delete(stored.data.blobId).catch(() => undefined);
      throw error;
    }
  }

  private async deleteBlobs(record: ObjectRecord): Promise<void> {
    const ids = record.data.kind === 'blob' ? [record.data.blobId] : record.data.kind === 'parts' ? record.data.blobIds : [];
    for (const id of ids) await this.app.blobs.delete(id).catch(() => undefined);
  }

  /** Deliver every buffered record now and wait for the writes (clean shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
    await this.deliverAll();
    await Promise.all([...this.pending]);
  }

  /** Stop the delivery timer (after flush() on shutdown). */
  stop(): void {
    clearInterval(this.timer);
  }
}
