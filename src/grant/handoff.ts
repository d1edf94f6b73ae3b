/**
 * The hand-off package: everything the external party needs, as <client>-handoff.json (for
 * `crossbucket verify`) and <client>-handoff.md (for people). It holds the external ID, so it is
 * written with mode 0600 and its contents are never echoed to progress output.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { accessActions, partnerPolicy, roleArn, type GrantSpec } from './documents.js';
import type { PolicyDocument } from './policy-json.js';
import type { Access } from './validate.js';

export interface Handoff {
  format: 'crossbucket-handoff/1';
  client: string;
  bucket: string;
  region: string;
  prefix: string;
  access: Access;
  actions: string[];
  ownerAccount: string;
  externalAccount: string;
  roleArn: string;
  externalId: string;
  maxSessionSeconds: number;
  /** Absent against AWS itself. */
  endpointUrl?: string;
  caBundle?: string;
  kmsKeyArn?: string;
  logTarget?: string;
  partnerPolicy: PolicyDocument;
  profileName: string;
  sourceProfile: string;
  awsConfigProfile: string;
  examples: { awsCli: string; boto3: string; javascript: string };
  createdAt: string;
}

export interface HandoffInput {
  spec: GrantSpec;
  region: string;
  externalId: string;
  endpointUrl?: string;
  caBundle?: string;
  kmsKeyArn?: string;
  logTarget?: string;
  sourceProfile: string;
  now: Date;
}

export function renderAwsConfigProfile(h: Pick<Handoff, 'profileName' | 'roleArn' | 'sourceProfile' | 'externalId' | 'region' | 'endpointUrl' | 'caBundle' | 'maxSessionSeconds'>): string {
  const lines = [
    `[profile ${h.profileName}]`,
    `role_arn = ${h.roleArn}`,
    `source_profile = ${h.sourceProfile}`,
    `external_id = ${h.externalId}`,
    `region = ${h.region}`,
    `duration_seconds = ${Math.min(h.maxSessionSeconds, 3600)}`,
  ];
  if (h.endpointUrl) lines.push(`endpoint_url = ${h.endpointUrl}`);
  if (h.caBundle) lines.push(`ca_bundle = ${h.caBundle}`);
  if (h.endpointUrl) lines.push('s3 =', '    addressing_style = path');
  return lines.join('\n') + '\n';
}

function examples(h: Omit<Handoff, 'examples' | 'awsConfigProfile'>): Handoff['examples'] {
  const canWrite = h.actions.includes('s3:PutObject');
  const canRead = h.actions.includes('s3:GetObject');
  const canList = h.actions.includes('s3:ListBucket');
  const key = `${h.prefix}hello.txt`;
  const cli: string[] = [];
  if (canWrite) cli.push(`echo hello > hello.txt`, `aws s3 cp hello.txt s3://${h.bucket}/${key} --profile ${h.profileName}`);
  if (canList) cli.push(`aws s3 ls s3://${h.bucket}/${h.prefix} --profile ${h.profileName}`);
  if (canRead) cli.push(`aws s3 cp s3://${h.bucket}/${key} ./hello-copy.txt --profile ${h.profileName}`);
  const py = [
    'import boto3',
    `session = boto3.Session(profile_name=${JSON.stringify(h.profileName)})  # assumes the role with the external ID from ~/.aws/config`,
    "s3 = session.client('s3')",
  ];
  if (canWrite) py.push(`s3.put_object(Bucket=${JSON.stringify(h.bucket)}, Key=${JSON.stringify(key)}, Body=b'hello')`);
  if (canList) py.push(`print([o['Key'] for o in s3.list_objects_v2(Bucket=${JSON.stringify(h.bucket)}, Prefix=${JSON.stringify(h.prefix)}).get('Contents', [])])`);
  if (canRead) py.push(`print(s3.get_object(Bucket=${JSON.stringify(h.bucket)}, Key=${JSON.stringify(key)})['Body'].read())`);
  const endpoint = h.endpointUrl ? `, endpoint: ${JSON.stringify(h.endpointUrl)}` : '';
  const js = [
    "import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';",
    "import { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';",
    ...(h.caBundle ? [`// run with NODE_EXTRA_CA_CERTS=${h.caBundle} so Node trusts the endpoint's certificate`] : []),
    `const region = ${JSON.stringify(h.region)};`,
    `const sts = new STSClient({ region, profile: ${JSON.stringify(h.sourceProfile)}${endpoint} });`,
    `const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: ${JSON.stringify(h.roleArn)}, RoleSessionName: ${JSON.stringify(h.client)}, ExternalId: process.env.EXTERNAL_ID ?? ${JSON.stringify(h.externalId)} }));`,
    `const s3 = new S3Client({ region${endpoint}${h.endpointUrl ? ', forcePathStyle: true' : ''}, credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken } });`,
  ];
  if (canWrite) js.push(`await s3.send(new PutObjectCommand({ Bucket: ${JSON.stringify(h.bucket)}, Key: ${JSON.stringify(key)}, Body: 'hello' }));`);
  if (canList) js.push(`console.log((await s3.send(new ListObjectsV2Command({ Bucket: ${JSON.stringify(h.bucket)}, Prefix: ${JSON.stringify(h.prefix)} }))).Contents?.map((o) => o.Key));`);
  if (canRead) js.push(`console.log(await (await s3.send(new GetObjectCommand({ Bucket: ${JSON.stringify(h.bucket)}, Key: ${JSON.stringify(key)} }))).Body.transformToString());`);
  return { awsCli: cli.join('\n') + '\n', boto3: py.join('\n') + '\n', javascript: js.join('\n') + '\n' };
}

export function buildHandoff(input: HandoffInput): Handoff {
  const { spec } = input;
  const actions = accessActions(spec.access);
  const base: Omit<Handoff, 'examples' | 'awsConfigProfile'> = {
    format: 'crossbucket-handoff/1',
    client: spec.client,
    bucket: spec.bucket,
    region: input.region,
    prefix: spec.prefix,
    access: spec.access,
    actions: [...actions.bucket, ...actions.object],
    ownerAccount: spec.ownerAccount,
    externalAccount: spec.externalAccount,
    roleArn: roleArn(spec),
    externalId: input.externalId,
    maxSessionSeconds: spec.maxSessionSeconds,
    ...(input.endpointUrl ? { endpointUrl: input.endpointUrl } : {}),
    ...(input.caBundle ? { caBundle: path.resolve(input.caBundle) } : {}),
    ...(input.kmsKeyArn ? { kmsKeyArn: input.kmsKeyArn } : {}),
    ...(input.logTarget ? { logTarget: input.logTarget } : {}),
    partnerPolicy: partnerPolicy(spec),
    profileName: spec.client,
    sourceProfile: input.sourceProfile,
    createdAt: input.now.toISOString(),
  };
  return { ...base, awsConfigProfile: renderAwsConfigProfile(base), examples: examples(base) };
}

export function renderHandoffMarkdown(h: Handoff): string {
  const where = h.prefix ? `s3://${h.bucket}/${h.prefix}` : `s3://${h.bucket}`;
  return `# Access to ${where} for ${h.client}

Account ${h.ownerAccount} grants account ${h.externalAccount} **${h.access}** access (${h.actions.join(', ')}) to
\`${where}\` through a role that requires an external ID. Keep this file private: it contains the external ID.

| what | value |
|---|---|
| bucket | \`${h.bucket}\` |
| region | \`${h.region}\` |
| prefix | \`${h.prefix || '(whole bucket)'}\` |
| role ARN | \`${h.roleArn}\` |
| external ID | \`${h.externalId}\` |
| max session | ${h.maxSessionSeconds / 3600}h |
${h.endpointUrl ? `| endpoint | \`${h.endpointUrl}\` |\n` : ''}${h.caBundle ? `| CA bundle | \`${h.caBundle}\` (the owner's path: copy the CA file and adjust) |\n` : ''}${h.kmsKeyArn ? `| KMS key | \`${h.kmsKeyArn}\` (SSE-KMS; requests need SigV4) |\n` : ''}
Requests must use HTTPS: the bucket policy denies plain HTTP.

## 1. Allow your users to assume the role (in account ${h.externalAccount})

Attach this IAM policy to the users or roles that will access the bucket:

\`\`\`json
${JSON.stringify(h.partnerPolicy, null, 2)}
\`\`\`

## 2. Add a profile to ~/.aws/config

\`source_profile\` is the profile holding your own account's credentials.

\`\`\`ini
${h.awsConfigProfile}\`\`\`

## 3. Use it

AWS CLI:
\`\`\`sh
${h.examples.awsCli}\`\`\`

boto3:
\`\`\`python
${h.examples.boto3}\`\`\`

AWS SDK for JavaScript v3:
\`\`\`js
${h.examples.javascript}\`\`\`

Check the access works (run by account ${h.externalAccount}): \`crossbucket verify --handoff ${h.client}-handoff.json --profile ${h.sourceProfile}\`
`;
}

export async function writeHandoff(h: Handoff, dir: string): Promise<{ jsonPath: string; markdownPath: string }> {
  const jsonPath = path.resolve(dir, `${h.client}-handoff.json`);
  const markdownPath = path.resolve(dir, `${h.client}-handoff.md`);
  await writeFile(jsonPath, JSON.stringify(h, null, 2) + '\n', { mode: 0o600 });
  await writeFile(markdownPath, renderHandoffMarkdown(h), { mode: 0o600 });
  return { jsonPath, markdownPath };
}

/** Read a package; a .md path reads the .json written beside it. */
export function readHandoff(file: string): Handoff {
  const jsonFile = file.endsWith('.md') ? file.slice(0, -3) + '.json' : file;
  const parsed = JSON.parse(readFileSync(jsonFile, 'utf8')) as Handoff;
  if (parsed.format !== 'crossbucket-handoff/1' || !parsed.roleArn || !parsed.bucket) throw new Error(`${jsonFile} is not a crossbucket hand-off package`);
  return parsed;
}
