import type { Partitioner, PartitionerInput } from './partitioner.js'

/**
 * Spreads records one by one over the partitions with a leader, in turn per topic,
 * ignoring keys (like the Java client's RoundRobinPartitioner). Batches stay small,
 * so prefer the default partitioner unless an even record count matters.
 */
export class RoundRobinPartitioner implements Partitioner {
  readonly #next = new Map<string, number>()

  partition(input: PartitionerInput): number {
    const turn = this.#next.get(input.topic) ?? 0
    this.#next.set(input.topic, (turn + 1) % 0x7fffffff)
    const available = input.availablePartitions
    if (available.length > 0) return available[turn % available.length]!
    return turn % input.partitionCount
  }
}
