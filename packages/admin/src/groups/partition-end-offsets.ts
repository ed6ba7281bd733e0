import { errorFromCode } from '@kafkit/protocol'
import type { AdminRouter } from '../admin-router.js'
import { partitionName } from './topic-partitions.js'

/** Where ListOffsets looks: the first offset, the log end, or the first offset at or after a timestamp (ms). */
export type OffsetLookup = 'earliest' | 'latest' | { timestamp: number }

const EARLIEST_TIMESTAMP = -2n
const LATEST_TIMESTAMP = -1n
const READ_UNCOMMITTED = 0
const UNKNOWN_TOPIC_OR_PARTITION = 3

/**
 * ListOffsets at each partition's leader (moved leaders are followed by the
 * router), one request per partition, all at once. Offsets by topic then
 * partition; -1n where a timestamp lookup found no record at or after it.
 * Read uncommitted, as kafka-consumer-groups computes lag.
 */
export async function lookUpOffsets(
  router: AdminRouter,
  partitions: ReadonlyMap<string, readonly number[]>,
  lookup: OffsetLookup,
): Promise<Map<string, Map<number, bigint>>> {
  const timestamp =
    lookup === 'earliest' ? EARLIEST_TIMESTAMP : lookup === 'latest' ? LATEST_TIMESTAMP : BigInt(lookup.timestamp)
  // A partition the topic does not have fails at once rather than waiting for its leader until the deadline.
  await router.client.cluster.refreshMetadata({ topics: [...partitions.keys()] })
  for (const [topic, indexes] of partitions) {
    const missing = indexes.find((partition) => !router.client.cluster.metadata.partition(topic, partition))
    if (missing !== undefined) {
      throw errorFromCode(UNKNOWN_TOPIC_OR_PARTITION, {
        api: 'ListOffsets',
        entity: partitionName(topic, missing),
        detail: `${topic} has no partition ${missing}`,
      })!
    }
  }
  const jobs = [...partitions].flatMap(([topic, indexes]) =>
    indexes.map(async (partition) => {
      const response = await router.toLeader(
        topic,
        partition,
        'ListOffsets',
        {
          replicaId: -1,
          isolationLevel: READ_UNCOMMITTED,
          timeoutMs: router.options.defaultApiTimeoutMs,
          topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] }],
        },
        (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0,
      )
      return { topic, partition, offset: response.topics[0]?.partitions[0]?.offset ?? -1n }
    }),
  )
  const offsets = new Map<string, Map<number, bigint>>()
  for (const { topic, partition, offset } of await Promise.all(jobs)) {
    const byPartition = offsets.get(topic) ?? new Map<number, bigint>()
    offsets.set(topic, byPartition)
    byPartition.set(partition, offset)
  }
  return offsets
}
