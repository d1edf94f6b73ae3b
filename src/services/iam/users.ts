/** IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, TagUser, UntagUser, ListUserTags. */
import type { QueryHandler } from '../service-call.js';
import { serviceError } from '../../protocol/errors.js';
import { getUser, iamKinds, nameKey, type UserDoc } from '../../iam/model.js';
import { sortedTags } from './params.js';
import { Checks } from '../../iam/validation.js';
import { accountOf, implicitUserName } from './caller.js';
import { requireBoundaryPolicy, requireUser } from './lookup.js';
import { mergeTags, memberList, pageFields, paginate, param, pathPrefixFilter, removeTags, tagList } from './params.js';
import { iamTime, members, tagsXml, userXml } from './render.js';

export const createUser: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const path = param(call, 'Path') ?? '/';
  const boundary = param(call, 'PermissionsBoundary');
  const checks = new Checks();
  checks.name('userName', userName, 64);
  checks.path('path', path);
  checks.arn('permissionsBoundary', boundary, false);
  checks.done();
  const tags = tagList(call) ?? [];
  const now = call.app.clock.nowMs();
  const user = await call.app.store.writeDocuments((tx) => {
    if (getUser(tx, accountId, userName!)) throw serviceError('EntityAlreadyExists', `User with name ${userName} already exists.`, 409);
    if (boundary !== undefined) requireBoundaryPolicy(tx, accountId, boundary);
    const doc: UserDoc = {
      accountId,
      userName: userName!,
      userId: call.app.ids.userUniqueId(),
      path,
      arn: `arn:aws:iam::${accountId}:user${path}${userName}`,
      createdAtMs: now,
      permissionsBoundaryArn: boundary ?? null,
      tags: mergeTags([], tags),
      groups: [],
      inlinePolicies: {},
      attachedPolicyArns: [],
    };
    tx.put(accountId, iamKinds.user, nameKey(doc.userName), doc);
    return doc;
  });
  return { User: userXml(user, true) };
};

export const getUserHandler: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const named = param(call, 'UserName');
  const checks = new Checks();
  checks.name('userName', named, 128, false);
  checks.done();
  const userName = named ?? implicitUserName(call);
  if (userName === null) {
    // The account root: AWS answers with the root "user" (UserId = account ID, no UserName/Path).
    const account = await call.app.store.getAccount(accountId);
    return { User: { UserId: accountId, Arn: `arn:aws:iam::${accountId}:root`, CreateDate: iamTime(account?.createdAtMs ?? 0) } };
  }
  const user = await call.app.store.readDocuments((tx) => requireUser(tx, accountId, userName));
  return { User: userXml(user, true) };
};

export const listUsers: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const matches = pathPrefixFilter(call);
  const users = await call.app.store.readDocuments((tx) => tx.list<UserDoc>(accountId, iamKinds.user).map((r) => r.value));
  const page = paginate(call, users.filter((u) => matches(u.path)), (u) => nameKey(u.userName));
  return { Users: members(page.items.map((u) => userXml(u, false))), ...pageFields(page) };
};

export const updateUser: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const newName = param(call, 'NewUserName');
  const newPath = param(call, 'NewPath');
  const checks = new Checks();
  checks.name('userName', userName, 128);
  checks.name('newUserName', newName, 64, false);
  checks.path('newPath', newPath);
  checks.done();
  const renamed = await call.app.store.writeDocuments((tx) => {
    const user = requireUser(tx, accountId, userName!);
    const targetName = newName ?? user.userName;
    if (nameKey(targetName) !== nameKey(user.userName) && getUser(tx, accountId, targetName)) {
      throw serviceError('EntityAlreadyExists', `User with name ${targetName} already exists.`, 409);
    }
    const path = newPath ?? user.path;
    const updated: UserDoc = { ...user, userName: targetName, path, arn: `arn:aws:iam::${accountId}:user${path}${targetName}` };
    tx.delete(accountId, iamKinds.user, nameKey(user.userName));
    tx.put(accountId, iamKinds.user, nameKey(targetName), updated);
    return user.userName !== targetName ? { from: user.userName, to: targetName } : null;
  });
  if (renamed) {
    // Access keys name their user: move them to the new name.
    for (const key of await call.app.store.listAccessKeys(accountId, renamed.from)) {
      await call.app.store.putAccessKey({ ...key, userName: renamed.to });
    }
  }
  return null;
};

export const deleteUser: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const checks = new Checks();
  checks.name('userName', userName, 128);
  checks.done();
  const user = await call.app.store.readDocuments((tx) => requireUser(tx, accountId, userName!));
  const keys = await call.app.store.listAccessKeys(accountId, user.userName);
  await call.app.store.writeDocuments((tx) => {
    const current = requireUser(tx, accountId, userName!);
    if (Object.keys(current.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (current.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (keys.length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
    if (current.groups.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    tx.delete(accountId, iamKinds.user, nameKey(current.userName));
  });
  return null;
};

export function deleteConflict(message: string) {
  return serviceError('DeleteConflict', message, 409);
}

export const tagUser: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const checks = new Checks();
  checks.name('userName', userName, 128);
  const tags = tagList(call);
  if (!tags) checks.fail('tags', null, 'Member must not be null');
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const user = requireUser(tx, accountId, userName!);
    tx.put(accountId, iamKinds.user, nameKey(user.userName), { ...user, tags: mergeTags(user.tags, tags!) });
  });
  return null;
};

export const untagUser: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const keys = memberList(call, 'TagKeys');
  const checks = new Checks();
  checks.name('userName', userName, 128);
  if (keys.length === 0) checks.fail('tagKeys', null, 'Member must not be null');
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const user = requireUser(tx, accountId, userName!);
    tx.put(accountId, iamKinds.user, nameKey(user.userName), { ...user, tags: removeTags(user.tags, keys) });
  });
  return null;
};

export const listUserTags: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const checks = new Checks();
  checks.name('userName', userName, 128);
  checks.done();
  const user = await call.app.store.readDocuments((tx) => requireUser(tx, accountId, userName!));
  const page = paginate(call, sortedTags(user.tags), (t) => t.Key.toLowerCase());
  return { Tags: tagsXml(page.items), ...pageFields(page) };
};
