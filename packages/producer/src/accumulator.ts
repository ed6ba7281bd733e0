import { NO_SEQUENCE } from '@kafkit/protocol'
import type { BatchProfile, ProducerBatch, ProducerRecord } from './producer-batch.js'
import { ProducerBatch as Batch } from './producer-batch.js'

/** The batches of one partition: queued (head first) and in flight (ascending sequence). */
export interface PartitionQueue {
  readonly topic: string
  readonly partition: number
  readonly key: string
  readonly queued: ProducerBatch[]
  readonly inFlight: ProducerBatch[]
  /** Next base sequence to assign (idempotence). */
  nextSequence: number
  /**
   * Whether the leader acknowledged a batch of the current epoch. Until then it
   * may not know the producer, and a broker accepts any first sequence from an
   * unknown producer, so a retried first batch could land after its successors:
   * only one batch goes out until the first is acknowledged.
   */
  confirmed: boolean
}

export interface AppendResult {
  /** The record's batch was closed by this append (a new batch was started or the batch filled). */
  batchClosed: boolean
  /** A batch became ready to send because it is full: the sender need not wait for linger. */
  batchFull: boolean
}

const sameProfile = (a: BatchProfile, b: BatchProfile) =>
  a.acks === b.acks &&
  a.compression === b.compression &&
  a.compressionLevel === b.compressionLevel &&
  a.timeoutMs === b.timeoutMs

/**
 * Collects records into batches per partition. A partition's batch is ready to
 * send when it is full, when it has waited `lingerMs`, during a flush or close,
 * and (after a failure) when its retry backoff has passed.
 */
export class RecordAccumulator {
  readonly #partitions = new Map<string, PartitionQueue>()
  #flushes = 0

  constructor(private readonly batchBytes: number) {}

  static keyOf(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`
  }

  get partitions(): IterableIterator<PartitionQueue> {
    return this.#partitions.values()
  }

  queue(topic: string, partition: number): PartitionQueue {
    const key = RecordAccumulator.keyOf(topic, partition)
    let queue = this.#partitions.get(key)
    if (!queue) {
      queue = { topic, partition, key, queued: [], inFlight: [], nextSequence: 0, confirmed: false }
      this.#partitions.set(key, queue)
    }
    return queue
  }

  append(
    record: ProducerRecord,
    profile: BatchProfile,
    reservedBytes: number,
    pending: Parameters<ProducerBatch['tryAppend']>[2],
  ): AppendResult {
    const queue = this.queue(record.topic, record.partition)
    const last = queue.queued.at(-1)
    let batchClosed = false
    if (last && !last.closed && last.sequence === NO_SEQUENCE) {
      if (sameProfile(last.profile, profile) && last.tryAppend(record, reservedBytes, pending)) {
        return this.#afterAppend(last, false)
      }
      last.closed = true
      batchClosed = true
    }
    const batch = new Batch(record.topic, record.partition, profile, this.batchBytes)
    batch.tryAppend(record, reservedBytes, pending) // the first record always fits
    queue.queued.push(batch)
    const result = this.#afterAppend(batch, batchClosed)
    return result
  }

  #afterAppend(batch: ProducerBatch, closedPrevious: boolean): AppendResult {
    if (batch.estimatedSizeBytes >= this.batchBytes) batch.closed = true
    return { batchClosed: closedPrevious || batch.closed, batchFull: closedPrevious || batch.closed }
  }

  /** Makes every batch ready now until `endFlush`. */
  beginFlush(): void {
    this.#flushes++
  }

  endFlush(): void {
    this.#flushes--
  }

  /**
   * Whether the head batch of `queue` may be sent at `now`, and otherwise when
   * to look again (Infinity when only an event can make it ready).
   */
  readiness(queue: PartitionQueue, now: number, lingerMs: number, closing: boolean): number {
    const head = queue.queued[0]
    if (!head) return Number.POSITIVE_INFINITY
    if (head.retryAt > now) return head.retryAt
    if (head.closed || queue.queued.length > 1 || this.#flushes > 0 || closing) return now
    return Math.max(now, head.createdAt + lingerMs)
  }

  /** Every batch not yet done (queued or in flight). */
  unfinished(): ProducerBatch[] {
    const batches: ProducerBatch[] = []
    for (const queue of this.#partitions.values()) batches.push(...queue.inFlight, ...queue.queued)
    return batches
  }

  get isEmpty(): boolean {
    for (const queue of this.#partitions.values())
      if (queue.queued.length > 0 || queue.inFlight.length > 0) return false
    return true
  }
}
