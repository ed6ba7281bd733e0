import type { KafkaClient } from '@kafkit/client'
import {
  createFetchRequest,
  createFetchRequestFetchPartition,
  createFetchRequestFetchTopic,
  type FetchResponsePartitionData,
  ZERO_UUID,
} from '@kafkit/protocol'

export interface FetchAtOptions {
  /** 0 read_uncommitted (the default), 1 read_committed. */
  isolationLevel?: 0 | 1
  maxBytes: number
  partitionMaxBytes: number
  /** How long retries of a retriable error may go on (the client's request timeout when not set). */
  deadlineMs?: number
}

/**
 * One Fetch of a partition from `offset`, without waiting for data, sent to its
 * leader (found again after a leader change, retried on a retriable error):
 * the answer for that partition, for test helpers that read a log through.
 */
export async function fetchAt(
  client: KafkaClient,
  topic: string,
  partition: number,
  offset: bigint,
  { isolationLevel = 0, maxBytes, partitionMaxBytes, deadlineMs }: FetchAtOptions,
): Promise<FetchResponsePartitionData> {
  const response = await client.cluster.requestToLeader(
    topic,
    partition,
    'Fetch',
    createFetchRequest({
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes,
      isolationLevel,
      topics: [
        createFetchRequestFetchTopic({
          topic,
          topicId: client.cluster.metadata.topic(topic)?.topicId ?? ZERO_UUID,
          partitions: [createFetchRequestFetchPartition({ partition, fetchOffset: offset, partitionMaxBytes })],
        }),
      ],
    }),
    { deadlineMs, errorCodeOf: (r) => r.responses[0]?.partitions[0]?.errorCode ?? 0 },
  )
  const data = response.responses[0]?.partitions[0]
  if (!data) throw new Error(`no fetch answer for ${topic}-${partition}`)
  return data
}
