import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iamOperations } from '../../src/operations/iam-table.js';
import { iam, makeCall, makeHarness, ownerId, userIdentity } from './helpers.js';

const expected = [
  'CreateUser', 'GetUser', 'ListUsers', 'UpdateUser', 'DeleteUser', 'TagUser', 'UntagUser', 'ListUserTags',
  'CreateGroup', 'GetGroup', 'ListGroups', 'DeleteGroup', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser',
  'CreateRole', 'GetRole', 'ListRoles', 'UpdateRole', 'UpdateAssumeRolePolicy', 'DeleteRole', 'TagRole', 'UntagRole', 'ListRoleTags',
  'CreatePolicy', 'GetPolicy', 'ListPolicies', 'DeletePolicy', 'CreatePolicyVersion', 'GetPolicyVersion', 'ListPolicyVersions',
  'DeletePolicyVersion', 'SetDefaultPolicyVersion',
  'PutUserPolicy', 'GetUserPolicy', 'DeleteUserPolicy', 'ListUserPolicies', 'PutGroupPolicy', 'GetGroupPolicy', 'DeleteGroupPolicy',
  'ListGroupPolicies', 'PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy', 'ListRolePolicies',
  'AttachUserPolicy', 'DetachUserPolicy', 'ListAttachedUserPolicies', 'AttachGroupPolicy', 'DetachGroupPolicy', 'ListAttachedGroupPolicies',
  'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies', 'ListEntitiesForPolicy',
  'CreateAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey',
  'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary',
  'GetAccountAuthorizationDetails', 'ListAccountAliases',
];

test('every IAM operation is in the table with action iam:<Operation> (Service Authorization Reference: IAM actions)', () => {
  for (const name of expected) {
    assert.ok(iamOperations[name], name);
    assert.equal(iamOperations[name]!.action, `iam:${name}`);
  }
});

test('resource ARNs: user/group/role/policy ARNs, caller for implicit users, "*" for list operations', async () => {
  const h = await makeHarness();
  const res = (op: string, params: Record<string, string>, identity?: Parameters<typeof makeCall>[3]) => iamOperations[op]!.resource(makeCall(h, op, params, identity));
  assert.equal(await res('CreateUser', { UserName: 'alice', Path: '/eng/' }), `arn:aws:iam::${ownerId}:user/eng/alice`);
  assert.equal(await res('DeleteUser', { UserName: 'alice' }), `arn:aws:iam::${ownerId}:user/alice`);
  // Existing entities are authorized on their stored ARN, path included.
  await iam(h, 'CreateUser', { UserName: 'carol', Path: '/division/' });
  assert.equal(await res('DeleteUser', { UserName: 'CAROL' }), `arn:aws:iam::${ownerId}:user/division/carol`);
  await iam(h, 'CreateGroup', { GroupName: 'ops', Path: '/team/' });
  assert.equal(await res('GetGroup', { GroupName: 'ops' }), `arn:aws:iam::${ownerId}:group/team/ops`);
  assert.equal(await res('CreateAccessKey', {}, userIdentity('bob')), `arn:aws:iam::${ownerId}:user/bob`);
  assert.equal(await res('GetUser', {}), `arn:aws:iam::${ownerId}:root`);
  assert.equal(await res('AddUserToGroup', { GroupName: 'devs', UserName: 'alice' }), `arn:aws:iam::${ownerId}:group/devs`);
  assert.equal(await res('CreateRole', { RoleName: 'r', Path: '/svc/' }), `arn:aws:iam::${ownerId}:role/svc/r`);
  assert.equal(await res('PutRolePolicy', { RoleName: 'r' }), `arn:aws:iam::${ownerId}:role/r`);
  assert.equal(await res('CreatePolicy', { PolicyName: 'p' }), `arn:aws:iam::${ownerId}:policy/p`);
  assert.equal(await res('GetPolicyVersion', { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), 'arn:aws:iam::aws:policy/ReadOnlyAccess');
  for (const op of ['ListUsers', 'ListGroups', 'ListRoles', 'ListPolicies', 'GetAccountAuthorizationDetails', 'ListAccountAliases']) assert.equal(await res(op, {}), '*', op);
  await h.close();
});

test('condition keys: iam:PolicyARN, iam:PermissionsBoundary, aws:RequestTag/…, aws:TagKeys', async () => {
  const h = await makeHarness();
  const ctx = (op: string, params: Record<string, string>) => iamOperations[op]!.context?.(makeCall(h, op, params)) ?? {};
  const policy = 'arn:aws:iam::aws:policy/AdministratorAccess';
  for (const op of ['AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy', 'AttachRolePolicy', 'DetachRolePolicy']) {
    assert.deepEqual(ctx(op, { PolicyArn: policy }), { 'iam:PolicyARN': policy }, op);
  }
  assert.deepEqual(ctx('PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: policy }), { 'iam:PermissionsBoundary': policy });
  assert.deepEqual(ctx('PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: policy }), { 'iam:PermissionsBoundary': policy });
  assert.deepEqual(ctx('CreateRole', { RoleName: 'r', PermissionsBoundary: policy, 'Tags.member.1.Key': 'env', 'Tags.member.1.Value': 'prod' }), {
    'iam:PermissionsBoundary': policy,
    'aws:RequestTag/env': 'prod',
    'aws:TagKeys': ['env'],
  });
  assert.deepEqual(ctx('CreateUser', { UserName: 'u' }), {});
  assert.deepEqual(ctx('TagUser', { UserName: 'u', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1', 'Tags.member.2.Key': 'b', 'Tags.member.2.Value': '2' }), {
    'aws:RequestTag/a': '1',
    'aws:RequestTag/b': '2',
    'aws:TagKeys': ['a', 'b'],
  });
  assert.deepEqual(ctx('UntagRole', { RoleName: 'r', 'TagKeys.member.1': 'a' }), { 'aws:TagKeys': ['a'] });
  await h.close();
});

test('condition keys of existing entities: iam:PermissionsBoundary of the user/role changed, aws:ResourceTag/…', async () => {
  const h = await makeHarness();
  const boundary = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
  await iam(h, 'CreateUser', { UserName: 'alice', PermissionsBoundary: boundary, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue' });
  // The pipeline resolves the resource first, then the context (src/protocol/service-dispatch.ts).
  const keys = async (op: string, params: Record<string, string>) => {
    const call = makeCall(h, op, params);
    await iamOperations[op]!.resource(call);
    return iamOperations[op]!.context?.(call) ?? {};
  };
  const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
  assert.deepEqual(await keys('AttachUserPolicy', { UserName: 'alice', PolicyArn: admin }), {
    'aws:ResourceTag/team': 'blue',
    'iam:PolicyARN': admin,
    'iam:PermissionsBoundary': boundary,
  });
  assert.deepEqual(await keys('PutUserPolicy', { UserName: 'alice', PolicyName: 'p' }), { 'aws:ResourceTag/team': 'blue', 'iam:PermissionsBoundary': boundary });
  assert.deepEqual(await keys('DeleteUserPermissionsBoundary', { UserName: 'alice' }), { 'aws:ResourceTag/team': 'blue', 'iam:PermissionsBoundary': boundary });
  assert.deepEqual(await keys('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: admin }), { 'aws:ResourceTag/team': 'blue', 'iam:PermissionsBoundary': admin });
  assert.deepEqual(await keys('GetUser', { UserName: 'alice' }), { 'aws:ResourceTag/team': 'blue' });
  assert.deepEqual(await keys('GetUser', { UserName: 'nobody' }), {});
  await h.close();
});
