import { isCompressionType } from '../compression/compression-type.js'
import { crc32c } from '../crc32c/crc32c.js'
import { CorruptRecordError } from '../errors.js'
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  CRC_OFFSET,
  CURRENT_MAGIC,
  DELETE_HORIZON_FLAG,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_OVERHEAD,
  RECORD_COUNT_OFFSET,
  TIMESTAMP_TYPE_FLAG,
  TRANSACTIONAL_FLAG,
} from './batch-layout.js'
import { type RecordBatchHeader, TimestampType } from './types.js'

/**
 * Parses the 61-byte header of the magic 2 batch that `batch` holds exactly
 * (as `splitRecordBatches` yields it), checking what later decoding relies on.
 */
export function readBatchHeader(batch: Buffer): RecordBatchHeader {
  if (batch.length < RECORD_BATCH_OVERHEAD) {
    throw new CorruptRecordError(
      `record batch of ${batch.length} bytes is smaller than its ${RECORD_BATCH_OVERHEAD}-byte header`,
    )
  }
  const magic = batch.readInt8(MAGIC_OFFSET)
  if (magic !== CURRENT_MAGIC)
    throw new CorruptRecordError(`record batch has magic ${magic}, expected ${CURRENT_MAGIC}`)
  const batchLength = batch.readInt32BE(BATCH_LENGTH_OFFSET)
  if (batchLength + LOG_OVERHEAD !== batch.length) {
    throw new CorruptRecordError(
      `record batch length ${batchLength} does not match its ${batch.length - LOG_OVERHEAD} bytes`,
    )
  }
  const attributes = batch.readInt16BE(ATTRIBUTES_OFFSET)
  const compression = attributes & COMPRESSION_MASK
  if (!isCompressionType(compression))
    throw new CorruptRecordError(`record batch has unknown compression type ${compression}`)
  const recordCount = batch.readInt32BE(RECORD_COUNT_OFFSET)
  if (recordCount < 0) throw new CorruptRecordError(`record batch has invalid record count ${recordCount}`)
  const baseOffset = batch.readBigInt64BE(BASE_OFFSET_OFFSET)
  const lastOffsetDelta = batch.readInt32BE(LAST_OFFSET_DELTA_OFFSET)
  return {
    baseOffset,
    lastOffset: baseOffset + BigInt(lastOffsetDelta),
    batchLength,
    partitionLeaderEpoch: batch.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET),
    magic,
    crc: batch.readUInt32BE(CRC_OFFSET),
    attributes,
    compression,
    timestampType: attributes & TIMESTAMP_TYPE_FLAG ? TimestampType.LogAppendTime : TimestampType.CreateTime,
    isTransactional: (attributes & TRANSACTIONAL_FLAG) !== 0,
    isControl: (attributes & CONTROL_FLAG) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_FLAG) !== 0,
    lastOffsetDelta,
    baseTimestamp: Number(batch.readBigInt64BE(BASE_TIMESTAMP_OFFSET)),
    maxTimestamp: Number(batch.readBigInt64BE(MAX_TIMESTAMP_OFFSET)),
    producerId: batch.readBigInt64BE(PRODUCER_ID_OFFSET),
    producerEpoch: batch.readInt16BE(PRODUCER_EPOCH_OFFSET),
    baseSequence: batch.readInt32BE(BASE_SEQUENCE_OFFSET),
    recordCount,
  }
}

/** The CRC-32C a batch should carry: over attributes through the end. */
export function computeBatchCrc(batch: Buffer): number {
  return crc32c(batch.subarray(ATTRIBUTES_OFFSET))
}

/** Fails with `CorruptRecordError` unless the stored CRC matches the bytes (Java's `ensureValid`). */
export function verifyBatchCrc(batch: Buffer, header: RecordBatchHeader): void {
  const actual = computeBatchCrc(batch)
  if (actual !== header.crc) {
    throw new CorruptRecordError(
      `record batch at offset ${header.baseOffset} is corrupt: stored CRC ${header.crc.toString(16)}, computed ${actual.toString(16)}`,
    )
  }
}

/** Header fields as written; lengths, CRC and magic are derived. */
export interface BatchHeaderFields {
  baseOffset: bigint
  partitionLeaderEpoch: number
  attributes: number
  lastOffsetDelta: number
  baseTimestamp: number
  maxTimestamp: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  recordCount: number
}

/**
 * Fills in the header of a complete batch (records already in place after byte
 * 61) and computes its CRC, once, over the final bytes.
 */
export function writeBatchHeader(batch: Buffer, fields: BatchHeaderFields): void {
  batch.writeBigInt64BE(fields.baseOffset, BASE_OFFSET_OFFSET)
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET)
  batch.writeInt32BE(fields.partitionLeaderEpoch, PARTITION_LEADER_EPOCH_OFFSET)
  batch.writeInt8(CURRENT_MAGIC, MAGIC_OFFSET)
  batch.writeInt16BE(fields.attributes, ATTRIBUTES_OFFSET)
  batch.writeInt32BE(fields.lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET)
  batch.writeBigInt64BE(BigInt(fields.baseTimestamp), BASE_TIMESTAMP_OFFSET)
  batch.writeBigInt64BE(BigInt(fields.maxTimestamp), MAX_TIMESTAMP_OFFSET)
  batch.writeBigInt64BE(fields.producerId, PRODUCER_ID_OFFSET)
  batch.writeInt16BE(fields.producerEpoch, PRODUCER_EPOCH_OFFSET)
  batch.writeInt32BE(fields.baseSequence, BASE_SEQUENCE_OFFSET)
  batch.writeInt32BE(fields.recordCount, RECORD_COUNT_OFFSET)
  batch.writeUInt32BE(computeBatchCrc(batch), CRC_OFFSET)
}
