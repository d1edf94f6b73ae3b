import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePolicyDocument } from '../../src/iam/policy-encoding.js';
import { iam, iamError, iamXml, makeHarness, ownerId, partnerId, trustAccount } from './helpers.js';

test('CreateRole / GetRole: trust policy URL-encoded (RFC 3986), RoleLastUsed only in GetRole', async () => {
  const h = await makeHarness();
  const trust = trustAccount(partnerId);
  const created = await iam(h, 'CreateRole', {
    RoleName: 'ext',
    Path: '/app/',
    AssumeRolePolicyDocument: trust,
    Description: 'cross-account',
    MaxSessionDuration: '7200',
    'Tags.member.1.Key': 'env',
    'Tags.member.1.Value': 'prod',
  });
  assert.equal(created.Role.Arn, `arn:aws:iam::${ownerId}:role/app/ext`);
  assert.match(created.Role.RoleId, /^AROA[A-Z2-7]{17}$/);
  assert.equal(created.Role.AssumeRolePolicyDocument, encodePolicyDocument(trust));
  assert.equal(created.Role.MaxSessionDuration, 7200);
  assert.equal(created.Role.Description, 'cross-account');
  assert.equal(created.Role.RoleLastUsed, undefined);
  const xml = await iamXml(h, 'GetRole', { RoleName: 'EXT' });
  assert.ok(xml.includes(`<AssumeRolePolicyDocument>${encodePolicyDocument(trust)}</AssumeRolePolicyDocument>`));
  assert.ok(xml.includes('%7B%22Version%22%3A%222012-10-17%22'));
  assert.match(xml, /<MaxSessionDuration>7200<\/MaxSessionDuration>/);
  assert.match(xml, /<RoleLastUsed\/>|<RoleLastUsed><\/RoleLastUsed>/);
  assert.match(xml, /<Tags><member><Key>env<\/Key><Value>prod<\/Value><\/member><\/Tags>/);
  const list = await iam(h, 'ListRoles', { PathPrefix: '/app/' });
  assert.equal(list.Roles.member.length, 1);
  assert.equal(list.Roles.member[0].RoleLastUsed, undefined);
  assert.equal(list.Roles.member[0].Tags, undefined);
  assert.equal((await iamError(h, 'CreateRole', { RoleName: 'Ext', AssumeRolePolicyDocument: trust })).message, 'Role with name Ext already exists.');
  assert.equal((await iamError(h, 'GetRole', { RoleName: 'nope' })).message, 'The role with name nope cannot be found.');
  await h.close();
});

test('CreateRole: MaxSessionDuration 3600..43200, trust policy required and validated', async () => {
  const h = await makeHarness();
  let e = await iamError(h, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ownerId), MaxSessionDuration: '100' });
  assert.equal(e.message, "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600");
  e = await iamError(h, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ownerId), MaxSessionDuration: '43201' });
  assert.match(e.message, /Member must have value less than or equal to 43200$/);
  e = await iamError(h, 'CreateRole', { RoleName: 'r' });
  assert.equal(e.message, "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null");
  e = await iamError(h, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",}]}' });
  assert.equal(e.code, 'MalformedPolicyDocument');
  assert.equal(e.statusCode, 400);
  e = await iamError(h, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount('123456789012') });
  assert.equal(e.code, 'MalformedPolicyDocument');
  assert.equal(e.message, 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:root"');
  e = await iamError(h, 'CreateRole', {
    RoleName: 'r',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerId}:user/ghost` }, Action: 'sts:AssumeRole' }] }),
  });
  assert.equal(e.message, `Invalid principal in policy: "AWS":"arn:aws:iam::${partnerId}:user/ghost"`);
  await iam(h, 'CreateUser', { UserName: 'ghost' }, { ...(await import('./helpers.js')).rootIdentity(partnerId) });
  await iam(h, 'CreateRole', {
    RoleName: 'r',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerId}:user/ghost` }, Action: 'sts:AssumeRole' }] }),
  });
  await h.close();
});

test('UpdateRole / UpdateAssumeRolePolicy / DeleteRole conflicts / role tags', async () => {
  const h = await makeHarness();
  await iam(h, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ownerId) });
  assert.deepEqual(await iam(h, 'UpdateRole', { RoleName: 'r', Description: 'new', MaxSessionDuration: '43200' }), {});
  let role = (await iam(h, 'GetRole', { RoleName: 'r' })).Role;
  assert.equal(role.Description, 'new');
  assert.equal(role.MaxSessionDuration, 43200);
  await iam(h, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trustAccount(partnerId) });
  role = (await iam(h, 'GetRole', { RoleName: 'r' })).Role;
  assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument), trustAccount(partnerId));
  const bad = await iamError(h, 'UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}' });
  assert.equal(bad.code, 'MalformedPolicyDocument');
  await iam(h, 'TagRole', { RoleName: 'r', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': '1' });
  assert.deepEqual((await iam(h, 'ListRoleTags', { RoleName: 'r' })).Tags.member, [{ Key: 'a', Value: '1' }]);
  await iam(h, 'UntagRole', { RoleName: 'r', 'TagKeys.member.1': 'A' });
  assert.deepEqual((await iam(h, 'ListRoleTags', { RoleName: 'r' })).Tags.member, []);
  await iam(h, 'AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  let e = await iamError(h, 'DeleteRole', { RoleName: 'r' });
  assert.equal(e.code, 'DeleteConflict');
  assert.equal(e.message, 'Cannot delete entity, must detach all policies first.');
  await iam(h, 'DetachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  await iam(h, 'PutRolePolicy', { RoleName: 'r', PolicyName: 'inline', PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}' });
  e = await iamError(h, 'DeleteRole', { RoleName: 'r' });
  assert.equal(e.message, 'Cannot delete entity, must delete policies first.');
  await iam(h, 'DeleteRolePolicy', { RoleName: 'r', PolicyName: 'inline' });
  assert.equal(await iam(h, 'DeleteRole', { RoleName: 'r' }), null);
  assert.equal((await iamError(h, 'GetRole', { RoleName: 'r' })).code, 'NoSuchEntity');
  await h.close();
});
