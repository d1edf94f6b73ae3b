/**
 * `review`: every path by which principals outside the owner account reach a bucket or its KMS key —
 * bucket policy statements, ACL grants, roles whose trust admits another account and whose
 * permissions (identity policies or the bucket/key policy) reach the bucket, and key policies.
 */
import { GetBucketAclCommand } from '@aws-sdk/client-s3';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { call, iamClient, kmsClient, s3Client, stsClient, type Connection } from './aws-clients.js';
import { bucketArn, clientTagKey } from './documents.js';
import { whoAmI } from './grant-plan.js';
import { describeKey } from './kms-steps.js';
import { asList, parsePolicy, type PolicyDocument, type Statement } from './policy-json.js';
import { readBucketPolicy, readEncryption, readLogging, readOwnership } from './read-state.js';
import { actionReaches, actionsOf, isExternal, isTlsOnlyDeny, principalsOf, statementReachesBucket, statementRisks, type PrincipalRef } from './review-match.js';

export interface Finding {
  path: 'bucket-policy' | 'bucket-acl' | 'iam-role' | 'kms-key-policy' | 'bucket-setting';
  source: string;
  who: string[];
  actions: string[];
  conditions?: unknown;
  risks: string[];
  client?: string;
}

export interface Review {
  bucket: string;
  ownerAccount: string;
  kmsKeyArn?: string;
  findings: Finding[];
}

const clientOfSid = (sid: string | undefined): string | undefined => /^crossbucket-(.+)-(List|Objects|UseKey)$/.exec(sid ?? '')?.[1];

function describePrincipal(p: PrincipalRef): string {
  return p.kind === 'public' ? '* (anyone)' : p.value;
}

function policyFindings(doc: PolicyDocument | null, path: 'bucket-policy' | 'kms-key-policy', owner: string, reaches: (s: Statement) => boolean, label: string): Finding[] {
  const findings: Finding[] = [];
  for (const [index, statement] of (doc?.Statement ?? []).entries()) {
    if (statement.Effect !== 'Allow' || !reaches(statement)) continue;
    const principals = principalsOf(statement.Principal);
    const external = principals.filter((p) => isExternal(p, owner));
    const services = principals.filter((p) => p.kind === 'service');
    const source = `${label} statement ${statement.Sid ?? `#${index + 1}`}`;
    const client = clientOfSid(statement.Sid);
    if (external.length > 0) {
      findings.push({ path, source, who: external.map(describePrincipal), actions: actionsOf(statement), ...(statement.Condition ? { conditions: statement.Condition } : {}), risks: statementRisks(statement, external), ...(client ? { client } : {}) });
    }
    if (services.length > 0) {
      const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c).map((k) => k.toLowerCase()));
      const scoped = conditionKeys.some((k) => k === 'aws:sourceaccount' || k === 'aws:sourcearn' || k === 'aws:sourceorgid');
      findings.push({ path, source, who: services.map((p) => `service ${p.value}`), actions: actionsOf(statement), ...(statement.Condition ? { conditions: statement.Condition } : {}), risks: scoped ? [] : ['service principal without aws:SourceAccount/aws:SourceArn (confused deputy)'] });
    }
  }
  return findings;
}

async function listAllRoles(connection: Connection): Promise<Role[]> {
  const iam = iamClient(connection);
  const roles: Role[] = [];
  let marker: string | undefined;
  do {
    const page = await call('iam ListRoles', 'IAM', () => iam.send(new ListRolesCommand({ ...(marker ? { Marker: marker } : {}) })));
    roles.push(...(page.Roles ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return roles;
}

/** Allow statements in the role's attached and inline policies. */
async function roleStatements(connection: Connection, roleName: string): Promise<Array<{ source: string; statement: Statement }>> {
  const iam = iamClient(connection);
  const out: Array<{ source: string; statement: Statement }> = [];
  const attached = await call(`iam role ${roleName}`, 'IAM', () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })));
  for (const policy of attached.AttachedPolicies ?? []) {
    const meta = await call(`iam policy ${policy.PolicyArn}`, 'IAM', () => iam.send(new GetPolicyCommand({ PolicyArn: policy.PolicyArn! })));
    const version = await call(`iam policy ${policy.PolicyArn}`, 'IAM', () => iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.PolicyArn!, VersionId: meta.Policy!.DefaultVersionId! })));
    for (const statement of parsePolicy(version.PolicyVersion?.Document)?.Statement ?? []) out.push({ source: `managed policy ${policy.PolicyName}`, statement });
  }
  const inline = await call(`iam role ${roleName}`, 'IAM', () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })));
  for (const name of inline.PolicyNames ?? []) {
    const policy = await call(`iam role ${roleName}`, 'IAM', () => iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })));
    for (const statement of parsePolicy(policy.PolicyDocument)?.Statement ?? []) out.push({ source: `inline policy ${name}`, statement });
  }
  return out;
}

function namesPrincipal(statement: Statement, arn: string): boolean {
  return principalsOf(statement.Principal).some((p) => p.value === arn);
}

async function roleFindings(connection: Connection, owner: string, arn: string, bucketPolicy: PolicyDocument | null, keyPolicy: PolicyDocument | null): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const role of await listAllRoles(connection)) {
    const trust = parsePolicy(role.AssumeRolePolicyDocument);
    const trusting = (trust?.Statement ?? []).filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a) => actionReaches(a, 'sts') && /assumerole|\*/i.test(a)));
    const external = trusting.flatMap((s) => principalsOf(s.Principal).filter((p) => isExternal(p, owner)).map((p) => ({ p, s })));
    if (external.length === 0) continue;
    const reaching = (await roleStatements(connection, role.RoleName!)).filter(({ statement }) => statementReachesBucket(statement, arn));
    for (const statement of bucketPolicy?.Statement ?? []) if (statement.Effect === 'Allow' && namesPrincipal(statement, role.Arn!)) reaching.push({ source: `bucket policy statement ${statement.Sid ?? ''}`.trim(), statement });
    for (const statement of keyPolicy?.Statement ?? []) if (statement.Effect === 'Allow' && namesPrincipal(statement, role.Arn!)) reaching.push({ source: `key policy statement ${statement.Sid ?? ''}`.trim(), statement });
    if (reaching.length === 0) continue;
    const full = await call(`iam role ${role.RoleName}`, 'IAM', () => iamClient(connection).send(new GetRoleCommand({ RoleName: role.RoleName! })));
    const client = full.Role?.Tags?.find((t) => t.Key === clientTagKey)?.Value;
    const risks: string[] = [];
    for (const { p, s } of external) {
      const conditionKeys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c).map((k) => k.toLowerCase()));
      if (p.kind === 'public') risks.push("trust policy admits '*': any AWS account can assume the role");
      if (!conditionKeys.includes('sts:externalid')) risks.push(`no sts:ExternalId condition on the trust of ${p.value}`);
    }
    for (const { statement } of reaching) risks.push(...statementRisks(statement, []));
    findings.push({
      path: 'iam-role',
      source: `role ${role.Arn}`,
      who: [...new Set(external.map(({ p }) => describePrincipal(p)))],
      actions: [...new Set(reaching.flatMap(({ statement }) => actionsOf(statement)))],
      conditions: { trust: external.map(({ s }) => redactExternalIds(s.Condition ?? {})), via: reaching.map(({ source }) => source) },
      risks: [...new Set(risks)],
      ...(client ? { client } : {}),
    });
  }
  return findings;
}

export async function runReview(bucket: string, connection: Connection): Promise<Review> {
  const caller = await whoAmI(stsClient(connection));
  const owner = caller.account;
  const s3 = s3Client(connection);
  const arn = bucketArn(caller.partition, bucket);
  const findings: Finding[] = [];
  const bucketPolicy = await readBucketPolicy(s3, bucket);
  findings.push(...policyFindings(bucketPolicy, 'bucket-policy', owner, (s) => statementReachesBucket({ ...s, Resource: s.Resource ?? arn }, arn) || s.NotResource !== undefined, 'bucket policy'));
  const ownership = await readOwnership(s3, bucket);
  const acl = await call(`s3 bucket ACL ${bucket}`, 'S3', () => s3.send(new GetBucketAclCommand({ Bucket: bucket })));
  for (const grant of acl.Grants ?? []) {
    const g = grant.Grantee;
    const group = g?.URI?.split('/').pop();
    const external = g?.Type === 'Group' ? group !== 'LogDelivery' : g?.Type === 'CanonicalUser' ? g.ID !== acl.Owner?.ID : g?.Type === 'AmazonCustomerByEmail';
    if (!external) continue;
    const risks = [group === 'AllUsers' ? 'public: anyone on the internet' : group === 'AuthenticatedUsers' ? 'any AWS account (AuthenticatedUsers)' : 'another account via a canonical-ID grant'];
    if (ownership === 'BucketOwnerEnforced') risks.push('not effective while ObjectOwnership is BucketOwnerEnforced (ACLs disabled)');
    findings.push({ path: 'bucket-acl', source: 'bucket ACL grant', who: [g?.URI ?? g?.ID ?? g?.EmailAddress ?? '?'], actions: [grant.Permission ?? '?'], risks });
  }
  const encryption = await readEncryption(s3, bucket);
  let keyPolicy: PolicyDocument | null = null;
  let kmsKeyArn: string | undefined;
  if (encryption?.SSEAlgorithm?.startsWith('aws:kms') && encryption.KMSMasterKeyID) {
    const kms = kmsClient(connection);
    const key = await describeKey(kms, encryption.KMSMasterKeyID);
    if (key?.Arn) {
      kmsKeyArn = key.Arn;
      const out = await call(`kms key policy ${key.Arn}`, 'KMS', () => kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: 'default' })));
      keyPolicy = parsePolicy(out.Policy);
      findings.push(...policyFindings(keyPolicy, 'kms-key-policy', owner, (s) => asList(s.Action).some((a) => actionReaches(a, 'kms')) || s.NotAction !== undefined, `key ${key.Arn}`));
    }
  }
  findings.push(...(await roleFindings(connection, owner, arn, bucketPolicy, keyPolicy)));
  if (!(bucketPolicy?.Statement ?? []).some(isTlsOnlyDeny)) findings.push({ path: 'bucket-setting', source: 'bucket policy', who: [], actions: [], risks: ['missing TLS-only: no Deny statement for aws:SecureTransport false'] });
  if (!(await readLogging(s3, bucket))) findings.push({ path: 'bucket-setting', source: 'server access logging', who: [], actions: [], risks: ['logging off: requests to the bucket are not recorded'] });
  return { bucket, ownerAccount: owner, ...(kmsKeyArn ? { kmsKeyArn } : {}), findings };
}

export function renderReview(review: Review): string {
  const lines = [`Access to s3://${review.bucket} from outside account ${review.ownerAccount}${review.kmsKeyArn ? ` (KMS key ${review.kmsKeyArn})` : ''}:`];
  const paths = review.findings.filter((f) => f.path !== 'bucket-setting');
  if (paths.length === 0) lines.push('  no external access paths found');
  for (const f of paths) {
    lines.push(`- ${f.path}: ${f.source}${f.client ? ` [crossbucket client ${f.client}]` : ''}`);
    lines.push(`    who:        ${f.who.join(', ')}`);
    lines.push(`    actions:    ${f.actions.join(', ')}`);
    if (f.conditions !== undefined) lines.push(`    conditions: ${JSON.stringify(f.conditions)}`);
    lines.push(`    risk:       ${f.risks.length > 0 ? f.risks.join('; ') : 'none noted'}`);
  }
  const settings = review.findings.filter((f) => f.path === 'bucket-setting');
  if (settings.length > 0) lines.push('Bucket settings:');
  for (const f of settings) lines.push(`- ${f.source}: ${f.risks.join('; ')}`);
  return lines.join('\n') + '\n';
}

/** The external ID is a shared secret: review shows that a trust requires one, never its value. */
function redactExternalIds(condition: unknown): unknown {
  if (!condition || typeof condition !== 'object') return condition;
  const out: Record<string, unknown> = {};
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') {
      out[operator] = block;
      continue;
    }
    const keys: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) keys[key] = key.toLowerCase() === 'sts:externalid' ? '(redacted)' : value;
    out[operator] = keys;
  }
  return out;
}
