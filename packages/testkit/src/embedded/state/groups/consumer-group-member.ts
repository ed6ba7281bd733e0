/** Partitions by topic id, as KIP-848 assignments name topics. */
export type TopicIdPartitions = Map<string, Set<number>>

/**
 * Where a member of a consumer group stands in its reconciliation, as in
 * Kafka's MemberState: STABLE once it owns its whole target assignment,
 * UNREVOKED_PARTITIONS while it still has to give partitions up (its epoch
 * stays behind), UNRELEASED_PARTITIONS when it is at the target epoch but
 * waits for partitions that other members still own.
 */
export type ConsumerMemberState = 'STABLE' | 'UNREVOKED_PARTITIONS' | 'UNRELEASED_PARTITIONS'

/** Epoch a member heartbeats with to leave the group. */
export const LEAVE_GROUP_MEMBER_EPOCH = -1
/** Epoch a static member heartbeats with to leave for now, keeping its assignment until its session expires. */
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2

/** One member of a KIP-848 consumer group (Kafka's ConsumerGroupMember). */
export interface ConsumerGroupMember {
  memberId: string
  instanceId: string | null
  rackId: string | null
  clientId: string
  clientHost: string
  rebalanceTimeoutMs: number
  serverAssignor: string | null
  subscribedTopicNames: string[]
  subscribedTopicRegex: string | null
  memberEpoch: number
  previousMemberEpoch: number
  state: ConsumerMemberState
  /** What the member may own now: its response assignment. */
  assignedPartitions: TopicIdPartitions
  /** What it must give up before the partitions move on; it still owns them until it says otherwise. */
  partitionsPendingRevocation: TopicIdPartitions
}

export function newConsumerGroupMember(memberId: string): ConsumerGroupMember {
  return {
    memberId,
    instanceId: null,
    rackId: null,
    clientId: '',
    clientHost: '',
    rebalanceTimeoutMs: -1,
    serverAssignor: null,
    subscribedTopicNames: [],
    subscribedTopicRegex: null,
    memberEpoch: 0,
    previousMemberEpoch: 0,
    state: 'STABLE',
    assignedPartitions: new Map(),
    partitionsPendingRevocation: new Map(),
  }
}

export function copyPartitions(partitions: TopicIdPartitions): TopicIdPartitions {
  return new Map([...partitions].map(([topicId, set]) => [topicId, new Set(set)]))
}

export function samePartitions(a: TopicIdPartitions, b: TopicIdPartitions): boolean {
  const nonEmpty = (m: TopicIdPartitions) => [...m].filter(([, s]) => s.size > 0)
  const left = nonEmpty(a)
  if (left.length !== nonEmpty(b).length) return false
  return left.every(([topicId, set]) => {
    const other = b.get(topicId)
    return other !== undefined && other.size === set.size && [...set].every((p) => other.has(p))
  })
}

export function addPartition(partitions: TopicIdPartitions, topicId: string, partition: number): void {
  const set = partitions.get(topicId) ?? new Set<number>()
  partitions.set(topicId, set)
  set.add(partition)
}

export function countPartitions(partitions: TopicIdPartitions): number {
  let count = 0
  for (const set of partitions.values()) count += set.size
  return count
}
