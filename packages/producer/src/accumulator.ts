import { NO_SEQUENCE } from '@kafkit/protocol'
import { CompressionRatioEstimator } from './compression-ratio.js'
import type { BatchProfile, DeliveryCallback, ProducerBatch, ProducerRecord } from './producer-batch.js'
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
  /**
   * After an epoch bump, this partition still has batches sent under the old
   * epoch: they are retried with it, and its new batches wait until they are
   * done, then its sequences restart at 0 under the new epoch.
   */
  staleEpoch: boolean
  /** This partition's errors asked for the epoch bump: its retried batches restart at 0 under the new epoch. */
  rewriteSequences: boolean
}

export interface AppendResult {
  /** The record's batch was closed by this append (a new batch was started or the batch filled). */
  batchClosed: boolean
  /** A batch became ready to send because it is full: the sender need not wait for linger. */
  batchFull: boolean
  /** The record started a new batch, whose linger the sender must now time. */
  newBatch: boolean
}

const sameProfile = (a: BatchProfile, b: BatchProfile) =>
  a === b ||
  (a.acks === b.acks &&
    a.compression === b.compression &&
    a.compressionLevel === b.compressionLevel &&
    a.timeoutMs === b.timeoutMs)

const NOTHING_CHANGED: AppendResult = Object.freeze({ batchClosed: false, batchFull: false, newBatch: false })

/**
 * Collects records into batches per partition. A partition's batch is ready to
 * send when it is full, when it has waited `lingerMs`, during a flush or close,
 * and (after a failure) when its retry backoff has passed.
 */
export class RecordAccumulator {
  readonly #partitions = new Map<string, PartitionQueue>()
  /** The same queues by topic and partition number, so an append builds no key string. */
  readonly #byTopic = new Map<string, PartitionQueue[]>()
  readonly #ratios = new CompressionRatioEstimator()
  #flushes = 0

  constructor(private readonly batchBytes: number) {}

  static keyOf(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`
  }

  get partitions(): IterableIterator<PartitionQueue> {
    return this.#partitions.values()
  }

  queue(topic: string, partition: number): PartitionQueue {
    let queues = this.#byTopic.get(topic)
    if (queues === undefined) {
      queues = []
      this.#byTopic.set(topic, queues)
    }
    let queue = queues[partition]
    if (queue === undefined) {
      const key = RecordAccumulator.keyOf(topic, partition)
      queue = {
        topic,
        partition,
        key,
        queued: [],
        inFlight: [],
        nextSequence: 0,
        confirmed: false,
        staleEpoch: false,
        rewriteSequences: false,
      }
      queues[partition] = queue
      this.#partitions.set(key, queue)
    }
    return queue
  }

  append(
    record: ProducerRecord,
    profile: BatchProfile,
    reservedBytes: number,
    onDelivery: DeliveryCallback,
  ): AppendResult {
    const queue = this.queue(record.topic, record.partition)
    const queued = queue.queued
    const last = queued.length > 0 ? queued[queued.length - 1] : undefined
    let batchClosed = false
    if (last !== undefined && !last.closed && last.sequence === NO_SEQUENCE) {
      if (sameProfile(last.profile, profile) && last.tryAppend(record, reservedBytes, onDelivery)) {
        return this.#afterAppend(last, false, false)
      }
      last.closed = true
      batchClosed = true
    }
    const ratio = this.#ratios.estimate(record.topic, profile.compression)
    const batch = new Batch(record.topic, record.partition, profile, this.batchBytes, ratio)
    batch.tryAppend(record, reservedBytes, onDelivery) // the first record always fits
    queued.push(batch)
    return this.#afterAppend(batch, batchClosed, true)
  }

  #afterAppend(batch: ProducerBatch, closedPrevious: boolean, newBatch: boolean): AppendResult {
    if (batch.estimatedSizeBytes >= this.batchBytes) batch.closed = true
    const closed = closedPrevious || batch.closed
    // Most appends change nothing the sender must act on: one shared answer, no allocation.
    if (!closed && !newBatch) return NOTHING_CHANGED
    return { batchClosed: closed, batchFull: closed, newBatch }
  }

  /** Learns the compression ratio of an encoded batch, for the size estimate of the next ones. */
  observeCompression(batch: ProducerBatch): void {
    this.#ratios.observe(batch.topic, batch.profile.compression, batch.compressionRatio)
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
