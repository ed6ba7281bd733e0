import type { CompressionType } from '../compression/compression-type.js'

/**
 * Where a record's timestamp comes from (attribute bit 3 of a batch). Legacy
 * magic 0 messages have no timestamp at all (Java's NO_TIMESTAMP_TYPE).
 */
export const TimestampType = {
  NoTimestamp: -1,
  CreateTime: 0,
  LogAppendTime: 1,
} as const

export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType]

/** A record header; keys may repeat and values may be null, as in Java. */
export interface RecordHeader {
  key: string
  value: Buffer | null
}

/**
 * A decoded record. `key`, `value` and header values are views into the batch
 * (or its decompressed records), not copies: keep a reference only as long as
 * you are willing to keep that buffer alive, or copy.
 *
 * Timestamps are milliseconds as a `number`, not a `bigint`: epoch milliseconds
 * stay exact in a double for the next 285,000 years, `Date.now()` and `new
 * Date(ms)` speak numbers, and a bigint per record would cost an allocation on
 * the hottest path. Offsets are `bigint` because they do not fit that argument
 * (and the public API promises bigint offsets).
 */
export interface KafkaRecord {
  offset: bigint
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
}

/** A record to encode. A missing timestamp means "now" (`Date.now()`), as in the Java producer. */
export interface RecordInput {
  key?: Buffer | null
  value: Buffer | null
  headers?: RecordHeader[]
  timestamp?: number
}

/**
 * The fields of a record batch header (magic 2), plus what its attributes mean.
 * Legacy magic 0/1 entries are presented in the same shape, with -1 for the
 * fields they lack (producer id, epoch, sequence, leader epoch).
 */
export interface RecordBatchHeader {
  baseOffset: bigint
  /** `baseOffset + lastOffsetDelta`: the batch's last offset even when compaction removed that record. */
  lastOffset: bigint
  /** Bytes after the length field (the batch is `batchLength + 12` bytes). */
  batchLength: number
  partitionLeaderEpoch: number
  magic: number
  crc: number
  attributes: number
  compression: CompressionType
  timestampType: TimestampType
  isTransactional: boolean
  isControl: boolean
  /** Set by log compaction: `baseTimestamp` then holds the delete horizon. */
  hasDeleteHorizon: boolean
  lastOffsetDelta: number
  baseTimestamp: number
  maxTimestamp: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  recordCount: number
}

export interface RecordBatch extends RecordBatchHeader {
  records: KafkaRecord[]
}

/** Producer id, epoch and sequence of a batch written without idempotence. */
export const NO_PRODUCER_ID = -1n
export const NO_PRODUCER_EPOCH = -1
export const NO_SEQUENCE = -1
export const NO_PARTITION_LEADER_EPOCH = -1
export const NO_TIMESTAMP = -1
