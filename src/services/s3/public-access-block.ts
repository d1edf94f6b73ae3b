/**
 * Bucket-level Block Public Access: Get/Put/DeletePublicAccessBlock [S3-BPA], stored as bucket config
 * 'publicAccessBlock' (JSON of the four flags). The account level lives in s3-control.ts.
 */
import type { App } from '../../app.js';
import type { S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { s3Namespace } from '../../protocol/xml.js';
import { readXmlBody } from './config-body.js';
import {
  effectivePublicAccessBlock,
  publicAccessBlockFromStored,
  publicAccessBlockFromXml,
  publicAccessBlockToStored,
  renderPublicAccessBlockXml,
  type PublicAccessBlock,
} from '../../s3-access/index.js';

export const PUBLIC_ACCESS_BLOCK_CONFIG = 'publicAccessBlock';

export function accountPublicAccessBlockSetting(accountId: string): string {
  return `account-public-access-block:${accountId}`;
}

export async function loadBucketPublicAccessBlock(app: App, bucket: string): Promise<PublicAccessBlock | null> {
  return publicAccessBlockFromStored(await app.store.getBucketConfig(bucket, PUBLIC_ACCESS_BLOCK_CONFIG));
}

export async function loadAccountPublicAccessBlock(app: App, accountId: string): Promise<PublicAccessBlock | null> {
  return publicAccessBlockFromStored(await app.store.getSetting(accountPublicAccessBlockSetting(accountId)));
}

/** The flags S3 enforces for a bucket: OR of the bucket's and its owner account's settings. */
export async function loadEffectivePublicAccessBlock(app: App, bucket: { name: string; accountId: string }): Promise<PublicAccessBlock> {
  const [bucketLevel, accountLevel] = await Promise.all([loadBucketPublicAccessBlock(app, bucket.name), loadAccountPublicAccessBlock(app, bucket.accountId)]);
  return effectivePublicAccessBlock(bucketLevel, accountLevel);
}

export const getPublicAccessBlock: S3Handler = async (call) => {
  const config = await loadBucketPublicAccessBlock(call.app, call.bucketName!);
  if (!config) throw s3Error('NoSuchPublicAccessBlockConfiguration', undefined, { BucketName: call.bucketName! });
  return { body: renderPublicAccessBlockXml(config, s3Namespace) };
};

export const putPublicAccessBlock: S3Handler = async (call) => {
  const root = await readXmlBody(call, 'PublicAccessBlockConfiguration', (call.body.declaredLength ?? 1) > 0);
  const config = publicAccessBlockFromXml(root);
  await call.app.store.putBucketConfig(call.bucketName!, PUBLIC_ACCESS_BLOCK_CONFIG, publicAccessBlockToStored(config));
  return {};
};

export const deletePublicAccessBlock: S3Handler = async (call) => {
  await call.app.store.putBucketConfig(call.bucketName!, PUBLIC_ACCESS_BLOCK_CONFIG, null);
  return { status: 204 };
};
