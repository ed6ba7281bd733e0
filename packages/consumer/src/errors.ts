import { KafkaError } from '@kafkit/protocol'

/**
 * A fetch offset outside the partition's log with autoOffsetReset 'none' (Java's
 * OffsetOutOfRangeException): the consumer does not guess where to go on. Call
 * `seek()` (or `seekToBeginning`/`seekToEnd`) for the partitions listed, then poll again.
 * Broker answers of OFFSET_OUT_OF_RANGE with another reset policy are handled, never thrown.
 */
export class OffsetOutOfRangeError extends KafkaError {
  /** The partitions ("topic-partition") and the offsets that were out of range. */
  readonly partitions: ReadonlyMap<string, bigint>
  constructor(partitions: ReadonlyMap<string, bigint>) {
    const list = [...partitions].map(([tp, offset]) => `${tp} at ${offset}`).join(', ')
    super(`fetch offsets out of range and autoOffsetReset is 'none': ${list}; seek() to a valid offset`)
    this.partitions = partitions
  }
}

/**
 * A partition without a committed offset when autoOffsetReset is 'none' (Java's
 * NoOffsetForPartitionException): seek() it, or set autoOffsetReset.
 */
export class NoOffsetForPartitionError extends KafkaError {
  readonly partitions: readonly string[]
  constructor(partitions: readonly string[]) {
    super(
      `no committed offset for ${partitions.join(', ')} and autoOffsetReset is 'none'; seek() them or set autoOffsetReset to 'earliest' or 'latest'`,
    )
    this.partitions = partitions
  }
}

/** The consumer was closed: create a new one. */
export class ConsumerClosedError extends KafkaError {}

/**
 * A commit that the group rejected because this member is no longer part of
 * the generation that owned the partitions (Java's CommitFailedException): a
 * rebalance gave them to another member. Not retriable; the records will be
 * processed again by the new owner.
 */
export class CommitFailedError extends KafkaError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause })
  }
}
