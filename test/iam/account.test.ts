import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePolicyDocument } from '../../src/iam/policy-encoding.js';
import { allowAll, iam, iamError, iamXml, makeHarness, ownerId, trustAccount } from './helpers.js';

async function populated() {
  const h = await makeHarness();
  const arn = (await iam(h, 'CreatePolicy', { PolicyName: 'shared', PolicyDocument: allowAll })).Policy.Arn as string;
  await iam(h, 'CreateUser', { UserName: 'alice', 'Tags.member.1.Key': 't', 'Tags.member.1.Value': 'v' });
  await iam(h, 'CreateUser', { UserName: 'bob', Path: '/ops/' });
  await iam(h, 'CreateGroup', { GroupName: 'devs' });
  await iam(h, 'CreateRole', { RoleName: 'worker', AssumeRolePolicyDocument: trustAccount(ownerId) });
  await iam(h, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
  await iam(h, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: arn });
  await iam(h, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: arn });
  await iam(h, 'AttachRolePolicy', { RoleName: 'worker', PolicyArn: arn });
  await iam(h, 'PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: arn });
  await iam(h, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'inline', PolicyDocument: allowAll });
  await iam(h, 'AttachRolePolicy', { RoleName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  return { h, arn };
}

test('ListEntitiesForPolicy: users, groups and roles; EntityFilter; PolicyUsageFilter; PathPrefix', async () => {
  const { h, arn } = await populated();
  const all = await iam(h, 'ListEntitiesForPolicy', { PolicyArn: arn });
  assert.deepEqual(all.PolicyGroups.member.map((g: any) => g.GroupName), ['devs']);
  assert.match(all.PolicyGroups.member[0].GroupId, /^AGPA/);
  assert.deepEqual(all.PolicyUsers.member.map((u: any) => u.UserName), ['alice', 'bob']);
  assert.deepEqual(all.PolicyRoles.member.map((r: any) => r.RoleName), ['worker']);
  assert.equal(all.IsTruncated, false);
  const roles = await iam(h, 'ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Role' });
  assert.deepEqual(roles.PolicyUsers.member, []);
  assert.equal(roles.PolicyRoles.member.length, 1);
  const permissions = await iam(h, 'ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'User', PolicyUsageFilter: 'PermissionsPolicy' });
  assert.deepEqual(permissions.PolicyUsers.member.map((u: any) => u.UserName), ['alice']);
  const boundaries = await iam(h, 'ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' });
  assert.deepEqual(boundaries.PolicyUsers.member.map((u: any) => u.UserName), ['bob']);
  const ops = await iam(h, 'ListEntitiesForPolicy', { PolicyArn: arn, PathPrefix: '/ops/' });
  assert.deepEqual(ops.PolicyUsers.member.map((u: any) => u.UserName), ['bob']);
  const xml = await iamXml(h, 'ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Group' });
  assert.match(xml, /<PolicyGroups><member><GroupName>devs<\/GroupName><GroupId>AGPA[A-Z2-7]+<\/GroupId><\/member><\/PolicyGroups><PolicyUsers><\/PolicyUsers><PolicyRoles><\/PolicyRoles><IsTruncated>false<\/IsTruncated>/);
  assert.equal((await iamError(h, 'ListEntitiesForPolicy', { PolicyArn: `arn:aws:iam::${ownerId}:policy/none` })).code, 'NoSuchEntity');
  await h.close();
});

test('GetAccountAuthorizationDetails: users, groups, roles and policies with URL-encoded documents; Filter', async () => {
  const { h, arn } = await populated();
  const out = await iam(h, 'GetAccountAuthorizationDetails');
  const alice = out.UserDetailList.member.find((u: any) => u.UserName === 'alice');
  assert.deepEqual(alice.UserPolicyList.member, [{ PolicyName: 'inline', PolicyDocument: encodePolicyDocument(allowAll) }]);
  assert.deepEqual(alice.GroupList.member, ['devs']);
  assert.deepEqual(alice.AttachedManagedPolicies.member, [{ PolicyName: 'shared', PolicyArn: arn }]);
  assert.deepEqual(alice.Tags.member, [{ Key: 't', Value: 'v' }]);
  const bob = out.UserDetailList.member.find((u: any) => u.UserName === 'bob');
  assert.equal(bob.PermissionsBoundary.PermissionsBoundaryArn, arn);
  assert.equal(out.GroupDetailList.member[0].GroupName, 'devs');
  const role = out.RoleDetailList.member[0];
  assert.equal(role.AssumeRolePolicyDocument, encodePolicyDocument(trustAccount(ownerId)));
  assert.deepEqual(role.InstanceProfileList, { member: [] });
  assert.equal(role.AttachedManagedPolicies.member.length, 2);
  const policyArns = out.Policies.member.map((p: any) => p.Arn);
  assert.deepEqual(policyArns, [arn, 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
  const shared = out.Policies.member[0];
  assert.equal(shared.AttachmentCount, 3);
  assert.equal(shared.PermissionsBoundaryUsageCount, 1);
  assert.deepEqual(shared.PolicyVersionList.member, [{ Document: encodePolicyDocument(allowAll), VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2026-12-02T05:30:00Z' }]);
  assert.equal(out.IsTruncated, false);
  const rolesOnly = await iam(h, 'GetAccountAuthorizationDetails', { 'Filter.member.1': 'Role' });
  assert.deepEqual(rolesOnly.UserDetailList.member, []);
  assert.deepEqual(rolesOnly.Policies.member, []);
  assert.equal(rolesOnly.RoleDetailList.member.length, 1);
  const paged = await iam(h, 'GetAccountAuthorizationDetails', { MaxItems: '2' });
  assert.equal(paged.IsTruncated, true);
  const rest = await iam(h, 'GetAccountAuthorizationDetails', { Marker: paged.Marker });
  const count = (r: any) => r.UserDetailList.member.length + r.GroupDetailList.member.length + r.RoleDetailList.member.length + r.Policies.member.length;
  assert.equal(count(paged) + count(rest), 6);
  assert.equal((await iamError(h, 'GetAccountAuthorizationDetails', { 'Filter.member.1': 'Bucket' })).code, 'ValidationError');
  await h.close();
});

test('ListAccountAliases is empty', async () => {
  const h = await makeHarness();
  const xml = await iamXml(h, 'ListAccountAliases');
  assert.match(xml, /<ListAccountAliasesResult><AccountAliases><\/AccountAliases><IsTruncated>false<\/IsTruncated><\/ListAccountAliasesResult>/);
  await h.close();
});
