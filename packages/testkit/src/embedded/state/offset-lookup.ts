import { decodeRecordBatch } from '@kafkit/protocol'
import type { PartitionLog, StoredBatch } from './partition-log.js'

/** An offset ListOffsets answers with, the timestamp that found it and the leader epoch it was written in. */
export interface TimestampAndOffset {
  timestamp: number
  offset: bigint
  leaderEpoch: number
}

async function recordsOf(batch: StoredBatch) {
  // The stored bytes were validated on append; only decompression is needed.
  return (await decodeRecordBatch(batch.bytes, { verifyCrc: false })).records
}

/**
 * The first record at or after the log start whose timestamp is at least
 * `target`, as Kafka's segment search finds it: batches are skipped by their
 * max timestamp, then the matching batch is read record by record.
 */
export async function offsetForTimestamp(log: PartitionLog, target: number): Promise<TimestampAndOffset | undefined> {
  // A snapshot: decompressing yields, and the log may change meanwhile.
  const batches = [...log.batchesFrom(log.logStartOffset, log.logEndOffset)]
  const start = log.logStartOffset
  for (const batch of batches) {
    if (batch.maxTimestamp < target) continue
    for (const record of await recordsOf(batch)) {
      if (record.timestamp >= target && record.offset >= start) {
        return { timestamp: record.timestamp, offset: record.offset, leaderEpoch: batch.header.partitionLeaderEpoch }
      }
    }
  }
  return undefined
}

/**
 * ListOffsets MAX_TIMESTAMP (KIP-734): the first record carrying the largest
 * timestamp in the log, found in the first batch with that max timestamp.
 */
export async function maxTimestampOffset(log: PartitionLog): Promise<TimestampAndOffset | undefined> {
  let best: StoredBatch | undefined
  for (const batch of log.storedBatches) if (!best || batch.maxTimestamp > best.maxTimestamp) best = batch
  if (!best || best.maxTimestamp < 0) return undefined
  const max = best.maxTimestamp
  const found = (await recordsOf(best)).find((record) => record.timestamp === max)
  return { timestamp: max, offset: found?.offset ?? best.lastOffset, leaderEpoch: best.header.partitionLeaderEpoch }
}
