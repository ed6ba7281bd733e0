import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CompressionType,
  CRC_OFFSET,
  CURRENT_MAGIC,
  compressionCodec,
  computeBatchCrc,
  DELETE_HORIZON_FLAG,
  type KafkaRecord,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  RECORDS_OFFSET,
  readBatchHeader,
  TimestampType,
  Writer,
} from '@kafkit/protocol'
import type { StoredBatch } from './partition-log.js'

function nullableBytes(writer: Writer, bytes: Buffer | null): void {
  if (bytes === null) {
    writer.varint(-1)
    return
  }
  writer.varint(bytes.length)
  writer.raw(bytes)
}

/** One record with its own offset delta: compaction leaves gaps, so deltas are not 0..n-1. */
function writeRecord(out: Writer, record: KafkaRecord, baseOffset: bigint, baseTimestamp: number): void {
  const body = new Writer(64 + (record.key?.length ?? 0) + (record.value?.length ?? 0))
  body.int8(0)
  body.varlong(record.timestamp - baseTimestamp)
  body.varint(Number(record.offset - baseOffset))
  nullableBytes(body, record.key)
  nullableBytes(body, record.value)
  body.varint(record.headers.length)
  for (const header of record.headers) {
    const key = Buffer.from(header.key, 'utf8')
    body.varint(key.length)
    body.raw(key)
    nullableBytes(body, header.value)
  }
  out.varint(body.offset)
  out.raw(body.bytes())
}

/**
 * The batch the log cleaner writes in place of `original` when it keeps only
 * `records` (in offset order, at least one): base offset, last offset delta,
 * producer fields, leader epoch, codec and flags stay; with
 * `deleteHorizonMs` the batch is marked with the time after which its
 * tombstones may go (KIP-534), stored as its base timestamp.
 */
export async function rewriteBatch(
  original: StoredBatch,
  records: KafkaRecord[],
  deleteHorizonMs: number | undefined,
): Promise<StoredBatch> {
  const header = original.header
  const logAppendTime = header.timestampType === TimestampType.LogAppendTime
  const baseTimestamp = deleteHorizonMs ?? records[0]!.timestamp
  const section = new Writer(256)
  for (const record of records) writeRecord(section, record, header.baseOffset, baseTimestamp)
  const payload =
    header.compression === CompressionType.None
      ? Buffer.from(section.bytes())
      : await compressionCodec(header.compression).compress(section.bytes())
  const bytes = Buffer.alloc(RECORDS_OFFSET + payload.length)
  payload.copy(bytes, RECORDS_OFFSET)
  const attributes = deleteHorizonMs === undefined ? header.attributes : header.attributes | DELETE_HORIZON_FLAG
  const maxTimestamp = logAppendTime
    ? header.maxTimestamp
    : records.reduce((max, record) => Math.max(max, record.timestamp), -1)
  bytes.writeBigInt64BE(header.baseOffset, BASE_OFFSET_OFFSET)
  bytes.writeInt32BE(bytes.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET)
  bytes.writeInt32BE(header.partitionLeaderEpoch, PARTITION_LEADER_EPOCH_OFFSET)
  bytes.writeInt8(CURRENT_MAGIC, MAGIC_OFFSET)
  bytes.writeInt16BE(attributes, ATTRIBUTES_OFFSET)
  bytes.writeInt32BE(header.lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET)
  bytes.writeBigInt64BE(BigInt(baseTimestamp), BASE_TIMESTAMP_OFFSET)
  bytes.writeBigInt64BE(BigInt(maxTimestamp), MAX_TIMESTAMP_OFFSET)
  bytes.writeBigInt64BE(header.producerId, PRODUCER_ID_OFFSET)
  bytes.writeInt16BE(header.producerEpoch, PRODUCER_EPOCH_OFFSET)
  bytes.writeInt32BE(header.baseSequence, BASE_SEQUENCE_OFFSET)
  bytes.writeInt32BE(records.length, RECORD_COUNT_OFFSET)
  bytes.writeUInt32BE(computeBatchCrc(bytes), CRC_OFFSET)
  const rewritten = readBatchHeader(bytes)
  return {
    bytes,
    baseOffset: rewritten.baseOffset,
    lastOffset: rewritten.lastOffset,
    maxTimestamp: rewritten.maxTimestamp,
    appendedAt: original.appendedAt,
    header: rewritten,
  }
}
