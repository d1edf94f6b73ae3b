/**
 * `crossbucket audit --profile P` (issue 6 §2: the trail "of a data dir or endpoint"): reads the
 * running endpoint through CloudTrail LookupEvents as the profile's account sees it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startServer, runProcess, mainScript, type Server } from '../e2e/harness.js';

describe('crossbucket audit against an endpoint (LookupEvents)', () => {
  let server: Server;

  before(async () => {
    server = await startServer();
    await server.s3('owner').send(new CreateBucketCommand({ Bucket: 'audited-remote' }));
    await server.s3('partner').send(new ListObjectsV2Command({ Bucket: 'audited-remote' })).catch(() => undefined);
  });
  after(async () => {
    await server?.close();
  });

  const audit = (args: string[]) => runProcess(process.execPath, [mainScript, 'audit', ...args], { env: server.awsEnv() });

  it('lists the owner account\'s events, newest first, with the partner\'s denied call', async () => {
    const result = await audit(['--profile', 'owner', '--since', '1h']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0]!, /^TIME\s+ACCOUNT\s+SERVICE\s+EVENT/);
    assert.ok(lines.some((line) => /CreateBucket/.test(line) && /OK/.test(line)), result.stdout);
    assert.ok(lines.some((line) => /ListObjectsV2/.test(line) && /AccessDenied/.test(line) && /account 222222222222/.test(line)), result.stdout);
  });

  it('--denied-only --json gives CloudTrail records of the denied calls only', async () => {
    const result = await audit(['--profile', 'owner', '--denied-only', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const records = (JSON.parse(result.stdout) as { Records: Array<{ eventName: string; errorCode?: string; recipientAccountId: string }> }).Records;
    assert.ok(records.length >= 1);
    for (const record of records) assert.equal(record.errorCode, 'AccessDenied');
    assert.ok(records.some((record) => record.eventName === 'ListObjectsV2' && record.recipientAccountId === '111111111111'));
  });

  it('--account with --profile is refused as bad input (exit 2)', async () => {
    const result = await audit(['--profile', 'owner', '--account', 'owner']);
    assert.equal(result.code, 2);
  });
});
