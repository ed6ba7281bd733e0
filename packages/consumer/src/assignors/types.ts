// The shapes a client-side assignor works with, as in Java's ConsumerPartitionAssignor.

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

/** EAGER revokes everything before a rebalance; COOPERATIVE (KIP-429) keeps what stays put. */
export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE'

/** What a member sends in JoinGroup (ConsumerProtocolSubscription). */
export interface Subscription {
  /** Topics the member subscribes to, in any order (encoded sorted, as Java does). */
  readonly topics: readonly string[]
  /** Assignor-specific bytes (the sticky assignor's previous assignment), or null. */
  readonly userData: Uint8Array | null
  /** Partitions the member owns now (version 1+). */
  readonly ownedPartitions: readonly TopicPartition[]
  /** The generation the owned partitions come from, -1 when unknown (version 2+). */
  readonly generationId: number
  /** The member's rack (client.rack), null when not set (version 3+). */
  readonly rackId: string | null
}

/** What the leader sends each member in SyncGroup (ConsumerProtocolAssignment). */
export interface Assignment {
  readonly partitions: readonly TopicPartition[]
  readonly userData: Uint8Array | null
}

/** One member of the group as the leader sees it after JoinGroup. */
export interface GroupMember {
  readonly memberId: string
  /** group.instance.id of a static member (KIP-345), null for a dynamic one. */
  readonly groupInstanceId: string | null
  readonly subscription: Subscription
}

/** A partition as the metadata describes it; racks are those of its replicas' brokers. */
export interface PartitionMetadata {
  readonly partition: number
  /** Rack of each replica's broker (null for a broker without broker.rack), in replica order. */
  readonly replicaRacks: readonly (string | null)[]
}

/** Partitions of every topic the metadata knows; topics without partitions are not assigned. */
export type ClusterPartitions = ReadonlyMap<string, readonly PartitionMetadata[]>

export interface Assignor {
  /** Protocol name in JoinGroup: 'range', 'roundrobin', 'sticky', 'cooperative-sticky'. */
  readonly name: string
  /** Rebalance protocols it supports, preferred first. */
  readonly supportedProtocols: readonly RebalanceProtocol[]
  /** User data for this member's subscription; `previous` is what it was last assigned. */
  subscriptionUserData(previous: MemberHistory | undefined): Uint8Array | null
  /**
   * Assigns partitions to every member. `members` is in JoinGroup response order: Java's leader puts
   * them into a HashMap in that order, and its iteration order decides some ties.
   */
  assign(cluster: ClusterPartitions, members: readonly GroupMember[]): Map<string, Assignment>
}

/** What a member remembers of its last assignment, for the sticky assignors' user data. */
export interface MemberHistory {
  readonly partitions: readonly TopicPartition[]
  readonly generationId: number
}

export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return compareJavaStrings(a.topic, b.topic)
  return a.partition - b.partition
}

/** String.compareTo: UTF-16 code units, which is also how JavaScript compares strings. */
export function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function partitionKey(tp: TopicPartition): string {
  return `${tp.partition}:${tp.topic}`
}
