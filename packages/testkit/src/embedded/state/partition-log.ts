import {
  BASE_OFFSET_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  type RecordBatchHeader,
  readBatchHeader,
} from '@kafkit/protocol'

/** One stored batch: its bytes (offsets assigned) and the header fields the log needs often. */
export interface StoredBatch {
  bytes: Buffer
  baseOffset: bigint
  lastOffset: bigint
  maxTimestamp: number
  /** When the batch was appended (ms), for retention.ms. */
  appendedAt: number
  header: RecordBatchHeader
}

/** The first offset written in each leader epoch, for OffsetForLeaderEpoch. */
interface EpochStart {
  epoch: number
  startOffset: bigint
}

/**
 * A partition's log, held in memory as the record batches producers sent (with
 * offsets and leader epoch written in). Replication is instantaneous in the
 * embedded broker, so the high watermark is the log end offset.
 */
export class PartitionLog {
  private batches: StoredBatch[] = []
  private epochs: EpochStart[] = []
  logStartOffset = 0n
  logEndOffset = 0n
  private sizeInBytes = 0
  private readonly listeners = new Set<() => void>()

  get highWatermark(): bigint {
    return this.logEndOffset
  }

  get size(): number {
    return this.sizeInBytes
  }

  get storedBatches(): readonly StoredBatch[] {
    return this.batches
  }

  /**
   * Appends a validated batch: writes its base offset and the leader epoch into
   * the bytes (neither is covered by the CRC) and returns the base offset.
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
    if (this.epochs.at(-1)?.epoch !== leaderEpoch) this.epochs.push({ epoch: leaderEpoch, startOffset: baseOffset })
    this.batches.push(stored)
    this.logEndOffset = header.lastOffset + 1n
    this.sizeInBytes += bytes.length
    for (const listener of this.listeners) listener()
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

  /**
   * Batches from the one holding `offset`, up to `maxBytes`. As in Kafka, the
   * first batch is returned whole even when it alone exceeds `maxBytes`, so a
   * consumer can always progress; the caller decides whether that is allowed.
   */
  read(offset: bigint, maxBytes: number, upTo = this.highWatermark): Buffer[] {
    const out: Buffer[] = []
    let total = 0
    for (let i = this.indexAtOrAfter(offset); i < this.batches.length; i++) {
      const batch = this.batches[i]!
      if (batch.baseOffset >= upTo) break
      if (out.length > 0 && total + batch.bytes.length > maxBytes) break
      out.push(batch.bytes)
      total += batch.bytes.length
    }
    return out
  }

  /** Bytes readable from `offset` (for fetch min.bytes), counting at most `limit`. */
  bytesFrom(offset: bigint, limit: number): number {
    let total = 0
    for (let i = this.indexAtOrAfter(offset); i < this.batches.length && total < limit; i++) {
      total += this.batches[i]!.bytes.length
    }
    return total
  }

  /** The earliest offset whose batch has a timestamp at or after `timestamp`, as ListOffsets does. */
  offsetForTimestamp(timestamp: number): { offset: bigint; timestamp: number } | undefined {
    for (const batch of this.batches) {
      if (batch.maxTimestamp >= timestamp && batch.lastOffset >= this.logStartOffset) {
        return {
          // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.max does not take
          offset: batch.baseOffset > this.logStartOffset ? batch.baseOffset : this.logStartOffset,
          timestamp: batch.maxTimestamp,
        }
      }
    }
    return undefined
  }

  /** The record with the largest timestamp (ListOffsets MAX_TIMESTAMP), by batch. */
  maxTimestampOffset(): { offset: bigint; timestamp: number } | undefined {
    let best: StoredBatch | undefined
    for (const batch of this.batches) if (!best || batch.maxTimestamp > best.maxTimestamp) best = batch
    return best && { offset: best.lastOffset, timestamp: best.maxTimestamp }
  }

  /**
   * OffsetForLeaderEpoch: the end offset of `epoch` (the start of the next
   * larger epoch, or the log end) and the largest epoch not above it.
   */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: bigint } {
    let found: EpochStart | undefined
    for (const entry of this.epochs) if (entry.epoch <= epoch) found = entry
    if (!found) return { epoch: -1, endOffset: -1n }
    const next = this.epochs.find((entry) => entry.epoch > found.epoch)
    return { epoch: found.epoch, endOffset: next ? next.startOffset : this.logEndOffset }
  }

  /** DeleteRecords and retention: moves the log start forward, dropping whole batches below it. */
  truncateBefore(offset: bigint): void {
    if (offset <= this.logStartOffset) return
    this.logStartOffset = offset > this.logEndOffset ? this.logEndOffset : offset
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
