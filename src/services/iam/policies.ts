/**
 * Managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, CreatePolicyVersion,
 * GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion.
 */
import type { QueryHandler, ServiceCall } from '../service-call.js';
import type { DocumentTx } from '../../store/types.js';
import { serviceError } from '../../protocol/errors.js';
import { getCustomerPolicy, iamKinds, nameKey, type ManagedPolicyDoc, type PolicyVersionDoc } from '../../iam/model.js';
import { awsManagedPolicies } from '../../iam/aws-managed-policies.js';
import { policyUniqueId } from '../../iam/ids.js';
import { Checks } from '../../iam/validation.js';
import { accountOf } from './caller.js';
import { checkPolicyDocument, policySize } from './documents.js';
import { listEntities, noSuchEntity, policyUsages, requirePolicy, usageOf } from './lookup.js';
import { mergeTags, pageFields, paginate, param, pathPrefixFilter, tagList } from './params.js';
import { awsPolicyXml, customerPolicyXml, members, policyVersionXml } from './render.js';

export const maxPolicyVersions = 5;
const managedPolicySizeQuota = 6144;

/** Managed policy documents: grammar, then the PolicySize quota (whitespace not counted). */
export function checkManagedPolicyDocument(text: string): void {
  checkPolicyDocument(text, 'identity');
  if (policySize(text) > managedPolicySizeQuota) throw serviceError('LimitExceeded', `Cannot exceed quota for PolicySize: ${managedPolicySizeQuota}`, 409);
}

function policyArnParam(call: ServiceCall, checks: Checks): string {
  const arn = param(call, 'PolicyArn');
  checks.arn('policyArn', arn);
  return arn!;
}

/** Customer managed policy for a write; AWS managed policies belong to AWS (AccessDenied). */
function requireOwnPolicy(call: ServiceCall, tx: DocumentTx, accountId: string, arn: string): ManagedPolicyDoc {
  const found = requirePolicy(tx, accountId, arn);
  if (found.kind === 'aws') {
    throw serviceError('AccessDenied', `User: ${call.identity.arn} is not authorized to perform: iam:${call.operation} on resource: ${arn}`, 403);
  }
  return found.policy;
}

function savePolicy(tx: DocumentTx, policy: ManagedPolicyDoc): void {
  tx.put(policy.accountId, iamKinds.policy, nameKey(policy.policyName), policy);
}

export const createPolicy: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const policyName = param(call, 'PolicyName');
  const path = param(call, 'Path') ?? '/';
  const document = param(call, 'PolicyDocument');
  const description = param(call, 'Description');
  const checks = new Checks();
  checks.name('policyName', policyName, 128);
  checks.path('path', path);
  checks.policyDocument('policyDocument', document);
  checks.length('description', description, 0, 1000);
  checks.done();
  const tags = tagList(call) ?? [];
  checkManagedPolicyDocument(document!);
  const now = call.app.clock.nowMs();
  const policy = await call.app.store.writeDocuments((tx) => {
    if (getCustomerPolicy(tx, accountId, policyName!)) {
      throw serviceError('EntityAlreadyExists', `A policy called ${policyName} already exists. Duplicate names are not allowed.`, 409);
    }
    const doc: ManagedPolicyDoc = {
      accountId,
      policyName: policyName!,
      policyId: policyUniqueId(),
      path,
      arn: `arn:aws:iam::${accountId}:policy${path}${policyName}`,
      description: description ?? null,
      createdAtMs: now,
      updatedAtMs: now,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', document: document!, createdAtMs: now }],
      nextVersion: 2,
      tags: mergeTags([], tags),
    };
    savePolicy(tx, doc);
    return doc;
  });
  return { Policy: customerPolicyXml(policy, { attachmentCount: 0, boundaryUsageCount: 0 }, true) };
};

export const getPolicy: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const arn = policyArnParam(call, checks);
  checks.done();
  return call.app.store.readDocuments((tx) => {
    const found = requirePolicy(tx, accountId, arn);
    const usage = usageOf(policyUsages(listEntities(tx, accountId)), arn);
    return { Policy: found.kind === 'aws' ? awsPolicyXml(found.policy, usage, true) : customerPolicyXml(found.policy, usage, true) };
  });
};

export const listPolicies: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const scope = param(call, 'Scope') ?? 'All';
  const onlyAttached = param(call, 'OnlyAttached') === 'true';
  const usageFilter = param(call, 'PolicyUsageFilter');
  const checks = new Checks();
  checks.oneOf('scope', scope, ['All', 'AWS', 'Local']);
  checks.oneOf('policyUsageFilter', usageFilter, ['PermissionsPolicy', 'PermissionsBoundary']);
  checks.done();
  const matches = pathPrefixFilter(call);
  const rows = await call.app.store.readDocuments((tx) => {
    const usages = policyUsages(listEntities(tx, accountId));
    const out: Array<{ arn: string; path: string; xml: Record<string, unknown>; attachment: number; boundary: number }> = [];
    if (scope !== 'Local') {
      for (const policy of awsManagedPolicies) {
        const usage = usageOf(usages, policy.arn);
        out.push({ arn: policy.arn, path: policy.path, xml: awsPolicyXml(policy, usage, false), attachment: usage.attachmentCount, boundary: usage.boundaryUsageCount });
      }
    }
    if (scope !== 'AWS') {
      for (const { value: policy } of tx.list<ManagedPolicyDoc>(accountId, iamKinds.policy)) {
        const usage = usageOf(usages, policy.arn);
        out.push({ arn: policy.arn, path: policy.path, xml: customerPolicyXml(policy, usage, false), attachment: usage.attachmentCount, boundary: usage.boundaryUsageCount });
      }
    }
    return out;
  });
  const filtered = rows
    .filter((row) => matches(row.path))
    .filter((row) => !onlyAttached || row.attachment + row.boundary > 0)
    .filter((row) => usageFilter === undefined || (usageFilter === 'PermissionsPolicy' ? row.attachment > 0 || !onlyAttached : row.boundary > 0 || !onlyAttached))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const page = paginate(call, filtered, (row) => row.arn);
  return { Policies: members(page.items.map((row) => row.xml)), ...pageFields(page) };
};

export const deletePolicy: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const arn = policyArnParam(call, checks);
  checks.done();
  await call.app.store.writeDocuments((tx) => {
    const policy = requireOwnPolicy(call, tx, accountId, arn);
    const usage = usageOf(policyUsages(listEntities(tx, accountId)), arn);
    if (usage.attachmentCount + usage.boundaryUsageCount > 0) throw serviceError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
    if (policy.versions.length > 1) {
      throw serviceError(
        'DeleteConflict',
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        409,
      );
    }
    tx.delete(accountId, iamKinds.policy, nameKey(policy.policyName));
  });
  return null;
};

export const createPolicyVersion: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const arn = policyArnParam(call, checks);
  const document = param(call, 'PolicyDocument');
  checks.policyDocument('policyDocument', document);
  checks.done();
  const setAsDefault = param(call, 'SetAsDefault') === 'true';
  checkManagedPolicyDocument(document!);
  const now = call.app.clock.nowMs();
  const version = await call.app.store.writeDocuments((tx) => {
    const policy = requireOwnPolicy(call, tx, accountId, arn);
    if (policy.versions.length >= maxPolicyVersions) {
      throw serviceError(
        'LimitExceeded',
        `A managed policy can have up to ${maxPolicyVersions} versions. Before you create a new version, you must delete an existing version.`,
        409,
      );
    }
    const created: PolicyVersionDoc = { versionId: `v${policy.nextVersion}`, document: document!, createdAtMs: now };
    savePolicy(tx, {
      ...policy,
      versions: [...policy.versions, created],
      nextVersion: policy.nextVersion + 1,
      defaultVersionId: setAsDefault ? created.versionId : policy.defaultVersionId,
      updatedAtMs: setAsDefault ? now : policy.updatedAtMs,
    });
    return { created, defaultVersionId: setAsDefault ? created.versionId : policy.defaultVersionId };
  });
  return { PolicyVersion: policyVersionXml(version.created, version.defaultVersionId, false) };
};

function versionParams(call: ServiceCall): { arn: string; versionId: string } {
  const checks = new Checks();
  const arn = policyArnParam(call, checks);
  const versionId = param(call, 'VersionId');
  checks.versionId('versionId', versionId);
  checks.done();
  return { arn, versionId: versionId! };
}

function missingVersion(arn: string, versionId: string) {
  return noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
}

export const getPolicyVersion: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const { arn, versionId } = versionParams(call);
  return call.app.store.readDocuments((tx) => {
    const found = requirePolicy(tx, accountId, arn);
    if (found.kind === 'aws') {
      if (found.policy.defaultVersionId !== versionId) throw missingVersion(arn, versionId);
      const version = { versionId, document: found.policy.document, createdAtMs: found.policy.updatedAtMs };
      return { PolicyVersion: policyVersionXml(version, versionId, true) };
    }
    const version = found.policy.versions.find((v) => v.versionId === versionId);
    if (!version) throw missingVersion(arn, versionId);
    return { PolicyVersion: policyVersionXml(version, found.policy.defaultVersionId, true) };
  });
};

export const listPolicyVersions: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const checks = new Checks();
  const arn = policyArnParam(call, checks);
  checks.done();
  const { versions, defaultVersionId } = await call.app.store.readDocuments((tx) => {
    const found = requirePolicy(tx, accountId, arn);
    if (found.kind === 'aws') {
      const policy = found.policy;
      return { versions: [{ versionId: policy.defaultVersionId, document: policy.document, createdAtMs: policy.updatedAtMs }], defaultVersionId: policy.defaultVersionId };
    }
    return { versions: found.policy.versions, defaultVersionId: found.policy.defaultVersionId };
  });
  // Newest first, as IAM lists them.
  const ordered = versions.slice().sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
  const page = paginate(call, ordered, (v) => String(1e9 - versionNumber(v.versionId)).padStart(10, '0'));
  return { Versions: members(page.items.map((v) => policyVersionXml(v, defaultVersionId, false))), ...pageFields(page) };
};

function versionNumber(versionId: string): number {
  return Number.parseInt(versionId.slice(1), 10);
}

export const deletePolicyVersion: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const { arn, versionId } = versionParams(call);
  await call.app.store.writeDocuments((tx) => {
    const policy = requireOwnPolicy(call, tx, accountId, arn);
    if (!policy.versions.some((v) => v.versionId === versionId)) throw missingVersion(arn, versionId);
    if (policy.defaultVersionId === versionId) throw serviceError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
    savePolicy(tx, { ...policy, versions: policy.versions.filter((v) => v.versionId !== versionId) });
  });
  return null;
};

export const setDefaultPolicyVersion: QueryHandler = async (call) => {
  const accountId = accountOf(call);
  const { arn, versionId } = versionParams(call);
  await call.app.store.writeDocuments((tx) => {
    const policy = requireOwnPolicy(call, tx, accountId, arn);
    if (!policy.versions.some((v) => v.versionId === versionId)) throw missingVersion(arn, versionId);
    savePolicy(tx, { ...policy, defaultVersionId: versionId, updatedAtMs: call.app.clock.nowMs() });
  });
  return null;
};
