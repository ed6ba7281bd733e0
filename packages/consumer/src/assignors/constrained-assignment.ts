// The sticky algorithm when every member subscribes to the same topics (Java's
// ConstrainedAssignmentBuilder). Each member keeps up to its quota of what it owned (min =
// floor(partitions / members), max = ceil; only partitions % members members may reach max),
// then the remaining partitions go round-robin to members still below quota, same-rack
// members first when racks apply.
import { JavaHashMap, type JavaHashSet, TOPIC_PARTITION_KEY } from './java-hash-map.js'
import type { StickyRackInfo } from './sticky-rack-info.js'
import { compareJavaStrings, compareTopicPartitions, type PartitionMetadata, type TopicPartition } from './types.js'

export class ConstrainedAssignment {
  /** New owners of partitions that another member owned (the cooperative assignor holds them back). */
  readonly partitionsTransferringOwnership = new JavaHashMap<TopicPartition, string>(TOPIC_PARTITION_KEY)
  private readonly maybeRevoked = new Map<string, string>()
  private unfilledUnderMin: string[] = []
  private unfilledExactlyMin: string[] = []
  private readonly minQuota: number
  private readonly maxQuota: number
  private readonly expectedOverMin: number
  private currentOverMin = 0
  private readonly assignment = new Map<string, TopicPartition[]>()
  private readonly assignedPartitions: TopicPartition[] = []
  private readonly totalPartitions: number

  constructor(
    private readonly partitionsPerTopic: JavaHashMap<string, readonly PartitionMetadata[]>,
    private readonly rackInfo: StickyRackInfo,
    private readonly currentAssignment: JavaHashMap<string, TopicPartition[]>,
    private readonly partitionsWithMultiplePreviousOwners: JavaHashSet<TopicPartition>,
  ) {
    this.totalPartitions = partitionsPerTopic.values().reduce((sum, partitions) => sum + partitions.length, 0)
    const members = currentAssignment.size
    this.minQuota = Math.floor(this.totalPartitions / members)
    this.maxQuota = Math.ceil(this.totalPartitions / members)
    this.expectedOverMin = this.totalPartitions % members
    for (const [consumer] of currentAssignment) this.assignment.set(consumer, [])
  }

  build(): Map<string, TopicPartition[]> {
    this.assignOwnedPartitions()
    let unassigned = this.unassignedPartitions()
    this.unfilledUnderMin.sort(compareJavaStrings)
    this.unfilledExactlyMin.sort(compareJavaStrings)
    unassigned = this.rackInfo.sortPartitionsByRackConsumers(unassigned)
    this.assignRackAwareRoundRobin(unassigned)
    this.assignRoundRobin(unassigned)
    this.verifyUnfilledMembers()
    return this.assignment
  }

  private assignOwnedPartitions(): void {
    for (const [consumer, claimed] of this.currentAssignment) {
      const owned = claimed
        .filter((tp) => {
          const mismatch = this.rackInfo.racksMismatch(consumer, tp)
          if (mismatch) this.maybeRevoked.set(key(tp), consumer)
          return !mismatch
        })
        .sort((a, b) => a.partition - b.partition || compareJavaStrings(a.topic, b.topic))
      for (const doublyClaimed of this.partitionsWithMultiplePreviousOwners) {
        const index = owned.findIndex((p) => p.topic === doublyClaimed.topic && p.partition === doublyClaimed.partition)
        if (index >= 0) owned.splice(index, 1)
      }
      const target = this.assignment.get(consumer) as TopicPartition[]
      if (owned.length < this.minQuota) {
        target.push(...owned)
        this.assignedPartitions.push(...owned)
        this.unfilledUnderMin.push(consumer)
      } else if (owned.length >= this.maxQuota && this.currentOverMin < this.expectedOverMin) {
        this.currentOverMin++
        if (this.currentOverMin === this.expectedOverMin) this.unfilledExactlyMin = []
        this.keep(consumer, owned, this.maxQuota)
      } else {
        this.keep(consumer, owned, this.minQuota)
        if (this.currentOverMin < this.expectedOverMin) this.unfilledExactlyMin.push(consumer)
      }
    }
  }

  private keep(consumer: string, owned: readonly TopicPartition[], count: number): void {
    const kept = owned.slice(0, count)
    ;(this.assignment.get(consumer) as TopicPartition[]).push(...kept)
    this.assignedPartitions.push(...kept)
    for (const tp of owned.slice(count)) this.maybeRevoked.set(key(tp), consumer)
  }

  /** Every partition not kept, topics in name order. */
  private unassignedPartitions(): TopicPartition[] {
    const topics = this.partitionsPerTopic.keys().sort(compareJavaStrings)
    if (this.assignedPartitions.length === 0) {
      return topics.flatMap((topic) =>
        (this.partitionsPerTopic.get(topic) ?? []).map((p) => ({ topic, partition: p.partition })),
      )
    }
    const assigned = [...this.assignedPartitions].sort(compareTopicPartitions)
    const unassigned: TopicPartition[] = []
    let next = 0
    let addDirectly = false
    for (const topic of topics) {
      const count = this.partitionsPerTopic.get(topic)?.length ?? 0
      for (let i = 0; i < count; i++) {
        const current = assigned[next] as TopicPartition
        if (addDirectly || !(current.topic === topic && current.partition === i)) {
          unassigned.push({ topic, partition: i })
        } else if (next + 1 < assigned.length) {
          next++
        } else {
          addDirectly = true
        }
      }
    }
    return unassigned
  }

  /** Gives partitions to members below quota on one of the partition's racks; `unassigned` loses what is placed. */
  private assignRackAwareRoundRobin(unassigned: TopicPartition[]): void {
    if (this.rackInfo.consumerRacks.size === 0) return
    let nextUnfilled = 0
    for (let i = 0; i < unassigned.length; ) {
      const tp = unassigned[i] as TopicPartition
      let consumer: string | undefined
      let nextIndex = this.rackInfo.nextRackConsumer(tp, this.unfilledUnderMin, nextUnfilled)
      if (nextIndex >= 0) {
        consumer = this.unfilledUnderMin[nextIndex] as string
        const count = (this.assignment.get(consumer)?.length ?? 0) + 1
        if (count >= this.minQuota) {
          this.unfilledUnderMin.splice(this.unfilledUnderMin.indexOf(consumer), 1)
          if (count < this.maxQuota && this.currentOverMin < this.expectedOverMin)
            this.unfilledExactlyMin.push(consumer)
        } else {
          nextIndex++
        }
        nextUnfilled = this.unfilledUnderMin.length === 0 ? 0 : nextIndex % this.unfilledUnderMin.length
      } else if (this.unfilledExactlyMin.length > 0) {
        const firstIndex = this.rackInfo.nextRackConsumer(tp, this.unfilledExactlyMin, 0)
        if (firstIndex >= 0) {
          consumer = this.unfilledExactlyMin[firstIndex] as string
          if ((this.assignment.get(consumer)?.length ?? 0) + 1 === this.maxQuota) {
            this.unfilledExactlyMin.splice(firstIndex, 1)
            this.currentOverMin++
            if (this.currentOverMin === this.expectedOverMin) this.unfilledExactlyMin = []
          }
        }
      }
      if (consumer === undefined) {
        i++
      } else {
        this.assignNewPartition(tp, consumer)
        unassigned.splice(i, 1)
      }
    }
  }

  private assignRoundRobin(unassigned: readonly TopicPartition[]): void {
    // A cursor over unfilledUnderMin with Java's ListIterator semantics (remove drops the last returned).
    let cursor = 0
    let lastReturned = -1
    for (const tp of unassigned) {
      let consumer: string
      let fromUnderMin = true
      if (cursor < this.unfilledUnderMin.length) {
        lastReturned = cursor
        consumer = this.unfilledUnderMin[cursor++] as string
      } else if (this.unfilledUnderMin.length === 0 && this.unfilledExactlyMin.length === 0) {
        throw new Error('sticky assignment: no more unfilled consumers to be assigned')
      } else if (this.unfilledUnderMin.length === 0) {
        consumer = this.unfilledExactlyMin.shift() as string
        fromUnderMin = false
      } else {
        cursor = 0
        lastReturned = cursor
        consumer = this.unfilledUnderMin[cursor++] as string
      }
      const count = this.assignNewPartition(tp, consumer)
      if (count === this.minQuota) {
        // Java removes it through the iterator, so the cursor stays on the next member.
        if (fromUnderMin) {
          this.unfilledUnderMin.splice(lastReturned, 1)
          cursor--
        }
        this.unfilledExactlyMin.push(consumer)
      } else if (count === this.maxQuota) {
        this.currentOverMin++
      }
    }
  }

  private assignNewPartition(tp: TopicPartition, consumer: string): number {
    const list = this.assignment.get(consumer) as TopicPartition[]
    list.push(tp)
    const previous = this.maybeRevoked.get(key(tp))
    if ((previous !== undefined && previous !== consumer) || this.partitionsWithMultiplePreviousOwners.has(tp)) {
      this.partitionsTransferringOwnership.set(tp, consumer)
    }
    return list.length
  }

  private verifyUnfilledMembers(): void {
    if (this.unfilledUnderMin.length === 0) return
    if (this.currentOverMin !== this.expectedOverMin) {
      throw new Error(
        'sticky assignment: the expected number of members with more than the minimum quota was not reached, but no partitions are left',
      )
    }
    for (const member of this.unfilledUnderMin) {
      if ((this.assignment.get(member)?.length ?? 0) !== this.minQuota) {
        throw new Error(`sticky assignment: member ${member} is below the minimum quota and no partitions are left`)
      }
    }
  }
}

function key(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`
}
