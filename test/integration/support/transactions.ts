import type { KafkaClient } from '@kafkit/client'
import { createOffsetFetchRequest, decodeRecordBatches, errorFromCode } from '@kafkit/protocol'
import { fetchAt } from './fetch-partition.js'

export type IsolationLevel = 'read_uncommitted' | 'read_committed'

/**
 * The values (as strings) of a partition's data records as a consumer with
 * the isolation level sees them: control batches skipped, and with
 * read_committed only records below the last stable offset, without those of
 * aborted transactions (the Fetch answer's aborted transactions list, applied
 * as Java's fetcher does).
 */
export async function readValues(
  client: KafkaClient,
  topic: string,
  partition: number,
  isolation: IsolationLevel,
): Promise<string[]> {
  const values: string[] = []
  const abortedProducers = new Set<bigint>()
  let offset = 0n
  for (;;) {
    const data = await fetchAt(client, topic, partition, offset, {
      isolationLevel: isolation === 'read_committed' ? 1 : 0,
      maxBytes: 50 * 1024 * 1024,
      partitionMaxBytes: 10 * 1024 * 1024,
    })
    if (!data.records || data.records.length === 0) return values
    const aborted = [...(data.abortedTransactions ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
    const before = offset
    for (const batch of await decodeRecordBatches(data.records)) {
      if (batch.lastOffset < offset) continue
      while (aborted.length > 0 && aborted[0]!.firstOffset <= batch.lastOffset) {
        abortedProducers.add(aborted.shift()!.producerId)
      }
      offset = batch.lastOffset + 1n
      if (batch.isControl) {
        // The marker ends the producer's transaction: its later batches belong to another one.
        abortedProducers.delete(batch.producerId)
        continue
      }
      if (isolation === 'read_committed' && batch.isTransactional && abortedProducers.has(batch.producerId)) continue
      for (const record of batch.records) values.push(record.value?.toString() ?? '')
    }
    if (offset === before) return values
  }
}

/**
 * A group's committed offset of one partition (-1n when none), asking for
 * stable offsets: while a transaction's offsets are pending the broker answers
 * UNSTABLE_OFFSET_COMMIT, which this throws, so callers poll with waitFor.
 */
export async function committedOffset(
  client: KafkaClient,
  groupId: string,
  topic: string,
  partition: number,
): Promise<bigint> {
  const coordinator = await client.cluster.findCoordinator('group', groupId)
  const response = await client.cluster.request(
    coordinator,
    'OffsetFetch',
    createOffsetFetchRequest({
      groupId,
      topics: [{ name: topic, partitionIndexes: [partition] }],
      requireStable: true,
    }),
    { version: 7 },
  )
  const topLevel = errorFromCode(response.errorCode, { api: 'OffsetFetch', entity: groupId })
  if (topLevel) throw topLevel
  const answer = response.topics[0]?.partitions[0]
  if (!answer) throw new Error(`no OffsetFetch answer for ${topic}-${partition}`)
  const error = errorFromCode(answer.errorCode, { api: 'OffsetFetch', entity: `${groupId} ${topic}-${partition}` })
  if (error) throw error
  return answer.committedOffset
}
