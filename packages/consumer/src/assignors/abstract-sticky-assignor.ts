// What 'sticky' and 'cooperative-sticky' share (Java's AbstractStickyAssignor): keep each
// member's previously owned partitions where balance allows, then spread the rest. When all
// members subscribe to the same topics a quota-based algorithm runs (ConstrainedAssignment),
// otherwise the general one that balances by moving partitions (GeneralAssignment).
import { type AssignmentInput, assignmentInput } from './assignment-input.js'
import { ConstrainedAssignment } from './constrained-assignment.js'
import { GeneralAssignment } from './general-assignment.js'
import { JavaHashMap, JavaHashSet, STRING_KEY, TOPIC_PARTITION_KEY } from './java-hash-map.js'
import { StickyRackInfo } from './sticky-rack-info.js'
import type { MemberData } from './sticky-user-data.js'
import type {
  Assignment,
  Assignor,
  ClusterPartitions,
  GroupMember,
  MemberHistory,
  RebalanceProtocol,
  Subscription,
  TopicPartition,
} from './types.js'

export const DEFAULT_GENERATION = -1

/** The raw result of the sticky algorithms, before the cooperative assignor holds back moved partitions. */
export interface StickyResult {
  readonly input: AssignmentInput
  readonly assignment: Map<string, TopicPartition[]>
  /** Partitions moving to a new owner, known only from the constrained algorithm (null from the general one). */
  readonly partitionsTransferringOwnership: JavaHashMap<TopicPartition, string> | null
}

export abstract class AbstractStickyAssignor implements Assignor {
  /**
   * Highest generation any member has reported to this instance. Java keeps it across
   * rebalances too (a long-lived leader remembers it), and older claims count as previous
   * owners only below it.
   */
  private maxGeneration = DEFAULT_GENERATION
  abstract readonly name: string
  abstract readonly supportedProtocols: readonly RebalanceProtocol[]
  abstract subscriptionUserData(previous: MemberHistory | undefined): Uint8Array | null

  /** The previous assignment and generation a member reports, from its subscription. */
  protected abstract memberData(subscription: Subscription): MemberData

  assign(cluster: ClusterPartitions, members: readonly GroupMember[]): Map<string, Assignment> {
    const { assignment } = this.stickyAssign(cluster, members)
    return new Map([...assignment].map(([memberId, partitions]) => [memberId, { partitions, userData: null }]))
  }

  protected stickyAssign(cluster: ClusterPartitions, members: readonly GroupMember[]): StickyResult {
    const input = assignmentInput(cluster, members)
    const { subscriptions, partitionsPerTopic } = input
    if (members.length === 0) return { input, assignment: new Map(), partitionsTransferringOwnership: null }
    const rackInfo = new StickyRackInfo(partitionsPerTopic, subscriptions)
    const owned = this.ownedPartitions(input)
    const memberData = (subscription: Subscription) => this.memberData(subscription)
    if (owned.allSubscriptionsEqual) {
      const builder = new ConstrainedAssignment(
        partitionsPerTopic,
        rackInfo,
        owned.consumerToOwnedPartitions,
        owned.partitionsWithMultiplePreviousOwners,
      )
      const assignment = builder.build()
      return { input, assignment, partitionsTransferringOwnership: builder.partitionsTransferringOwnership }
    }
    const builder = new GeneralAssignment(
      partitionsPerTopic,
      rackInfo,
      owned.consumerToOwnedPartitions,
      subscriptions,
      memberData,
      this.maxGeneration,
    )
    return { input, assignment: builder.build(), partitionsTransferringOwnership: null }
  }

  /**
   * Each member's claimed partitions that still exist. When two members claim one partition the
   * higher generation keeps it; in the same generation neither does (Java logs it as an error).
   * Members are visited in Java's HashMap order, which decides what happens to a third claim.
   */
  private ownedPartitions({ subscriptions, partitionsPerTopic }: AssignmentInput) {
    let allSubscriptionsEqual = true
    const subscribedTopics = new Set<string>()
    const previousOwner = new Map<string, string>()
    const consumerToOwnedPartitions = new JavaHashMap<string, TopicPartition[]>(STRING_KEY)
    const partitionsWithMultiplePreviousOwners = new JavaHashSet(TOPIC_PARTITION_KEY)
    const key = (tp: TopicPartition) => `${tp.partition}:${tp.topic}`
    for (const [consumer, subscription] of subscriptions) {
      if (subscribedTopics.size === 0) {
        for (const topic of subscription.topics) subscribedTopics.add(topic)
      } else if (
        allSubscriptionsEqual &&
        !(
          subscription.topics.length === subscribedTopics.size &&
          subscription.topics.every((topic) => subscribedTopics.has(topic))
        )
      ) {
        allSubscriptionsEqual = false
      }
      const data = this.memberData(subscription)
      const generation = data.generation ?? DEFAULT_GENERATION
      this.maxGeneration = Math.max(this.maxGeneration, generation)
      const owned: TopicPartition[] = []
      consumerToOwnedPartitions.set(consumer, owned)
      for (const tp of data.partitions) {
        if (!partitionsPerTopic.has(tp.topic)) continue
        const other = previousOwner.get(key(tp))
        if (other === undefined) {
          owned.push(tp)
          previousOwner.set(key(tp), consumer)
          continue
        }
        // Java compares with the other member's subscription generation, not its user-data one.
        const otherSubscription = subscriptions.get(other) as Subscription
        const otherGeneration = otherSubscription.generationId < 0 ? DEFAULT_GENERATION : otherSubscription.generationId
        if (generation === otherGeneration) {
          partitionsWithMultiplePreviousOwners.add(tp)
          removeFirst(consumerToOwnedPartitions.get(other) as TopicPartition[], tp)
          previousOwner.set(key(tp), consumer)
        } else if (generation > otherGeneration) {
          owned.push(tp)
          removeFirst(consumerToOwnedPartitions.get(other) as TopicPartition[], tp)
          previousOwner.set(key(tp), consumer)
        }
      }
    }
    return { allSubscriptionsEqual, consumerToOwnedPartitions, partitionsWithMultiplePreviousOwners }
  }
}

/** List.remove(Object): drops the first equal element, if any. */
export function removeFirst(list: TopicPartition[], tp: TopicPartition): boolean {
  const index = list.findIndex((p) => p.topic === tp.topic && p.partition === tp.partition)
  if (index < 0) return false
  list.splice(index, 1)
  return true
}

export function containsPartition(list: readonly TopicPartition[], tp: TopicPartition): boolean {
  return list.some((p) => p.topic === tp.topic && p.partition === tp.partition)
}
