// The sticky algorithm when members subscribe to different topics (Java's
// GeneralAssignmentBuilder): keep what each member owned and may still consume, give new
// partitions to the least-loaded eligible member, then move partitions from members with two
// or more than another eligible member until balanced, preferring a partition's previous owner
// and same-rack members, and undoing earlier moves rather than adding new ones. If balancing
// does not improve the balance score, the pre-balance assignment stands.
import { containsPartition, DEFAULT_GENERATION, removeFirst } from './abstract-sticky-assignor.js'
import type { JavaHashMap } from './java-hash-map.js'
import { PartitionMovements } from './partition-movements.js'
import type { StickyRackInfo } from './sticky-rack-info.js'
import type { MemberData } from './sticky-user-data.js'
import {
  compareJavaStrings,
  type PartitionMetadata,
  partitionKey,
  type Subscription,
  type TopicPartition,
} from './types.js'

interface PreviousOwner {
  readonly consumer: string
  readonly generation: number
}

/** Java's TreeSet of members ordered by assignment size, then member id; sizes read at each comparison. */
class MembersBySize {
  private readonly members: string[] = []

  constructor(private readonly sizeOf: (member: string) => number) {}

  first(): string {
    return this.members[0] as string
  }

  last(): string {
    return this.members[this.members.length - 1] as string
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.members[Symbol.iterator]()
  }

  add(member: string): void {
    const { index, found } = this.search(member)
    if (!found) this.members.splice(index, 0, member)
  }

  remove(member: string): void {
    const { index, found } = this.search(member)
    if (found) this.members.splice(index, 1)
  }

  private compare(a: string, b: string): number {
    return this.sizeOf(a) - this.sizeOf(b) || compareJavaStrings(a, b)
  }

  private search(member: string): { index: number; found: boolean } {
    let low = 0
    let high = this.members.length - 1
    while (low <= high) {
      const mid = (low + high) >>> 1
      const c = this.compare(this.members[mid] as string, member)
      if (c < 0) low = mid + 1
      else if (c > 0) high = mid - 1
      else return { index: mid, found: true }
    }
    return { index: low, found: false }
  }
}

export class GeneralAssignment {
  private readonly topicConsumers = new Map<string, string[]>()
  private readonly consumerTopics = new Map<string, string[]>()
  private currentPartitionConsumer = new Map<string, string>()
  private readonly sortedAllPartitions: TopicPartition[]
  private readonly sorted: MembersBySize
  private readonly movements = new PartitionMovements()
  private revocationRequired = false
  private readonly totalPartitions: number
  private readonly current: Map<string, TopicPartition[]>

  constructor(
    private readonly partitionsPerTopic: JavaHashMap<string, readonly PartitionMetadata[]>,
    private readonly rackInfo: StickyRackInfo,
    currentAssignment: JavaHashMap<string, TopicPartition[]>,
    private readonly subscriptions: JavaHashMap<string, Subscription>,
    private readonly memberData: (subscription: Subscription) => MemberData,
    private readonly maxGeneration: number,
  ) {
    this.totalPartitions = partitionsPerTopic.values().reduce((sum, partitions) => sum + partitions.length, 0)
    for (const [topic] of partitionsPerTopic) this.topicConsumers.set(topic, [])
    this.current = new Map(currentAssignment)
    for (const [consumer, subscription] of subscriptions) {
      const topics: string[] = []
      this.consumerTopics.set(consumer, topics)
      for (const topic of subscription.topics) {
        if (!partitionsPerTopic.has(topic)) continue
        topics.push(topic)
        this.topicConsumers.get(topic)?.push(consumer)
      }
      if (!this.current.has(consumer)) this.current.set(consumer, [])
    }
    for (const [consumer, partitions] of this.current) {
      for (const tp of partitions) this.currentPartitionConsumer.set(partitionKey(tp), consumer)
    }
    const sortedTopics = [...this.topicConsumers.keys()].sort(
      (a, b) => this.potentialConsumers(a).length - this.potentialConsumers(b).length || compareJavaStrings(a, b),
    )
    this.sortedAllPartitions = sortedTopics.flatMap((topic) =>
      (partitionsPerTopic.get(topic) ?? []).map((p) => ({ topic, partition: p.partition })),
    )
    this.sorted = new MembersBySize((member) => this.assigned(member).length)
  }

  build(): Map<string, TopicPartition[]> {
    const previous = new Map<string, PreviousOwner>()
    this.prepopulatePreviousOwners(previous)
    const assigned = this.assignOwnedPartitions()
    const unassigned = this.unassignedPartitions(assigned)
    for (const consumer of this.current.keys()) this.sorted.add(consumer)
    this.balance(previous, unassigned)
    return this.current
  }

  private potentialConsumers(topic: string): string[] {
    return this.topicConsumers.get(topic) ?? []
  }

  private assigned(consumer: string): TopicPartition[] {
    return this.current.get(consumer) as TopicPartition[]
  }

  /** Owners from older generations, so a partition can return to the member that had it last. */
  private prepopulatePreviousOwners(previous: Map<string, PreviousOwner>): void {
    for (const [consumer, subscription] of this.subscriptions) {
      const data = this.memberData(subscription)
      if (data.generation !== undefined && data.generation < this.maxGeneration) {
        this.updatePrevious(previous, data.partitions, consumer, data.generation)
      } else if (data.generation === undefined && this.maxGeneration > DEFAULT_GENERATION) {
        this.updatePrevious(previous, data.partitions, consumer, DEFAULT_GENERATION)
      }
    }
  }

  private updatePrevious(
    previous: Map<string, PreviousOwner>,
    partitions: readonly TopicPartition[],
    consumer: string,
    generation: number,
  ): void {
    for (const tp of partitions) {
      const existing = previous.get(partitionKey(tp))
      if (existing === undefined || generation > existing.generation) {
        previous.set(partitionKey(tp), { consumer, generation })
      }
    }
  }

  private assignOwnedPartitions(): TopicPartition[] {
    const assigned: TopicPartition[] = []
    for (const [consumer, partitions] of this.current) {
      const subscription = this.subscriptions.get(consumer) as Subscription
      for (let i = 0; i < partitions.length; ) {
        const tp = partitions[i] as TopicPartition
        if (!this.topicConsumers.has(tp.topic)) {
          partitions.splice(i, 1)
          this.currentPartitionConsumer.delete(partitionKey(tp))
        } else if (!subscription.topics.includes(tp.topic) || this.rackInfo.racksMismatch(consumer, tp)) {
          // Java leaves the partition's current owner recorded here; keep that for identical choices.
          partitions.splice(i, 1)
          this.revocationRequired = true
        } else {
          assigned.push(tp)
          i++
        }
      }
    }
    return assigned
  }

  private unassignedPartitions(assigned: TopicPartition[]): TopicPartition[] {
    if (assigned.length === 0) return this.sortedAllPartitions
    const order = (tp: TopicPartition) => this.potentialConsumers(tp.topic).length
    const sortedAssigned = [...assigned].sort(
      (a, b) => order(a) - order(b) || compareJavaStrings(a.topic, b.topic) || a.partition - b.partition,
    )
    const unassigned: TopicPartition[] = []
    let next = 0
    let addDirectly = false
    for (const tp of this.sortedAllPartitions) {
      const current = sortedAssigned[next] as TopicPartition
      if (addDirectly || !(current.topic === tp.topic && current.partition === tp.partition)) {
        unassigned.push(tp)
      } else if (next + 1 < sortedAssigned.length) {
        next++
      } else {
        addDirectly = true
      }
    }
    return unassigned
  }

  private isBalanced(): boolean {
    const min = this.assigned(this.sorted.first()).length
    const max = this.assigned(this.sorted.last()).length
    if (min >= max - 1) return true
    const owners = new Map<string, string>()
    for (const [consumer, partitions] of this.current) {
      for (const tp of partitions) owners.set(partitionKey(tp), consumer)
    }
    for (const consumer of this.sorted) {
      const partitions = this.assigned(consumer)
      const count = partitions.length
      const topics = this.consumerTopics.get(consumer) ?? []
      if (count === this.maxAssignmentSize(topics)) continue
      for (const topic of topics) {
        const partitionCount = this.partitionsPerTopic.get(topic)?.length ?? 0
        for (let i = 0; i < partitionCount; i++) {
          const tp = { topic, partition: i }
          if (containsPartition(partitions, tp)) continue
          const other = owners.get(partitionKey(tp))
          if (other !== undefined && count + 1 < this.assigned(other).length) return false
        }
      }
    }
    return true
  }

  private maxAssignmentSize(topics: readonly string[]): number {
    if (topics.length === this.partitionsPerTopic.size) return this.totalPartitions
    return topics.reduce((sum, topic) => sum + (this.partitionsPerTopic.get(topic)?.length ?? 0), 0)
  }

  private balanceScore(assignment: ReadonlyMap<string, readonly TopicPartition[]>): number {
    const sizes = [...assignment.values()].map((partitions) => partitions.length)
    let score = 0
    for (let i = 0; i < sizes.length; i++) {
      for (let j = i + 1; j < sizes.length; j++) score += Math.abs((sizes[i] as number) - (sizes[j] as number))
    }
    return score
  }

  private maybeAssignPartition(tp: TopicPartition, rackInfo: StickyRackInfo | null): boolean {
    for (const consumer of this.sorted) {
      if (!this.consumerTopics.get(consumer)?.includes(tp.topic)) continue
      if (rackInfo?.racksMismatch(consumer, tp)) continue
      this.sorted.remove(consumer)
      this.assigned(consumer).push(tp)
      this.currentPartitionConsumer.set(partitionKey(tp), consumer)
      this.sorted.add(consumer)
      return true
    }
    return false
  }

  private maybeAssign(partitions: TopicPartition[], rackInfo: StickyRackInfo | null, removeAssigned: boolean): void {
    for (let i = 0; i < partitions.length; ) {
      const tp = partitions[i] as TopicPartition
      if (this.potentialConsumers(tp.topic).length > 0 && this.maybeAssignPartition(tp, rackInfo) && removeAssigned) {
        partitions.splice(i, 1)
      } else {
        i++
      }
    }
  }

  private canTopicParticipate(topic: string): boolean {
    return this.potentialConsumers(topic).length >= 2
  }

  private canConsumerParticipate(consumer: string): boolean {
    const partitions = this.assigned(consumer)
    if (partitions.length < this.maxAssignmentSize(this.consumerTopics.get(consumer) ?? [])) return true
    return partitions.some((tp) => this.canTopicParticipate(tp.topic))
  }

  private balance(previous: Map<string, PreviousOwner>, unassigned: TopicPartition[]): void {
    const initializing = this.assigned(this.sorted.last()).length === 0
    let toAssign = unassigned
    if (this.rackInfo.consumerRacks.size > 0) {
      toAssign = [...unassigned]
      this.maybeAssign(toAssign, this.rackInfo, true)
    }
    this.maybeAssign(toAssign, null, false)

    // Partitions only one member can consume, and members whose partitions no one else can take, sit out.
    const fixed = new Set<string>()
    for (const [topic, consumers] of this.topicConsumers) {
      if (consumers.length >= 2) continue
      const count = this.partitionsPerTopic.get(topic)?.length ?? 0
      for (let i = 0; i < count; i++) fixed.add(partitionKey({ topic, partition: i }))
    }
    removeAll(this.sortedAllPartitions, fixed)
    removeAll(unassigned, fixed)
    const fixedAssignments = new Map<string, TopicPartition[]>()
    for (const consumer of this.consumerTopics.keys()) {
      if (this.canConsumerParticipate(consumer)) continue
      this.sorted.remove(consumer)
      fixedAssignments.set(consumer, this.assigned(consumer))
      this.current.delete(consumer)
    }

    const preBalance = new Map([...this.current].map(([consumer, partitions]) => [consumer, [...partitions]]))
    const preBalanceOwners = new Map(this.currentPartitionConsumer)
    if (!this.revocationRequired) this.performReassignments(unassigned, previous)
    const reassigned = this.performReassignments(this.sortedAllPartitions, previous)
    if (!initializing && reassigned && this.balanceScore(this.current) >= this.balanceScore(preBalance)) {
      this.current.clear()
      for (const [consumer, partitions] of preBalance) this.current.set(consumer, partitions)
      this.currentPartitionConsumer = preBalanceOwners
    }
    for (const [consumer, partitions] of fixedAssignments) {
      this.current.set(consumer, partitions)
      this.sorted.add(consumer)
    }
  }

  private performReassignments(partitions: readonly TopicPartition[], previous: Map<string, PreviousOwner>): boolean {
    let reassigned = false
    let modified: boolean
    do {
      modified = false
      for (let i = 0; i < partitions.length && !this.isBalanced(); i++) {
        const tp = partitions[i] as TopicPartition
        const consumer = this.currentPartitionConsumer.get(partitionKey(tp)) as string
        const previousOwner = previous.get(partitionKey(tp))
        // Java fails here with a NullPointerException when the previous owner sits out of the
        // balancing (all its partitions are ones only it can take); kafkit skips that owner instead.
        const previousOwnerPartitions =
          previousOwner === undefined ? undefined : this.current.get(previousOwner.consumer)
        if (
          previousOwner !== undefined &&
          previousOwnerPartitions !== undefined &&
          this.assigned(consumer).length > previousOwnerPartitions.length + 1
        ) {
          this.reassignPartitionTo(tp, previousOwner.consumer)
          reassigned = true
          modified = true
          continue
        }
        const consumerRack = this.rackInfo.consumerRacks.get(consumer)
        const partitionRacks = this.rackInfo.partitionRacks.get(partitionKey(tp))
        let foundRackConsumer = false
        if (consumerRack !== undefined && partitionRacks?.has(consumerRack)) {
          for (const other of this.potentialConsumers(tp.topic)) {
            const otherRack = this.rackInfo.consumerRacks.get(other)
            if (otherRack === undefined || !partitionRacks.has(otherRack)) continue
            if (this.assigned(consumer).length > this.assigned(other).length + 1) {
              this.reassignPartition(tp)
              reassigned = true
              modified = true
              foundRackConsumer = true
              break
            }
          }
        }
        if (!foundRackConsumer) {
          for (const other of this.potentialConsumers(tp.topic)) {
            if (this.assigned(consumer).length > this.assigned(other).length + 1) {
              this.reassignPartition(tp)
              reassigned = true
              modified = true
              break
            }
          }
        }
      }
    } while (modified)
    return reassigned
  }

  /** To the least-loaded member that subscribes to the partition's topic. */
  private reassignPartition(tp: TopicPartition): void {
    for (const candidate of this.sorted) {
      if (this.consumerTopics.get(candidate)?.includes(tp.topic)) {
        this.reassignPartitionTo(tp, candidate)
        return
      }
    }
  }

  private reassignPartitionTo(tp: TopicPartition, newConsumer: string): void {
    const consumer = this.currentPartitionConsumer.get(partitionKey(tp)) as string
    this.processPartitionMovement(this.movements.partitionToMove(tp, consumer, newConsumer), newConsumer)
  }

  private processPartitionMovement(tp: TopicPartition, newConsumer: string): void {
    const oldConsumer = this.currentPartitionConsumer.get(partitionKey(tp)) as string
    this.sorted.remove(oldConsumer)
    this.sorted.remove(newConsumer)
    this.movements.movePartition(tp, oldConsumer, newConsumer)
    removeFirst(this.assigned(oldConsumer), tp)
    this.assigned(newConsumer).push(tp)
    this.currentPartitionConsumer.set(partitionKey(tp), newConsumer)
    this.sorted.add(newConsumer)
    this.sorted.add(oldConsumer)
  }
}

function removeAll(list: TopicPartition[], keys: ReadonlySet<string>): void {
  for (let i = list.length - 1; i >= 0; i--) {
    if (keys.has(partitionKey(list[i] as TopicPartition))) list.splice(i, 1)
  }
}
