import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAccessKeySecret } from '../../src/identity/access-key-secrets.js';
import { iam, iamError, iamXml, makeHarness, ownerId, roleIdentity, userIdentity } from './helpers.js';

test('CreateAccessKey: AKIA id, 40-character secret sealed at rest, AccessKey shape', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  const out = await iam(h, 'CreateAccessKey', { UserName: 'alice' });
  assert.match(out.AccessKey.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(out.AccessKey.SecretAccessKey.length, 40);
  assert.equal(out.AccessKey.Status, 'Active');
  assert.equal(out.AccessKey.UserName, 'alice');
  assert.equal(out.AccessKey.CreateDate, '2026-12-02T05:30:00Z');
  const record = await h.store.getAccessKey(out.AccessKey.AccessKeyId);
  assert.ok(record);
  assert.equal(record.principalType, 'user');
  assert.equal(record.userName, 'alice');
  assert.equal(record.accountId, ownerId);
  assert.ok(!record.secretSealed.toString('latin1').includes(out.AccessKey.SecretAccessKey), 'secret is not stored in plaintext');
  assert.equal(openAccessKeySecret(h.app.masterKey, record), out.AccessKey.SecretAccessKey);
  await h.close();
});

test('Access keys: at most 2 per user (LimitExceeded "Cannot exceed quota for AccessKeysPerUser: 2")', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  await iam(h, 'CreateAccessKey', { UserName: 'alice' });
  await iam(h, 'CreateAccessKey', { UserName: 'alice' });
  const e = await iamError(h, 'CreateAccessKey', { UserName: 'alice' });
  assert.equal(e.code, 'LimitExceeded');
  assert.equal(e.statusCode, 409);
  assert.equal(e.message, 'Cannot exceed quota for AccessKeysPerUser: 2');
  assert.equal((await iamError(h, 'CreateAccessKey', { UserName: 'ghost' })).message, 'The user with name ghost cannot be found.');
  await h.close();
});

test('ListAccessKeys / UpdateAccessKey / DeleteAccessKey, including the calling user without UserName', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  await iam(h, 'CreateUser', { UserName: 'bob' });
  const key = (await iam(h, 'CreateAccessKey', {}, userIdentity('alice'))).AccessKey;
  assert.equal(key.UserName, 'alice');
  const xml = await iamXml(h, 'ListAccessKeys', { UserName: 'alice' });
  assert.match(xml, new RegExp(`<AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>${key.AccessKeyId}</AccessKeyId><Status>Active</Status><CreateDate>2026-12-02T05:30:00Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>`));
  assert.ok(!xml.includes('SecretAccessKey'));
  await iam(h, 'UpdateAccessKey', { UserName: 'alice', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
  assert.equal((await h.store.getAccessKey(key.AccessKeyId))?.status, 'Inactive');
  const listed = await iam(h, 'ListAccessKeys', {}, userIdentity('alice'));
  assert.equal(listed.AccessKeyMetadata.member[0].Status, 'Inactive');
  const badStatus = await iamError(h, 'UpdateAccessKey', { UserName: 'alice', AccessKeyId: key.AccessKeyId, Status: 'Paused' });
  assert.equal(badStatus.code, 'ValidationError');
  const wrongUser = await iamError(h, 'UpdateAccessKey', { UserName: 'bob', AccessKeyId: key.AccessKeyId, Status: 'Active' });
  assert.equal(wrongUser.code, 'NoSuchEntity');
  assert.equal(wrongUser.message, `The Access Key with id ${key.AccessKeyId} cannot be found.`);
  assert.equal((await iamError(h, 'ListAccessKeys', {}, roleIdentity())).message, 'Must specify userName when calling with non-User credentials');
  await iam(h, 'DeleteAccessKey', { UserName: 'alice', AccessKeyId: key.AccessKeyId });
  assert.equal(await h.store.getAccessKey(key.AccessKeyId), null);
  assert.equal((await iamError(h, 'DeleteAccessKey', { UserName: 'alice', AccessKeyId: key.AccessKeyId })).code, 'NoSuchEntity');
  await h.close();
});

test('Access keys of the account root (no UserName, root caller) are root keys', async () => {
  const h = await makeHarness();
  const key = (await iam(h, 'CreateAccessKey', {})).AccessKey;
  assert.equal(key.UserName, undefined);
  assert.equal((await h.store.getAccessKey(key.AccessKeyId))?.principalType, 'root');
  const listed = await iam(h, 'ListAccessKeys', {});
  assert.deepEqual(listed.AccessKeyMetadata.member.map((k: any) => k.AccessKeyId), [key.AccessKeyId]);
  await iam(h, 'DeleteAccessKey', { AccessKeyId: key.AccessKeyId });
  assert.equal(await h.store.getAccessKey(key.AccessKeyId), null);
  await h.close();
});
