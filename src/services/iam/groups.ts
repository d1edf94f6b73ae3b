/** IAM groups: CreateGroup, GetGroup, ListGroups, DeleteGroup, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser. */
import type { QueryHandler } from '../service-call.js';
import { serviceError } from '../../protocol/errors.js';
import { getGroup, iamKinds, nameKey, type GroupDoc, type UserDoc } from '../../iam/model.js';
import { groupUniqueId } from '../../iam/ids.js';
import { Checks } from '../../iam/validation.js';
import { accountOf } from './caller.js';
import { requireGroup, requireUser } from './lookup.js';
import { pageFields, paginate, param, pathPrefixFilter } from './params.js';
import { groupXml, members, userXml } from './render.js';
import { deleteConflict } from './users.js';

const maxGroupsPerUser = 10;

export const createGroup: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const groupName = param(call, 'GroupName');
  const path = param(call, 'Path') ?? '/';
  const checks = new Checks();
  checks.name('groupName', groupName, 128);
  checks.path('path', path);
  checks.done();
  const group = await call.app.store.writeDocuments((tx) => {
    if (getGroup(tx, accountId, groupName!)) throw serviceError('EntityAlreadyExists', `Group with name ${groupName} already exists.`, 409);
    const doc: GroupDoc = {
      accountId,
      groupName: groupName!,
      groupId: groupUniqueId(),
      path,
      arn: `arn:aws:iam::${accountId}:group${path}${groupName}`,
      createdAtMs: call.app.clock.nowMs(),
      inlinePolicies: {},
      attachedPolicyArns: [],
    };
    tx.put(accountId, iamKinds.group, nameKey(doc.groupName), doc);
    return doc;
  });
  return { Group: groupXml(group) };
};

function membersOf(users: UserDoc[], group: GroupDoc): UserDoc[] {
  const key = nameKey(group.groupName);
  return users.filter((u) => u.groups.some((g) => nameKey(g) === key));
}

export const getGroupHandler: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const groupName = param(call, 'GroupName');
  const checks = new Checks();
  checks.name('groupName', groupName, 128);
  checks.done();
  const { group, users } = await call.app.store.readDocuments((tx) => {
    const found = requireGroup(tx, accountId, groupName!);
    return { group: found, users: membersOf(tx.list<UserDoc>(accountId, iamKinds.user).map((r) => r.value), found) };
  });
  const page = paginate(call, users, (u) => nameKey(u.userName));
  return { Group: groupXml(group), Users: members(page.items.map((u) => userXml(u, false))), ...pageFields(page) };
};

export const listGroups: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const matches = pathPrefixFilter(call);
  const groups = await call.app.store.readDocuments((tx) => tx.list<GroupDoc>(accountId, iamKinds.group).map((r) => r.value));
  const page = paginate(call, groups.filter((g) => matches(g.path)), (g) => nameKey(g.groupName));
  return { Groups: members(page.items.map(groupXml)), ...pageFields(page) };
};

export const deleteGroup: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const groupName = param(call, 'GroupName');
  const checks = new Checks();
  checks.name('groupName', groupName, 128);
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const group = requireGroup(tx, accountId, groupName!);
    if (membersOf(tx.list<UserDoc>(accountId, iamKinds.user).map((r) => r.value), group).length > 0) {
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    }
    if (Object.keys(group.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (group.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    tx.delete(accountId, iamKinds.group, nameKey(group.groupName));
  });
  return null;
};

function membershipParams(call: Parameters<QueryHandler>[0]): { groupName: string; userName: string } {
  const groupName = param(call, 'GroupName');
  const userName = param(call, 'UserName');
  const checks = new Checks();
  checks.name('groupName', groupName, 128);
  checks.name('userName', userName, 128);
  checks.done();
  return { groupName: groupName!, userName: userName! };
}

export const addUserToGroup: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const { groupName, userName } = membershipParams(call);
  await call.app.store.writeDocuments((tx) => {
    const group = requireGroup(tx, accountId, groupName);
    const user = requireUser(tx, accountId, userName);
    if (user.groups.some((g) => nameKey(g) === nameKey(group.groupName))) return;
    if (user.groups.length >= maxGroupsPerUser) throw serviceError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${maxGroupsPerUser}`, 409);
    tx.put(accountId, iamKinds.user, nameKey(user.userName), { ...user, groups: [...user.groups, group.groupName] });
  });
  return null;
};

export const removeUserFromGroup: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const { groupName, userName } = membershipParams(call);
  await call.app.store.writeDocuments((tx) => {
    const group = requireGroup(tx, accountId, groupName);
    const user = requireUser(tx, accountId, userName);
    const remaining = user.groups.filter((g) => nameKey(g) !== nameKey(group.groupName));
    // Removing a user that is not a member succeeds without a change (as IAM answers).
    if (remaining.length === user.groups.length) return;
    tx.put(accountId, iamKinds.user, nameKey(user.userName), { ...user, groups: remaining });
  });
  return null;
};

export const listGroupsForUser: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const userName = param(call, 'UserName');
  const checks = new Checks();
  checks.name('userName', userName, 128);
  checks.done();
  const groups = await call.app.store.readDocuments((tx) => {
    const user = requireUser(tx, accountId, userName!);
    return user.groups.map((name) => getGroup(tx, accountId, name)).filter((g): g is GroupDoc => g !== null);
  });
  groups.sort((a, b) => (nameKey(a.groupName) < nameKey(b.groupName) ? -1 : 1));
  const page = paginate(call, groups, (g) => nameKey(g.groupName));
  return { Groups: members(page.items.map(groupXml)), ...pageFields(page) };
};
