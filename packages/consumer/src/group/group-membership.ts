import type { TopicPartition } from '../assignors/types.js'

/**
 * Who this member is in its group, for offset commits and for a transactional
 * producer's `sendOffsets` (Java's ConsumerGroupMetadata). With the consumer
 * protocol (KIP-848) `generationId` is the member epoch.
 */
export interface GroupMetadata {
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId: string | null
}

/**
 * How a membership hands partitions to the consumer. The membership awaits each
 * call before it goes on (before SyncGroup's assignment is applied, before it
 * acknowledges a revocation to the coordinator), so the application's rebalance
 * listeners and the commit of processed offsets run inside the rebalance, as
 * in Java. Lists are incremental: only what changes.
 */
export interface AssignmentListener {
  /** Partitions added to this member. */
  onAssigned(partitions: readonly TopicPartition[]): Promise<void>
  /** Partitions this member gives up; processed offsets are committed before this resolves. */
  onRevoked(partitions: readonly TopicPartition[]): Promise<void>
  /** Partitions already owned by someone else (session expired, fenced): nothing may be committed for them. */
  onLost(partitions: readonly TopicPartition[]): Promise<void>
}

/** The group side of a subscribed consumer: classic (JoinGroup/SyncGroup/Heartbeat) or consumer (KIP-848). */
export interface GroupMembership {
  readonly protocol: 'classic' | 'consumer'
  /** Current identity; generation -1 and member id '' while not in the group. */
  readonly groupMetadata: GroupMetadata
  /** Partitions currently owned. */
  readonly assignment: readonly TopicPartition[]
  /** Joins the group in the background and keeps the membership alive until `leave()`; heartbeats never wait for record processing. */
  start(topics: readonly string[], listener: AssignmentListener): void
  /** The subscribed topics changed (subscribe() again, a new topic matching the regex); rejoins when needed. */
  updateSubscription(topics: readonly string[]): void
  /** The application asked for records: restarts the maxPollIntervalMs clock. */
  recordPoll(): void
  /** Resolves once the member is in the group with an assignment (possibly empty), or rejects on a fatal error. */
  whenStable(signal?: AbortSignal): Promise<void>
  /** Revokes (awaiting the listener), then leaves the group (a static member stays, as in Java). Idempotent. */
  leave(): Promise<void>
}
