/**
 * Policies held by users, groups and roles: inline policies (Put/Get/Delete/List{User,Group,Role}Policy
 * and Policies), managed policy attachments (Attach/Detach/ListAttached…) and permissions boundaries.
 */
import type { QueryHandler, ServiceCall } from '../service-call.js';
import type { DocumentTx } from '../../store/types.js';
import { serviceError } from '../../protocol/errors.js';
import { iamKinds, nameKey, parsePolicyArn, type GroupDoc, type RoleDoc, type UserDoc } from '../../iam/model.js';
import { encodePolicyDocument } from '../../iam/policy-encoding.js';
import { Checks } from '../../iam/validation.js';
import { accountOf } from './caller.js';
import { checkPolicyDocument, policySize } from './documents.js';
import { noSuchEntity, requireAttachablePolicy, requireBoundaryPolicy, requireGroup, requireRole, requireUser } from './lookup.js';
import { pageFields, paginate, param, pathPrefixFilter } from './params.js';
import { members } from './render.js';

type HolderDoc = UserDoc | GroupDoc | RoleDoc;

interface HolderKind<D extends HolderDoc> {
  label: 'user' | 'group' | 'role';
  /** Query parameter and its name in validation messages. */
  nameParam: 'UserName' | 'GroupName' | 'RoleName';
  field: 'userName' | 'groupName' | 'roleName';
  maxNameLength: number;
  docKind: string;
  require(tx: DocumentTx, accountId: string, name: string): D;
  nameOf(doc: D): string;
  /** Aggregate inline policy size quota (characters, whitespace excluded). */
  inlineQuota: number;
  /** Managed policies per entity quota name. */
  quotaName: string;
}

export const userHolder: HolderKind<UserDoc> = {
  label: 'user', nameParam: 'UserName', field: 'userName', maxNameLength: 128, docKind: iamKinds.user,
  require: requireUser, nameOf: (d) => d.userName, inlineQuota: 2048, quotaName: 'PoliciesPerUser',
};
export const groupHolder: HolderKind<GroupDoc> = {
  label: 'group', nameParam: 'GroupName', field: 'groupName', maxNameLength: 128, docKind: iamKinds.group,
  require: requireGroup, nameOf: (d) => d.groupName, inlineQuota: 5120, quotaName: 'PoliciesPerGroup',
};
export const roleHolder: HolderKind<RoleDoc> = {
  label: 'role', nameParam: 'RoleName', field: 'roleName', maxNameLength: 64, docKind: iamKinds.role,
  require: requireRole, nameOf: (d) => d.roleName, inlineQuota: 10240, quotaName: 'PoliciesPerRole',
};

const maxManagedPoliciesPerEntity = 10;

function holderName<D extends HolderDoc>(call: ServiceCall, kind: HolderKind<D>, checks: Checks): string {
  const name = param(call, kind.nameParam);
  checks.name(kind.field, name, kind.maxNameLength);
  return name!;
}

function save<D extends HolderDoc>(tx: DocumentTx, kind: HolderKind<D>, doc: D): void {
  tx.put(doc.accountId, kind.docKind, nameKey(kind.nameOf(doc)), doc);
}

export function putInlinePolicy<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const checks = new Checks();
    const name = holderName(call, kind, checks);
    const policyName = param(call, 'PolicyName');
    const document = param(call, 'PolicyDocument');
    checks.name('policyName', policyName, 128);
    checks.policyDocument('policyDocument', document);
    checks.done();
    await call.app.store.writeDocuments((tx) => {
      const doc = kind.require(tx, accountId, name);
      checkPolicyDocument(document!, 'identity');
      const inlinePolicies = { ...doc.inlinePolicies, [policyName!]: document! };
      const total = Object.values(inlinePolicies).reduce((sum, text) => sum + policySize(text), 0);
      if (total > kind.inlineQuota) {
        throw serviceError('LimitExceeded', `Maximum policy size of ${kind.inlineQuota} bytes exceeded for ${kind.label} ${kind.nameOf(doc)}`, 409);
      }
      save(tx, kind, { ...doc, inlinePolicies });
    });
    return null;
  };
}

function inlineParams<D extends HolderDoc>(call: ServiceCall, kind: HolderKind<D>): { name: string; policyName: string } {
  const checks = new Checks();
  const name = holderName(call, kind, checks);
  const policyName = param(call, 'PolicyName');
  checks.name('policyName', policyName, 128);
  checks.done();
  return { name, policyName: policyName! };
}

function missingInline(kind: HolderKind<HolderDoc>, policyName: string) {
  return noSuchEntity(`The ${kind.label} policy with name ${policyName} cannot be found.`);
}

export function getInlinePolicy<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const { name, policyName } = inlineParams(call, kind);
    const doc = await call.app.store.readDocuments((tx) => kind.require(tx, accountId, name));
    const text = Object.hasOwn(doc.inlinePolicies, policyName) ? doc.inlinePolicies[policyName] : undefined;
    if (text === undefined) throw missingInline(kind as HolderKind<HolderDoc>, policyName);
    return { [kind.nameParam]: kind.nameOf(doc), PolicyName: policyName, PolicyDocument: encodePolicyDocument(text) };
  };
}

export function deleteInlinePolicy<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const { name, policyName } = inlineParams(call, kind);
    await call.app.store.writeDocuments((tx) => {
      const doc = kind.require(tx, accountId, name);
      if (!Object.hasOwn(doc.inlinePolicies, policyName)) throw missingInline(kind as HolderKind<HolderDoc>, policyName);
      const inlinePolicies = { ...doc.inlinePolicies };
      delete inlinePolicies[policyName];
      save(tx, kind, { ...doc, inlinePolicies });
    });
    return null;
  };
}

export function listInlinePolicies<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const checks = new Checks();
    const name = holderName(call, kind, checks);
    checks.done();
    const doc = await call.app.store.readDocuments((tx) => kind.require(tx, accountId, name));
    const names = Object.keys(doc.inlinePolicies).sort();
    const page = paginate(call, names, (n) => n);
    return { PolicyNames: members(page.items), ...pageFields(page) };
  };
}

function attachParams<D extends HolderDoc>(call: ServiceCall, kind: HolderKind<D>): { name: string; arn: string } {
  const checks = new Checks();
  const name = holderName(call, kind, checks);
  const arn = param(call, 'PolicyArn');
  checks.arn('policyArn', arn);
  checks.done();
  return { name, arn: arn! };
}

export function attachPolicy<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const { name, arn } = attachParams(call, kind);
    await call.app.store.writeDocuments((tx) => {
      const doc = kind.require(tx, accountId, name);
      requireAttachablePolicy(tx, accountId, arn);
      if (doc.attachedPolicyArns.includes(arn)) return;
      if (doc.attachedPolicyArns.length >= maxManagedPoliciesPerEntity) {
        throw serviceError('LimitExceeded', `Cannot exceed quota for ${kind.quotaName}: ${maxManagedPoliciesPerEntity}`, 409);
      }
      save(tx, kind, { ...doc, attachedPolicyArns: [...doc.attachedPolicyArns, arn] });
    });
    return null;
  };
}

export function detachPolicy<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const { name, arn } = attachParams(call, kind);
    await call.app.store.writeDocuments((tx) => {
      const doc = kind.require(tx, accountId, name);
      if (!parsePolicyArn(arn)) throw serviceError('InvalidInput', `ARN ${arn} is not valid.`, 400);
      if (!doc.attachedPolicyArns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
      save(tx, kind, { ...doc, attachedPolicyArns: doc.attachedPolicyArns.filter((a) => a !== arn) });
    });
    return null;
  };
}

/** { PolicyName, PolicyArn } of an attached ARN. */
export function attachedPolicyXml(arn: string): Record<string, unknown> {
  return { PolicyName: parsePolicyArn(arn)?.name ?? arn, PolicyArn: arn };
}

export function listAttachedPolicies<D extends HolderDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const checks = new Checks();
    const name = holderName(call, kind, checks);
    checks.done();
    const matches = pathPrefixFilter(call);
    const doc = await call.app.store.readDocuments((tx) => kind.require(tx, accountId, name));
    const arns = doc.attachedPolicyArns.filter((arn) => matches(parsePolicyArn(arn)?.path ?? '/'));
    // Attach order, paged by position.
    const indexed = arns.map((arn, index) => ({ arn, key: String(index).padStart(4, '0') }));
    const page = paginate(call, indexed, (row) => row.key);
    return { AttachedPolicies: members(page.items.map((row) => attachedPolicyXml(row.arn))), ...pageFields(page) };
  };
}

export function putPermissionsBoundary<D extends UserDoc | RoleDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const checks = new Checks();
    const name = holderName(call, kind, checks);
    const arn = param(call, 'PermissionsBoundary');
    checks.arn('permissionsBoundary', arn);
    checks.done();
    await call.app.store.writeDocuments((tx) => {
      const doc = kind.require(tx, accountId, name);
      requireBoundaryPolicy(tx, accountId, arn!);
      save(tx, kind, { ...doc, permissionsBoundaryArn: arn! });
    });
    return null;
  };
}

export function deletePermissionsBoundary<D extends UserDoc | RoleDoc>(kind: HolderKind<D>): QueryHandler {
  return async (call) => {
    const accountId = accountOf(call);
    const checks = new Checks();
    const name = holderName(call, kind, checks);
    checks.done();
    await call.app.store.writeDocuments((tx) => {
      const doc = kind.require(tx, accountId, name);
      save(tx, kind, { ...doc, permissionsBoundaryArn: null });
    });
    return null;
  };
}
