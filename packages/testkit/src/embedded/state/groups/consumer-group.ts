import type { ClusterState } from '../cluster-state.js'
import {
  type ConsumerGroupMember,
  copyPartitions,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  type TopicIdPartitions,
} from './consumer-group-member.js'
import { DEFAULT_SERVER_ASSIGNOR, SERVER_ASSIGNORS } from './server-assignors.js'
import { matchesSubscriptionRegex } from './subscription-regex.js'

/** A consumer group's state as DescribeGroups/ConsumerGroupDescribe/ListGroups name it. */
export type ConsumerGroupStateName = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead'

/**
 * A KIP-848 consumer group (Kafka's ConsumerGroup): members, the group epoch
 * (bumped when membership, subscriptions or the subscribed topics' partitions
 * change), the target assignment and the epoch it was computed at. The
 * heartbeat logic that drives it lives in consumer-group-heartbeat.ts.
 */
export class ConsumerGroup {
  groupEpoch = 0
  assignmentEpoch = 0
  readonly members = new Map<string, ConsumerGroupMember>()
  /** Member id of each static member, by instance id. */
  readonly staticMembers = new Map<string, string>()
  readonly targetAssignment = new Map<string, TopicIdPartitions>()
  /** Partition count of each subscribed topic (by name) at the last epoch bump: a change bumps the epoch again. */
  subscriptionMetadata = new Map<string, number>()
  dead = false

  constructor(readonly groupId: string) {}

  get state(): ConsumerGroupStateName {
    if (this.dead) return 'Dead'
    if (this.members.size === 0) return 'Empty'
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning'
    for (const member of this.members.values()) {
      if (member.memberEpoch !== this.assignmentEpoch || member.state !== 'STABLE') return 'Reconciling'
    }
    return 'Stable'
  }

  member(memberId: string): ConsumerGroupMember | undefined {
    return this.members.get(memberId)
  }

  staticMember(instanceId: string): ConsumerGroupMember | undefined {
    const memberId = this.staticMembers.get(instanceId)
    return memberId === undefined ? undefined : this.members.get(memberId)
  }

  putMember(member: ConsumerGroupMember): void {
    this.members.set(member.memberId, member)
    if (member.instanceId !== null) this.staticMembers.set(member.instanceId, member.memberId)
  }

  removeMember(memberId: string): void {
    const member = this.members.get(memberId)
    if (!member) return
    this.members.delete(memberId)
    this.targetAssignment.delete(memberId)
    if (member.instanceId !== null && this.staticMembers.get(member.instanceId) === memberId) {
      this.staticMembers.delete(member.instanceId)
    }
  }

  /** A static member's restarted instance takes over its member's state under a new member id. */
  replaceStaticMember(previous: ConsumerGroupMember, memberId: string): ConsumerGroupMember {
    const target = this.targetAssignment.get(previous.memberId)
    this.removeMember(previous.memberId)
    const replacement: ConsumerGroupMember = {
      ...previous,
      memberId,
      memberEpoch: 0,
      previousMemberEpoch: 0,
      assignedPartitions: copyPartitions(previous.assignedPartitions),
      partitionsPendingRevocation: copyPartitions(previous.partitionsPendingRevocation),
    }
    this.putMember(replacement)
    if (target) this.targetAssignment.set(memberId, target)
    return replacement
  }

  /** Epoch of the member owning a partition (assigned or still to revoke), or -1. */
  partitionEpoch(topicId: string, partition: number, except?: string): number {
    for (const member of this.members.values()) {
      if (member.memberId === except) continue
      if (
        member.assignedPartitions.get(topicId)?.has(partition) ||
        member.partitionsPendingRevocation.get(topicId)?.has(partition)
      ) {
        return member.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH ? member.previousMemberEpoch : member.memberEpoch
      }
    }
    return -1
  }

  /** The topics some member subscribes to (by name or regex) that exist, with their partition counts. */
  computeSubscriptionMetadata(cluster: ClusterState): Map<string, number> {
    const names = new Set<string>()
    for (const member of this.members.values()) {
      for (const name of member.subscribedTopicNames) names.add(name)
      if (member.subscribedTopicRegex !== null) {
        for (const topic of cluster.topics.keys()) {
          if (matchesSubscriptionRegex(member.subscribedTopicRegex, topic)) names.add(topic)
        }
      }
    }
    const metadata = new Map<string, number>()
    for (const name of [...names].sort()) {
      const topic = cluster.topics.get(name)
      if (topic) metadata.set(name, topic.partitions.length)
    }
    return metadata
  }

  /**
   * The assignor the group uses: the one most members ask for (ties to the
   * first in name order), else the broker's default, as Kafka picks it.
   */
  preferredServerAssignor(defaultAssignor = DEFAULT_SERVER_ASSIGNOR): string {
    const votes = new Map<string, number>()
    for (const member of this.members.values()) {
      if (member.serverAssignor !== null && SERVER_ASSIGNORS.has(member.serverAssignor)) {
        votes.set(member.serverAssignor, (votes.get(member.serverAssignor) ?? 0) + 1)
      }
    }
    let best: string | undefined
    for (const [name, count] of [...votes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (best === undefined || count > (votes.get(best) ?? 0)) best = name
    }
    return best ?? defaultAssignor
  }
}

export function sameMetadata(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([name, count]) => b.get(name) === count)
}
