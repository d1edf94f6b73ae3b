// Master key (issue 2 item 3: "a master key in <data> with mode 0600, or from env").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MasterKeyError, loadOrCreateMasterKey, parseMasterKeyText } from '../../src/crypto/master-key.js';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cb-master-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('loadOrCreateMasterKey', () => {
  it('creates <data>/master.key with mode 0600 and returns the same key on reload', () =>
    withDir(async (dir) => {
      const first = await loadOrCreateMasterKey(dir, {});
      assert.equal(first.length, 32);
      const info = await stat(path.join(dir, 'master.key'));
      assert.equal(info.mode & 0o777, 0o600);
      assert.deepEqual(await loadOrCreateMasterKey(dir, {}), first);
      assert.deepEqual((await readdir(dir)).sort(), ['master.key'], 'no temp files left behind');
      assert.deepEqual(Buffer.from((await readFile(path.join(dir, 'master.key'), 'utf8')).trim(), 'base64'), first);
    }));

  it('uses injected randomness for a new key', () =>
    withDir(async (dir) => {
      const key = await loadOrCreateMasterKey(dir, {}, { randomBytes: (n) => Buffer.alloc(n, 0xab) });
      assert.deepEqual(key, Buffer.alloc(32, 0xab));
    }));

  it('two concurrent first starts agree on one key', () =>
    withDir(async (dir) => {
      let counter = 0;
      const random = (n: number) => Buffer.alloc(n, ++counter);
      const [a, b] = await Promise.all([
        loadOrCreateMasterKey(dir, {}, { randomBytes: random }),
        loadOrCreateMasterKey(dir, {}, { randomBytes: random }),
      ]);
      assert.deepEqual(a, b);
    }));

  it('refuses a master.key readable by group or others, naming the chmod fix', () =>
    withDir(async (dir) => {
      await loadOrCreateMasterKey(dir, {});
      await chmod(path.join(dir, 'master.key'), 0o644);
      await assert.rejects(loadOrCreateMasterKey(dir, {}), (error: Error) => {
        assert.ok(error instanceof MasterKeyError);
        assert.match(error.message, /mode 0644/);
        assert.match(error.message, /chmod 600/);
        return true;
      });
    }));

  it('prefers CROSSBUCKET_MASTER_KEY (hex or base64) and then writes no file', () =>
    withDir(async (dir) => {
      const hex = 'ab'.repeat(32);
      assert.deepEqual(await loadOrCreateMasterKey(dir, { CROSSBUCKET_MASTER_KEY: hex }), Buffer.alloc(32, 0xab));
      const b64 = Buffer.alloc(32, 0xcd).toString('base64');
      assert.deepEqual(await loadOrCreateMasterKey(dir, { CROSSBUCKET_MASTER_KEY: ` ${b64}\n` }), Buffer.alloc(32, 0xcd));
      assert.deepEqual(await readdir(dir), []);
    }));

  it('rejects a master key of the wrong size or alphabet', async () => {
    assert.throws(() => parseMasterKeyText('abcd', 'env'), /32 bytes/);
    assert.throws(() => parseMasterKeyText(Buffer.alloc(16).toString('base64'), 'env'), /32 bytes/);
    assert.throws(() => parseMasterKeyText('zz'.repeat(32), 'env'), /32 bytes/);
    await assert.rejects(loadOrCreateMasterKey('/nonexistent-never', { CROSSBUCKET_MASTER_KEY: 'short' }), MasterKeyError);
  });

  it('rejects a corrupted master.key file', () =>
    withDir(async (dir) => {
      await writeFile(path.join(dir, 'master.key'), 'not a key\n', { mode: 0o600 });
      await assert.rejects(loadOrCreateMasterKey(dir, {}), /master key must be 32 bytes/);
    }));
});
