import type { TopicPartition } from './assignors/types.js'
import type { AssignmentListener } from './group/group-membership.js'
import type { CommittedOffsets, OffsetToCommit } from './offsets/committed-offsets.js'
import type { SubscriptionState } from './subscription-state.js'

/**
 * The application's rebalance callbacks (Java's ConsumerRebalanceListener),
 * each awaited by the membership before the rebalance goes on: commit or save
 * state in onPartitionsRevoked, load it in onPartitionsAssigned.
 */
export interface ConsumerRebalanceListener {
  onPartitionsAssigned?(partitions: readonly TopicPartition[]): void | Promise<void>
  onPartitionsRevoked?(partitions: readonly TopicPartition[]): void | Promise<void>
  /** Partitions another member already owns (session lost, fenced); nothing can be committed for them. Default: nothing. */
  onPartitionsLost?(partitions: readonly TopicPartition[]): void | Promise<void>
}

export interface RebalanceHooks {
  subscriptions: SubscriptionState
  listener: ConsumerRebalanceListener | undefined
  /** Waits until the application is done with records of these partitions (the umbrella's running handlers). */
  beforeRevoke(partitions: readonly TopicPartition[]): Promise<void>
  /** Commits what was processed of these partitions (auto commit on); errors are logged, not thrown, as Java's. */
  commitProcessed(partitions: readonly TopicPartition[]): Promise<void>
  /** Called once partitions were added, for the fetcher to start on them. */
  changed(): void
}

/**
 * What the membership calls during a rebalance, in Java's order: on revoke the
 * processed offsets are committed, then the application's callback runs, then
 * the partitions are dropped (their buffered data with them); on assign they
 * are added before the application hears of them, so that seek() works inside
 * onPartitionsAssigned.
 */
export function assignmentListener(hooks: RebalanceHooks): AssignmentListener {
  return {
    async onAssigned(partitions) {
      hooks.subscriptions.add(partitions)
      await hooks.listener?.onPartitionsAssigned?.(partitions)
      hooks.changed()
    },
    async onRevoked(partitions) {
      await hooks.beforeRevoke(partitions)
      await hooks.commitProcessed(partitions)
      try {
        await hooks.listener?.onPartitionsRevoked?.(partitions)
      } finally {
        hooks.subscriptions.remove(partitions)
      }
    },
    async onLost(partitions) {
      try {
        await hooks.listener?.onPartitionsLost?.(partitions)
      } finally {
        hooks.subscriptions.remove(partitions)
      }
    },
  }
}

/** The processed offsets of `partitions` (all assigned when absent) as commit entries. */
export function processedOffsets(
  subscriptions: SubscriptionState,
  partitions?: readonly TopicPartition[],
): OffsetToCommit[] {
  const states = partitions
    ? partitions.map((tp) => subscriptions.get(tp.topic, tp.partition)).filter((s) => s !== undefined)
    : subscriptions.assigned
  const out: OffsetToCommit[] = []
  for (const s of states) {
    if (s.processed)
      out.push({
        topic: s.topic,
        partition: s.partition,
        offset: s.processed.offset,
        leaderEpoch: s.processed.leaderEpoch,
      })
  }
  return out
}

export type { CommittedOffsets }
