import { InvalidMessageError, type OffsetCommitResponse, ZERO_UUID } from '@kafkit/protocol'
import { type AdminEntryFailure, unlessFailures } from '../admin-error.js'
import type { AdminRouter } from '../admin-router.js'
import { describe, requireName, requireNonEmptyArray, requireOffset, requireOptions } from '../arguments.js'
import { ActiveGroupError, entryError, retriableCode } from './group-errors.js'
import { byTopic, partitionName, type TopicPartition } from './topic-partitions.js'

/** UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS: what a commit without a member gets from a group that has members. */
const GROUP_HAS_MEMBERS_CODES = new Set([25, 22, 27])

/** An offset to commit for a group: the next offset its consumers will read. */
export interface GroupOffset extends TopicPartition {
  offset: bigint
  /** The leader epoch of the record before `offset`, if known (lets consumers detect truncation). */
  leaderEpoch?: number
  /** A string kept with the offset. Default "". */
  metadata?: string | null
}

export interface AlterGroupOffsetsRequest {
  groupId: string
  offsets: readonly GroupOffset[]
}

/**
 * Commits offsets for a group as an admin (OffsetCommit with generation -1 and
 * no member id), Java's alterConsumerGroupOffsets. Kafka accepts it only while
 * the group has no members: otherwise the call fails with ActiveGroupError.
 * A group that does not exist is created, holding just these offsets.
 */
export async function alterGroupOffsets(
  router: AdminRouter,
  request: AlterGroupOffsetsRequest,
): Promise<GroupOffset[]> {
  requireOptions(request, 'alterGroupOffsets request', ['groupId', 'offsets'])
  const groupId = requireName(request.groupId, 'alterGroupOffsets groupId')
  const offsets = requireNonEmptyArray(
    request.offsets,
    'alterGroupOffsets offsets',
    "[{ topic: 'orders', partition: 0, offset: 42n }]",
  )
  const checked = offsets.map((o) => checkOffset(o))
  return commitGroupOffsets(router, groupId, checked, 'alterGroupOffsets')
}

/** Sends the commit; shared by alterGroupOffsets and resetGroupOffsets. */
export async function commitGroupOffsets(
  router: AdminRouter,
  groupId: string,
  offsets: readonly GroupOffset[],
  operation: string,
): Promise<GroupOffset[]> {
  const response: OffsetCommitResponse = await router.toCoordinator(
    'group',
    groupId,
    'OffsetCommit',
    {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [...byTopic(offsets)].map(([name, list]) => ({
        name,
        topicId: ZERO_UUID,
        partitions: list.map((o) => ({
          partitionIndex: o.partition,
          committedOffset: o.offset,
          committedLeaderEpoch: o.leaderEpoch ?? -1,
          committedMetadata: o.metadata ?? '',
        })),
      })),
    },
    (r) => firstRetriableCode(r),
  )
  const failures: AdminEntryFailure[] = []
  const failed = new Set<string>()
  for (const topic of response.topics) {
    for (const p of topic.partitions) {
      if (GROUP_HAS_MEMBERS_CODES.has(p.errorCode)) throw new ActiveGroupError(groupId, 'active', -1, 'OffsetCommit')
      const entry = partitionName(topic.name, p.partitionIndex)
      const error = entryError(p.errorCode, 'OffsetCommit', entry)
      if (!error) continue
      failures.push({ entry, error })
      failed.add(entry)
    }
  }
  const committed = offsets.filter((o) => !failed.has(partitionName(o.topic, o.partition)))
  return unlessFailures(operation, failures, committed)
}

function firstRetriableCode(response: OffsetCommitResponse): number {
  for (const topic of response.topics) {
    for (const p of topic.partitions) {
      const code = retriableCode(p.errorCode)
      if (code) return code
    }
  }
  return 0
}

function checkOffset(value: GroupOffset): GroupOffset {
  if (value === null || typeof value !== 'object') {
    throw new InvalidMessageError(
      `alterGroupOffsets offsets entries must be { topic, partition, offset }; got ${describe(value)}`,
    )
  }
  requireOptions(value, 'alterGroupOffsets offset', ['topic', 'partition', 'offset', 'leaderEpoch', 'metadata'])
  const topic = requireName(value.topic, 'alterGroupOffsets offset topic')
  if (!Number.isInteger(value.partition) || value.partition < 0) {
    throw new InvalidMessageError(
      `alterGroupOffsets: the partition of ${topic} must be an integer >= 0; got ${describe(value.partition)}`,
    )
  }
  const offset = requireOffset(value.offset, `alterGroupOffsets offset of ${partitionName(topic, value.partition)}`, 0n)
  if (value.leaderEpoch !== undefined && (!Number.isInteger(value.leaderEpoch) || value.leaderEpoch < 0)) {
    throw new InvalidMessageError(
      `alterGroupOffsets leaderEpoch must be an integer >= 0; got ${describe(value.leaderEpoch)}`,
    )
  }
  if (value.metadata !== undefined && value.metadata !== null && typeof value.metadata !== 'string') {
    throw new InvalidMessageError(`alterGroupOffsets metadata must be a string; got ${describe(value.metadata)}`)
  }
  return { ...value, topic, offset }
}
