import { type DeleteRecordsResponse, errorFromCode } from '@kafkit/protocol'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { optionalInteger, requireName, requireNonEmptyArray, requireOffset, requireOptions } from '../arguments.js'
import type { EntryOutcome } from '../entry-outcomes.js'
import { checkPartitions, type PartitionEntry, partitionName, sendToLeaders } from './partition-leaders.js'

/** Delete the records of `topic`-`partition` before `offset`; -1n deletes up to the high watermark (all of them). */
export interface RecordsToDelete {
  topic: string
  partition: number
  offset: bigint
}

export interface DeleteRecordsRequest {
  partitions: readonly RecordsToDelete[]
  /** How long each leader may wait for its followers to apply the deletion, in milliseconds. Default 30 000. */
  timeoutMs?: number
}

/** A partition after the deletion: its first offset now (Java's DeletedRecords). */
export interface DeletedRecords {
  topic: string
  partition: number
  lowWatermark: bigint
}

/** kafkajs's deleteTopicRecords argument: one topic, offsets by partition. */
export interface DeleteTopicRecordsRequest {
  topic: string
  partitions: readonly { partition: number; offset: bigint }[]
  timeoutMs?: number
}

/**
 * DeleteRecords, one request per partition leader: moves each partition's
 * start (low watermark) to the given offset. An offset beyond the high
 * watermark fails as OffsetOutOfRangeError.
 */
export async function deleteRecords(router: AdminRouter, request: DeleteRecordsRequest): Promise<DeletedRecords[]> {
  requireOptions(request, 'deleteRecords()', ['partitions', 'timeoutMs'])
  const timeoutMs = optionalInteger(request.timeoutMs, 'deleteRecords timeoutMs', 1) ?? 30_000
  const entries = checkPartitions(
    'deleteRecords',
    request.partitions,
    "[{ topic: 'orders', partition: 0, offset: 100n }]",
    'offset',
    (entry, what) => ({ offset: requireOffset(entry.offset, `${what}.offset`, -1n) }),
  )
  const { succeeded, failures } = await sendToLeaders(router, entries, async (leader, list) => {
    const topics = new Map<string, typeof list>()
    for (const entry of list) topics.set(entry.topic, [...(topics.get(entry.topic) ?? []), entry])
    const response: DeleteRecordsResponse = await router.client.cluster.request(leader, 'DeleteRecords', {
      topics: [...topics].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) => ({ partitionIndex: p.partition, offset: p.offset })),
      })),
      timeoutMs,
    })
    return outcomesOf(response, list, String(leader))
  })
  return unlessFailures('deleteRecords', failures, [...succeeded.values()])
}

function outcomesOf<E extends PartitionEntry>(
  response: DeleteRecordsResponse,
  entries: readonly E[],
  broker: string,
): Map<E, EntryOutcome<DeletedRecords>> {
  const outcomes = new Map<E, EntryOutcome<DeletedRecords>>()
  for (const topic of response.topics) {
    for (const p of topic.partitions) {
      const entry = entries.find((e) => e.topic === topic.name && e.partition === p.partitionIndex)
      if (!entry) continue
      const error = errorFromCode(p.errorCode, { api: 'DeleteRecords', entity: partitionName(entry), broker })
      outcomes.set(
        entry,
        error
          ? { error, retry: error.retriable }
          : { result: { topic: entry.topic, partition: entry.partition, lowWatermark: p.lowWatermark } },
      )
    }
  }
  return outcomes
}

/** kafkajs's deleteTopicRecords: deleteRecords for the partitions of one topic. */
export async function deleteTopicRecords(
  router: AdminRouter,
  request: DeleteTopicRecordsRequest,
): Promise<DeletedRecords[]> {
  requireOptions(request, 'deleteTopicRecords()', ['topic', 'partitions', 'timeoutMs'])
  const topic = requireName(request.topic, 'deleteTopicRecords topic')
  const partitions = requireNonEmptyArray(
    request.partitions,
    'deleteTopicRecords partitions',
    '[{ partition: 0, offset: 100n }]',
  )
  return deleteRecords(router, {
    partitions: partitions.map((p) => ({ ...p, topic })),
    ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
  })
}
