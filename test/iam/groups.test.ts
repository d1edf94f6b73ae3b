import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowAll, iam, iamError, iamXml, makeHarness, ownerId } from './helpers.js';

test('CreateGroup / GetGroup with Users / ListGroups (IAM API reference: Group data type)', async () => {
  const h = await makeHarness();
  const created = await iam(h, 'CreateGroup', { GroupName: 'devs', Path: '/eng/' });
  assert.equal(created.Group.Arn, `arn:aws:iam::${ownerId}:group/eng/devs`);
  assert.match(created.Group.GroupId, /^AGPA[A-Z2-7]{17}$/);
  assert.equal(created.Group.CreateDate, '2026-12-02T05:30:00Z');
  assert.equal((await iamError(h, 'CreateGroup', { GroupName: 'DEVS' })).message, 'Group with name DEVS already exists.');
  await iam(h, 'CreateGroup', { GroupName: 'admins' });
  await iam(h, 'CreateUser', { UserName: 'bob' });
  await iam(h, 'CreateUser', { UserName: 'alice' });
  await iam(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'bob' });
  await iam(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  await iam(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' }); // idempotent
  const got = await iam(h, 'GetGroup', { GroupName: 'devs' });
  assert.equal(got.Group.GroupName, 'devs');
  assert.deepEqual(got.Users.member.map((u: any) => u.UserName), ['alice', 'bob']);
  assert.equal(got.IsTruncated, false);
  const xml = await iamXml(h, 'GetGroup', { GroupName: 'devs', MaxItems: '1' });
  assert.match(xml, /<GetGroupResult><Group><Path>\/eng\/<\/Path><GroupName>devs<\/GroupName>.*<\/Group><Users><member><Path>\/<\/Path><UserName>alice<\/UserName>.*<\/Users><IsTruncated>true<\/IsTruncated><Marker>/);
  const list = await iam(h, 'ListGroups', {});
  assert.deepEqual(list.Groups.member.map((g: any) => g.GroupName), ['admins', 'devs']);
  const eng = await iam(h, 'ListGroups', { PathPrefix: '/eng/' });
  assert.deepEqual(eng.Groups.member.map((g: any) => g.GroupName), ['devs']);
  const forUser = await iam(h, 'ListGroupsForUser', { UserName: 'alice' });
  assert.deepEqual(forUser.Groups.member.map((g: any) => g.GroupName), ['devs']);
  assert.equal((await iamError(h, 'GetGroup', { GroupName: 'nope' })).message, 'The group with name nope cannot be found.');
  assert.equal((await iamError(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'nope' })).message, 'The user with name nope cannot be found.');
  await h.close();
});

test('DeleteGroup: DeleteConflict while it has users, inline or attached policies', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateGroup', { GroupName: 'devs' });
  await iam(h, 'CreateUser', { UserName: 'bob' });
  await iam(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'bob' });
  let e = await iamError(h, 'DeleteGroup', { GroupName: 'devs' });
  assert.equal(e.code, 'DeleteConflict');
  assert.equal(e.message, 'Cannot delete entity, must remove users from group first.');
  await iam(h, 'RemoveUserFromGroup', { GroupName: 'devs', UserName: 'bob' });
  assert.equal(await iam(h, 'RemoveUserFromGroup', { GroupName: 'devs', UserName: 'bob' }), null, 'removing a non-member succeeds');
  assert.equal((await iamError(h, 'RemoveUserFromGroup', { GroupName: 'devs', UserName: 'ghost' })).code, 'NoSuchEntity');
  await iam(h, 'PutGroupPolicy', { GroupName: 'devs', PolicyName: 'p', PolicyDocument: allowAll });
  e = await iamError(h, 'DeleteGroup', { GroupName: 'devs' });
  assert.equal(e.message, 'Cannot delete entity, must delete policies first.');
  await iam(h, 'DeleteGroupPolicy', { GroupName: 'devs', PolicyName: 'p' });
  await iam(h, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  e = await iamError(h, 'DeleteGroup', { GroupName: 'devs' });
  assert.equal(e.message, 'Cannot delete entity, must detach all policies first.');
  await iam(h, 'DetachGroupPolicy', { GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  assert.equal(await iam(h, 'DeleteGroup', { GroupName: 'devs' }), null);
  assert.deepEqual((await iam(h, 'ListGroups')).Groups.member, []);
  await h.close();
});

test('AddUserToGroup: a user can be in at most 10 groups (LimitExceeded)', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateUser', { UserName: 'bob' });
  for (let i = 0; i < 11; i += 1) await iam(h, 'CreateGroup', { GroupName: `g${i}` });
  for (let i = 0; i < 10; i += 1) await iam(h, 'AddUserToGroup', { GroupName: `g${i}`, UserName: 'bob' });
  const e = await iamError(h, 'AddUserToGroup', { GroupName: 'g10', UserName: 'bob' });
  assert.equal(e.code, 'LimitExceeded');
  assert.equal(e.message, 'Cannot exceed quota for GroupsPerUser: 10');
  await h.close();
});
