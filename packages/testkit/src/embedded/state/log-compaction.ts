import { decodeRecordBatch, type KafkaRecord } from '@kafkit/protocol'
import { rewriteBatch } from './batch-rewrite.js'
import type { LogConfig } from './log-config.js'
import type { PartitionLog, StoredBatch } from './partition-log.js'

interface Cleanable {
  batch: StoredBatch
  records: KafkaRecord[]
}

/** Where retention and compaction date a batch: its max timestamp, or its append time when it has none. */
export function batchTime(batch: StoredBatch): number {
  return batch.maxTimestamp >= 0 ? batch.maxTimestamp : batch.appendedAt
}

/**
 * The batches the cleaner may touch: below the last stable offset (open
 * transactions are never cleaned) and older than min.compaction.lag.ms.
 * Unlike Kafka, whose cleaner never touches the active segment (1 GiB by
 * default), the embedded log has no segments and compacts up to that point,
 * so tests see compaction without writing a segment's worth of data.
 */
function cleanableBatches(log: PartitionLog, config: LogConfig, now: number): StoredBatch[] {
  const end = log.lastStableOffset
  const out: StoredBatch[] = []
  for (const batch of log.batchesFrom(log.logStartOffset, end)) {
    if (batch.lastOffset >= end) break
    if (config.minCompactionLagMs > 0 && now - batchTime(batch) < config.minCompactionLagMs) break
    out.push(batch)
  }
  return out
}

const keyOf = (key: Buffer) => key.toString('latin1')

/**
 * Compacts a log as Kafka's LogCleaner does (cleanup.policy=compact): of each
 * key only the record with the highest offset stays; records without a key
 * go; a tombstone (null value) stays until its batch's delete horizon
 * (KIP-534: set to now + delete.retention.ms the first time the cleaner keeps
 * it) has passed. Kept records keep their offsets, so batches get gaps;
 * batches left empty are dropped. Records of aborted transactions are
 * dropped; control batches are kept as they are.
 */
export async function compactLog(log: PartitionLog, config: LogConfig, now: number): Promise<void> {
  const batches = cleanableBatches(log, config, now)
  if (batches.length === 0) return
  const first = batches[0]!.baseOffset
  const aborted = log.producers.abortedBetween(first, batches.at(-1)!.lastOffset + 1n)
  const isAborted = (batch: StoredBatch) =>
    batch.header.isTransactional &&
    aborted.some(
      (txn) =>
        txn.producerId === batch.header.producerId &&
        txn.firstOffset <= batch.baseOffset &&
        batch.baseOffset < txn.lastOffset,
    )
  const cleanable: Cleanable[] = []
  for (const batch of batches) {
    // Records of aborted transactions are discarded first, so they cannot shadow committed ones (Kafka's cleaner does too).
    const records =
      batch.header.isControl || isAborted(batch)
        ? []
        : (await decodeRecordBatch(batch.bytes, { verifyCrc: false })).records
    cleanable.push({ batch, records })
  }
  const latest = new Map<string, bigint>()
  for (const { records } of cleanable) {
    for (const record of records) if (record.key !== null) latest.set(keyOf(record.key), record.offset)
  }
  const replacements = new Map<StoredBatch, StoredBatch | null>()
  for (const { batch, records } of cleanable) {
    if (batch.header.isControl) continue
    if (isAborted(batch)) {
      replacements.set(batch, null)
      continue
    }
    const horizon = batch.header.hasDeleteHorizon ? batch.header.baseTimestamp : undefined
    const kept = records.filter((record) => {
      if (record.key === null || latest.get(keyOf(record.key)) !== record.offset) return false
      return record.value !== null || horizon === undefined || now < horizon
    })
    const needsHorizon = horizon === undefined && kept.some((record) => record.value === null)
    if (kept.length === records.length && !needsHorizon) continue
    if (kept.length === 0) {
      replacements.set(batch, null)
      continue
    }
    replacements.set(batch, await rewriteBatch(batch, kept, needsHorizon ? now + config.deleteRetentionMs : horizon))
  }
  if (replacements.size === 0) return
  // Appends and deletions may have happened while records were decoded: replace batch by batch.
  log.replaceBatches(
    log.storedBatches.flatMap((batch) => {
      if (!replacements.has(batch)) return [batch]
      const replacement = replacements.get(batch)
      return replacement ? [replacement] : []
    }),
  )
}
