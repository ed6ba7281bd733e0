import type { KafkaClient } from '@kafkit/client'
import { NoOffsetForPartitionError } from '../errors.js'
import type { AutoOffsetReset, ResolvedConsumerOptions } from '../options.js'
import type { PartitionState, SubscriptionState } from '../subscription-state.js'
import type { CommittedOffsets } from './committed-offsets.js'
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from './list-offsets.js'

/**
 * Gives every partition without a position one, as Java's consumer does before
 * fetching: the group's committed offset when there is one, else the reset
 * policy (ListOffsets earliest / latest); a reset asked for by seekToBeginning,
 * seekToEnd or OFFSET_OUT_OF_RANGE goes straight to ListOffsets. A seek made by
 * the application while a lookup runs wins over the lookup's answer.
 */
export class PositionInitializer {
  #running: Promise<void> | undefined

  constructor(
    private readonly client: KafkaClient,
    private readonly subscriptions: SubscriptionState,
    private readonly committed: CommittedOffsets,
    private readonly options: ResolvedConsumerOptions,
    private readonly context: {
      member: () => { memberId: string | null; memberEpoch: number }
      resetPolicyFor: (topic: string) => AutoOffsetReset
    },
  ) {}

  /** Positions the partitions that need it; concurrent calls share one round. */
  update(signal?: AbortSignal): Promise<void> {
    if (this.subscriptions.needingPosition().length === 0) return Promise.resolve()
    this.#running ??= this.#update(signal).finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  async #update(signal?: AbortSignal): Promise<void> {
    const needing = this.subscriptions.needingPosition()
    const epochs = new Map(needing.map((s) => [s, s.epoch]))
    const toReset: { state: PartitionState; strategy: 'earliest' | 'latest' }[] = []
    const fromCommitted = needing.filter((s) => s.pendingReset === undefined)
    for (const state of needing) if (state.pendingReset) toReset.push({ state, strategy: state.pendingReset })
    if (fromCommitted.length > 0) {
      const committed = this.options.groupId
        ? await this.committed.fetch(this.options.groupId, fromCommitted, this.context.member())
        : new Map()
      const missing: string[] = []
      for (const state of fromCommitted) {
        if (state.epoch !== epochs.get(state) || this.subscriptions.get(state.topic, state.partition) !== state)
          continue
        const found = committed.get(state.key)
        if (found) {
          this.subscriptions.seek(state, { offset: found.offset, leaderEpoch: found.leaderEpoch })
          epochs.set(state, state.epoch)
        } else {
          const policy = this.context.resetPolicyFor(state.topic)
          if (policy === 'none') missing.push(state.key)
          else toReset.push({ state, strategy: policy })
        }
      }
      if (missing.length > 0) throw new NoOffsetForPartitionError(missing)
    }
    if (toReset.length === 0) return
    const { offsets } = await listOffsets(
      this.client,
      toReset.map(({ state, strategy }) => ({
        tp: state,
        timestamp: strategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
      })),
      this.options.isolationLevel === 'read_committed',
      signal,
    )
    for (const { state } of toReset) {
      if (state.epoch !== epochs.get(state) || this.subscriptions.get(state.topic, state.partition) !== state) continue
      const found = offsets.get(state.key)
      // Not found: a retriable error; the partition keeps no position and the next poll asks again.
      if (found) this.subscriptions.seek(state, { offset: found.offset, leaderEpoch: -1 })
    }
  }
}
