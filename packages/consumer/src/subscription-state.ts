import type { TopicPartition } from './assignors/types.js'

/** Where the next fetch of a partition starts: the offset and the leader epoch of the record before it (-1 when unknown). */
export interface FetchPosition {
  offset: bigint
  leaderEpoch: number
}

/** Per assigned partition, what Java's SubscriptionState.TopicPartitionState keeps. */
export interface PartitionState {
  readonly topic: string
  readonly partition: number
  readonly key: string
  /** Undefined until initialized from the committed offset or a reset. */
  position: FetchPosition | undefined
  /** The next offset to commit: everything before it was processed. Undefined until something was. */
  processed: FetchPosition | undefined
  /** A reset asked for (seekToBeginning/End, OFFSET_OUT_OF_RANGE): done before the next fetch. */
  pendingReset: 'earliest' | 'latest' | undefined
  paused: boolean
  highWatermark: bigint
  lastStableOffset: bigint
  logStartOffset: bigint
  /** KIP-392: the replica the leader told us to read from, until `preferredReadReplicaExpiresAt`. */
  preferredReadReplica: number | undefined
  preferredReadReplicaExpiresAt: number
  /** Bumped by every seek, so that data fetched for an older position is dropped. */
  epoch: number
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`
}

/**
 * The partitions a consumer owns and where each one is. The fetcher reads
 * positions from it, the application moves them (seek, pause), offsets are
 * committed from `processed`. Order of insertion is kept: fetches and polls
 * go round the partitions in that order.
 */
export class SubscriptionState {
  readonly #partitions = new Map<string, PartitionState>()
  /** Called when partitions are added or positions change, so that waiting fetch loops wake up. */
  onChange: () => void = () => {}

  get assigned(): PartitionState[] {
    return [...this.#partitions.values()]
  }

  get(topic: string, partition: number): PartitionState | undefined {
    return this.#partitions.get(partitionKey(topic, partition))
  }

  has(tp: TopicPartition): boolean {
    return this.#partitions.has(partitionKey(tp.topic, tp.partition))
  }

  add(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      const key = partitionKey(topic, partition)
      if (this.#partitions.has(key)) continue
      this.#partitions.set(key, {
        topic,
        partition,
        key,
        position: undefined,
        processed: undefined,
        pendingReset: undefined,
        paused: false,
        highWatermark: -1n,
        lastStableOffset: -1n,
        logStartOffset: -1n,
        preferredReadReplica: undefined,
        preferredReadReplicaExpiresAt: 0,
        epoch: 0,
      })
    }
    this.onChange()
  }

  remove(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.#partitions.delete(partitionKey(topic, partition))
    this.onChange()
  }

  /** Replaces the assignment (assign()): partitions kept keep their position. */
  set(partitions: readonly TopicPartition[]): void {
    const wanted = new Set(partitions.map((tp) => partitionKey(tp.topic, tp.partition)))
    for (const key of [...this.#partitions.keys()]) if (!wanted.has(key)) this.#partitions.delete(key)
    this.add(partitions)
  }

  seek(state: PartitionState, position: FetchPosition): void {
    state.position = position
    state.pendingReset = undefined
    state.epoch++
    this.onChange()
  }

  requestReset(state: PartitionState, strategy: 'earliest' | 'latest'): void {
    state.pendingReset = strategy
    state.position = undefined
    state.epoch++
    this.onChange()
  }

  /** Partitions the fetcher may read now: positioned and not paused. */
  fetchable(): PartitionState[] {
    return this.assigned.filter((s) => s.position !== undefined && !s.paused)
  }

  /** Partitions whose position must be found first (committed offset or reset). */
  needingPosition(): PartitionState[] {
    return this.assigned.filter((s) => s.position === undefined)
  }
}
