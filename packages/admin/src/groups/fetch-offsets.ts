import { type OffsetFetchResponse, ZERO_UUID } from '@kafkit/protocol'
import type { AdminEntryFailure } from '../admin-error.js'
import { unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { optionalBoolean, requireName, requireOptions } from '../arguments.js'
import { entryError, retriableCode } from './group-errors.js'
import { checkTopicSelections, partitionName, resolveTopicPartitions, type TopicSelection } from './topic-partitions.js'

export interface FetchOffsetsRequest {
  groupId: string
  /** Topics (all their partitions) or { topic, partitions }; default: every partition the group has an offset for. */
  topics?: readonly TopicSelection[]
  /** Wait out offsets of open transactions (UNSTABLE_OFFSET_COMMIT is retried) instead of reading the last stable ones. Default false. */
  requireStable?: boolean
}

/** A group's committed offset of one partition. */
export interface GroupPartitionOffset {
  partition: number
  /** The next offset the group will read; -1n when the group has committed nothing for the partition. */
  offset: bigint
  /** The leader epoch of the committed record, null when unknown. */
  leaderEpoch: number | null
  /** The metadata string committed with the offset. */
  metadata: string | null
}

export interface GroupTopicOffsets {
  topic: string
  partitions: GroupPartitionOffset[]
}

/** Committed offsets by topic then partition; a partition without one has offset -1n. */
export type CommittedOffsets = Map<string, Map<number, GroupPartitionOffset>>

/**
 * A group's committed offsets (OffsetFetch at its coordinator), kafkajs's
 * fetchOffsets and Java's listConsumerGroupOffsets. Topics named without
 * partitions stand for all their partitions, each listed (offset -1n where
 * nothing is committed); without topics, every partition the group has an
 * offset for. Errors of single partitions reject with AdminPartialFailureError.
 */
export async function fetchOffsets(router: AdminRouter, request: FetchOffsetsRequest): Promise<GroupTopicOffsets[]> {
  requireOptions(request, 'fetchOffsets request', ['groupId', 'topics', 'requireStable'])
  const groupId = requireName(request.groupId, 'fetchOffsets groupId')
  const requireStable = optionalBoolean(request.requireStable, 'fetchOffsets requireStable') ?? false
  const wanted =
    request.topics === undefined
      ? null
      : await resolveTopicPartitions(router, checkTopicSelections(request.topics, 'fetchOffsets topics'))
  const failures: AdminEntryFailure[] = []
  const committed = await readCommittedOffsets(router, groupId, wanted, { requireStable, failures })
  const result = [...committed].map(([topic, partitions]) => ({ topic, partitions: [...partitions.values()] }))
  return unlessFailures('fetchOffsets', failures, result)
}

/**
 * OffsetFetch for `partitions` (null: all the group has), by topic and
 * partition, in the order asked (or the broker's). Partition errors go to
 * `failures` when given, else reject.
 */
export async function readCommittedOffsets(
  router: AdminRouter,
  groupId: string,
  partitions: ReadonlyMap<string, readonly number[]> | null,
  options: { requireStable?: boolean; failures?: AdminEntryFailure[] } = {},
): Promise<CommittedOffsets> {
  const topics =
    partitions === null
      ? null
      : [...partitions].map(([name, indexes]) => ({ name, topicId: ZERO_UUID, partitionIndexes: [...indexes] }))
  const response: OffsetFetchResponse = await router.toCoordinator(
    'group',
    groupId,
    'OffsetFetch',
    (version) =>
      version >= 8
        ? {
            groupId: '',
            topics: [],
            requireStable: options.requireStable ?? false,
            groups: [{ groupId, memberId: null, memberEpoch: -1, topics }],
          }
        : {
            groupId,
            topics: topics?.map(({ name, partitionIndexes }) => ({ name, partitionIndexes })) ?? null,
            groups: [],
            requireStable: options.requireStable ?? false,
          },
    (r) => retriableCode(groupCode(r)) || firstRetriablePartitionCode(r),
  )
  const groupError = entryError(groupCode(response), 'OffsetFetch', groupId)
  if (groupError) throw groupError
  const answered = response.groups[0]?.topics ?? response.topics
  const result: CommittedOffsets = new Map()
  // Keep the order asked for; partitions the broker left out have nothing committed.
  for (const [topic, indexes] of partitions ?? []) {
    result.set(topic, new Map(indexes.map((partition) => [partition, noOffset(partition)])))
  }
  for (const topic of answered) {
    const byPartition = result.get(topic.name) ?? new Map<number, GroupPartitionOffset>()
    result.set(topic.name, byPartition)
    for (const p of topic.partitions) {
      const error = entryError(p.errorCode, 'OffsetFetch', partitionName(topic.name, p.partitionIndex))
      if (error) {
        if (!options.failures) throw error
        options.failures.push({ entry: partitionName(topic.name, p.partitionIndex), error })
        byPartition.delete(p.partitionIndex)
        continue
      }
      // Kafka answers a partition without a commit with offset -1 and metadata "".
      if (p.committedOffset < 0n) {
        byPartition.set(p.partitionIndex, noOffset(p.partitionIndex))
        continue
      }
      byPartition.set(p.partitionIndex, {
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch < 0 ? null : p.committedLeaderEpoch,
        metadata: p.metadata,
      })
    }
  }
  for (const [topic, byPartition] of result) {
    result.set(topic, new Map([...byPartition].sort(([a], [b]) => a - b)))
  }
  return result
}

function noOffset(partition: number): GroupPartitionOffset {
  return { partition, offset: -1n, leaderEpoch: null, metadata: null }
}

function groupCode(response: OffsetFetchResponse): number {
  return response.groups[0]?.errorCode ?? response.errorCode
}

function firstRetriablePartitionCode(response: OffsetFetchResponse): number {
  for (const topic of response.groups[0]?.topics ?? response.topics) {
    for (const p of topic.partitions) {
      const code = retriableCode(p.errorCode)
      if (code) return code
    }
  }
  return 0
}
