import { InvalidMessageError } from '@kafkit/protocol'

/** What a partitioner knows about one record and its topic when it picks a partition. */
export interface PartitionerInput {
  readonly topic: string
  /** The serialized key, or null for an unkeyed record. */
  readonly key: Uint8Array | null
  /** The serialized value (custom partitioners may route on it). */
  readonly value: Uint8Array | null
  /** Number of partitions the topic has, from metadata. */
  readonly partitionCount: number
  /** Partitions that currently have a leader, ascending; may be empty during elections. */
  readonly availablePartitions: readonly number[]
}

/**
 * Picks the partition of a record that did not name one. Stateful partitioners
 * (sticky, round-robin) keep their state per topic inside the instance, so one
 * instance belongs to one producer.
 */
export interface Partitioner {
  partition(input: PartitionerInput): number
  /**
   * Told by the accumulator after a record of `bytes` was appended to `partition`
   * and whether that closed the partition's batch; sticky partitioners switch here.
   */
  onAppend?(topic: string, partition: number, bytes: number, batchClosed: boolean): void
}

/** A user function that picks the partition, the shape of a custom partitioner. */
export type PartitionerFunction = (input: PartitionerInput) => number

/**
 * The partition of a record: its explicit partition when given (validated against
 * the topic), otherwise the partitioner's choice (also validated, so a faulty custom
 * partitioner fails the send instead of writing to a partition that does not exist).
 */
export function choosePartition(
  partitioner: Partitioner,
  input: PartitionerInput,
  explicitPartition: number | null | undefined,
): number {
  if (explicitPartition !== null && explicitPartition !== undefined) {
    if (!Number.isInteger(explicitPartition) || explicitPartition < 0 || explicitPartition >= input.partitionCount) {
      throw new InvalidMessageError(
        `partition ${explicitPartition} does not exist in topic "${input.topic}", which has ${input.partitionCount} partitions (0..${input.partitionCount - 1}); pass one of those or leave partition out`,
      )
    }
    return explicitPartition
  }
  const chosen = partitioner.partition(input)
  if (!Number.isInteger(chosen) || chosen < 0 || chosen >= input.partitionCount) {
    throw new InvalidMessageError(
      `the partitioner chose partition ${String(chosen)} for topic "${input.topic}", which has ${input.partitionCount} partitions; a partitioner must return an integer in 0..${input.partitionCount - 1}`,
    )
  }
  return chosen
}

/** Uniform random integer in [0, n), from Math.random: partition choice needs no cryptographic strength. */
export function randomIndex(n: number): number {
  return Math.floor(Math.random() * n)
}
