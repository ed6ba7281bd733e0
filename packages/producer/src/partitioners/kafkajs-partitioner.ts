import { defaultPartition } from '@kafkit/protocol'
import type { Partitioner, PartitionerInput } from './partitioner.js'

/**
 * The placement of kafkajs 2.x's default partitioner, for users migrating from
 * kafkajs who need records to keep landing where they did:
 * - a keyed record goes to `toPositive(murmur2(key)) % partitionCount`, the same
 *   hash as the Java client (a string key is hashed as its UTF-8 bytes), so keyed
 *   placement is identical to the default partitioner's;
 * - an unkeyed record is not sticky: each topic has a counter that starts at a
 *   random 32-bit value and advances by one per record, and the record goes to
 *   the partition at `toPositive(counter) % available.length` among partitions
 *   with a leader (or among all partitions when none has one).
 */
export class KafkaJsPartitioner implements Partitioner {
  readonly #counters = new Map<string, number>()

  partition(input: PartitionerInput): number {
    if (input.key !== null) return defaultPartition(input.key, input.partitionCount)
    const counter = ((this.#counters.get(input.topic) ?? randomUint32()) + 1) >>> 0
    this.#counters.set(input.topic, counter)
    const positive = counter & 0x7fffffff
    const available = input.availablePartitions
    if (available.length > 0) return available[positive % available.length]!
    return positive % input.partitionCount
  }
}

function randomUint32(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0
}
