import type { App } from '../app.js';
import type { Identity, RequestInfo } from '../context/request-context.js';
import type { Authorizer } from '../context/authorizer.js';
import type { BodySource, S3Call } from '../services/s3/call.js';
import type { ObjectRecord } from '../store/types.js';
import { resolveS3Route, type S3Level } from './s3-routes.js';
import { s3Operations } from '../operations/s3-table.js';
import { s3Error } from './errors.js';
import { sendS3Result } from './s3-response.js';
import { parseCopySource } from '../services/s3/copy-source.js';
import { resolveS3ControlOperation, s3ControlOperations } from '../services/s3/s3-control.js';
import { globalConditionKeys } from '../context/condition-keys.js';
import { s3RequestConditions, actionConditions, existingTagActions } from './s3-conditions.js';

export interface S3Target {
  bucket: string | null;
  key: string | null;
}

/** Bucket and key from a virtual-hosted Host (bucket.localhost) or the path (/bucket/key). */
export function s3Target(info: RequestInfo): S3Target {
  const host = info.host.replace(/:\d+$/, '').toLowerCase();
  const virtual = /^(.+?)\.(?:s3\.)?localhost$/.exec(host);
  const path = info.rawPath;
  if (virtual && virtual[1] !== 's3') {
    const key = path.length > 1 ? decodePath(path.slice(1)) : null;
    return { bucket: virtual[1]!, key: key === '' ? null : key };
  }
  const rest = path.slice(1);
  if (rest === '') return { bucket: null, key: null };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decodePath(rest), key: null };
  const key = decodePath(rest.slice(slash + 1));
  return { bucket: decodePath(rest.slice(0, slash)), key: key === '' ? null : key };
}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw s3Error('InvalidURI', "Couldn't parse the specified URI.");
  }
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** Route, authorize (from the operation table) and run one S3 call. */
export async function dispatchS3(app: App, authorizer: Authorizer, info: RequestInfo, identity: Identity, body: BodySource): Promise<void> {
  if (info.rawPath.startsWith('/v20180820/')) return dispatchS3Control(app, authorizer, info, identity, body);
  const target = s3Target(info);
  const level: S3Level = target.bucket === null ? 'service' : target.key === null ? 'bucket' : 'object';
  const route = resolveS3Route(info.method, level, info.query, info.headers);
  if (!route.operation) {
    if (level === 'service' && info.method !== 'GET') throw s3Error('MethodNotAllowed', undefined, { Method: info.method, ResourceType: 'SERVICE' });
    throw s3Error('NotImplemented', `A header or query you provided implies functionality that is not implemented (${route.unsupported ?? info.method}).`);
  }
  info.trace.operation = route.operation;
  info.trace.bucket = target.bucket;
  info.trace.key = target.key;
  const operation = s3Operations[route.operation];
  if (!operation) throw s3Error('NotImplemented', `The operation ${route.operation} is not implemented by crossbucket.`);

  const bucket = target.bucket !== null && operation.needsBucket ? await app.store.getBucket(target.bucket) : null;
  if (operation.needsBucket && !bucket) throw s3Error('NoSuchBucket', undefined, { BucketName: target.bucket ?? '' });
  if (bucket) {
    info.trace.bucketOwnerAccountId = bucket.accountId;
    info.trace.resourceAccountId = bucket.accountId;
  }

  // One read of an object per request, shared by authorization (s3:ExistingObjectTag) and the handler.
  const objectReads = new Map<string, Promise<ObjectRecord | null>>();
  const getObjectOnce = (bucketName: string, key: string): Promise<ObjectRecord | null> => {
    const id = `${bucketName}/${key}`;
    let read = objectReads.get(id);
    if (!read) {
      read = app.store.getObject(bucketName, key);
      objectReads.set(id, read);
    }
    return read;
  };
  const baseConditions = { ...globalConditionKeys(info, identity, app.config.region, app.clock.nowMs()), ...s3RequestConditions(info, identity) };
  const check = async (action: string, bucketName: string | null, key: string | null): Promise<void> => {
    const owner = bucketName === null ? null : bucketName === bucket?.name ? bucket.accountId : (await app.store.getBucket(bucketName))?.accountId ?? null;
    const resourceArn = bucketName === null ? '*' : key === null ? bucketArn(bucketName) : objectArn(bucketName, key);
    const conditions = { ...baseConditions, ...actionConditions(info, action) };
    if (bucketName !== null && key !== null && existingTagActions.has(action)) {
      const existing = await getObjectOnce(bucketName, key);
      for (const [tagKey, value] of Object.entries(existing?.tags ?? {})) conditions[`s3:existingobjecttag/${tagKey.toLowerCase()}`] = value;
    }
    const outcome = await authorizer.authorize({
      identity,
      action,
      resourceArn,
      resourceAccountId: bucketName === null ? identity.accountId : owner,
      bucket: bucketName,
      key,
      conditions,
      service: 's3',
    });
    if (!outcome.allowed) throw s3Error('AccessDenied', outcome.message);
  };

  if (operation.action && !operation.needsBucket && operation.resource === 'bucket') {
    // CreateBucket: the bucket does not exist yet (or is someone else's), so only the caller's own
    // account can allow it; a taken name is answered by the handler (BucketAlreadyExists).
    const outcome = await authorizer.authorize({
      identity,
      action: operation.action,
      resourceArn: bucketArn(target.bucket!),
      resourceAccountId: identity.accountId,
      // No bucket context: an existing bucket of another account must not take part (its policy, ACLs).
      bucket: null,
      key: null,
      conditions: { ...baseConditions, ...actionConditions(info, operation.action) },
      service: 's3',
    });
    if (!outcome.allowed) throw s3Error('AccessDenied', outcome.message);
  } else if (operation.action) {
    await check(operation.action, operation.resource === 'service' ? null : target.bucket, operation.resource === 'object' ? target.key : null);
  } else if (identity.type === 'Anonymous') {
    throw s3Error('AccessDenied');
  }
  // aws-semantics §4.3 / S3 API: ACL headers on a write also need the ACL permission.
  const aclHeaders = ['x-amz-acl', 'x-amz-grant-read', 'x-amz-grant-write', 'x-amz-grant-read-acp', 'x-amz-grant-write-acp', 'x-amz-grant-full-control'].some((name) => info.headers[name] !== undefined);
  if (aclHeaders && ['PutObject', 'CopyObject', 'CreateMultipartUpload'].includes(route.operation) && identity.type !== 'Root' && identity.type !== 'Anonymous') {
    // Identity side only: the bucket ACL WRITE grant / bucket policy that admits the write also admits its ACL.
    const outcome = await authorizer.authorize({ identity, action: 's3:PutObjectAcl', resourceArn: objectArn(target.bucket!, target.key!), resourceAccountId: identity.accountId, bucket: null, key: null, conditions: baseConditions, service: 's3' });
    if (!outcome.allowed) throw s3Error('AccessDenied', outcome.message);
  }
  if (route.operation === 'CreateBucket') {
    const extra = [aclHeaders ? 's3:PutBucketAcl' : null, info.headers['x-amz-object-ownership'] !== undefined ? 's3:PutBucketOwnershipControls' : null].filter((a): a is string => a !== null);
    for (const action of extra) {
      const outcome = await authorizer.authorize({ identity, action, resourceArn: bucketArn(target.bucket!), resourceAccountId: identity.accountId, bucket: null, key: null, conditions: baseConditions, service: 's3' });
      if (!outcome.allowed) throw s3Error('AccessDenied', outcome.message);
    }
  }
  if (operation.readsCopySource) {
    const source = parseCopySource(String(info.headers['x-amz-copy-source']));
    const sourceBucket = await app.store.getBucket(source.bucket);
    if (!sourceBucket) throw s3Error('NoSuchBucket', undefined, { BucketName: source.bucket });
    await check('s3:GetObject', source.bucket, source.key);
  }

  const call: S3Call = {
    app,
    info,
    identity,
    operation: route.operation,
    bucketName: target.bucket,
    key: target.key,
    bucket,
    body,
    authorize: check,
    authorizer,
    conditions: baseConditions,
    getObject: getObjectOnce,
  };
  const result = await operation.handler(call);
  if (target.key !== null && result.headers?.['content-length'] !== undefined && (route.operation === 'GetObject' || route.operation === 'HeadObject')) {
    const range = String(result.headers['content-range'] ?? '');
    info.trace.objectSize = range ? Number(range.split('/')[1]) : Number(result.headers['content-length']);
  }
  await sendS3Result(info, result);
}

/**
 * S3 Control (account-level Block Public Access): /v20180820/configuration/publicAccessBlock with
 * x-amz-account-id. SDKs send it to host "<account-id>.<endpoint>", so it is matched by path before
 * bucket addressing is read.
 */
async function dispatchS3Control(app: App, authorizer: Authorizer, info: RequestInfo, identity: Identity, body: BodySource): Promise<void> {
  const name = resolveS3ControlOperation(info.method, info.rawPath);
  if (!name) throw s3Error('NotImplemented', `The S3 Control operation ${info.method} ${info.rawPath} is not implemented by crossbucket.`);
  const operation = s3ControlOperations[name]!;
  info.trace.operation = name;
  const conditions = globalConditionKeys(info, identity, app.config.region, app.clock.nowMs());
  const outcome = await authorizer.authorize({ identity, action: operation.action, resourceArn: '*', resourceAccountId: identity.accountId, bucket: null, key: null, conditions, service: 's3' });
  if (!outcome.allowed) throw s3Error('AccessDenied', outcome.message);
  const call: S3Call = {
    app,
    info,
    identity,
    operation: name,
    bucketName: null,
    key: null,
    bucket: null,
    body,
    authorize: async () => {
      throw s3Error('AccessDenied');
    },
    authorizer,
    conditions,
  };
  await sendS3Result(info, await operation.handler(call));
}
