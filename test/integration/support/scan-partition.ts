import type { KafkaClient } from '@kafkit/client'
import { decodeRecordBatches, type KafkaRecord } from '@kafkit/protocol'
import { fetchAt } from './fetch-partition.js'

/**
 * Hands every record of a partition, from offset 0 to the high watermark, to
 * `visit`, fetching from the leader (found again after a leader change) in
 * large chunks. Unlike `readPartition` it keeps no records, so it reads a
 * million of them without holding them all. Resolves with the high watermark.
 */
export async function scanPartition(
  client: KafkaClient,
  topic: string,
  partition: number,
  visit: (record: KafkaRecord) => void,
  { deadlineMs = 60_000 }: { deadlineMs?: number } = {},
): Promise<bigint> {
  let offset = 0n
  for (;;) {
    const data = await fetchAt(client, topic, partition, offset, {
      maxBytes: 64 * 1024 * 1024,
      partitionMaxBytes: 16 * 1024 * 1024,
      deadlineMs,
    })
    const highWatermark = data.highWatermark
    if (offset >= highWatermark || !data.records || data.records.length === 0) return highWatermark
    const before = offset
    for (const batch of await decodeRecordBatches(data.records)) {
      for (const record of batch.records) {
        if (record.offset < offset) continue
        visit(record)
        offset = record.offset + 1n
      }
    }
    if (offset === before) throw new Error(`the fetch of ${topic}-${partition} at offset ${offset} made no progress`)
  }
}
