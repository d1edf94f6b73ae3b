// Accounts (issue 2 item 3): `admin` always exists, `--accounts owner=111111111111,partner=...`
// adds more, idempotently across restarts; root keys sealed at rest; admin keys pinnable by env.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteMetadataStore } from '../../src/store/sqlite-metadata.js';
import type { MetadataStore } from '../../src/store/types.js';
import {
  AccountConfigError,
  SecretCache,
  ensureAccounts,
  parseAccountsFlag,
  resolveSecret,
} from '../../src/identity/accounts.js';
import { openAccessKeySecret, sealAccessKeySecret } from '../../src/identity/access-key-secrets.js';

const masterKey = randomBytes(32);

async function withStore(run: (open: () => MetadataStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cb-accounts-'));
  const opened: MetadataStore[] = [];
  try {
    await run(() => {
      const store = openSqliteMetadataStore(path.join(dir, 'metadata.db'));
      opened.push(store);
      return store;
    }, dir);
  } finally {
    for (const store of opened) await store.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

describe('parseAccountsFlag', () => {
  it('parses NAME and NAME=ID items, ignoring blanks', () => {
    assert.deepEqual(parseAccountsFlag('owner=111111111111, partner=222222222222,tester,'), [
      { name: 'owner', id: '111111111111' },
      { name: 'partner', id: '222222222222' },
      { name: 'tester' },
    ]);
    assert.deepEqual(parseAccountsFlag(''), []);
  });

  it('rejects bad names, bad IDs and duplicates with the offending item', () => {
    assert.throws(() => parseAccountsFlag('Owner'), /'Owner'.*a-z/);
    assert.throws(() => parseAccountsFlag('own er'), AccountConfigError);
    assert.throws(() => parseAccountsFlag('owner=12345'), /exactly 12 digits/);
    assert.throws(() => parseAccountsFlag('owner=1111111111112'), /exactly 12 digits/);
    assert.throws(() => parseAccountsFlag('owner=11111111111a'), /exactly 12 digits/);
    assert.throws(() => parseAccountsFlag('=111111111111'), AccountConfigError);
    assert.throws(() => parseAccountsFlag('default'), /reserved/);
    assert.throws(() => parseAccountsFlag('a,a'), /twice/);
    assert.throws(() => parseAccountsFlag('a=111111111111,b=111111111111'), /both 'a' and 'b'/);
  });
});

describe('ensureAccounts', () => {
  it('creates admin plus the named accounts with AWS-shaped identifiers', () =>
    withStore(async (open) => {
      const store = open();
      const result = await ensureAccounts(store, masterKey, parseAccountsFlag('owner=111111111111,partner'));
      assert.deepEqual(
        result.map((entry) => entry.account.name),
        ['admin', 'owner', 'partner'],
      );
      const owner = result[1]!;
      assert.equal(owner.account.id, '111111111111');
      assert.equal(owner.account.email, 'owner@crossbucket.local');
      for (const entry of result) {
        assert.match(entry.account.id, /^\d{12}$/);
        assert.match(entry.account.canonicalId, /^[0-9a-f]{64}$/);
        assert.match(entry.rootAccessKeyId, /^AKIA[A-Z2-7]{16}$/);
        assert.match(entry.rootSecretAccessKey, /^[A-Za-z0-9+/]{40}$/);
        const record = await store.getAccessKey(entry.rootAccessKeyId);
        assert.equal(record?.principalType, 'root');
        assert.equal(record?.status, 'Active');
        assert.equal(record?.accountId, entry.account.id);
        assert.ok(!record!.secretSealed.includes(Buffer.from(entry.rootSecretAccessKey)), 'secret is sealed, not plaintext');
      }
      assert.equal(new Set(result.map((entry) => entry.account.canonicalId)).size, 3);
    }));

  it('is idempotent across a store reopen: same IDs, canonical IDs and keys', () =>
    withStore(async (open, dir) => {
      const before = open();
      const first = await ensureAccounts(before, masterKey, parseAccountsFlag('owner=111111111111,partner'));
      await before.close(); // as a stopped server would
      const second = await ensureAccounts(open(), masterKey, parseAccountsFlag('owner,partner'));
      assert.deepEqual(second, first);
      const database = await readFile(path.join(dir, 'metadata.db'));
      for (const entry of first) assert.ok(!database.includes(Buffer.from(entry.rootSecretAccessKey)), 'no plaintext secret on disk');
    }));

  it('keeps accounts that are no longer named (and lists them after the named ones)', () =>
    withStore(async (open) => {
      const store = open();
      await ensureAccounts(store, masterKey, parseAccountsFlag('zed,owner'));
      const result = await ensureAccounts(store, masterKey, parseAccountsFlag('partner'));
      assert.deepEqual(
        result.map((entry) => entry.account.name),
        ['admin', 'partner', 'owner', 'zed'],
      );
    }));

  it('refuses a different ID for an existing name, and an ID owned by another name', () =>
    withStore(async (open) => {
      const store = open();
      await ensureAccounts(store, masterKey, parseAccountsFlag('owner=111111111111'));
      await assert.rejects(ensureAccounts(store, masterKey, parseAccountsFlag('owner=333333333333')), (error: Error) => {
        assert.ok(error instanceof AccountConfigError);
        assert.match(error.message, /'owner' already exists with ID 111111111111, but ID 333333333333 was requested/);
        return true;
      });
      await assert.rejects(
        ensureAccounts(store, masterKey, parseAccountsFlag('partner=111111111111')),
        /account ID 111111111111 already belongs to account 'owner'/,
      );
      assert.equal(await store.getAccountByName('partner'), null, 'nothing created on conflict');
    }));

  it('lets admin be given an ID on first start', () =>
    withStore(async (open) => {
      const result = await ensureAccounts(open(), masterKey, parseAccountsFlag('owner,admin=999999999999'));
      assert.equal(result[0]!.account.name, 'admin');
      assert.equal(result[0]!.account.id, '999999999999');
    }));

  it('pins the root key of admin from CROSSBUCKET_ROOT_* and replaces it when the pin changes', () =>
    withStore(async (open) => {
      const store = open();
      const generated = await ensureAccounts(store, masterKey, []);
      const adminId = generated[0]!.account.id;
      const pinned = await ensureAccounts(store, masterKey, [], { rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE', rootSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
      assert.equal(pinned[0]!.account.id, adminId, 'same admin account');
      assert.equal(pinned[0]!.rootAccessKeyId, 'AKIAIOSFODNN7EXAMPLE');
      assert.equal(pinned[0]!.rootSecretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
      assert.equal(await store.getAccessKey(generated[0]!.rootAccessKeyId), null, 'the generated key was replaced');
      const repinned = await ensureAccounts(store, masterKey, [], { rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE', rootSecretAccessKey: 'other-secret' });
      assert.equal(repinned[0]!.rootSecretAccessKey, 'other-secret');
      assert.equal((await resolveSecret(store, masterKey, 'AKIAIOSFODNN7EXAMPLE'))?.secret, 'other-secret');
      const keys = await store.listAccessKeys(adminId, null);
      assert.deepEqual(keys.map((key) => key.accessKeyId), ['AKIAIOSFODNN7EXAMPLE']);
      // Without the pin on the next start, the pinned key simply stays.
      const later = await ensureAccounts(store, masterKey, []);
      assert.equal(later[0]!.rootAccessKeyId, 'AKIAIOSFODNN7EXAMPLE');
    }));

  it('rejects half a pin and a pin that collides with another account key', () =>
    withStore(async (open) => {
      const store = open();
      await assert.rejects(ensureAccounts(store, masterKey, [], { rootAccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }), /must be set together/);
      const result = await ensureAccounts(store, masterKey, parseAccountsFlag('owner'));
      await assert.rejects(
        ensureAccounts(store, masterKey, [], { rootAccessKeyId: result[1]!.rootAccessKeyId, rootSecretAccessKey: 'x' }),
        /already in use by another principal/,
      );
    }));

  it('explains a master key that does not match the sealed secrets', () =>
    withStore(async (open) => {
      const store = open();
      await ensureAccounts(store, masterKey, []);
      await assert.rejects(ensureAccounts(store, randomBytes(32), []), /master key differs/);
    }));
});

describe('resolveSecret', () => {
  it('returns the opened secret and record, null for unknown keys, and follows re-sealed secrets', () =>
    withStore(async (open) => {
      const store = open();
      const [admin] = await ensureAccounts(store, masterKey, []);
      const cache = new SecretCache();
      const found = await resolveSecret(store, masterKey, admin!.rootAccessKeyId, cache);
      assert.equal(found?.secret, admin!.rootSecretAccessKey);
      assert.equal(found?.record.accountId, admin!.account.id);
      assert.equal(cache.size, 1);
      assert.equal((await resolveSecret(store, masterKey, admin!.rootAccessKeyId, cache))?.secret, admin!.rootSecretAccessKey);
      assert.equal(await resolveSecret(store, masterKey, 'AKIANOTAREALKEY00000', cache), null);

      const record = (await store.getAccessKey(admin!.rootAccessKeyId))!;
      await store.putAccessKey({ ...record, secretSealed: sealAccessKeySecret(masterKey, record.accessKeyId, 'rotated') });
      assert.equal((await resolveSecret(store, masterKey, admin!.rootAccessKeyId, cache))?.secret, 'rotated');
      await store.deleteAccessKey(admin!.rootAccessKeyId);
      assert.equal(await resolveSecret(store, masterKey, admin!.rootAccessKeyId, cache), null);
      assert.equal(cache.size, 0);
    }));

  it('binds a sealed secret to its access key ID (a row copied to another key fails to open)', () =>
    withStore(async (open) => {
      const store = open();
      const [admin] = await ensureAccounts(store, masterKey, []);
      const record = (await store.getAccessKey(admin!.rootAccessKeyId))!;
      assert.throws(() => openAccessKeySecret(masterKey, { ...record, accessKeyId: 'AKIAOTHERKEY00000000' }));
    }));

  it('evicts the oldest entry beyond its bound', () => {
    const cache = new SecretCache(2);
    const record = (id: string) => ({ accessKeyId: id, secretSealed: Buffer.from(id), accountId: '1', principalType: 'root' as const, userName: null, status: 'Active' as const, createdAtMs: 0 });
    cache.set(record('a'), 'A');
    cache.set(record('b'), 'B');
    cache.set(record('c'), 'C');
    assert.equal(cache.size, 2);
    assert.equal(cache.get(record('a')), undefined);
    assert.equal(cache.get(record('c')), 'C');
  });
});
