import type { AdminRouter } from '../admin-router.js'
import { requireName, requireOptions } from '../arguments.js'
import { describeGroupIfExists, type GroupMemberDescription } from './describe-groups.js'
import { readCommittedOffsets } from './fetch-offsets.js'
import { lookUpOffsets } from './partition-end-offsets.js'
import { checkTopicSelections, resolveTopicPartitions, type TopicSelection } from './topic-partitions.js'

export interface FetchGroupLagRequest {
  groupId: string
  /** Topics (all their partitions) or { topic, partitions }; default: the partitions the group has offsets for or owns. */
  topics?: readonly TopicSelection[]
}

/** One partition's row of kafka-consumer-groups --describe. */
export interface PartitionLag {
  topic: string
  partition: number
  /** The group's committed offset, null when it has committed none (the script's "-"). */
  committedOffset: bigint | null
  /** The partition's log end offset. */
  endOffset: bigint
  /** endOffset - committedOffset, null without a committed offset. */
  lag: bigint | null
  /** The member that owns the partition now, null when none does. */
  memberId: string | null
  clientId: string | null
  clientHost: string | null
}

export interface GroupLag {
  groupId: string
  /** The group's state, null when the coordinator does not know the group. */
  state: string | null
  partitions: PartitionLag[]
  /** The sum of the lag of the partitions with a committed offset. */
  totalLag: bigint
  /**
   * Partitions without a committed offset: their lag is unknown (null) and not
   * in totalLag, so `totalLag === 0n` means caught up only when this is 0.
   */
  uncommittedPartitions: number
}

/**
 * A group's lag per partition: its committed offsets (OffsetFetch) against the
 * partitions' end offsets (ListOffsets at their leaders), with the member that
 * owns each partition, as kafka-consumer-groups --describe shows them.
 */
export async function fetchGroupLag(router: AdminRouter, request: FetchGroupLagRequest): Promise<GroupLag> {
  requireOptions(request, 'fetchGroupLag request', ['groupId', 'topics'])
  const groupId = requireName(request.groupId, 'fetchGroupLag groupId')
  const selections =
    request.topics === undefined ? undefined : checkTopicSelections(request.topics, 'fetchGroupLag topics')
  const group = await describeGroupIfExists(router, groupId)
  const owners = new Map<string, GroupMemberDescription>()
  for (const member of group?.members ?? []) {
    for (const { topic, partitions } of member.assignment)
      for (const p of partitions) owners.set(`${topic}\0${p}`, member)
  }
  const wanted = selections === undefined ? null : await resolveTopicPartitions(router, selections)
  const committed = await readCommittedOffsets(router, groupId, wanted)
  if (wanted === null) {
    // Owned partitions the group has not committed yet count too.
    for (const key of owners.keys()) {
      const [topic = '', partition = ''] = key.split('\0')
      const byPartition = committed.get(topic) ?? new Map()
      committed.set(topic, byPartition)
      if (!byPartition.has(Number(partition))) {
        byPartition.set(Number(partition), {
          partition: Number(partition),
          offset: -1n,
          leaderEpoch: null,
          metadata: null,
        })
      }
    }
  }
  const partitions = new Map(
    [...committed].map(([topic, byPartition]) => [topic, [...byPartition.keys()].sort((a, b) => a - b)]),
  )
  const ends = await lookUpOffsets(router, partitions, 'latest')
  const rows: PartitionLag[] = []
  let totalLag = 0n
  let uncommittedPartitions = 0
  for (const [topic, indexes] of [...partitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const partition of indexes) {
      const offset = committed.get(topic)?.get(partition)?.offset ?? -1n
      const endOffset = ends.get(topic)?.get(partition) ?? 0n
      const committedOffset = offset < 0n ? null : offset
      // A commit past the end (the log was truncated or deleted) shows no negative lag.
      const lag = committedOffset === null ? null : endOffset > committedOffset ? endOffset - committedOffset : 0n
      if (lag === null) uncommittedPartitions++
      else totalLag += lag
      const owner = owners.get(`${topic}\0${partition}`)
      rows.push({
        topic,
        partition,
        committedOffset,
        endOffset,
        lag,
        memberId: owner?.memberId ?? null,
        clientId: owner?.clientId ?? null,
        clientHost: owner?.clientHost ?? null,
      })
    }
  }
  return { groupId, state: group?.state ?? null, partitions: rows, totalLag, uncommittedPartitions }
}
