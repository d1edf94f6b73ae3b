// `crossbucket accounts list|create NAME` (issue 2 item 3: "manages accounts against a data dir").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runAccountsCommand, type CommandIo } from '../../src/cli/accounts.js';
import { writeCredentialFiles } from '../../src/identity/credential-files.js';
import { ensureAccounts } from '../../src/identity/accounts.js';
import { loadOrCreateMasterKey } from '../../src/crypto/master-key.js';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';

const mainScript = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function capture(env: NodeJS.ProcessEnv = {}): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (text) => void (out += text), stderr: (text) => void (err += text), env, out: () => out, err: () => err };
}

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cb-accounts-cli-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('crossbucket accounts', () => {
  it('list fails clearly on a directory without data', () =>
    withDir(async (dir) => {
      const io = capture();
      assert.equal(await runAccountsCommand(['list', '--data', path.join(dir, 'none')], io), 1);
      assert.match(io.err(), /no crossbucket data in .*none/);
    }));

  it('create prints ID, canonical ID, key ID and the secret once; list shows no secret', () =>
    withDir(async (dir) => {
      const create = capture();
      assert.equal(await runAccountsCommand(['create', 'owner', '--id', '111111111111', '--data', dir], create), 0, create.err());
      assert.match(create.out(), /account ID +111111111111/);
      assert.match(create.out(), /canonical ID +[0-9a-f]{64}/);
      const keyId = /root access key ID +(AKIA[A-Z2-7]{16})/.exec(create.out())?.[1];
      const secret = /root secret key +([A-Za-z0-9+/]{40})/.exec(create.out())?.[1];
      assert.ok(keyId && secret, create.out());

      const list = capture();
      assert.equal(await runAccountsCommand(['list', '--data', dir], list), 0);
      assert.match(list.out(), /^NAME +ACCOUNT ID +CANONICAL ID +ROOT ACCESS KEY +EMAIL$/m);
      assert.match(list.out(), /^owner +111111111111 +[0-9a-f]{64} +AKIA\w+ +owner@crossbucket\.local$/m);
      assert.match(list.out(), /^admin +\d{12} /m, 'the management account exists too');
      assert.ok(!list.out().includes(secret!));

      const json = capture();
      assert.equal(await runAccountsCommand(['list', '--json', '--data', dir], json), 0);
      const rows = JSON.parse(json.out()) as Array<{ name: string; accountId: string; rootAccessKeys: Array<{ accessKeyId: string }> }>;
      assert.deepEqual(rows.map((row) => row.name), ['admin', 'owner']);
      assert.equal(rows[1]!.rootAccessKeys[0]!.accessKeyId, keyId);
      assert.ok(!json.out().includes(secret!));
    }));

  it('create refuses an existing name, a taken ID and invalid input', () =>
    withDir(async (dir) => {
      assert.equal(await runAccountsCommand(['create', 'owner', '--id', '111111111111', '--data', dir], capture()), 0);
      const again = capture();
      assert.equal(await runAccountsCommand(['create', 'owner', '--data', dir], again), 1);
      assert.match(again.err(), /account 'owner' already exists \(ID 111111111111\)/);
      const taken = capture();
      assert.equal(await runAccountsCommand(['create', 'partner', '--id', '111111111111', '--data', dir], taken), 1);
      assert.match(taken.err(), /111111111111 already belongs to account 'owner'/);
      const bad = capture();
      assert.equal(await runAccountsCommand(['create', 'Bad Name', '--data', dir], bad), 2);
      assert.match(bad.err(), /invalid account name/);
      assert.equal(await runAccountsCommand(['create', 'x', '--id', '12', '--data', dir], capture()), 2);
      assert.equal(await runAccountsCommand(['frobnicate', '--data', dir], capture()), 2);
    }));

  it('create rewrites existing credentials/config files keeping endpoint, region and CA', () =>
    withDir(async (dir) => {
      const key = await loadOrCreateMasterKey(dir, {});
      const store = openSqliteMetadataStore(path.join(dir, 'metadata.db'));
      const accounts = await ensureAccounts(store, key, []);
      await store.close();
      await writeCredentialFiles({ dataDir: dir, accounts, region: 'eu-central-1', httpsEndpoint: 'https://localhost:45111', caPath: '/ca/path.pem' });

      const io = capture();
      assert.equal(await runAccountsCommand(['create', 'tester', '--data', dir], io), 0, io.err());
      const secret = /root secret key +(\S+)/.exec(io.out())![1]!;
      const credentials = await readFile(path.join(dir, 'credentials'), 'utf8');
      assert.match(credentials, /\[tester\]\naws_access_key_id = AKIA\w+\naws_secret_access_key = (\S+)\n/);
      assert.ok(credentials.includes(`aws_secret_access_key = ${secret}`));
      const config = await readFile(path.join(dir, 'config'), 'utf8');
      assert.match(config, /\[profile tester\]\nregion = eu-central-1\nendpoint_url = https:\/\/localhost:45111\nca_bundle = \/ca\/path.pem\n/);
    }));

  it('is reachable through the crossbucket binary', () =>
    withDir(async (dir) => {
      const run = promisify(execFile);
      await run(process.execPath, [mainScript, 'accounts', 'create', 'owner', '--data', dir]);
      const { stdout } = await run(process.execPath, [mainScript, 'accounts', 'list', '--json', '--data', dir]);
      assert.deepEqual((JSON.parse(stdout) as Array<{ name: string }>).map((row) => row.name), ['admin', 'owner']);
    }));
});
