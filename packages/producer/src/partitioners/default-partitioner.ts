import { defaultPartition } from '@kafkit/protocol'
import type { Partitioner, PartitionerInput } from './partitioner.js'
import { StickyPartitioner } from './sticky-partitioner.js'

/**
 * The Java producer's built-in partitioning: a keyed record goes to
 * `toPositive(murmur2(key)) % partitionCount` (over all partitions, available or
 * not, so a key never moves while a leader is elected); an unkeyed record goes to
 * the topic's sticky partition (KIP-794).
 */
export class DefaultPartitioner implements Partitioner {
  readonly #sticky: StickyPartitioner

  constructor(options: { batchBytes?: number } = {}) {
    this.#sticky = new StickyPartitioner(options.batchBytes)
  }

  partition(input: PartitionerInput): number {
    if (input.key !== null) return defaultPartition(input.key, input.partitionCount)
    return this.#sticky.partition(input.topic, input.partitionCount, input.availablePartitions)
  }

  onAppend(topic: string, partition: number, bytes: number, batchClosed: boolean): void {
    this.#sticky.onAppend(topic, partition, bytes, batchClosed)
  }
}
