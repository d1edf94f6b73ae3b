/**
 * `crossbucket grant | verify | review | revoke`: the cross-account grant workflow, speaking only AWS
 * APIs (AWS SDK for JavaScript v3), so it works against AWS and against crossbucket alike.
 * Exit codes: 0 ok, 1 verification failed, 2 bad input, 3 AWS error.
 */
import { chmod } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AwsStepError, awsErrorInfo, resolveConnection, type Connection } from '../grant/aws-clients.js';
import { planGrant } from '../grant/grant-plan.js';
import { buildHandoff, readHandoff, writeHandoff } from '../grant/handoff.js';
import { applySteps, pendingSteps, planJson, renderPlan, type Step } from '../grant/plan.js';
import { planRevoke } from '../grant/revoke.js';
import { renderReview, runReview } from '../grant/review.js';
import { renderResults, runVerify } from '../grant/verify.js';
import {
  GrantInputError,
  parseMaxSession,
  validateAccess,
  validateAccountId,
  validateBucketName,
  validateClientName,
  validateEndpointUrl,
  validateExternalId,
  validateKmsKey,
  validatePrefix,
  validateRegion,
} from '../grant/validate.js';

const connectionHelp = `Connection (standard AWS settings; the flags win):
  --profile NAME        shared config/credentials profile (AWS_PROFILE)
  --region REGION       region (AWS_REGION, the profile's region, else us-east-1)
  --endpoint-url URL    S3-compatible endpoint such as crossbucket (AWS_ENDPOINT_URL, profile endpoint_url)
  --ca-bundle FILE      CA certificate for the endpoint (AWS_CA_BUNDLE, profile ca_bundle)
  --json                machine-readable output on stdout
  -h, --help            this help`;

export const grantHelp = `Usage: crossbucket grant --bucket B --client NAME --external-account ACCOUNT_ID [options]

Gives another AWS account access to a bucket through a role that requires an external ID, after
hardening the bucket. Prints a plan first; changes nothing without --yes. Idempotent: a rerun with the
same input changes nothing and completes an interrupted run. Writes <client>-handoff.md/.json.

Options:
  --bucket B              bucket (created when absent)
  --client NAME           name of the external party: role and policy <NAME>-ExtRole
  --external-account ID   12-digit account ID of the external party
  --access LEVEL          read | write | read-write | upload-only (default read-write)
  --prefix P/             confine access to keys under P/ (ListBucket with s3:prefix too)
  --kms KEY|new           SSE-KMS with this key, or a new one; the role gets kms:Decrypt/GenerateDataKey
  --log-bucket B          access-log bucket (default <account-id>-access-logs), prefix s3/<client>/
  --external-id ID        use this external ID (default: kept from an earlier run, else generated)
  --max-session 1h        maximum role session duration (1h–12h)
  --source-profile NAME   profile name the external party uses in the hand-off (default default)
  --out DIR               where the hand-off package goes (default the current directory)
  --yes                   apply the plan
  --dry-run               print the plan and exit
${connectionHelp}

Examples:
  crossbucket grant --bucket acme-uploads --client acme --external-account 222222222222 --profile owner
  crossbucket grant --bucket acme-uploads --client acme --external-account 222222222222 \\
      --access upload-only --prefix incoming/ --kms new --profile owner --yes
`;

export const verifyHelp = `Usage: crossbucket verify --handoff FILE --profile PARTNER [options]

Run by the external party: assumes the role from the hand-off package with the external ID and
checks every granted operation works on a probe object under the prefix and every other one is
denied (no or wrong external ID, plain HTTP, outside the prefix, ACL and policy changes, DeleteBucket).
Probe objects are removed. Exit 1 when any check has an unexpected result.

Options:
  --handoff FILE          <client>-handoff.json (or .md beside it)
  --http-endpoint URL     plain-HTTP endpoint for the TLS-only check (default: AWS's, or crossbucket's server.json)
${connectionHelp}

Examples:
  crossbucket verify --handoff acme-handoff.json --profile partner
  crossbucket verify --handoff acme-handoff.json --profile partner --json
`;

export const reviewHelp = `Usage: crossbucket review --bucket B [options]

Lists every path by which principals outside the bucket owner's account reach the bucket or its KMS
key: bucket policy statements, ACL grants, roles trusting other accounts whose permissions reach the
bucket, key policy statements — with who, actions, conditions and risk notes.

Options:
  --bucket B              bucket to review
${connectionHelp}

Examples:
  crossbucket review --bucket acme-uploads --profile owner
  crossbucket review --bucket acme-uploads --profile owner --json
`;

export const revokeHelp = `Usage: crossbucket revoke --bucket B --client NAME [options]

Removes exactly what grant created for that client: its bucket-policy and key-policy statements, the
role and the managed policy <NAME>-ExtRole (only when tagged crossbucket:client=NAME). Objects, other
clients, the TLS-only statement and logging stay. Prints a plan; changes nothing without --yes.

Options:
  --bucket B              bucket
  --client NAME           client name used with grant
  --yes                   apply the plan
  --dry-run               print the plan and exit
${connectionHelp}

Examples:
  crossbucket revoke --bucket acme-uploads --client acme --profile owner
  crossbucket revoke --bucket acme-uploads --client acme --profile owner --yes
`;

const connectionOptions = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'ca-bundle': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
const io: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

type Values = Record<string, string | boolean | undefined>;

function parse(command: string, argv: string[], options: ParseArgsConfig['options']): Values {
  try {
    return parseArgs({ args: argv, options: { ...connectionOptions, ...options }, allowPositionals: false, strict: true }).values as Values;
  } catch (error) {
    throw new GrantInputError(`${(error as Error).message} (see crossbucket ${command} --help)`);
  }
}

function str(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function required(values: Values, name: string): string {
  const value = str(values, name);
  if (value === undefined || value === '') throw new GrantInputError(`--${name} is required`);
  return value;
}

function connectionFrom(values: Values): Connection {
  const region = str(values, 'region');
  const endpointUrl = str(values, 'endpoint-url');
  return resolveConnection({
    ...(str(values, 'profile') ? { profile: str(values, 'profile')! } : {}),
    ...(region ? { region: validateRegion(region) } : {}),
    ...(endpointUrl ? { endpointUrl: validateEndpointUrl(endpointUrl) } : {}),
    ...(str(values, 'ca-bundle') ? { caBundle: str(values, 'ca-bundle')! } : {}),
  });
}

/** Run a command body, mapping errors to the exit codes: 2 bad input, 3 AWS error. */
async function guarded(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof GrantInputError) {
      io.stderr(`crossbucket ${command}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof AwsStepError) {
      io.stderr(`crossbucket ${command}: AWS error at ${error.message}\n`);
      return 3;
    }
    const info = awsErrorInfo(error);
    if (info) {
      io.stderr(`crossbucket ${command}: AWS error: ${info.code}: ${info.message}${info.requestId ? ` (request ID ${info.requestId})` : ''}\n`);
      return 3;
    }
    const e = error as Error;
    io.stderr(`crossbucket ${command}: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}\n`);
    return 3;
  }
}

async function planThenApply(command: string, title: string, steps: Step[], values: Values, afterApply: () => Promise<Record<string, unknown>>): Promise<number> {
  const json = values.json === true;
  const progress = (line: string) => io.stderr(`${line}\n`);
  if (!json) io.stdout(renderPlan(title, steps));
  if (values['dry-run'] === true || values.yes !== true) {
    if (json) io.stdout(JSON.stringify({ command, applied: false, plan: planJson(steps) }, null, 2) + '\n');
    else if (values['dry-run'] !== true && pendingSteps(steps).length > 0) io.stdout(`Nothing changed. Run again with --yes to apply.\n`);
    return 0;
  }
  await applySteps(steps, progress);
  const extra = await afterApply();
  if (json) io.stdout(JSON.stringify({ command, applied: true, plan: planJson(steps), ...extra }, null, 2) + '\n');
  return 0;
}

// These commands run on Node 20, which the SDK clients in package-lock support; their notice about
// future SDK versions needing Node 22 is noise on every run of a CLI.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export function runGrantCommand(argv: string[]): Promise<number> {
  return guarded('grant', async () => {
    const values = parse('grant', argv, {
      bucket: { type: 'string' },
      client: { type: 'string' },
      'external-account': { type: 'string' },
      access: { type: 'string' },
      prefix: { type: 'string' },
      kms: { type: 'string' },
      'log-bucket': { type: 'string' },
      'external-id': { type: 'string' },
      'max-session': { type: 'string' },
      'source-profile': { type: 'string' },
      out: { type: 'string' },
      yes: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(grantHelp);
      return 0;
    }
    const input = {
      bucket: validateBucketName(required(values, 'bucket')),
      client: validateClientName(required(values, 'client')),
      externalAccount: validateAccountId(required(values, 'external-account')),
      access: validateAccess(str(values, 'access') ?? 'read-write'),
      prefix: str(values, 'prefix') === undefined ? '' : validatePrefix(str(values, 'prefix')!),
      maxSessionSeconds: parseMaxSession(str(values, 'max-session') ?? '1h'),
      ...(str(values, 'kms') !== undefined ? { kms: validateKmsKey(str(values, 'kms')!) } : {}),
      ...(str(values, 'log-bucket') !== undefined ? { logBucket: validateBucketName(str(values, 'log-bucket')!, '--log-bucket') } : {}),
      ...(str(values, 'external-id') !== undefined ? { externalId: validateExternalId(str(values, 'external-id')!) } : {}),
    };
    const sourceProfile = str(values, 'source-profile') ?? 'default';
    if (!/^[A-Za-z0-9_.-]+$/.test(sourceProfile)) throw new GrantInputError('--source-profile must be a profile name (letters, digits, _ . -)');
    const connection = connectionFrom(values);
    if (values.json !== true) io.stderr(`planning grant of ${input.access} on s3://${input.bucket}/${input.prefix} to account ${input.externalAccount} …\n`);
    const plan = await planGrant(input, connection);
    const title = `crossbucket grant: ${input.client} → s3://${input.bucket}/${input.prefix} (${input.access}) for account ${input.externalAccount}`;
    return planThenApply('grant', title, plan.steps, values, async () => {
      const handoff = buildHandoff({
        spec: plan.run.spec,
        region: plan.run.region,
        externalId: plan.run.externalId,
        ...(connection.endpointUrl ? { endpointUrl: connection.endpointUrl } : {}),
        ...(connection.caBundle ? { caBundle: connection.caBundle } : {}),
        ...(plan.run.keyArn ? { kmsKeyArn: plan.run.keyArn } : {}),
        logTarget: `s3://${plan.logTarget.bucket}/${plan.logTarget.prefix}`,
        sourceProfile,
        now: new Date(),
      });
      const files = await writeHandoff(handoff, str(values, 'out') ?? process.cwd());
      await chmod(files.jsonPath, 0o600);
      await chmod(files.markdownPath, 0o600);
      if (values.json !== true) {
        io.stdout(
          `Hand-off package (contains the external ID; share it privately with account ${input.externalAccount}):\n` +
          `  ${files.markdownPath}\n  ${files.jsonPath}\n` +
          `  bucket ${handoff.bucket}  region ${handoff.region}  role ${handoff.roleArn}\n` +
          `The external party checks it with: crossbucket verify --handoff ${files.jsonPath} --profile ${sourceProfile}\n`,
        );
      }
      return { handoff: { json: files.jsonPath, markdown: files.markdownPath, roleArn: handoff.roleArn, bucket: handoff.bucket, region: handoff.region } };
    });
  });
}

export function runVerifyCommand(argv: string[]): Promise<number> {
  return guarded('verify', async () => {
    const values = parse('verify', argv, { handoff: { type: 'string' }, 'http-endpoint': { type: 'string' } });
    if (values.help) {
      io.stdout(verifyHelp);
      return 0;
    }
    const file = required(values, 'handoff');
    let handoff;
    try {
      handoff = readHandoff(file);
    } catch (error) {
      throw new GrantInputError(`--handoff ${file}: ${(error as Error).message}`);
    }
    const httpEndpoint = str(values, 'http-endpoint');
    if (httpEndpoint) validateEndpointUrl(httpEndpoint);
    const base = connectionFrom({ ...values, region: str(values, 'region') ?? handoff.region });
    const connection: Connection = {
      ...base,
      ...(!base.endpointUrl && handoff.endpointUrl ? { endpointUrl: handoff.endpointUrl } : {}),
      ...(!base.caBundle && handoff.caBundle ? { caBundle: handoff.caBundle } : {}),
    };
    const json = values.json === true;
    const results = await runVerify({ handoff, connection, ...(httpEndpoint ? { httpEndpoint } : {}), progress: (line) => { if (!json) io.stderr(`${line}\n`); } });
    const passed = results.every((r) => r.ok);
    if (json) io.stdout(JSON.stringify({ command: 'verify', passed, roleArn: handoff.roleArn, bucket: handoff.bucket, checks: results }, null, 2) + '\n');
    else io.stdout(renderResults(results));
    return passed ? 0 : 1;
  });
}

export function runReviewCommand(argv: string[]): Promise<number> {
  return guarded('review', async () => {
    const values = parse('review', argv, { bucket: { type: 'string' } });
    if (values.help) {
      io.stdout(reviewHelp);
      return 0;
    }
    const bucket = validateBucketName(required(values, 'bucket'));
    const review = await runReview(bucket, connectionFrom(values));
    io.stdout(values.json === true ? JSON.stringify(review, null, 2) + '\n' : renderReview(review));
    return 0;
  });
}

export function runRevokeCommand(argv: string[]): Promise<number> {
  return guarded('revoke', async () => {
    const values = parse('revoke', argv, { bucket: { type: 'string' }, client: { type: 'string' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' } });
    if (values.help) {
      io.stdout(revokeHelp);
      return 0;
    }
    const bucket = validateBucketName(required(values, 'bucket'));
    const client = validateClientName(required(values, 'client'));
    const steps = await planRevoke(bucket, client, connectionFrom(values));
    return planThenApply('revoke', `crossbucket revoke: ${client} from s3://${bucket}`, steps, values, async () => ({}));
  });
}
