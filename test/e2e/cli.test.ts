/**
 * The real aws CLI, configured only by the files the server generates (AWS_SHARED_CREDENTIALS_FILE /
 * AWS_CONFIG_FILE; every other AWS_* variable removed). Skipped with a printed reason when `aws` is absent.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, hasAwsCli, type Server, type ProcessResult } from './harness.js';
import { bucketName } from './expect.js';

const MiB = 1024 * 1024;
const skip = !hasAwsCli() && 'aws CLI not installed';

function ok(result: ProcessResult, what: string): string {
  assert.equal(result.code, 0, `${what} failed (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

describe('aws CLI with the generated credentials and config', { skip }, () => {
  let server: Server;
  let work: string;
  const demo = 'demo';
  const bucket = bucketName('cli');

  before(async () => {
    server = await startServer();
    work = await mkdtemp(path.join(os.tmpdir(), 'crossbucket-cli-'));
  });
  after(async () => {
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const aws = (args: string[], profile = 'owner') => server.awsCli(profile, args, { cwd: work });

  it('README done-when: `s3 mb s3://demo && s3 cp FILE s3://demo/ && s3 ls s3://demo`', async () => {
    const readme = path.join(work, 'README.md');
    await writeFile(readme, '# hello from the e2e suite\n');
    assert.match(ok(await aws(['s3', 'mb', `s3://${demo}`]), 's3 mb'), /make_bucket: demo/);
    assert.match(ok(await aws(['s3', 'cp', 'README.md', `s3://${demo}/`]), 's3 cp'), /upload: .*README\.md to s3:\/\/demo\/README\.md/);
    const listing = ok(await aws(['s3', 'ls', `s3://${demo}`]), 's3 ls');
    assert.match(listing, /\s27 README\.md/);
  });

  it('`aws s3 ls` lists the bucket', async () => {
    assert.match(ok(await aws(['s3', 'ls']), 's3 ls'), /\sdemo\n/);
  });

  it('`s3 cp` of a 20 MiB file uses multipart (ETag "-3" with 8 MiB chunks) and round-trips byte-exactly', async () => {
    const data = randomBytes(20 * MiB);
    const source = path.join(work, 'big.bin');
    await writeFile(source, data);
    ok(await aws(['s3', 'mb', `s3://${bucket}`]), 'mb');
    ok(await aws(['s3', 'cp', source, `s3://${bucket}/big.bin`]), 'cp up');
    const head = JSON.parse(ok(await aws(['s3api', 'head-object', '--bucket', bucket, '--key', 'big.bin']), 'head-object'));
    assert.equal(head.ContentLength, data.length);
    assert.match(head.ETag, /^"[0-9a-f]{32}-3"$/);
    const target = path.join(work, 'big.back');
    ok(await aws(['s3', 'cp', `s3://${bucket}/big.bin`, target]), 'cp down');
    const back = await readFile(target);
    assert.equal(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(data).digest('hex'));
  });

  it('s3api put-object / get-object / list-objects-v2 / tagging / delete-objects', async () => {
    const file = path.join(work, 'small.txt');
    await writeFile(file, 'small body');
    const put = JSON.parse(ok(await aws(['s3api', 'put-object', '--bucket', bucket, '--key', 'dir/small.txt', '--body', file, '--metadata', 'color=blue', '--tagging', 'team=e2e']), 'put-object'));
    assert.equal(put.ETag, `"${createHash('md5').update('small body').digest('hex')}"`);
    const out = path.join(work, 'small.out');
    const got = JSON.parse(ok(await aws(['s3api', 'get-object', '--bucket', bucket, '--key', 'dir/small.txt', out]), 'get-object'));
    assert.deepEqual(got.Metadata, { color: 'blue' });
    assert.equal(await readFile(out, 'utf8'), 'small body');
    const listed = JSON.parse(ok(await aws(['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'dir/']), 'list-objects-v2'));
    assert.deepEqual(listed.Contents.map((c: { Key: string }) => c.Key), ['dir/small.txt']);
    const tags = JSON.parse(ok(await aws(['s3api', 'get-object-tagging', '--bucket', bucket, '--key', 'dir/small.txt']), 'get-object-tagging'));
    assert.deepEqual(tags.TagSet, [{ Key: 'team', Value: 'e2e' }]);
    const deleted = JSON.parse(ok(await aws(['s3api', 'delete-objects', '--bucket', bucket, '--delete', JSON.stringify({ Objects: [{ Key: 'dir/small.txt' }] })]), 'delete-objects'));
    assert.deepEqual(deleted.Deleted.map((d: { Key: string }) => d.Key), ['dir/small.txt']);
  });

  it('s3api errors surface S3 error codes (NoSuchKey, BucketAlreadyExists)', async () => {
    const missing = await aws(['s3api', 'head-object', '--bucket', bucket, '--key', 'nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /404|Not Found/);
    const taken = await aws(['s3api', 'create-bucket', '--bucket', demo], 'partner');
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /BucketAlreadyExists/);
  });

  it('another account is denied: `aws --profile partner s3 ls s3://demo` → AccessDenied', async () => {
    const denied = await aws(['s3', 'ls', `s3://${demo}`], 'partner');
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDenied/);
  });

  it('`s3 sync` uploads a directory tree and `s3 rm --recursive` + `s3 rb` clean up', async () => {
    const tree = path.join(work, 'tree');
    await mkdir(path.join(tree, 'sub'), { recursive: true });
    await writeFile(path.join(tree, 'a.txt'), 'a');
    await writeFile(path.join(tree, 'sub', 'b.txt'), 'b');
    ok(await aws(['s3', 'sync', tree, `s3://${bucket}/tree/`]), 's3 sync');
    const listing = ok(await aws(['s3', 'ls', '--recursive', `s3://${bucket}/tree/`]), 's3 ls --recursive');
    assert.match(listing, /tree\/a\.txt/);
    assert.match(listing, /tree\/sub\/b\.txt/);
    ok(await aws(['s3', 'rm', '--recursive', `s3://${bucket}/`]), 's3 rm');
    ok(await aws(['s3', 'rb', `s3://${bucket}`]), 's3 rb');
    assert.doesNotMatch(ok(await aws(['s3', 'ls']), 's3 ls'), new RegExp(bucket));
  });

  it('`sts get-caller-identity` → the owner account root', async () => {
    const who = JSON.parse(ok(await aws(['sts', 'get-caller-identity']), 'sts get-caller-identity'));
    assert.equal(who.Account, '111111111111');
    assert.equal(who.Arn, 'arn:aws:iam::111111111111:root');
  });
});
