// GroupCommitQueue against a scripted transaction control: batching, per-mutation savepoints, commit failures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommitQueue, type BatchTransactionControl } from '../../src/store/group-commit.js';

function recordingControl(failures: Partial<Record<keyof BatchTransactionControl, boolean>> = {}) {
  const calls: string[] = [];
  const control = Object.fromEntries(
    (['begin', 'commit', 'rollback', 'savepoint', 'releaseSavepoint', 'rollbackToSavepoint'] as const).map((name) => [
      name,
      () => {
        calls.push(name);
        if (failures[name]) throw new Error(`${name} failed`);
      },
    ]),
  ) as unknown as BatchTransactionControl;
  return { control, calls };
}

describe('GroupCommitQueue', () => {
  it('runs mutations of one turn in one transaction, each in its own savepoint, and resolves after COMMIT', async () => {
    const { control, calls } = recordingControl();
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 100 });
    const results = await Promise.all([queue.run(() => 1), queue.run(() => 2), queue.run(() => 3)]);
    assert.deepEqual(results, [1, 2, 3]);
    assert.deepEqual(calls, ['begin', ...Array(3).fill(['savepoint', 'releaseSavepoint']).flat(), 'commit']);
    assert.deepEqual(queue.stats, { transactions: 1, mutations: 3, failedMutations: 0, failedTransactions: 0, syncs: 0 });
  });

  it('a throwing mutation is rolled back to its savepoint and fails alone', async () => {
    const { control, calls } = recordingControl();
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 100 });
    const outcomes = await Promise.allSettled([queue.run(() => 'a'), queue.run(() => { throw new Error('boom'); }), queue.run(() => 'c')]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(calls, ['begin', 'savepoint', 'releaseSavepoint', 'savepoint', 'rollbackToSavepoint', 'releaseSavepoint', 'savepoint', 'releaseSavepoint', 'commit']);
  });

  it('when COMMIT fails every mutation of the batch fails (none was durable)', async () => {
    const { control, calls } = recordingControl({ commit: true });
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 100 });
    const outcomes = await Promise.allSettled([queue.run(() => 1), queue.run(() => 2)]);
    assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
    assert.equal(calls.at(-1), 'rollback');
    assert.equal(queue.stats.failedTransactions, 1);
  });

  it('when a savepoint cannot be rolled back the whole batch is rolled back and fails', async () => {
    const { control, calls } = recordingControl({ rollbackToSavepoint: true });
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 100 });
    const outcomes = await Promise.allSettled([queue.run(() => 1), queue.run(() => { throw new Error('boom'); }), queue.run(() => 3)]);
    assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected', 'rejected']);
    assert.ok(!calls.includes('commit'));
    assert.equal(calls.at(-1), 'rollback');
  });

  it('splits a long queue into transactions of at most maxBatchMutations', async () => {
    const { control, calls } = recordingControl();
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, index) => queue.run(() => index)));
    assert.equal(calls.filter((call) => call === 'commit').length, 3);
  });

  it('does not settle a caller before its commit ran', async () => {
    const { control, calls } = recordingControl();
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 100 });
    let settled = false;
    const pending = queue.run(() => 'x').then(() => (settled = true));
    await Promise.resolve();
    assert.equal(settled, false);
    assert.ok(!calls.includes('commit'));
    await pending;
    assert.ok(calls.includes('commit'));
  });

  it('close commits what is queued and refuses new mutations', async () => {
    const { control } = recordingControl();
    const queue = new GroupCommitQueue(control, { maxBatchMutations: 100 });
    const queued = queue.run(() => 'queued');
    queue.close();
    assert.equal(await queued, 'queued');
    await assert.rejects(queue.run(() => 'late'), /closed/);
  });
});
