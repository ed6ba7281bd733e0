import type { KafkaClient } from '@kafkit/client'
import { errorFromCode, type KafkaError, type ListOffsetsResponse } from '@kafkit/protocol'
import type { TopicPartition } from '../assignors/types.js'
import { partitionKey } from '../subscription-state.js'

/** ListOffsets timestamps that stand for the log's ends. */
export const EARLIEST_TIMESTAMP = -2n
export const LATEST_TIMESTAMP = -1n

export interface ListedOffset {
  offset: bigint
  leaderEpoch: number
}

export interface ListOffsetsResult {
  offsets: Map<string, ListedOffset>
  /** Partitions that failed with a retriable error (leader moved): ask again after a metadata refresh. */
  retry: TopicPartition[]
}

/**
 * The offset at `timestamp` (or the earliest / latest offset) of each
 * partition, one ListOffsets per leader. With read_committed the latest offset
 * is the last stable offset, as in Java.
 */
export async function listOffsets(
  client: KafkaClient,
  requests: readonly { tp: TopicPartition; timestamp: bigint }[],
  readCommitted: boolean,
  signal?: AbortSignal,
): Promise<ListOffsetsResult> {
  const cluster = client.cluster
  const byLeader = new Map<number, { tp: TopicPartition; timestamp: bigint }[]>()
  const retry: TopicPartition[] = []
  for (const request of requests) {
    let leader = cluster.metadata.partition(request.tp.topic, request.tp.partition)?.leader ?? -1
    if (leader < 0) {
      await cluster.refreshMetadata({ topics: [request.tp.topic], signal })
      leader = cluster.metadata.partition(request.tp.topic, request.tp.partition)?.leader ?? -1
    }
    if (leader < 0) {
      retry.push(request.tp)
      continue
    }
    const list = byLeader.get(leader)
    if (list) list.push(request)
    else byLeader.set(leader, [request])
  }
  const offsets = new Map<string, ListedOffset>()
  await Promise.all(
    [...byLeader].map(async ([leader, list]) => {
      const topics = new Map<string, { tp: TopicPartition; timestamp: bigint }[]>()
      for (const r of list) topics.set(r.tp.topic, [...(topics.get(r.tp.topic) ?? []), r])
      let response: ListOffsetsResponse
      try {
        response = await cluster.request(
          leader,
          'ListOffsets',
          {
            replicaId: -1,
            isolationLevel: readCommitted ? 1 : 0,
            timeoutMs: 30_000,
            topics: [...topics].map(([name, rs]) => ({
              name,
              partitions: rs.map((r) => ({
                partitionIndex: r.tp.partition,
                currentLeaderEpoch: cluster.metadata.partition(name, r.tp.partition)?.leaderEpoch ?? -1,
                timestamp: r.timestamp,
              })),
            })),
          },
          { signal },
        )
      } catch (error) {
        if (!(error as KafkaError).retriable) throw error
        retry.push(...list.map((r) => r.tp))
        return
      }
      for (const topic of response.topics) {
        for (const p of topic.partitions) {
          const tp = { topic: topic.name, partition: p.partitionIndex }
          if (p.errorCode === 0) {
            offsets.set(partitionKey(tp.topic, tp.partition), { offset: p.offset, leaderEpoch: p.leaderEpoch })
            continue
          }
          const error = errorFromCode(p.errorCode, {
            api: 'ListOffsets',
            entity: partitionKey(tp.topic, tp.partition),
          })!
          if (!error.retriable) throw error
          retry.push(tp)
        }
      }
    }),
  )
  if (retry.length > 0) await cluster.refreshMetadata({ topics: [...new Set(retry.map((tp) => tp.topic))], signal })
  return { offsets, retry }
}
