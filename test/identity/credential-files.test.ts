// Generated AWS files and banner (issue 2 item 3): `<data>/credentials` (shared-credentials format),
// `<data>/config` (`[profile NAME]` with region, endpoint_url, ca_bundle) so that
// `aws --profile owner …` works with no further flag; the banner never shows a secret.
// Format references: AWS CLI User Guide "Configuration and credential file settings"
// (`endpoint_url` and `ca_bundle` are profile settings; profiles are `[profile NAME]` in config).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AccountWithKeys } from '../../src/identity/accounts.js';
import { formatBanner, renderCredentialsFile, shellQuote, writeCredentialFiles } from '../../src/identity/credential-files.js';
import { ensureTlsMaterial } from '../../src/http/tls.js';

const run = promisify(execFile);

function account(name: string, id: string, keyId: string, secret: string): AccountWithKeys {
  return {
    account: { id, name, canonicalId: id.repeat(6).slice(0, 64).replace(/\d/g, (d) => 'abcdef0123'[Number(d)]!), email: `${name}@crossbucket.local`, createdAtMs: 0 },
    rootAccessKeyId: keyId,
    rootSecretAccessKey: secret,
  };
}

const accounts = [
  account('admin', '999999999999', 'AKIAADMINADMINADMIN2', 'adminSecret/0000000000000000000000000000+'),
  account('owner', '111111111111', 'AKIAOWNEROWNEROWNER2', 'ownerSecret/0000000000000000000000000000+'),
  account('partner', '222222222222', 'AKIAPARTNERPARTNER22', 'partnerSecret/00000000000000000000000000+'),
];

async function which(command: string): Promise<boolean> {
  try {
    await run(command, ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Environment for the aws CLI that sees only our files. */
function awsEnv(files: { credentialsPath: string; configPath: string }, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return { ...env, HOME: home, AWS_CONFIG_FILE: files.configPath, AWS_SHARED_CREDENTIALS_FILE: files.credentialsPath, AWS_EC2_METADATA_DISABLED: 'true' };
}

describe('credential files', () => {
  let dir = '';
  let files = { credentialsPath: '', configPath: '' };
  let caPath = '';
  let server: https.Server;
  let port = 0;
  const seen: Array<{ method: string; url: string; host: string; authorization: string }> = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cb-credfiles-'));
    const tls = await ensureTlsMaterial(dir);
    caPath = tls.caPath;
    // A stand-in endpoint that answers STS GetCallerIdentity and S3 ListObjectsV2 with fixed XML,
    // recording what the CLI sent (it checks the files, not the server).
    server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, host: req.headers.host ?? '', authorization: req.headers.authorization ?? '' });
        res.setHeader('content-type', 'text/xml');
        if (body.includes('Action=GetCallerIdentity')) {
          res.end(
            '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
              '<Arn>arn:aws:iam::111111111111:root</Arn><UserId>111111111111</UserId><Account>111111111111</Account>' +
              '</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
          );
        } else {
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
              '<Name>demo</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated></ListBucketResult>',
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    files = await writeCredentialFiles({ dataDir: dir, accounts, region: 'eu-west-1', httpsEndpoint: `https://localhost:${port}`, caPath });
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('writes credentials with mode 0600 and config beside it', async () => {
    assert.equal(files.credentialsPath, path.join(dir, 'credentials'));
    assert.equal(files.configPath, path.join(dir, 'config'));
    assert.equal((await stat(files.credentialsPath)).mode & 0o777, 0o600);
    assert.equal((await stat(files.configPath)).mode & 0o777, 0o644);
    const config = await readFile(files.configPath, 'utf8');
    assert.ok(!config.includes('Secret'), 'config holds no secret');
  });

  it('is rewritten in place on the next start (atomically, no temp files left)', async () => {
    const again = await writeCredentialFiles({ dataDir: dir, accounts: accounts.slice(0, 2), region: 'eu-west-1', httpsEndpoint: `https://localhost:${port}`, caPath });
    assert.ok(!(await readFile(again.credentialsPath, 'utf8')).includes('[partner]'));
    files = await writeCredentialFiles({ dataDir: dir, accounts, region: 'eu-west-1', httpsEndpoint: `https://localhost:${port}`, caPath });
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), []);
  });

  it('parses with Python configparser (the parser botocore uses)', async (t) => {
    if (!(await which('python3'))) return t.skip('python3 not installed');
    const script = [
      'import configparser, json, sys',
      'c = configparser.RawConfigParser(); c.read(sys.argv[1])',
      'k = configparser.RawConfigParser(); k.read(sys.argv[2])',
      'print(json.dumps({"config": {s: dict(c[s]) for s in c.sections()}, "credentials": {s: dict(k[s]) for s in k.sections()}}))',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, files.configPath, files.credentialsPath]);
    const parsed = JSON.parse(stdout) as { config: Record<string, Record<string, string>>; credentials: Record<string, Record<string, string>> };
    assert.deepEqual(Object.keys(parsed.config), ['default', 'profile admin', 'profile owner', 'profile partner']);
    assert.deepEqual(Object.keys(parsed.credentials), ['admin', 'owner', 'partner'], 'one profile per account, no [default]');
    const owner = parsed.config['profile owner']!;
    assert.equal(owner.region, 'eu-west-1');
    assert.equal(owner.endpoint_url, `https://localhost:${port}`);
    assert.equal(owner.ca_bundle, caPath);
    assert.deepEqual(parsed.credentials.owner, { aws_access_key_id: 'AKIAOWNEROWNEROWNER2', aws_secret_access_key: accounts[1]!.rootSecretAccessKey });
    assert.deepEqual(parsed.config.default, parsed.config['profile admin']);
  });

  it('is read by the aws CLI: aws configure get region/endpoint_url/ca_bundle --profile owner', async (t) => {
    if (!(await which('aws'))) return t.skip('aws CLI not installed');
    const env = awsEnv(files, dir);
    const get = async (name: string) => (await run('aws', ['configure', 'get', name, '--profile', 'owner'], { env })).stdout.trim();
    assert.equal(await get('region'), 'eu-west-1');
    assert.equal(await get('endpoint_url'), `https://localhost:${port}`);
    assert.equal(await get('ca_bundle'), caPath);
    assert.equal(await get('aws_access_key_id'), 'AKIAOWNEROWNEROWNER2');
  });

  it('lets `aws --profile owner` reach the HTTPS endpoint with no flag (endpoint_url + ca_bundle + keys)', async (t) => {
    if (!(await which('aws'))) return t.skip('aws CLI not installed');
    const env = awsEnv(files, dir);
    seen.length = 0;
    const { stdout } = await run('aws', ['--profile', 'owner', 'sts', 'get-caller-identity', '--output', 'json'], { env });
    assert.equal(JSON.parse(stdout).Account, '111111111111');
    assert.match(seen[0]!.authorization, /Credential=AKIAOWNEROWNEROWNER2\/\d{8}\/eu-west-1\/sts\/aws4_request/);
    assert.equal(seen[0]!.host, `localhost:${port}`);

    seen.length = 0;
    await run('aws', ['--profile', 'owner', 's3', 'ls', 's3://demo'], { env });
    assert.equal(seen[0]!.host, `localhost:${port}`, 'path-style: the bucket is not in the host name');
    assert.match(seen[0]!.url, /^\/demo\?list-type=2/);
    assert.match(seen[0]!.authorization, /Credential=AKIAOWNEROWNEROWNER2\/\d{8}\/eu-west-1\/s3\/aws4_request/);
  });
});

describe('formatBanner', () => {
  const info = {
    accounts,
    httpEndpoint: 'http://127.0.0.1:4580',
    httpsEndpoint: 'https://localhost:4581',
    caPath: '/data dir/tls/ca.pem',
    credentialsPath: '/data dir/credentials',
    configPath: '/data dir/config',
    region: 'us-east-1',
    version: '0.1.0',
  };
  const banner = formatBanner(info);

  it('never contains a secret access key', () => {
    for (const entry of accounts) assert.ok(!banner.includes(entry.rootSecretAccessKey), entry.account.name);
    assert.ok(!banner.toLowerCase().includes('secret'), 'no secret-looking words at all');
  });

  it('has paste-ready export lines (shell-quoted paths), both endpoints, the profiles and an example', () => {
    const lines = banner.split('\n').map((line) => line.trim());
    assert.ok(lines.includes("export AWS_SHARED_CREDENTIALS_FILE='/data dir/credentials' AWS_CONFIG_FILE='/data dir/config'"));
    assert.ok(lines.includes("export AWS_ENDPOINT_URL=https://localhost:4581 AWS_CA_BUNDLE='/data dir/tls/ca.pem'"));
    assert.ok(banner.includes('http://127.0.0.1:4580'));
    for (const entry of accounts) {
      const line = lines.find((candidate) => candidate.startsWith(`${entry.account.name} `));
      assert.ok(line?.includes(entry.account.id) && line.includes(entry.account.canonicalId), entry.account.name);
    }
    assert.ok(lines.includes('aws --profile owner s3 ls'));
  });

  it('shell-quotes only when needed', () => {
    assert.equal(shellQuote('/plain/path-1.pem'), '/plain/path-1.pem');
    assert.equal(shellQuote("/it's here"), `'/it'\\''s here'`);
  });

  it('renders credentials without a [default] profile (no implicit admin)', () => {
    const text = renderCredentialsFile(accounts);
    assert.doesNotMatch(text, /^\[default\]/m);
    assert.match(text, /^\[admin\]\naws_access_key_id = AKIAADMINADMINADMIN2\n/m);
  });
});
