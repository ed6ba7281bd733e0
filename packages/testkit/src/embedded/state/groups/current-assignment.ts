import {
  addPartition,
  type ConsumerGroupMember,
  copyPartitions,
  type TopicIdPartitions,
} from './consumer-group-member.js'

/** Owner epoch of a partition in the group, or -1 when no member owns it (assigned or pending revocation). */
export type PartitionEpochLookup = (topicId: string, partition: number) => number

/**
 * Moves a member toward its target assignment, as Kafka's
 * CurrentAssignmentBuilder: partitions leave the target are revoked first (the
 * member keeps its epoch and stays UNREVOKED_PARTITIONS until a heartbeat
 * lists owned partitions without them); only then does it move to the target
 * epoch and get new partitions, and only those no other member still owns
 * (the others wait in UNRELEASED_PARTITIONS). `owned` is null when the request
 * did not say (a partial heartbeat): the member is assumed to still own what
 * it must revoke.
 */
export function reconcile(
  member: ConsumerGroupMember,
  targetEpoch: number,
  target: TopicIdPartitions,
  owned: TopicIdPartitions | null,
  partitionEpoch: PartitionEpochLookup,
): ConsumerGroupMember {
  switch (member.state) {
    case 'STABLE':
      if (member.memberEpoch !== targetEpoch) return nextAssignment(member, targetEpoch, target, owned, partitionEpoch)
      return member
    case 'UNREVOKED_PARTITIONS':
      if (ownsAny(owned, member.partitionsPendingRevocation)) return member
      return nextAssignment(member, targetEpoch, target, owned, partitionEpoch)
    case 'UNRELEASED_PARTITIONS':
      return nextAssignment(member, targetEpoch, target, owned, partitionEpoch)
  }
}

function ownsAny(owned: TopicIdPartitions | null, partitions: TopicIdPartitions): boolean {
  if (owned === null) return [...partitions.values()].some((set) => set.size > 0)
  for (const [topicId, set] of partitions) {
    const mine = owned.get(topicId)
    if (mine && [...set].some((p) => mine.has(p))) return true
  }
  return false
}

function nextAssignment(
  member: ConsumerGroupMember,
  targetEpoch: number,
  target: TopicIdPartitions,
  owned: TopicIdPartitions | null,
  partitionEpoch: PartitionEpochLookup,
): ConsumerGroupMember {
  const kept: TopicIdPartitions = new Map()
  const toRevoke: TopicIdPartitions = new Map()
  const newlyFree: TopicIdPartitions = new Map()
  let unreleased = false
  const topicIds = new Set([...target.keys(), ...member.assignedPartitions.keys()])
  for (const topicId of topicIds) {
    const wanted = target.get(topicId) ?? new Set<number>()
    const current = member.assignedPartitions.get(topicId) ?? new Set<number>()
    for (const p of current) {
      if (wanted.has(p)) addPartition(kept, topicId, p)
      else addPartition(toRevoke, topicId, p)
    }
    for (const p of wanted) {
      if (current.has(p)) continue
      if (partitionEpoch(topicId, p) === -1) addPartition(newlyFree, topicId, p)
      else unreleased = true
    }
  }
  if (toRevoke.size > 0 && ownsAny(owned, toRevoke)) {
    return {
      ...member,
      state: 'UNREVOKED_PARTITIONS',
      assignedPartitions: kept,
      partitionsPendingRevocation: toRevoke,
    }
  }
  const assigned = copyPartitions(kept)
  for (const [topicId, set] of newlyFree) for (const p of set) addPartition(assigned, topicId, p)
  return {
    ...member,
    state: unreleased ? 'UNRELEASED_PARTITIONS' : 'STABLE',
    previousMemberEpoch: member.memberEpoch === targetEpoch ? member.previousMemberEpoch : member.memberEpoch,
    memberEpoch: targetEpoch,
    assignedPartitions: assigned,
    partitionsPendingRevocation: new Map(),
  }
}
