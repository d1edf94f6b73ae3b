/**
 * The shared MetadataStore suite: every implementation (SQLite now, PostgreSQL later) runs these
 * cases through runMetadataStoreCases(name, factory). Listing order follows S3: "Amazon S3 lists
 * objects in UTF-8 character encoding in lexicographical order" (ListObjectsV2 API reference).
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { MetadataStore, ObjectRecord } from '../../src/store/types.js';
import { account, accessKey, bucket, object, part, sortUtf8, upload } from './records.js';

export interface MetadataStoreFixture {
  store: MetadataStore;
  /** Close the store and open the same database again. */
  reopen(): Promise<MetadataStore>;
  /** Close and delete everything. */
  dispose(): Promise<void>;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string })?.code;
}

async function listAll(store: MetadataStore, bucketName: string, prefix = '', pageSize = 1000): Promise<string[]> {
  const keys: string[] = [];
  let afterKey = '';
  for (;;) {
    const page = await store.listObjects({ bucket: bucketName, prefix, afterKey, limit: pageSize });
    keys.push(...page.map((summary) => summary.key));
    if (page.length < pageSize) return keys;
    afterKey = page[page.length - 1]!.key;
  }
}

export function runMetadataStoreCases(name: string, factory: () => Promise<MetadataStoreFixture>): void {
  describe(`MetadataStore cases: ${name}`, () => {
    let fixture: MetadataStoreFixture;
    let store: MetadataStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('accounts and access keys', () => {
      it('stores accounts and finds them by id, name and canonical id; put updates in place', async () => {
        const owner = account('111111111111', 'owner');
        await store.putAccount(owner);
        await store.putAccount(account('222222222222', 'partner'));
        assert.deepEqual(await store.getAccount('111111111111'), owner);
        assert.deepEqual(await store.getAccountByName('partner'), account('222222222222', 'partner'));
        assert.deepEqual(await store.getAccountByCanonicalId(owner.canonicalId), owner);
        assert.equal(await store.getAccount('999999999999'), null);
        assert.equal(await store.getAccountByName('nobody'), null);
        assert.equal(await store.getAccountByCanonicalId('0'.repeat(64)), null);
        await store.putAccount({ ...owner, email: 'new@example.com' });
        assert.equal((await store.getAccount('111111111111'))!.email, 'new@example.com');
        assert.deepEqual((await store.listAccounts()).map((a) => a.name), ['owner', 'partner']);
      });

      it('stores access keys (sealed secret bytes intact), lists root vs user keys, deletes', async () => {
        const root = accessKey('AKIAROOT000000000001', '111111111111');
        const user = accessKey('AKIAUSER000000000001', '111111111111', { principalType: 'user', userName: 'alice' });
        await store.putAccessKey(root);
        await store.putAccessKey(user);
        await store.putAccessKey(accessKey('AKIAOTHER00000000001', '222222222222'));
        const loaded = await store.getAccessKey('AKIAROOT000000000001');
        assert.deepEqual(loaded, root);
        assert.ok(Buffer.isBuffer(loaded!.secretSealed));
        assert.deepEqual((await store.listAccessKeys('111111111111', null)).map((k) => k.accessKeyId), ['AKIAROOT000000000001']);
        assert.deepEqual((await store.listAccessKeys('111111111111', 'alice')).map((k) => k.accessKeyId), ['AKIAUSER000000000001']);
        assert.deepEqual(await store.listAccessKeys('111111111111', 'bob'), []);
        await store.putAccessKey({ ...user, status: 'Inactive' });
        assert.equal((await store.getAccessKey('AKIAUSER000000000001'))!.status, 'Inactive');
        await store.deleteAccessKey('AKIAUSER000000000001');
        assert.equal(await store.getAccessKey('AKIAUSER000000000001'), null);
        await store.deleteAccessKey('AKIAUSER000000000001'); // deleting twice is harmless
      });

      it('keeps settings', async () => {
        assert.equal(await store.getSetting('organization-id'), null);
        await store.putSetting('organization-id', 'o-1');
        await store.putSetting('organization-id', 'o-2');
        assert.equal(await store.getSetting('organization-id'), 'o-2');
      });
    });

    describe('buckets', () => {
      it('creates once (second create says exists and keeps the first owner), lists per account in name order', async () => {
        assert.equal(await store.createBucket(bucket('zeta')), 'created');
        assert.equal(await store.createBucket(bucket('alpha')), 'created');
        assert.equal(await store.createBucket(bucket('other', '222222222222')), 'created');
        assert.equal(await store.createBucket(bucket('alpha', '222222222222')), 'exists');
        assert.equal((await store.getBucket('alpha'))!.accountId, '111111111111');
        assert.equal(await store.getBucket('missing'), null);
        assert.deepEqual((await store.listBuckets('111111111111')).map((b) => b.name), ['alpha', 'zeta']);
        assert.deepEqual(await store.listBuckets('222222222222'), [bucket('other', '222222222222')]);
      });

      it('deleteBucket: missing, not-empty with an object, not-empty with an upload, then deleted with its configuration', async () => {
        assert.equal(await store.deleteBucket('nope'), 'missing');
        await store.createBucket(bucket('b'));
        await store.putBucketConfig('b', 'policy', '{"Version":"2012-10-17"}');
        await store.putObject(object('b', 'k'));
        assert.equal(await store.deleteBucket('b'), 'not-empty');
        await store.deleteObject('b', 'k');
        await store.createUpload(upload('u1', 'b', 'k'));
        assert.equal(await store.deleteBucket('b'), 'not-empty');
        await store.abortUpload('u1');
        assert.equal(await store.deleteBucket('b'), 'deleted');
        assert.equal(await store.getBucket('b'), null);
        await store.createBucket(bucket('b'));
        assert.equal(await store.getBucketConfig('b', 'policy'), null, 'configuration must not survive its bucket');
      });

      it('stores, replaces and deletes bucket configuration documents by kind', async () => {
        await store.createBucket(bucket('b'));
        assert.equal(await store.getBucketConfig('b', 'policy'), null);
        await store.putBucketConfig('b', 'policy', 'p1');
        await store.putBucketConfig('b', 'policy', 'p2');
        await store.putBucketConfig('b', 'tagging', 't1');
        assert.equal(await store.getBucketConfig('b', 'policy'), 'p2');
        assert.equal(await store.getBucketConfig('b', 'tagging'), 't1');
        await store.putBucketConfig('b', 'policy', null);
        assert.equal(await store.getBucketConfig('b', 'policy'), null);
        assert.equal(await store.getBucketConfig('b', 'tagging'), 't1');
      });
    });

    describe('objects', () => {
      beforeEach(async () => {
        await store.createBucket(bucket('b'));
      });

      it('round-trips every field of inline, blob and multipart objects', async () => {
        const full: ObjectRecord = object('b', 'full', {
          headers: { 'content-type': 'image/png', 'cache-control': 'no-cache' },
          userMetadata: { color: 'blue', 'x-unicode': 'été' },
          checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' },
          tags: { team: 'storage' },
          acl: { grants: [{ grantee: 'x', permission: 'READ' }] },
          encryption: { algorithm: 'AES256', wrappedKey: 'abc' },
          storageClass: 'STANDARD_IA',
          data: { kind: 'inline', bytes: Buffer.from([0, 1, 2, 255]) },
          sizeBytes: 4,
        });
        const blob = object('b', 'blob', { data: { kind: 'blob', blobId: 'f'.repeat(32) }, sizeBytes: 1 << 20 });
        const multipart = object('b', 'multi', {
          data: { kind: 'parts', blobIds: ['a'.repeat(32), 'b'.repeat(32)] },
          partsCount: 2,
          partSizes: [5 << 20, 1],
          sizeBytes: (5 << 20) + 1,
          etag: '"00000000000000000000000000000000-2"',
          checksum: { algorithm: 'SHA256', value: 'abc=-2', type: 'COMPOSITE' },
        });
        const empty = object('b', 'empty', { data: { kind: 'inline', bytes: Buffer.alloc(0) }, sizeBytes: 0 });
        for (const record of [full, blob, multipart, empty]) assert.equal(await store.putObject(record), null);
        assert.deepEqual(await store.getObject('b', 'full'), full);
        assert.deepEqual(await store.getObject('b', 'blob'), blob);
        assert.deepEqual(await store.getObject('b', 'multi'), multipart);
        assert.deepEqual(await store.getObject('b', 'empty'), empty);
        assert.equal(await store.getObject('b', 'absent'), null);
        assert.equal(await store.getObject('other-bucket', 'full'), null);
      });

      it('putObject replaces and resolves with the replaced record (whose blobs the caller deletes)', async () => {
        const first = object('b', 'k', { data: { kind: 'blob', blobId: '1'.repeat(32) } });
        const second = object('b', 'k', { etag: '"ffffffffffffffffffffffffffffffff"' });
        assert.equal(await store.putObject(first), null);
        assert.deepEqual(await store.putObject(second), first);
        assert.deepEqual(await store.getObject('b', 'k'), second);
        assert.equal(await store.countObjects('b'), 1);
      });

      it('putObject into a bucket that does not exist fails with NoSuchBucket and stores nothing', async () => {
        await assert.rejects(store.putObject(object('gone', 'k')), (error) => errorCode(error) === 'NoSuchBucket');
        assert.equal(await store.getObject('gone', 'k'), null);
      });

      it('updateObjectAttributes changes only tags and acl, reports missing keys', async () => {
        const record = object('b', 'k', { tags: { a: '1' }, acl: { canned: 'private' } });
        await store.putObject(record);
        assert.equal(await store.updateObjectAttributes('b', 'k', { tags: { b: '2' } }), true);
        assert.deepEqual(await store.getObject('b', 'k'), { ...record, tags: { b: '2' } });
        assert.equal(await store.updateObjectAttributes('b', 'k', { acl: { canned: 'public-read' } }), true);
        assert.deepEqual((await store.getObject('b', 'k'))!.acl, { canned: 'public-read' });
        assert.deepEqual((await store.getObject('b', 'k'))!.tags, { b: '2' });
        assert.equal(await store.updateObjectAttributes('b', 'k', { acl: null, tags: {} }), true);
        const updated = (await store.getObject('b', 'k'))!;
        assert.equal(updated.acl, null);
        assert.deepEqual(updated.tags, {});
        assert.deepEqual(updated.data, record.data);
        assert.equal(await store.updateObjectAttributes('b', 'absent', { tags: {} }), false);
      });

      it('deleteObject resolves with the deleted record, then null', async () => {
        const record = object('b', 'k');
        await store.putObject(record);
        assert.deepEqual(await store.deleteObject('b', 'k'), record);
        assert.equal(await store.deleteObject('b', 'k'), null);
        assert.equal(await store.getObject('b', 'k'), null);
        assert.equal(await store.countObjects('b'), 0);
      });

      it('treats keys with "..", "/" and unicode as opaque strings (they never become paths)', async () => {
        const keys = ['../../etc/passwd', '..', '/', '//double//', 'a/../b', 'é', 'e\u0301', '😀', ' lead', 'trail ', '\u0001ctl'];
        for (const key of keys) await store.putObject(object('b', key));
        for (const key of keys) assert.equal((await store.getObject('b', key))!.key, key);
        assert.equal(await store.getObject('b', 'b'), null, 'a/../b must not be normalized');
        assert.equal(await store.countObjects('b'), keys.length);
      });
    });

    describe('listing (UTF-8 binary order)', () => {
      const keys = [
        'a', 'A', 'a/', 'a/b', 'a/b/c', 'a-b', 'a.b', 'a0', 'ab', '..', '../x', '/', '/lead', 'é', 'z', '~',
        '\uFB00', '\uFFFD', '😀', '😀/x', '\u{10FFFF}', '\u{10FFFF}\u{10FFFF}', 'photos/2024/1.jpg', 'photos/2024/2.jpg', 'photos/2025/1.jpg', 'photos0',
      ];
      beforeEach(async () => {
        await store.createBucket(bucket('b'));
        await store.createBucket(bucket('c'));
        await Promise.all(keys.map((key) => store.putObject(object('b', key))));
        await store.putObject(object('c', 'a'));
      });

      it('lists every key once in UTF-8 byte order (U+1F600 after U+FFFD, unlike UTF-16 order)', async () => {
        const listed = await listAll(store, 'b');
        assert.deepEqual(listed, sortUtf8(keys));
        assert.ok(listed.indexOf('😀') > listed.indexOf('\uFFFD'));
      });

      it('returns summaries with the listing fields', async () => {
        await store.putObject(object('c', 'sum', { sizeBytes: 42, checksum: { algorithm: 'CRC32C', value: 'x', type: 'FULL_OBJECT' }, storageClass: 'GLACIER' }));
        const [summary] = await store.listObjects({ bucket: 'c', prefix: 'sum', afterKey: '', limit: 10 });
        assert.deepEqual(summary, {
          key: 'sum', sizeBytes: 42, etag: '"0123456789abcdef0123456789abcdef"', lastModifiedMs: 1_700_000_000_000,
          ownerAccountId: '111111111111', storageClass: 'GLACIER', checksumAlgorithm: 'CRC32C', checksumType: 'FULL_OBJECT',
        });
      });

      it('filters by prefix, including unicode and U+10FFFF prefixes', async () => {
        for (const prefix of ['a', 'a/', 'photos/', 'photos/2024/', '😀', '\u{10FFFF}', '..', '/', 'nothing', '']) {
          const expected = sortUtf8(keys.filter((key) => key.startsWith(prefix)));
          assert.deepEqual(await listAll(store, 'b', prefix), expected, `prefix ${JSON.stringify(prefix)}`);
          assert.deepEqual(await listAll(store, 'b', prefix, 2), expected, `prefix ${JSON.stringify(prefix)} in pages of 2`);
        }
      });

      it('afterKey is exclusive and combines with prefix whether before, inside or after the prefix range', async () => {
        const list = async (prefix: string, afterKey: string) => (await store.listObjects({ bucket: 'b', prefix, afterKey, limit: 100 })).map((s) => s.key);
        assert.deepEqual(await list('', 'photos/2024/1.jpg'), sortUtf8(keys).slice(sortUtf8(keys).indexOf('photos/2024/1.jpg') + 1));
        assert.deepEqual(await list('photos/', 'a'), ['photos/2024/1.jpg', 'photos/2024/2.jpg', 'photos/2025/1.jpg']);
        assert.deepEqual(await list('photos/', 'photos/2024/1.jpg'), ['photos/2024/2.jpg', 'photos/2025/1.jpg']);
        assert.deepEqual(await list('photos/', 'photos/2024/\u{10FFFF}'), ['photos/2025/1.jpg'], 'skip a common prefix as ListObjectsV2 with a delimiter does');
        assert.deepEqual(await list('photos/', 'zzz'), []);
        assert.deepEqual(await store.listObjects({ bucket: 'b', prefix: '', afterKey: '', limit: 0 }), []);
      });

      it('paginates 2,500 keys in pages of 1,000 without loss or repetition', async () => {
        const many = Array.from({ length: 2500 }, (_, index) => `many/${(index * 7919) % 2500}`);
        await Promise.all(many.map((key) => store.putObject(object('c', key))));
        const pages: number[] = [];
        let afterKey = '';
        const seen: string[] = [];
        for (;;) {
          const page = await store.listObjects({ bucket: 'c', prefix: 'many/', afterKey, limit: 1000 });
          pages.push(page.length);
          seen.push(...page.map((summary) => summary.key));
          if (page.length < 1000) break;
          afterKey = page[page.length - 1]!.key;
        }
        assert.deepEqual(pages, [1000, 1000, 500]);
        assert.deepEqual(seen, sortUtf8(many));
        assert.equal(await store.countObjects('c'), 2501);
      });
    });

    describe('multipart uploads', () => {
      beforeEach(async () => {
        await store.createBucket(bucket('b'));
      });

      it('creates, reads, and refuses a duplicate upload id or a missing bucket', async () => {
        const record = upload('u1', 'b', 'k', { headers: { 'content-type': 'a/b' }, userMetadata: { m: 'v' }, tags: { t: '1' }, checksumAlgorithm: 'CRC32', checksumType: 'COMPOSITE', acl: { x: 1 }, encryption: { y: 2 } });
        await store.createUpload(record);
        assert.deepEqual(await store.getUpload('u1'), record);
        assert.equal(await store.getUpload('u2'), null);
        await assert.rejects(store.createUpload(record));
        await assert.rejects(store.createUpload(upload('u3', 'gone', 'k')), (error) => errorCode(error) === 'NoSuchBucket');
      });

      it('lists uploads by key, then initiated time, then upload id, with prefix and markers', async () => {
        await store.createUpload(upload('u-b2', 'b', 'photos/b', { initiatedMs: 2 }));
        await store.createUpload(upload('u-b1', 'b', 'photos/b', { initiatedMs: 1 }));
        await store.createUpload(upload('u-b0', 'b', 'photos/b', { initiatedMs: 2 }));
        await store.createUpload(upload('u-a', 'b', 'photos/a', { initiatedMs: 9 }));
        await store.createUpload(upload('u-z', 'b', 'z', { initiatedMs: 0 }));
        const ids = async (prefix: string, afterKey: string, afterUploadId: string, limit = 100) =>
          (await store.listUploads('b', prefix, afterKey, afterUploadId, limit)).map((u) => u.uploadId);
        assert.deepEqual(await ids('', '', ''), ['u-a', 'u-b1', 'u-b0', 'u-b2', 'u-z']);
        assert.deepEqual(await ids('photos/', '', ''), ['u-a', 'u-b1', 'u-b0', 'u-b2']);
        assert.deepEqual(await ids('', '', '', 2), ['u-a', 'u-b1']);
        assert.deepEqual(await ids('', 'photos/b', ''), ['u-z'], 'key-marker alone: keys after it');
        assert.deepEqual(await ids('', 'photos/b', 'u-b1'), ['u-b0', 'u-b2', 'u-z'], 'key-marker with upload-id-marker');
        assert.deepEqual(await ids('', 'photos/b', 'u-b0'), ['u-b2', 'u-z']);
        assert.deepEqual(await ids('', 'photos/b', 'u-b15'), ['u-b2', 'u-z'], 'unknown upload-id-marker: ids lexicographically greater');
        assert.deepEqual(await ids('photos/', 'photos/a', ''), ['u-b1', 'u-b0', 'u-b2']);
        assert.deepEqual(await ids('q', '', ''), []);
      });

      it('putPart inserts or replaces (resolving with the replaced part) and listParts pages by part number', async () => {
        await store.createUpload(upload('u1', 'b', 'k'));
        for (const number of [3, 1, 2, 10]) assert.equal(await store.putPart(part('u1', number)), null);
        const replacement = part('u1', 2, { etag: '"replaced"', blobId: 'e'.repeat(32), checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'COMPOSITE' } });
        assert.deepEqual(await store.putPart(replacement), part('u1', 2));
        assert.deepEqual((await store.listParts('u1', 0, 100)).map((p) => p.partNumber), [1, 2, 3, 10]);
        assert.deepEqual((await store.listParts('u1', 0, 2)).map((p) => p.partNumber), [1, 2]);
        assert.deepEqual((await store.listParts('u1', 2, 2)).map((p) => p.partNumber), [3, 10]);
        assert.deepEqual((await store.listParts('u1', 0, 100))[1], replacement);
        assert.deepEqual(await store.listParts('absent', 0, 100), []);
      });

      it('putPart for an upload that is gone fails with NoSuchUpload', async () => {
        await assert.rejects(store.putPart(part('absent', 1)), (error) => errorCode(error) === 'NoSuchUpload');
        assert.deepEqual(await store.listParts('absent', 0, 10), []);
      });

      it('completeUpload atomically inserts the object, removes the upload and parts, returns replaced object and unused parts', async () => {
        const previous = object('b', 'k', { data: { kind: 'blob', blobId: '9'.repeat(32) } });
        await store.putObject(previous);
        await store.createUpload(upload('u1', 'b', 'k'));
        for (const number of [1, 2, 3]) await store.putPart(part('u1', number));
        const final = object('b', 'k', { data: { kind: 'parts', blobIds: [part('u1', 1).blobId, part('u1', 3).blobId] }, partsCount: 2, partSizes: [5 << 20, 5 << 20] });
        const result = await store.completeUpload('u1', final, [1, 3]);
        assert.deepEqual(result.replaced, previous);
        assert.deepEqual(result.unusedParts, [part('u1', 2)]);
        assert.deepEqual(await store.getObject('b', 'k'), final);
        assert.equal(await store.getUpload('u1'), null);
        assert.deepEqual(await store.listParts('u1', 0, 100), []);
        assert.equal(await store.deleteBucket('b'), 'not-empty');
      });

      it('completeUpload of an upload that is gone fails with NoSuchUpload and changes nothing', async () => {
        const previous = object('b', 'k');
        await store.putObject(previous);
        await assert.rejects(store.completeUpload('absent', object('b', 'k', { etag: '"new"' }), []), (error) => errorCode(error) === 'NoSuchUpload');
        assert.deepEqual(await store.getObject('b', 'k'), previous);
      });

      it('two concurrent completes of one upload: exactly one wins', async () => {
        await store.createUpload(upload('u1', 'b', 'k'));
        await store.putPart(part('u1', 1));
        const outcomes = await Promise.allSettled([
          store.completeUpload('u1', object('b', 'k', { etag: '"first"' }), [1]),
          store.completeUpload('u1', object('b', 'k', { etag: '"second"' }), [1]),
        ]);
        assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected']);
        assert.equal((await store.getObject('b', 'k'))!.etag, '"first"');
      });

      it('abortUpload resolves with the parts and removes everything; a second abort resolves null', async () => {
        await store.createUpload(upload('u1', 'b', 'k'));
        await store.putPart(part('u1', 1));
        await store.putPart(part('u1', 2));
        assert.deepEqual(await store.abortUpload('u1'), [part('u1', 1), part('u1', 2)]);
        assert.equal(await store.getUpload('u1'), null);
        assert.deepEqual(await store.listParts('u1', 0, 10), []);
        assert.equal(await store.abortUpload('u1'), null);
        assert.equal(await store.getObject('b', 'k'), null);
      });
    });

    describe('group commit and durability', () => {
      beforeEach(async () => {
        await store.createBucket(bucket('b'));
      });

      it('200 concurrent puts all resolve and are all readable afterwards', async () => {
        const records = Array.from({ length: 200 }, (_, index) => object('b', `concurrent/${index}`, { data: { kind: 'inline', bytes: Buffer.alloc(4096, index % 256) }, sizeBytes: 4096 }));
        const results = await Promise.all(records.map((record) => store.putObject(record)));
        assert.deepEqual(results, records.map(() => null));
        for (const record of records) assert.deepEqual(await store.getObject('b', record.key), record);
        assert.equal(await store.countObjects('b'), 200);
      });

      it('a failing mutation in a batch fails alone; the mutations around it commit', async () => {
        const good = Array.from({ length: 50 }, (_, index) => object('b', `good/${index}`));
        const pending = [
          ...good.slice(0, 25).map((record) => store.putObject(record)),
          store.putObject(object('no-such-bucket', 'bad')),
          store.completeUpload('no-such-upload', object('b', 'bad-complete'), []),
          ...good.slice(25).map((record) => store.putObject(record)),
        ];
        const outcomes = await Promise.allSettled(pending);
        assert.deepEqual(outcomes.map((o) => o.status), [...Array(25).fill('fulfilled'), 'rejected', 'rejected', ...Array(25).fill('fulfilled')]);
        assert.equal(errorCode((outcomes[25] as PromiseRejectedResult).reason), 'NoSuchBucket');
        assert.equal(errorCode((outcomes[26] as PromiseRejectedResult).reason), 'NoSuchUpload');
        assert.equal(await store.countObjects('b'), 50);
        assert.equal(await store.getObject('b', 'bad-complete'), null);
      });

      it('a read issued after a write resolved sees the write; writes of one caller apply in order', async () => {
        const first = store.putObject(object('b', 'k', { etag: '"1"' }));
        const second = store.putObject(object('b', 'k', { etag: '"2"' }));
        const deleted = store.deleteObject('b', 'k');
        const third = store.putObject(object('b', 'k', { etag: '"3"' }));
        assert.equal(await first, null);
        assert.equal((await second)!.etag, '"1"');
        assert.equal((await deleted)!.etag, '"2"');
        assert.equal(await third, null);
        assert.equal((await store.getObject('b', 'k'))!.etag, '"3"');
      });

      it('everything acknowledged is still there after close and reopen', async () => {
        await store.putAccount(account('111111111111', 'owner'));
        await Promise.all(Array.from({ length: 20 }, (_, index) => store.putObject(object('b', `persist/${index}`))));
        await store.createUpload(upload('u1', 'b', 'k'));
        const pendingAtClose = store.putObject(object('b', 'last'));
        store = await fixture.reopen();
        await pendingAtClose;
        assert.equal((await store.getAccountByName('owner'))!.id, '111111111111');
        assert.equal(await store.countObjects('b'), 21);
        assert.deepEqual(await store.getObject('b', 'last'), object('b', 'last'));
        assert.equal((await store.getUpload('u1'))!.key, 'k');
      });
    });
  });
}
