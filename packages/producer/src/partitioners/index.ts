import { CustomPartitioner } from './custom-partitioner.js'
import { DefaultPartitioner } from './default-partitioner.js'
import { KafkaJsPartitioner } from './kafkajs-partitioner.js'
import type { Partitioner, PartitionerFunction } from './partitioner.js'
import { RoundRobinPartitioner } from './round-robin-partitioner.js'

export { choosePartition, type Partitioner, type PartitionerFunction, type PartitionerInput } from './partitioner.js'
export { StickyPartitioner } from './sticky-partitioner.js'
export { CustomPartitioner, DefaultPartitioner, KafkaJsPartitioner, RoundRobinPartitioner }

/** How a producer picks partitions: a built-in by name, a partitioner object, or a function. */
export type PartitionerOption = 'default' | 'round-robin' | 'kafkajs' | Partitioner | PartitionerFunction

/** A fresh partitioner for one producer from its `partitioner` option. */
export function createPartitioner(option: PartitionerOption | undefined, batchBytes: number): Partitioner {
  if (option === undefined || option === 'default') return new DefaultPartitioner({ batchBytes })
  if (option === 'round-robin') return new RoundRobinPartitioner()
  if (option === 'kafkajs') return new KafkaJsPartitioner()
  if (typeof option === 'function') return new CustomPartitioner(option)
  if (typeof option === 'object' && option !== null && typeof option.partition === 'function') return option
  throw new TypeError(
    `partitioner must be 'default', 'round-robin', 'kafkajs', a function (input) => partition or an object with partition(input), got ${String(option)}`,
  )
}
