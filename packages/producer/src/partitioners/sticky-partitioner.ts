import { randomIndex } from './partitioner.js'

interface StickyState {
  /** The sticky partition, or -1 when the next record picks a new one. */
  partition: number
  bytes: number
  /** The partition before a switch, which the next pick avoids. */
  previous?: number
}

/**
 * Sticky uniform partitioning for unkeyed records (KIP-794): all unkeyed records of
 * a topic go to one partition until about a batch's worth of bytes (`batchBytes`)
 * has been produced to it or its batch is closed, then a different partition is
 * picked at random among those with a leader. Batches fill up instead of many small
 * ones being sent, and over time every available partition gets the same bytes.
 */
export class StickyPartitioner {
  readonly #batchBytes: number
  readonly #state = new Map<string, StickyState>()

  constructor(batchBytes = 16384) {
    this.#batchBytes = batchBytes
  }

  partition(topic: string, partitionCount: number, availablePartitions: readonly number[]): number {
    const state = this.#state.get(topic)
    if (
      state !== undefined &&
      state.partition >= 0 &&
      state.partition < partitionCount &&
      this.#usable(state.partition, availablePartitions)
    ) {
      return state.partition
    }
    const next = this.#pick(partitionCount, availablePartitions, state?.previous)
    this.#state.set(topic, { partition: next, bytes: 0, previous: next })
    return next
  }

  /** Counts bytes produced to the sticky partition and switches when a batch's worth is done. */
  onAppend(topic: string, partition: number, bytes: number, batchClosed: boolean): void {
    const state = this.#state.get(topic)
    if (state === undefined || state.partition !== partition) return
    state.bytes += bytes
    if (batchClosed || state.bytes >= this.#batchBytes)
      this.#state.set(topic, { partition: -1, bytes: 0, previous: partition })
  }

  #usable(partition: number, available: readonly number[]): boolean {
    return available.length === 0 || available.includes(partition)
  }

  #pick(partitionCount: number, available: readonly number[], previous: number | undefined): number {
    const candidates = available.length > 0 ? available : Array.from({ length: partitionCount }, (_, i) => i)
    if (candidates.length === 1) return candidates[0]!
    // Switching means a different partition: drawing from the others keeps the
    // spread uniform and avoids "switching" to the same one.
    const others = previous === undefined ? candidates : candidates.filter((p) => p !== previous)
    return others[randomIndex(others.length)]!
  }
}
