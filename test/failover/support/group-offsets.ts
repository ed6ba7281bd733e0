import type { KafkaClient } from '@kafkit/client'
import {
  createListOffsetsRequest,
  createListOffsetsRequestListOffsetsPartition,
  createListOffsetsRequestListOffsetsTopic,
  createOffsetFetchRequest,
  errorFromCode,
} from '@kafkit/protocol'

/**
 * The group's committed offset of each partition of a topic (-1n where none),
 * read with OffsetFetch from the coordinator as consumers read them (require
 * stable). A coordinator error forgets the cached coordinator before throwing,
 * so the caller's next try finds the new one (the coordinator moves while its
 * broker restarts).
 */
export async function committedOffsets(
  client: KafkaClient,
  groupId: string,
  topic: string,
  partitions: number,
): Promise<bigint[]> {
  const coordinator = await client.cluster.findCoordinator('group', groupId)
  try {
    const response = await client.cluster.request(
      coordinator,
      'OffsetFetch',
      createOffsetFetchRequest({
        groupId,
        topics: [{ name: topic, partitionIndexes: Array.from({ length: partitions }, (_, p) => p) }],
        // As the consumers read them. Without requireStable, Kafka's group coordinator answers
        // from the last offset its __consumer_offsets partition has committed; right after that
        // partition's leader moves, the new leader's high watermark can lag the old one's, and the
        // answer then misses commits that were acknowledged (seen here as offsets going backwards).
        requireStable: true,
      }),
      // v7 is the last version with the single-group fields this builds.
      { version: 7 },
    )
    const topLevel = errorFromCode(response.errorCode, { api: 'OffsetFetch', entity: groupId })
    if (topLevel) throw topLevel
    const offsets = Array.from({ length: partitions }, () => -1n)
    for (const answer of response.topics[0]?.partitions ?? []) {
      const error = errorFromCode(answer.errorCode, { api: 'OffsetFetch', entity: `${topic}-${answer.partitionIndex}` })
      if (error) throw error
      offsets[answer.partitionIndex] = answer.committedOffset
    }
    return offsets
  } catch (error) {
    client.cluster.invalidateCoordinator('group', groupId)
    throw error
  }
}

/** The end offset (high watermark) of each partition of a topic, from each leader. */
export async function endOffsets(client: KafkaClient, topic: string, partitions: number): Promise<bigint[]> {
  return Promise.all(
    Array.from({ length: partitions }, async (_, partition) => {
      const response = await client.cluster.requestToLeader(
        topic,
        partition,
        'ListOffsets',
        createListOffsetsRequest({
          replicaId: -1,
          topics: [
            createListOffsetsRequestListOffsetsTopic({
              name: topic,
              partitions: [createListOffsetsRequestListOffsetsPartition({ partitionIndex: partition, timestamp: -1n })],
            }),
          ],
        }),
        { errorCodeOf: (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0, deadlineMs: 30_000 },
      )
      return response.topics[0]!.partitions[0]!.offset
    }),
  )
}
