// What every assignor starts from, built the way Java's AbstractPartitionAssignor builds it:
// the members in a HashMap filled in JoinGroup order, the subscribed topics that have
// partitions in a HashMap filled from a HashSet of all subscribed topics, each topic's
// partitions sorted by number. Keeping Java's hash orders keeps Java's tie-breaks.
import { InvalidMessageError } from '@kafkit/protocol'
import { JavaHashMap, JavaHashSet, STRING_KEY } from './java-hash-map.js'
import type { ClusterPartitions, GroupMember, PartitionMetadata, Subscription } from './types.js'

export interface AssignmentInput {
  readonly subscriptions: JavaHashMap<string, Subscription>
  readonly groupInstanceIds: ReadonlyMap<string, string | null>
  readonly partitionsPerTopic: JavaHashMap<string, readonly PartitionMetadata[]>
}

export function assignmentInput(cluster: ClusterPartitions, members: readonly GroupMember[]): AssignmentInput {
  const subscriptions = new JavaHashMap<string, Subscription>(STRING_KEY)
  const groupInstanceIds = new Map<string, string | null>()
  for (const member of members) {
    if (groupInstanceIds.has(member.memberId)) {
      throw new InvalidMessageError(`member ${member.memberId} appears twice in the group; member ids must be unique`)
    }
    subscriptions.set(member.memberId, member.subscription)
    groupInstanceIds.set(member.memberId, member.groupInstanceId)
  }
  const allTopics = new JavaHashSet(STRING_KEY)
  for (const [, subscription] of subscriptions) for (const topic of subscription.topics) allTopics.add(topic)
  const partitionsPerTopic = new JavaHashMap<string, readonly PartitionMetadata[]>(STRING_KEY)
  for (const topic of allTopics) {
    const partitions = cluster.get(topic)
    if (partitions !== undefined && partitions.length > 0) {
      partitionsPerTopic.set(
        topic,
        [...partitions].sort((a, b) => a.partition - b.partition),
      )
    }
  }
  return { subscriptions, groupInstanceIds, partitionsPerTopic }
}

/** Racks of a partition's replicas, without brokers that have none. */
export function replicaRacks(partition: PartitionMetadata): Set<string> {
  const racks = new Set<string>()
  for (const rack of partition.replicaRacks) if (rack !== null) racks.add(rack)
  return racks
}

/**
 * KIP-881: rack-aware assignment applies when some consumer has a rack that some partition's
 * replicas are on, unless every partition has replicas on all the racks (then racks change nothing).
 */
export function useRackAwareAssignment(
  consumerRacks: ReadonlySet<string>,
  partitionRacks: ReadonlySet<string>,
  racksPerPartition: Iterable<ReadonlySet<string>>,
): boolean {
  if (consumerRacks.size === 0) return false
  let overlap = false
  for (const rack of consumerRacks) if (partitionRacks.has(rack)) overlap = true
  if (!overlap) return false
  for (const racks of racksPerPartition) if (!sameSet(racks, partitionRacks)) return true
  return false
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false
  for (const value of a) if (!b.has(value)) return false
  return true
}

/** Java's MemberInfo order: static members first by group.instance.id, then dynamic ones by member id. */
export function compareMembers(
  a: { memberId: string; groupInstanceId: string | null },
  b: { memberId: string; groupInstanceId: string | null },
): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compare(a.groupInstanceId, b.groupInstanceId)
  if (a.groupInstanceId !== null) return -1
  if (b.groupInstanceId !== null) return 1
  return compare(a.memberId, b.memberId)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
