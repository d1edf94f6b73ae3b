/**
 * The grant workflow end to end: a real server (accounts owner and partner), the CLI run as a child
 * process with only the generated credentials/config files (scenarios.md §1 "Runbook").
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetBucketLoggingCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketEncryptionCommand, GetPublicAccessBlockCommand, HeadObjectCommand, PutBucketPolicyCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreatePolicyCommand, GetPolicyCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { hasAwsCli, hasBoto3, mainScript, runProcess, startServer, type ProcessResult, type Server } from '../e2e/harness.js';

const bucket = 'acme-uploads';
const ownerStatement = { Sid: 'KeepMe', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` };

interface HandoffJson { externalId: string; roleArn: string; awsConfigProfile: string; examples: { boto3: string } }

describe('crossbucket grant | verify | review | revoke (scenarios.md §1 runbook)', () => {
  let server: Server;
  let dir: string;
  let owner: S3Client;
  let iam: IAMClient;
  let handoff: HandoffJson;

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> =>
    runProcess(process.execPath, ['--no-warnings', mainScript, ...args], { env: server.awsEnv(env), cwd: dir });
  const show = (r: ProcessResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  const policyOf = async () => JSON.parse((await owner.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!) as { Statement: Array<{ Sid?: string }> };
  const grantArgs = ['grant', '--bucket', bucket, '--client', 'acme', '--external-account', '222222222222', '--profile', 'owner', '--source-profile', 'partner'];

  before(async () => {
    server = await startServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'crossbucket-grant-'));
    owner = server.s3('owner', { https: true });
    iam = new IAMClient({ region: server.region, endpoint: server.httpsEndpoint, credentials: server.credentials('owner'), requestHandler: server.requestHandler(), maxAttempts: 1 });
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    await owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ownerStatement] }) }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: 'owner-data.txt', Body: 'keep me' }));
  });
  after(async () => {
    iam?.destroy();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('bad input exits 2 with a one-line error before any AWS call', async () => {
    // An endpoint nobody listens on: any AWS call would end in exit 3, not 2.
    const env = { AWS_ENDPOINT_URL: 'https://127.0.0.1:9' };
    const cases: Array<[string[], RegExp]> = [
      [['grant', '--bucket', bucket, '--client', 'acme', '--external-account', '22222222222'], /12-digit/],
      [['grant', '--bucket', 'Bad_Bucket', '--client', 'acme', '--external-account', '222222222222'], /not a valid bucket name/],
      [['grant', '--bucket', bucket, '--client', 'acme corp', '--external-account', '222222222222'], /--client/],
      [['grant', '--bucket', bucket, '--client', 'acme', '--external-account', '222222222222', '--prefix', '/in'], /--prefix/],
      [['grant', '--bucket', bucket, '--client', 'acme', '--external-account', '222222222222', '--access', 'admin'], /--access/],
      [['grant', '--client', 'acme', '--external-account', '222222222222'], /--bucket is required/],
      [['grant', '--bucket', bucket, '--client', 'acme', '--external-account', '222222222222', '--bogus'], /bogus/],
      [['verify', '--handoff', path.join(dir, 'missing.json'), '--profile', 'partner'], /--handoff/],
      [['review', '--bucket', 'x'], /not a valid bucket name/],
      [['revoke', '--bucket', bucket, '--client', 'a/b'], /--client/],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, '--profile', 'owner'], env);
      assert.equal(r.code, 2, `${args.join(' ')}\n${show(r)}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('--help on every command shows examples', async () => {
    for (const command of ['grant', 'verify', 'review', 'revoke']) {
      const r = await cli([command, '--help']);
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /Examples:\n\s+crossbucket /);
    }
  });

  it('grant without --yes prints the plan and changes nothing', async () => {
    const r = await cli(grantArgs);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /\+ create\s+iam role acme-ExtRole/);
    assert.match(r.stdout, /"sts:ExternalId": "<external ID: recorded in the hand-off package only>"/);
    assert.match(r.stdout, /Plan: \d+ to create/);
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'acme-ExtRole' })), (e: Error) => e.name === 'NoSuchEntityException' || e.name === 'NoSuchEntity');
    await assert.rejects(stat(path.join(dir, 'acme-handoff.json')));
  });

  it('grant --yes hardens the bucket, creates the role and policy, merges statements and writes the hand-off', async () => {
    const r = await cli([...grantArgs, '--yes']);
    assert.equal(r.code, 0, show(r));
    const jsonPath = path.join(dir, 'acme-handoff.json');
    handoff = JSON.parse(await readFile(jsonPath, 'utf8')) as HandoffJson;
    assert.equal((await stat(jsonPath)).mode & 0o777, 0o600);
    assert.equal((await stat(path.join(dir, 'acme-handoff.md'))).mode & 0o777, 0o600);
    assert.ok(handoff.externalId.length >= 32);
    assert.equal(handoff.roleArn, 'arn:aws:iam::111111111111:role/acme-ExtRole');
    assert.ok(!r.stdout.includes(handoff.externalId) && !r.stderr.includes(handoff.externalId), 'the external ID never appears in the output');
    const statements = (await policyOf()).Statement;
    assert.deepEqual(statements[0], ownerStatement, 'the existing statement survives unchanged');
    assert.deepEqual(statements.map((s) => s.Sid), ['KeepMe', 'crossbucket-DenyInsecureTransport', 'crossbucket-acme-List', 'crossbucket-acme-Objects']);
    const bpa = (await owner.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
    assert.deepEqual(bpa, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    assert.equal((await owner.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
    assert.ok((await owner.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm);
    const logging = (await owner.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled;
    assert.deepEqual({ bucket: logging?.TargetBucket, prefix: logging?.TargetPrefix }, { bucket: '111111111111-access-logs', prefix: 's3/acme/' });
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'acme-ExtRole' }))).Role!;
    assert.deepEqual(role.Tags, [{ Key: 'crossbucket:client', Value: 'acme' }]);
  });

  it('re-running grant with the same input changes nothing and keeps the external ID', async () => {
    const r = await cli([...grantArgs, '--yes']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /Plan: nothing to change\./);
    const again = JSON.parse(await readFile(path.join(dir, 'acme-handoff.json'), 'utf8')) as HandoffJson;
    assert.equal(again.externalId, handoff.externalId);
  });

  it('verify (as the partner) passes: granted operations work, everything else is denied', async () => {
    const r = await cli(['verify', '--handoff', 'acme-handoff.json', '--profile', 'partner', '--json']);
    const out = JSON.parse(r.stdout || '{}') as { passed?: boolean; checks?: Array<{ check: string; actual: string; ok: boolean; detail: string }> };
    assert.equal(r.code, 0, show(r));
    assert.equal(out.passed, true);
    const http = out.checks!.find((c) => c.check.startsWith('plain HTTP'));
    assert.equal(http?.actual, 'denied', 'the plain-HTTP check ran against the server\'s HTTP endpoint');
    assert.ok(out.checks!.length >= 12);
  });

  it("the partner's aws CLI profile and boto3 script from the package work", async (t) => {
    const config = path.join(dir, 'partner-config');
    await writeFile(config, `${await readFile(server.configFile, 'utf8')}\n${handoff.awsConfigProfile}`);
    if (!hasAwsCli()) t.diagnostic('aws CLI not installed: CLI part skipped');
    else {
      await writeFile(path.join(dir, 'hello.txt'), 'hello from the partner\n');
      const put = await server.awsCli('acme', ['s3', 'cp', 'hello.txt', `s3://${bucket}/hello.txt`], { env: { AWS_CONFIG_FILE: config }, cwd: dir });
      assert.equal(put.code, 0, put.stderr);
      const ls = await server.awsCli('acme', ['s3', 'ls', `s3://${bucket}/`], { env: { AWS_CONFIG_FILE: config } });
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout, /hello\.txt/);
    }
    if (!hasBoto3()) t.diagnostic('boto3 not installed: boto3 part skipped');
    else {
      const py = await server.python(handoff.examples.boto3, { AWS_CONFIG_FILE: config });
      assert.equal(py.code, 0, py.stderr);
      assert.match(py.stdout, /hello\.txt/);
    }
  });

  it('review lists exactly that grant: the role trusted by the partner account, with its ExternalId', async () => {
    const r = await cli(['review', '--bucket', bucket, '--profile', 'owner', '--json']);
    assert.equal(r.code, 0, show(r));
    assert.ok(!r.stdout.includes(handoff.externalId) && !r.stderr.includes(handoff.externalId), 'review shows that an external ID is required, never its value');
    const review = JSON.parse(r.stdout) as { findings: Array<{ path: string; who: string[]; risks: string[]; client?: string; source: string }> };
    const roles = review.findings.filter((f) => f.path === 'iam-role');
    assert.equal(roles.length, 1, JSON.stringify(review, null, 2));
    assert.equal(roles[0]!.client, 'acme');
    assert.deepEqual(roles[0]!.who, ['arn:aws:iam::222222222222:root']);
    assert.ok(!roles[0]!.risks.some((risk) => /ExternalId/.test(risk)), roles[0]!.risks.join('; '));
    assert.ok(!review.findings.some((f) => f.risks.some((risk) => /TLS-only|logging off/.test(risk))), JSON.stringify(review.findings));
    assert.ok(!review.findings.some((f) => f.path === 'bucket-policy' && f.who.length > 0 && f.source.includes('KeepMe')), 'the owner\'s own statement is not external');
  });

  it('revoke removes exactly the client\'s role, policy and statements; other statements and objects stay', async () => {
    const plan = await cli(['revoke', '--bucket', bucket, '--client', 'acme', '--profile', 'owner']);
    assert.equal(plan.code, 0, show(plan));
    assert.match(plan.stdout, /- delete\s+iam role acme-ExtRole/);
    await iam.send(new GetRoleCommand({ RoleName: 'acme-ExtRole' }));
    const r = await cli(['revoke', '--bucket', bucket, '--client', 'acme', '--profile', 'owner', '--yes']);
    assert.equal(r.code, 0, show(r));
    assert.deepEqual((await policyOf()).Statement.map((s) => s.Sid), ['KeepMe', 'crossbucket-DenyInsecureTransport']);
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'acme-ExtRole' })), (e: Error) => /NoSuchEntity/.test(e.name));
    await assert.rejects(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::111111111111:policy/acme-ExtRole' })), (e: Error) => /NoSuchEntity/.test(e.name));
    await owner.send(new HeadObjectCommand({ Bucket: bucket, Key: 'owner-data.txt' }));
    const again = await cli(['revoke', '--bucket', bucket, '--client', 'acme', '--profile', 'owner', '--yes']);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /Plan: nothing to change\./);
  });

  it('verify after revoke reports access denied (exit 1)', async () => {
    const r = await cli(['verify', '--handoff', 'acme-handoff.json', '--profile', 'partner', '--json']);
    assert.equal(r.code, 1, show(r));
    const out = JSON.parse(r.stdout) as { passed: boolean; checks: Array<{ check: string; actual: string }> };
    assert.equal(out.passed, false);
    assert.equal(out.checks.find((c) => c.check === 'AssumeRole with the ExternalId')?.actual, 'denied');
  });

  it('a run interrupted after CreatePolicy is completed by the next run', async () => {
    // What the first run left behind when it died right after CreatePolicy (tagged in the same call).
    const document = { Version: '2012-10-17', Statement: [{ Sid: 'ObjectAccess', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/in/*` }] };
    await iam.send(new CreatePolicyCommand({ PolicyName: 'beta-ExtRole', PolicyDocument: JSON.stringify(document), Tags: [{ Key: 'crossbucket:client', Value: 'beta' }] }));
    const args = ['grant', '--bucket', bucket, '--client', 'beta', '--external-account', '222222222222', '--access', 'upload-only', '--prefix', 'in/', '--profile', 'owner', '--source-profile', 'partner'];
    const r = await cli([...args, '--yes']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /= no-change iam policy beta-ExtRole/);
    assert.match(r.stdout, /\+ create\s+iam role beta-ExtRole/);
    const v = await cli(['verify', '--handoff', 'beta-handoff.json', '--profile', 'partner']);
    assert.equal(v.code, 0, show(v));
    const rerun = await cli([...args, '--yes']);
    assert.match(rerun.stdout, /Plan: nothing to change\./, show(rerun));
  });

  it('a name already used by something crossbucket did not create is refused', async () => {
    await iam.send(new CreatePolicyCommand({ PolicyName: 'gamma-ExtRole', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }) }));
    const r = await cli(['grant', '--bucket', bucket, '--client', 'gamma', '--external-account', '222222222222', '--profile', 'owner', '--yes']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /not tagged crossbucket:client=gamma/);
  });
});
