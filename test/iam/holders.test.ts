import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getUser } from '../../src/iam/model.js';
import { encodePolicyDocument } from '../../src/iam/policy-encoding.js';
import { allowAll, iam, iamError, iamXml, makeHarness, ownerId, partnerId, rootIdentity, trustAccount } from './helpers.js';

const holders = [
  { label: 'User', param: 'UserName', create: 'CreateUser', name: 'alice', quota: 2048 },
  { label: 'Group', param: 'GroupName', create: 'CreateGroup', name: 'devs', quota: 5120 },
  { label: 'Role', param: 'RoleName', create: 'CreateRole', name: 'worker', quota: 10240 },
] as const;

async function createHolder(h: Awaited<ReturnType<typeof makeHarness>>, holder: (typeof holders)[number]) {
  const extra: Record<string, string> = holder.label === 'Role' ? { AssumeRolePolicyDocument: trustAccount(ownerId) } : {};
  await iam(h, holder.create, { [holder.param]: holder.name, ...extra });
}

for (const holder of holders) {
  test(`Put/Get/List/Delete${holder.label}Policy: inline policies, URL-encoded documents, AWS errors`, async () => {
    const h = await makeHarness();
    const missingEntity = await iamError(h, `Put${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'p', PolicyDocument: allowAll });
    assert.equal(missingEntity.code, 'NoSuchEntity');
    assert.equal(missingEntity.message, `The ${holder.label.toLowerCase()} with name ${holder.name} cannot be found.`);
    await createHolder(h, holder);
    assert.equal(await iam(h, `Put${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'zeta', PolicyDocument: allowAll }), null);
    await iam(h, `Put${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'alpha', PolicyDocument: allowAll });
    const got = await iam(h, `Get${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'zeta' });
    assert.deepEqual(got, { [holder.param]: holder.name, PolicyName: 'zeta', PolicyDocument: encodePolicyDocument(allowAll) });
    const xml = await iamXml(h, `List${holder.label}Policies`, { [holder.param]: holder.name });
    assert.match(xml, new RegExp(`<List${holder.label}PoliciesResult><PolicyNames><member>alpha</member><member>zeta</member></PolicyNames><IsTruncated>false</IsTruncated>`));
    const malformed = await iamError(h, `Put${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'bad', PolicyDocument: '{"Statement":' });
    assert.equal(malformed.code, 'MalformedPolicyDocument');
    const principal = await iamError(h, `Put${holder.label}Policy`, {
      [holder.param]: holder.name,
      PolicyName: 'bad',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }),
    });
    assert.equal(principal.code, 'MalformedPolicyDocument');
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
    const quota = await iamError(h, `Put${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'big', PolicyDocument: big });
    assert.equal(quota.code, 'LimitExceeded');
    assert.equal(quota.message, `Maximum policy size of ${holder.quota} bytes exceeded for ${holder.label.toLowerCase()} ${holder.name}`);
    await iam(h, `Delete${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'zeta' });
    const gone = await iamError(h, `Get${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'zeta' });
    assert.equal(gone.code, 'NoSuchEntity');
    assert.equal(gone.message, `The ${holder.label.toLowerCase()} policy with name zeta cannot be found.`);
    assert.equal((await iamError(h, `Delete${holder.label}Policy`, { [holder.param]: holder.name, PolicyName: 'zeta' })).code, 'NoSuchEntity');
    await h.close();
  });

  test(`Attach/Detach/ListAttached${holder.label}Policies: attachable policies only, idempotent attach, quota of 10`, async () => {
    const h = await makeHarness();
    await createHolder(h, holder);
    const arn = (await iam(h, 'CreatePolicy', { PolicyName: 'mine', Path: '/team/', PolicyDocument: allowAll })).Policy.Arn;
    await iam(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: arn });
    await iam(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: arn });
    await iam(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' });
    const listed = await iam(h, `ListAttached${holder.label}Policies`, { [holder.param]: holder.name });
    assert.deepEqual(listed.AttachedPolicies.member, [
      { PolicyName: 'mine', PolicyArn: arn },
      { PolicyName: 'AmazonS3FullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' },
    ]);
    const team = await iam(h, `ListAttached${holder.label}Policies`, { [holder.param]: holder.name, PathPrefix: '/team/' });
    assert.deepEqual(team.AttachedPolicies.member.map((p: any) => p.PolicyName), ['mine']);
    const missing = `arn:aws:iam::${ownerId}:policy/none`;
    const e = await iamError(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: missing });
    assert.equal(e.code, 'NoSuchEntity');
    assert.equal(e.statusCode, 404);
    assert.equal(e.message, `Policy ${missing} does not exist or is not attachable.`);
    const foreign = (await iam(h, 'CreatePolicy', { PolicyName: 'theirs', PolicyDocument: allowAll }, rootIdentity(partnerId))).Policy.Arn;
    assert.equal((await iamError(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: foreign })).code, 'NoSuchEntity');
    assert.equal((await iamError(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: 'arn:aws:s3:::bucket-name' })).code, 'InvalidInput');
    for (let i = 0; i < 8; i += 1) {
      const extra = (await iam(h, 'CreatePolicy', { PolicyName: `p${i}`, PolicyDocument: allowAll })).Policy.Arn;
      await iam(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: extra });
    }
    const eleventh = (await iam(h, 'CreatePolicy', { PolicyName: 'p-last', PolicyDocument: allowAll })).Policy.Arn;
    const limit = await iamError(h, `Attach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: eleventh });
    assert.equal(limit.code, 'LimitExceeded');
    assert.equal(limit.message, `Cannot exceed quota for PoliciesPer${holder.label}: 10`);
    await iam(h, `Detach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: arn });
    const detached = await iamError(h, `Detach${holder.label}Policy`, { [holder.param]: holder.name, PolicyArn: arn });
    assert.equal(detached.code, 'NoSuchEntity');
    assert.equal(detached.message, `Policy ${arn} was not found.`);
    await h.close();
  });
}

test('Put/DeleteUserPermissionsBoundary and Put/DeleteRolePermissionsBoundary; GetUser/GetRole show the boundary', async () => {
  const h = await makeHarness();
  const arn = (await iam(h, 'CreatePolicy', { PolicyName: 'boundary', PolicyDocument: allowAll })).Policy.Arn;
  await iam(h, 'CreateUser', { UserName: 'alice' });
  await iam(h, 'PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: arn });
  assert.deepEqual((await iam(h, 'GetUser', { UserName: 'alice' })).User.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn });
  await h.app.store.readDocuments((tx) => assert.equal(getUser(tx, ownerId, 'alice')?.permissionsBoundaryArn, arn));
  assert.equal((await iam(h, 'GetPolicy', { PolicyArn: arn })).Policy.PermissionsBoundaryUsageCount, 1);
  await iam(h, 'DeleteUserPermissionsBoundary', { UserName: 'alice' });
  assert.equal((await iam(h, 'GetUser', { UserName: 'alice' })).User.PermissionsBoundary, undefined);
  const missing = await iamError(h, 'PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: `arn:aws:iam::${ownerId}:policy/nope` });
  assert.equal(missing.code, 'NoSuchEntity');
  assert.equal(missing.message, `Scope ARN: arn:aws:iam::${ownerId}:policy/nope does not exist or is not attachable.`);
  const created = await iam(h, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustAccount(ownerId), PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
  assert.equal(created.Role.PermissionsBoundary.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
  await iam(h, 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: arn });
  assert.equal((await iam(h, 'GetRole', { RoleName: 'r' })).Role.PermissionsBoundary.PermissionsBoundaryArn, arn);
  await iam(h, 'DeleteRolePermissionsBoundary', { RoleName: 'r' });
  assert.equal((await iam(h, 'GetRole', { RoleName: 'r' })).Role.PermissionsBoundary, undefined);
  const userWithBoundary = await iam(h, 'CreateUser', { UserName: 'bob', PermissionsBoundary: arn });
  assert.equal(userWithBoundary.User.PermissionsBoundary.PermissionsBoundaryArn, arn);
  assert.equal((await iamError(h, 'CreateUser', { UserName: 'carol', PermissionsBoundary: `arn:aws:iam::${ownerId}:policy/nope` })).code, 'NoSuchEntity');
  await h.close();
});
