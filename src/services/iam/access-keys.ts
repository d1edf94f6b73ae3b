/** IAM user access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey (AKIA… rows in the metadata store). */
import type { QueryHandler, ServiceCall } from '../service-call.js';
import type { AccessKeyRecord } from '../../store/types.js';
import { serviceError } from '../../protocol/errors.js';
import { sealAccessKeySecret } from '../../identity/access-key-secrets.js';
import { Checks } from '../../iam/validation.js';
import { accountOf, implicitUserName } from './caller.js';
import { noSuchEntity, requireUser } from './lookup.js';
import { pageFields, paginate, param } from './params.js';
import { iamTime, members } from './render.js';

export const maxAccessKeysPerUser = 2;

/** The user the call is about (UserName, else the caller); null = the account root. Verifies the user exists. */
async function keyOwner(call: ServiceCall, accountId: string): Promise<string | null> {
  const named = param(call, 'UserName');
  const checks = new Checks();
  checks.name('userName', named, 128, false);
  checks.done();
  const userName = named ?? implicitUserName(call);
  if (userName === null) return null;
  const user = await call.app.store.readDocuments((tx) => requireUser(tx, accountId, userName));
  return user.userName;
}

function keyMetadata(record: AccessKeyRecord): Record<string, unknown> {
  return { UserName: record.userName ?? undefined, AccessKeyId: record.accessKeyId, Status: record.status, CreateDate: iamTime(record.createdAtMs) };
}

export const createAccessKey: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = await keyOwner(call, accountId);
  const existing = await call.app.store.listAccessKeys(accountId, userName);
  if (existing.length >= maxAccessKeysPerUser) {
    throw serviceError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${maxAccessKeysPerUser}`, 409);
  }
  const accessKeyId = call.app.ids.accessKeyId();
  const secret = call.app.ids.secretAccessKey();
  const record: AccessKeyRecord = {
    accessKeyId,
    secretSealed: sealAccessKeySecret(call.app.masterKey, accessKeyId, secret),
    accountId,
    principalType: userName === null ? 'root' : 'user',
    userName,
    status: 'Active',
    createdAtMs: call.app.clock.nowMs(),
  };
  await call.app.store.putAccessKey(record);
  return {
    AccessKey: {
      UserName: userName ?? undefined,
      AccessKeyId: accessKeyId,
      Status: 'Active',
      SecretAccessKey: secret,
      CreateDate: iamTime(record.createdAtMs),
    },
  };
};

export const listAccessKeys: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = await keyOwner(call, accountId);
  const keys = await call.app.store.listAccessKeys(accountId, userName);
  const page = paginate(call, keys.slice().sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : 1)), (k) => k.accessKeyId);
  return { AccessKeyMetadata: members(page.items.map(keyMetadata)), ...pageFields(page) };
};

async function ownedKey(call: ServiceCall): Promise<{ record: AccessKeyRecord; accountId: string; status?: string }> {
  const accountId = accountOf(call);
  const accessKeyId = param(call, 'AccessKeyId');
  const status = param(call, 'Status');
  const checks = new Checks();
  if (checks.required('accessKeyId', accessKeyId)) {
    checks.length('accessKeyId', accessKeyId, 16, 128);
    checks.pattern('accessKeyId', accessKeyId, /^[\w]+$/, '[\\w]+');
  }
  if (call.operation === 'UpdateAccessKey' && checks.required('status', status)) checks.oneOf('status', status, ['Active', 'Inactive', 'Expired']);
  checks.done();
  const userName = await keyOwner(call, accountId);
  const record = await call.app.store.getAccessKey(accessKeyId!);
  if (!record || record.accountId !== accountId || record.userName !== userName) {
    throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  }
  return { record, accountId, ...(status !== undefined ? { status } : {}) };
}

export const updateAccessKey: QueryHandler = async (call) => {
  const { record, status } = await ownedKey(call);
  // AWS-DIFF: 'Expired' is in IAM's enum but only AWS itself sets it; we refuse it as input.
  if (status === 'Expired') throw serviceError('InvalidInput', 'Invalid status: Expired', 400);
  await call.app.store.putAccessKey({ ...record, status: status as 'Active' | 'Inactive' });
  return null;
};

export const deleteAccessKey: QueryHandler = async (call) => {
  const { record } = await ownedKey(call);
  await call.app.store.deleteAccessKey(record.accessKeyId);
  return null;
};
