/**
 * Group commit: mutations queued during one event-loop turn run together in ONE transaction.
 * Each mutation runs inside its own savepoint, so a mutation that throws is rolled back alone and
 * only its caller sees the error. Every promise settles only once the change is durable:
 * - without a `sync` hook, when the COMMIT returned (the database fsyncs inside COMMIT);
 * - with a `sync` hook (an fsync of the write-ahead log run off the event loop), when a sync that
 *   started after the COMMIT has completed. One sync runs at a time and covers every batch committed
 *   before it started, so while it runs the next batches commit in memory and wait for the next sync.
 */

/** The transaction control a batch needs; the SQLite store implements it with prepared statements. */
export interface BatchTransactionControl {
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  releaseSavepoint(): void;
  rollbackToSavepoint(): void;
}

export interface GroupCommitOptions {
  /** Most mutations in one transaction (bounds the latency of a single commit). */
  maxBatchMutations: number;
  /** Schedules a flush; defaults to setImmediate (after the I/O callbacks of this turn). */
  schedule?: (flush: () => void) => void;
  /** Make every COMMIT so far durable, then call back (e.g. fdatasync of the WAL in the thread pool). */
  sync?: (done: (error: Error | null) => void) => void;
}

export interface GroupCommitStats {
  transactions: number;
  mutations: number;
  failedMutations: number;
  failedTransactions: number;
  syncs: number;
}

interface PendingMutation {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface CommittedMutation {
  pending: PendingMutation;
  value: unknown;
}

export class GroupCommitQueue {
  private queue: PendingMutation[] = [];
  private scheduled = false;
  private closed = false;
  private awaitingSync: CommittedMutation[] = [];
  private syncing = false;
  private idleWaiters: Array<() => void> = [];
  private readonly schedule: (flush: () => void) => void;
  readonly stats: GroupCommitStats = { transactions: 0, mutations: 0, failedMutations: 0, failedTransactions: 0, syncs: 0 };

  constructor(
    private readonly control: BatchTransactionControl,
    private readonly options: GroupCommitOptions,
  ) {
    if (!(options.maxBatchMutations >= 1)) throw new Error('maxBatchMutations must be at least 1');
    this.schedule = options.schedule ?? ((flush) => setImmediate(flush));
  }

  /** Queue a synchronous mutation; resolves with its result once its transaction committed. */
  run<T>(mutation: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('metadata store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: mutation, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(() => this.flush());
      }
    });
  }

  /** Commit everything queued now (used by close). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatchMutations);
      this.commitBatch(batch);
    }
  }

  /** Refuse new mutations, commit the queued ones, and resolve once all of them are durable. */
  close(): Promise<void> {
    this.closed = true;
    this.flush();
    return this.idle();
  }

  /** Resolves when nothing is queued or waiting for a sync. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.syncing && this.awaitingSync.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private commitBatch(batch: PendingMutation[]): void {
    try {
      this.control.begin();
    } catch (error) {
      this.failAll(batch, error);
      return;
    }
    const outcomes: Outcome[] = [];
    for (const pending of batch) {
      const outcome = this.runInSavepoint(pending);
      if (outcome === 'poisoned') {
        this.rollbackQuietly();
        this.failAll(batch, new Error('metadata transaction could not roll back a failed mutation'));
        return;
      }
      outcomes.push(outcome);
    }
    try {
      this.control.commit();
    } catch (error) {
      this.rollbackQuietly();
      this.failAll(batch, error);
      return;
    }
    this.stats.transactions += 1;
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      this.stats.mutations += 1;
      if (!outcome.ok) {
        // Rolled back to its savepoint: nothing of it needs to become durable.
        this.stats.failedMutations += 1;
        pending.reject(outcome.error);
      } else if (this.options.sync === undefined) pending.resolve(outcome.value);
      else this.awaitingSync.push({ pending, value: outcome.value });
    });
    this.startSync();
  }

  private startSync(): void {
    if (this.syncing) return;
    if (this.awaitingSync.length === 0 || this.options.sync === undefined) {
      this.notifyIfIdle();
      return;
    }
    this.syncing = true;
    const covered = this.awaitingSync;
    this.awaitingSync = [];
    this.options.sync((error) => {
      this.syncing = false;
      this.stats.syncs += 1;
      for (const { pending, value } of covered) {
        if (error === null) pending.resolve(value);
        else pending.reject(error);
      }
      this.startSync();
    });
  }

  private notifyIfIdle(): void {
    if (this.queue.length > 0 || this.syncing || this.awaitingSync.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private runInSavepoint(pending: PendingMutation): Outcome | 'poisoned' {
    try {
      this.control.savepoint();
    } catch {
      return 'poisoned';
    }
    try {
      const value = pending.run();
      this.control.releaseSavepoint();
      return { ok: true, value };
    } catch (error) {
      try {
        this.control.rollbackToSavepoint();
        this.control.releaseSavepoint();
      } catch {
        return 'poisoned';
      }
      return { ok: false, error };
    }
  }

  private rollbackQuietly(): void {
    try {
      this.control.rollback();
    } catch {
      // The connection already left the transaction (SQLite rolls back on some errors itself).
    }
  }

  private failAll(batch: PendingMutation[], error: unknown): void {
    this.stats.failedTransactions += 1;
    for (const pending of batch) pending.reject(error);
  }
}
