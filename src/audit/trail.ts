/**
 * AuditTrail: the RequestObserver that turns every finished API call into CloudTrail-like records
 * and appends them to the metadata store. observe() only builds the records and queues them; a
 * timer (or a full batch) hands the queue to the store, whose group commit makes it durable. The
 * request path never waits for the trail. A crash may lose the records of the last few
 * milliseconds, never corrupt the trail.
 */
import type { App } from '../app.js';
import type { RequestObserver, RequestOutcome } from '../context/request-outcome.js';
import type { AuditEventRecord } from '../store/types.js';
import { buildAuditEvents } from './record.js';

export interface AuditTrailOptions {
  /** How long records may wait to be batched (default 20 ms). */
  batchDelayMs?: number;
  /** A batch this large is written at once (default 500). */
  batchMaxEvents?: number;
  /** Records held in memory at most; beyond it the oldest are dropped and counted (default 100,000). */
  queueMaxEvents?: number;
}

export class AuditTrail implements RequestObserver {
  private queue: AuditEventRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly batchDelayMs: number;
  private readonly batchMaxEvents: number;
  private readonly queueMaxEvents: number;
  /** Records lost to a full queue or a failed write (reported on stderr). */
  dropped = 0;

  constructor(
    private readonly app: App,
    options: AuditTrailOptions = {},
  ) {
    this.batchDelayMs = options.batchDelayMs ?? 20;
    this.batchMaxEvents = options.batchMaxEvents ?? 500;
    this.queueMaxEvents = options.queueMaxEvents ?? 100_000;
  }

  observe(outcome: RequestOutcome): void {
    let events: AuditEventRecord[];
    try {
      events = buildAuditEvents(outcome, { region: this.app.config.region });
    } catch (error) {
      process.stderr.write(`crossbucket: audit record failed: ${(error as Error).message}\n`);
      return;
    }
    if (events.length === 0) return;
    for (const event of events) this.queue.push(event);
    if (this.queue.length > this.queueMaxEvents) {
      const excess = this.queue.length - this.queueMaxEvents;
      this.queue.splice(0, excess);
      this.dropped += excess;
    }
    if (this.queue.length >= this.batchMaxEvents) this.writeBatch();
    else if (this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.writeBatch();
      }, this.batchDelayMs);
      this.timer.unref();
    }
  }

  private writeBatch(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const write = this.app.store.appendAuditEvents(batch).catch((error: unknown) => {
      this.dropped += batch.length;
      process.stderr.write(`crossbucket: audit trail write failed (${batch.length} records lost): ${(error as Error).message}\n`);
    });
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
  }

  /** Write everything queued and wait until it is durable (clean shutdown, tests). */
  async flush(): Promise<void> {
    this.writeBatch();
    await Promise.all([...this.inFlight]);
  }
}
