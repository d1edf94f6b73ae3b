/**
 * S3 Control API, account-level Block Public Access [S3-BPA]: GET/PUT/DELETE
 * /v20180820/configuration/publicAccessBlock with header x-amz-account-id. Stored as the setting
 * `account-public-access-block:<account>` (JSON of the four flags). Routed by the lead's dispatcher;
 * handlers take the S3Handler shape (bucketName/key/bucket are null for these calls).
 */
import type { S3Call, S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { readXmlBody } from './config-body.js';
import { publicAccessBlockFromXml, publicAccessBlockToStored, renderPublicAccessBlockXml } from '../../s3-access/index.js';
import { accountPublicAccessBlockSetting, loadAccountPublicAccessBlock } from './public-access-block.js';

export const s3ControlNamespace = 'http://awss3control.amazonaws.com/doc/2018-08-20/';
export const S3_CONTROL_PUBLIC_ACCESS_BLOCK_PATH = '/v20180820/configuration/publicAccessBlock';

export interface S3ControlOperation {
  method: 'GET' | 'PUT' | 'DELETE';
  path: string;
  /** IAM action to authorize, resource "*" (S3 Control account-level actions have no resource ARN). */
  action: string;
  handler: S3Handler;
}

/** The account named by x-amz-account-id; it must be the caller's own account. */
function targetAccount(call: S3Call): string {
  const raw = call.info.headers['x-amz-account-id'];
  const accountId = Array.isArray(raw) ? raw[0] : raw;
  if (accountId === undefined || accountId === '') throw s3Error('InvalidRequest', 'Missing required header for this request: x-amz-account-id');
  if (!/^\d{12}$/.test(accountId)) throw s3Error('InvalidRequest', 'Invalid account id');
  // AWS: account-level settings can only be managed by principals of that account.
  if (call.identity.accountId !== accountId) throw s3Error('AccessDenied');
  return accountId;
}

const getPublicAccessBlock: S3Handler = async (call) => {
  const accountId = targetAccount(call);
  const config = await loadAccountPublicAccessBlock(call.app, accountId);
  if (!config) throw s3Error('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', { AccountId: accountId });
  return { body: renderPublicAccessBlockXml(config, s3ControlNamespace) };
};

const putPublicAccessBlock: S3Handler = async (call) => {
  const accountId = targetAccount(call);
  const root = await readXmlBody(call, 'PublicAccessBlockConfiguration');
  const config = publicAccessBlockFromXml(root);
  await call.app.store.putSetting(accountPublicAccessBlockSetting(accountId), publicAccessBlockToStored(config));
  return {};
};

const deletePublicAccessBlock: S3Handler = async (call) => {
  const accountId = targetAccount(call);
  // The store has no setting deletion; an empty value reads back as "no configuration".
  await call.app.store.putSetting(accountPublicAccessBlockSetting(accountId), '');
  return { status: 204 };
};

export const s3ControlOperations: Record<string, S3ControlOperation> = {
  GetPublicAccessBlock: { method: 'GET', path: S3_CONTROL_PUBLIC_ACCESS_BLOCK_PATH, action: 's3:GetAccountPublicAccessBlock', handler: getPublicAccessBlock },
  PutPublicAccessBlock: { method: 'PUT', path: S3_CONTROL_PUBLIC_ACCESS_BLOCK_PATH, action: 's3:PutAccountPublicAccessBlock', handler: putPublicAccessBlock },
  DeletePublicAccessBlock: { method: 'DELETE', path: S3_CONTROL_PUBLIC_ACCESS_BLOCK_PATH, action: 's3:PutAccountPublicAccessBlock', handler: deletePublicAccessBlock },
};

/** Which S3 Control operation a request names (path without query), or null. */
export function resolveS3ControlOperation(method: string, path: string): string | null {
  for (const [name, operation] of Object.entries(s3ControlOperations)) {
    if (operation.method === method && operation.path === path) return name;
  }
  return null;
}
