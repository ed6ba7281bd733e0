import {
  BASE_OFFSET_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  type RecordBatchHeader,
  readBatchHeader,
} from '@kafkit/protocol'
import { LeaderEpochCache } from './leader-epoch-cache.js'
import { ProducerStateTable } from './producer-state.js'
import { controlRecordType, markerCoordinatorEpoch } from './transactions/marker-type.js'

/** One stored batch: its bytes (offsets assigned) and the header fields the log needs often. */
export interface StoredBatch {
  bytes: Buffer
  baseOffset: bigint
  lastOffset: bigint
  maxTimestamp: number
  /** When the batch was appended (ms), for retention.ms when a batch carries no timestamp. */
  appendedAt: number
  header: RecordBatchHeader
}

/** How much of the log a read may return. */
export interface ReadLimits {
  /** Bytes to return at most; the first batch may exceed it when `minOneMessage` is set. */
  maxBytes: number
  /** Exclusive upper offset: the high watermark, or the last stable offset for read_committed. */
  upTo: bigint
  /** Return the first batch whole even when it alone exceeds `maxBytes` (KIP-74), so a consumer can progress. */
  minOneMessage: boolean
}

/**
 * A partition's log, held in memory as the record batches producers sent (with
 * offsets and leader epoch written in), with the leader epoch cache and the
 * producer state Kafka keeps beside each log. Replication is instantaneous in
 * the embedded broker, so the high watermark is the log end offset.
 */
export class PartitionLog {
  private batches: StoredBatch[] = []
  readonly epochs = new LeaderEpochCache()
  readonly producers = new ProducerStateTable()
  logStartOffset = 0n
  logEndOffset = 0n
  private sizeInBytes = 0
  private readonly listeners = new Set<() => void>()

  get highWatermark(): bigint {
    return this.logEndOffset
  }

  /** The high watermark, held back to the first offset of the oldest open transaction. */
  get lastStableOffset(): bigint {
    const unstable = this.producers.firstUnstableOffset()
    return unstable !== undefined && unstable < this.highWatermark ? unstable : this.highWatermark
  }

  get size(): number {
    return this.sizeInBytes
  }

  get storedBatches(): readonly StoredBatch[] {
    return this.batches
  }

  /**
   * A broker became leader in `epoch`: Kafka starts the epoch at the log end
   * then, before anything is written in it. Handlers call this lazily before
   * they answer from the epoch cache; the result is the same.
   */
  assignLeaderEpoch(epoch: number): void {
    const latest = this.epochs.latest
    if (!latest || latest.epoch < epoch) this.epochs.assign(epoch, this.logEndOffset)
  }

  /**
   * Appends a validated batch: writes its base offset and the leader epoch into
   * the bytes (neither is covered by the CRC), records it in the epoch cache
   * and the producer state, and wakes waiting fetches.
   */
  append(batch: Buffer, leaderEpoch: number, now: number): StoredBatch {
    const bytes = Buffer.from(batch)
    const baseOffset = this.logEndOffset
    bytes.writeBigInt64BE(baseOffset, BASE_OFFSET_OFFSET)
    bytes.writeInt32BE(leaderEpoch, PARTITION_LEADER_EPOCH_OFFSET)
    const header = readBatchHeader(bytes)
    const stored: StoredBatch = {
      bytes,
      baseOffset,
      lastOffset: header.lastOffset,
      maxTimestamp: header.maxTimestamp,
      appendedAt: now,
      header,
    }
    this.epochs.assign(leaderEpoch, baseOffset)
    const marker = header.isControl
      ? { type: controlRecordType(bytes), coordinatorEpoch: markerCoordinatorEpoch(bytes) }
      : undefined
    this.producers.record(header, baseOffset, header.maxTimestamp, marker)
    this.batches.push(stored)
    this.logEndOffset = header.lastOffset + 1n
    this.sizeInBytes += bytes.length
    for (const listener of [...this.listeners]) listener()
    return stored
  }

  /** Index of the batch holding `offset`, or of the first batch after it (batches.length if none). */
  private indexAtOrAfter(offset: bigint): number {
    let low = 0
    let high = this.batches.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.batches[mid]!.lastOffset < offset) low = mid + 1
      else high = mid
    }
    return low
  }

  /** The stored batches from the one holding `offset` whose base offset is below `upTo`. */
  *batchesFrom(offset: bigint, upTo = this.highWatermark): Generator<StoredBatch> {
    for (let i = this.indexAtOrAfter(offset); i < this.batches.length; i++) {
      const batch = this.batches[i]!
      if (batch.baseOffset >= upTo) return
      yield batch
    }
  }

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes`; the first
   * batch is returned even when it alone exceeds `maxBytes`.
   */
  read(offset: bigint, maxBytes: number, upTo = this.highWatermark): Buffer[] {
    const out: Buffer[] = []
    let total = 0
    for (const batch of this.batchesFrom(offset, upTo)) {
      if (out.length > 0 && total + batch.bytes.length > maxBytes) break
      out.push(batch.bytes)
      total += batch.bytes.length
    }
    return out
  }

  /**
   * The log's bytes from the batch holding `offset`, as a Kafka segment read
   * slices them (what Fetch returns): at most `maxBytes`, so the last batch
   * may be cut short (the client drops the partial batch), except that with
   * `minOneMessage` the first batch is returned whole.
   */
  readSlice(offset: bigint, limits: ReadLimits): Buffer {
    const parts: Buffer[] = []
    let total = 0
    let limit = limits.maxBytes
    for (const batch of this.batchesFrom(offset, limits.upTo)) {
      if (parts.length === 0 && limits.minOneMessage) limit = Math.max(limit, batch.bytes.length)
      if (total >= limit) break
      parts.push(batch.bytes)
      total += batch.bytes.length
    }
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
    return bytes.length > limit ? bytes.subarray(0, limit) : bytes
  }

  /** Bytes readable from `offset` below `upTo`, counting at most `limit` (fetch min.bytes). */
  bytesFrom(offset: bigint, limit: number, upTo = this.highWatermark): number {
    let total = 0
    for (const batch of this.batchesFrom(offset, upTo)) {
      total += batch.bytes.length
      if (total >= limit) return limit
    }
    return total
  }

  /** OffsetForLeaderEpoch: the end offset of `epoch` and the largest epoch not above it (-1 and -1 if unknown). */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: bigint } {
    return this.epochs.endOffsetFor(epoch, this.logEndOffset)
  }

  /** DeleteRecords and retention: moves the log start forward, dropping whole batches below it. */
  truncateBefore(offset: bigint): void {
    if (offset <= this.logStartOffset) return
    this.logStartOffset = offset > this.logEndOffset ? this.logEndOffset : offset
    this.epochs.truncateFromStart(this.logStartOffset)
    this.producers.dropAbortedBefore(this.logStartOffset)
    const keep = this.batches.filter((batch) => batch.lastOffset >= this.logStartOffset)
    this.replaceBatches(keep)
  }

  /** Replaces the stored batches (retention, compaction) and recomputes the size. */
  replaceBatches(batches: StoredBatch[]): void {
    this.batches = batches
    this.sizeInBytes = batches.reduce((sum, batch) => sum + batch.bytes.length, 0)
  }

  /** Calls `listener` after every append (long-polling fetches wait on it). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
