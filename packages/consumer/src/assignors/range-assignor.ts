// 'range': per topic, the members subscribed to it (sorted, static members first) each get a
// contiguous range of its partitions, the first (partitions % members) one extra. With racks
// (KIP-881) partitions go to same-rack members first, co-partitioned topics (same members,
// same partition count) keeping partition p of each on one member, before the plain ranges
// fill in the rest. Same choices as Java's RangeAssignor.
import { assignmentInput, compareMembers, replicaRacks, useRackAwareAssignment } from './assignment-input.js'
import {
  type Assignment,
  type Assignor,
  type ClusterPartitions,
  compareTopicPartitions,
  type GroupMember,
  type PartitionMetadata,
  type RebalanceProtocol,
  type TopicPartition,
} from './types.js'

class TopicState {
  /** Members subscribed to the topic, in MemberInfo order, with their rack. */
  readonly consumers = new Map<string, string | null>()
  readonly needsRackAwareAssignment: boolean
  /** Racks of each partition; empty when no member of the topic has a rack. */
  readonly partitionRacks = new Map<number, Set<string>>()
  /** Partition numbers not yet assigned, ascending. */
  readonly unassigned: number[]
  private readonly assignedCount = new Map<string, number>()
  private readonly perConsumer: number
  private withExtra: number

  constructor(
    readonly topic: string,
    partitions: readonly PartitionMetadata[],
    members: readonly { memberId: string; groupInstanceId: string | null }[],
    consumerRacks: ReadonlyMap<string, string>,
  ) {
    for (const member of [...members].sort(compareMembers)) {
      this.consumers.set(member.memberId, consumerRacks.get(member.memberId) ?? null)
      this.assignedCount.set(member.memberId, 0)
    }
    this.unassigned = partitions.map((p) => p.partition)
    const count = this.consumers.size
    this.perConsumer = count === 0 ? 0 : Math.floor(partitions.length / count)
    this.withExtra = count === 0 ? 0 : partitions.length % count

    const allConsumerRacks = new Set<string>()
    for (const rack of this.consumers.values()) if (rack !== null) allConsumerRacks.add(rack)
    const allPartitionRacks = new Set<string>()
    if (allConsumerRacks.size > 0) {
      for (const p of partitions) {
        const racks = replicaRacks(p)
        this.partitionRacks.set(p.partition, racks)
        for (const rack of racks) allPartitionRacks.add(rack)
      }
    }
    this.needsRackAwareAssignment = useRackAwareAssignment(
      allConsumerRacks,
      allPartitionRacks,
      this.partitionRacks.values(),
    )
  }

  /** A member without a rack matches every partition; one with a rack only partitions with a replica there. */
  racksMatch(consumer: string, partition: number): boolean {
    const rack = this.consumers.get(consumer) ?? null
    return rack === null || (this.partitionRacks.get(partition)?.has(rack) ?? false)
  }

  maxAssignable(consumer: string): number {
    const max = this.perConsumer + (this.withExtra > 0 ? 1 : 0) - (this.assignedCount.get(consumer) ?? 0)
    return Math.max(0, max)
  }

  onAssigned(consumer: string, partitions: readonly number[]): void {
    const count = (this.assignedCount.get(consumer) ?? 0) + partitions.length
    this.assignedCount.set(consumer, count)
    if (count > this.perConsumer) this.withExtra--
    for (const partition of partitions) {
      const index = this.unassigned.indexOf(partition)
      if (index >= 0) this.unassigned.splice(index, 1)
    }
  }

  /** Identifies the member list, as Java groups topics by their consumers map. */
  consumersKey(): string {
    return JSON.stringify([...this.consumers])
  }
}

export class RangeAssignor implements Assignor {
  readonly name = 'range'
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['EAGER']

  subscriptionUserData(): Uint8Array | null {
    return null
  }

  assign(cluster: ClusterPartitions, members: readonly GroupMember[]): Map<string, Assignment> {
    const { subscriptions, groupInstanceIds, partitionsPerTopic } = assignmentInput(cluster, members)
    const membersPerTopic = new Map<string, { memberId: string; groupInstanceId: string | null }[]>()
    const consumerRacks = new Map<string, string>()
    for (const [memberId, subscription] of subscriptions) {
      const info = { memberId, groupInstanceId: groupInstanceIds.get(memberId) ?? null }
      for (const topic of subscription.topics) {
        const list = membersPerTopic.get(topic) ?? []
        list.push(info)
        membersPerTopic.set(topic, list)
      }
      if (subscription.rackId !== null && subscription.rackId !== '') consumerRacks.set(memberId, subscription.rackId)
    }
    const states = [...partitionsPerTopic].map(
      ([topic, partitions]) => new TopicState(topic, partitions, membersPerTopic.get(topic) ?? [], consumerRacks),
    )
    const assignment = new Map<string, TopicPartition[]>()
    for (const [memberId] of subscriptions) assignment.set(memberId, [])

    const rackAware = states.some((state) => state.needsRackAwareAssignment)
    if (rackAware) assignWithRackMatching(states, assignment)
    for (const state of states) assignRanges(state, () => true, assignment)
    if (rackAware) for (const list of assignment.values()) list.sort(compareTopicPartitions)

    return new Map([...assignment].map(([memberId, partitions]) => [memberId, { partitions, userData: null }]))
  }
}

function assignRanges(
  state: TopicState,
  mayAssign: (consumer: string, partition: number) => boolean,
  assignment: Map<string, TopicPartition[]>,
): void {
  for (const consumer of state.consumers.keys()) {
    if (state.unassigned.length === 0) break
    const assignable = state.unassigned
      .filter((partition) => mayAssign(consumer, partition))
      .slice(0, state.maxAssignable(consumer))
    if (assignable.length > 0) assign(consumer, assignable, state, assignment)
  }
}

function assignWithRackMatching(states: readonly TopicState[], assignment: Map<string, TopicPartition[]>): void {
  const byConsumers = new Map<string, TopicState[]>()
  for (const state of states) {
    const key = state.consumersKey()
    byConsumers.set(key, [...(byConsumers.get(key) ?? []), state])
  }
  for (const group of byConsumers.values()) {
    const byPartitionCount = new Map<number, TopicState[]>()
    for (const state of group) {
      const count = state.partitionRacks.size
      byPartitionCount.set(count, [...(byPartitionCount.get(count) ?? []), state])
    }
    for (const [partitionCount, coPartitioned] of byPartitionCount) {
      const first = coPartitioned[0] as TopicState
      if (coPartitioned.length > 1) assignCoPartitioned(first, partitionCount, coPartitioned, assignment)
      else if (first.needsRackAwareAssignment) assignRanges(first, (c, p) => first.racksMatch(c, p), assignment)
    }
  }
}

/** Partition p of every co-partitioned topic goes to the first member whose rack matches p in all of them. */
function assignCoPartitioned(
  first: TopicState,
  partitionCount: number,
  states: readonly TopicState[],
  assignment: Map<string, TopicPartition[]>,
): void {
  const remaining = [...first.consumers.keys()]
  for (let p = 0; p < partitionCount; p++) {
    const consumer = remaining.find((c) => states.every((t) => t.racksMatch(c, p) && t.maxAssignable(c) > 0))
    if (consumer === undefined) continue
    for (const state of states) assign(consumer, [p], state, assignment)
    if (states.every((t) => t.maxAssignable(consumer) <= 0)) {
      remaining.splice(remaining.indexOf(consumer), 1)
      if (remaining.length === 0) break
    }
  }
}

function assign(
  consumer: string,
  partitions: readonly number[],
  state: TopicState,
  assignment: Map<string, TopicPartition[]>,
): void {
  const list = assignment.get(consumer) as TopicPartition[]
  for (const partition of partitions) list.push({ topic: state.topic, partition })
  state.onAssigned(consumer, partitions)
}
