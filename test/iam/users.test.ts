import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iam, iamError, iamXml, makeHarness, ownerId, roleIdentity, userIdentity, allowAll } from './helpers.js';

test('CreateUser returns the User shape (IAM API reference: CreateUser, User data type)', async () => {
  const h = await makeHarness();
  const out = await iam(h, 'CreateUser', { UserName: 'alice', Path: '/division/', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' });
  assert.equal(out.User.UserName, 'alice');
  assert.equal(out.User.Path, '/division/');
  assert.equal(out.User.Arn, `arn:aws:iam::${ownerId}:user/division/alice`);
  assert.match(out.User.UserId, /^AIDA[A-Z2-7]{17}$/);
  assert.equal(out.User.CreateDate, '2026-12-02T05:30:00Z');
  assert.deepEqual(out.User.Tags, { member: [{ Key: 'team', Value: 'blue' }] });
  const xml = await iamXml(h, 'GetUser', { UserName: 'alice' });
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<GetUserResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><GetUserResult><User><Path>\/division\/<\/Path><UserName>alice<\/UserName>/);
  assert.match(xml, /<Tags><member><Key>team<\/Key><Value>blue<\/Value><\/member><\/Tags>/);
  assert.match(xml, /<ResponseMetadata><RequestId>req-1<\/RequestId><\/ResponseMetadata><\/GetUserResponse>$/);
  await h.close();
});

test('CreateUser: duplicate names (case-insensitive) are EntityAlreadyExists 409', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  const e = await iamError(h, 'CreateUser', { UserName: 'ALICE' });
  assert.equal(e.code, 'EntityAlreadyExists');
  assert.equal(e.statusCode, 409);
  assert.equal(e.message, 'User with name ALICE already exists.');
  await h.close();
});

test('CreateUser: name and path validation use the ValidationError wording', async () => {
  const h = await makeHarness();
  let e = await iamError(h, 'CreateUser', { UserName: 'bad name' });
  assert.equal(e.code, 'ValidationError');
  assert.equal(e.statusCode, 400);
  assert.equal(e.message, "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  e = await iamError(h, 'CreateUser', {});
  assert.equal(e.message, "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
  e = await iamError(h, 'CreateUser', { UserName: 'a'.repeat(65), Path: 'nope' });
  assert.match(e.message, /^2 validation errors detected: .*Member must have length less than or equal to 64; Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: \(\\u002F\)\|/);
  await h.close();
});

test('GetUser: NoSuchEntity 404 with AWS message', async () => {
  const h = await makeHarness();
  const e = await iamError(h, 'GetUser', { UserName: 'nobody' });
  assert.equal(e.code, 'NoSuchEntity');
  assert.equal(e.statusCode, 404);
  assert.equal(e.message, 'The user with name nobody cannot be found.');
  await h.close();
});

test('GetUser without UserName: root gets the root "user", an IAM user gets itself, a role session must name a user', async () => {
  const h = await makeHarness();
  const root = await iam(h, 'GetUser');
  assert.deepEqual(root.User, { UserId: ownerId, Arn: `arn:aws:iam::${ownerId}:root`, CreateDate: '2026-01-01T00:00:00Z' });
  await iam(h, 'CreateUser', { UserName: 'bob' });
  const self = await iam(h, 'GetUser', {}, userIdentity('bob'));
  assert.equal(self.User.UserName, 'bob');
  const e = await iamError(h, 'GetUser', {}, roleIdentity());
  assert.equal(e.code, 'ValidationError');
  assert.equal(e.message, 'Must specify userName when calling with non-User credentials');
  await h.close();
});

test('ListUsers: PathPrefix, Marker/MaxItems pagination, no Tags in list entries', async () => {
  const h = await makeHarness();
  for (const name of ['carol', 'alice', 'bob']) await iam(h, 'CreateUser', { UserName: name, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' });
  await iam(h, 'CreateUser', { UserName: 'dave', Path: '/ops/' });
  const first = await iam(h, 'ListUsers', { MaxItems: '2' });
  assert.deepEqual(first.Users.member.map((u: any) => u.UserName), ['alice', 'bob']);
  assert.equal(first.IsTruncated, true);
  assert.equal(typeof first.Marker, 'string');
  assert.equal(first.Users.member[0].Tags, undefined);
  const second = await iam(h, 'ListUsers', { MaxItems: '2', Marker: first.Marker });
  assert.deepEqual(second.Users.member.map((u: any) => u.UserName), ['carol', 'dave']);
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  const ops = await iam(h, 'ListUsers', { PathPrefix: '/ops' });
  assert.deepEqual(ops.Users.member.map((u: any) => u.UserName), ['dave']);
  const e = await iamError(h, 'ListUsers', { MaxItems: '0' });
  assert.equal(e.message, "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
  const empty = await iamXml(h, 'ListUsers', { PathPrefix: '/none/' });
  assert.match(empty, /<ListUsersResult><Users><\/Users><IsTruncated>false<\/IsTruncated><\/ListUsersResult>/);
  await h.close();
});

test('UpdateUser renames and moves a user; its access keys follow it', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  const key = await iam(h, 'CreateAccessKey', { UserName: 'alice' });
  await iam(h, 'CreateUser', { UserName: 'bob' });
  const clash = await iamError(h, 'UpdateUser', { UserName: 'alice', NewUserName: 'Bob' });
  assert.equal(clash.code, 'EntityAlreadyExists');
  assert.equal(await iam(h, 'UpdateUser', { UserName: 'alice', NewUserName: 'alicia', NewPath: '/x/' }), null);
  const got = await iam(h, 'GetUser', { UserName: 'alicia' });
  assert.equal(got.User.Arn, `arn:aws:iam::${ownerId}:user/x/alicia`);
  assert.equal((await iamError(h, 'GetUser', { UserName: 'alice' })).code, 'NoSuchEntity');
  const keys = await iam(h, 'ListAccessKeys', { UserName: 'alicia' });
  assert.equal(keys.AccessKeyMetadata.member[0].AccessKeyId, key.AccessKey.AccessKeyId);
  assert.equal(keys.AccessKeyMetadata.member[0].UserName, 'alicia');
  await h.close();
});

test('DeleteUser: DeleteConflict while policies, attachments, keys or groups remain', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  await iam(h, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'p', PolicyDocument: allowAll });
  let e = await iamError(h, 'DeleteUser', { UserName: 'alice' });
  assert.equal(e.code, 'DeleteConflict');
  assert.equal(e.statusCode, 409);
  assert.equal(e.message, 'Cannot delete entity, must delete policies first.');
  await iam(h, 'DeleteUserPolicy', { UserName: 'alice', PolicyName: 'p' });
  await iam(h, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  e = await iamError(h, 'DeleteUser', { UserName: 'alice' });
  assert.equal(e.message, 'Cannot delete entity, must detach all policies first.');
  await iam(h, 'DetachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  const key = await iam(h, 'CreateAccessKey', { UserName: 'alice' });
  e = await iamError(h, 'DeleteUser', { UserName: 'alice' });
  assert.equal(e.message, 'Cannot delete entity, must delete access keys first.');
  await iam(h, 'DeleteAccessKey', { UserName: 'alice', AccessKeyId: key.AccessKey.AccessKeyId });
  await iam(h, 'CreateGroup', { GroupName: 'devs' });
  await iam(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  e = await iamError(h, 'DeleteUser', { UserName: 'alice' });
  assert.equal(e.message, 'Cannot delete entity, must remove users from group first.');
  await iam(h, 'RemoveUserFromGroup', { GroupName: 'devs', UserName: 'alice' });
  assert.equal(await iam(h, 'DeleteUser', { UserName: 'alice' }), null);
  assert.equal((await iamError(h, 'DeleteUser', { UserName: 'alice' })).code, 'NoSuchEntity');
  await h.close();
});

test('TagUser / UntagUser / ListUserTags (keys case-insensitive, 50-tag limit, duplicates refused)', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'alice' });
  await iam(h, 'TagUser', { UserName: 'alice', 'Tags.member.1.Key': 'b', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'a', 'Tags.member.2.Value': '2' });
  await iam(h, 'TagUser', { UserName: 'alice', 'Tags.member.1.Key': 'B', 'Tags.member.1.Value': '3' });
  let tags = await iam(h, 'ListUserTags', { UserName: 'alice' });
  assert.deepEqual(tags.Tags.member, [{ Key: 'a', Value: '2' }, { Key: 'B', Value: '3' }]);
  assert.equal(tags.IsTruncated, false);
  await iam(h, 'UntagUser', { UserName: 'alice', 'TagKeys.member.1': 'b' });
  tags = await iam(h, 'ListUserTags', { UserName: 'alice' });
  assert.deepEqual(tags.Tags.member, [{ Key: 'a', Value: '2' }]);
  const dup = await iamError(h, 'TagUser', { UserName: 'alice', 'Tags.member.1.Key': 'x', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'X', 'Tags.member.2.Value': '2' });
  assert.equal(dup.code, 'InvalidInput');
  const many: Record<string, string> = { UserName: 'alice' };
  for (let i = 1; i <= 50; i += 1) Object.assign(many, { [`Tags.member.${i}.Key`]: `k${i}`, [`Tags.member.${i}.Value`]: 'v' });
  const limit = await iamError(h, 'TagUser', many);
  assert.equal(limit.code, 'LimitExceeded');
  assert.equal((await iamError(h, 'ListUserTags', { UserName: 'nobody' })).code, 'NoSuchEntity');
  await h.close();
});
