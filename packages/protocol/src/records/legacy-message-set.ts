import { CompressionType, isCompressionType } from '../compression/compression-type.js'
import { lz4LegacyMagic0Codec } from '../compression/lz4.js'
import { compressionCodec } from '../compression/registry.js'
import { CorruptRecordError, ProtocolError } from '../errors.js'
import { Reader } from '../primitives/reader.js'
import { LOG_OVERHEAD } from './batch-layout.js'
import { crc32 } from './legacy-crc32.js'
import type { RecordDecodeOptions } from './record-batch-decoder.js'
import {
  type KafkaRecord,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  type RecordBatch,
  TimestampType,
} from './types.js'

/**
 * Magic 0 and 1 message sets (before Kafka 0.11), read-only: brokers still
 * return them for data written in those formats. Each entry is
 *   offset int64, size int32, crc uint32 (CRC-32 of magic..end), magic int8,
 *   attributes int8, [timestamp int64 if magic 1], key bytes, value bytes.
 * A compressed entry is a wrapper whose value is a compressed message set; with
 * magic 1 the inner offsets are relative and the wrapper carries the absolute
 * offset of the last inner message.
 */

const MIN_MESSAGE_BYTES = 14 // crc, magic, attributes, key length, value length
const TIMESTAMP_TYPE_FLAG = 0x08

interface LegacyMessage {
  offset: bigint
  crc: number
  magic: number
  attributes: number
  compression: CompressionType
  timestamp: number
  key: Buffer | null
  value: Buffer | null
}

function nullableBytes(reader: Reader): Buffer | null {
  const length = reader.int32()
  if (length < -1) throw new CorruptRecordError(`invalid legacy message field length ${length}`)
  return length === -1 ? null : reader.slice(length)
}

/** Parses the entry starting at `reader.offset`, which must be complete. */
function readMessage(reader: Reader, verifyCrc: boolean): LegacyMessage {
  const offset = reader.int64()
  const size = reader.int32()
  if (size < MIN_MESSAGE_BYTES)
    throw new CorruptRecordError(`legacy message size ${size} is below the minimum ${MIN_MESSAGE_BYTES}`)
  reader.need(size)
  const end = reader.offset + size
  const message = new Reader(reader.buffer, reader.offset, end)
  reader.offset = end
  const crc = message.uint32()
  if (verifyCrc) {
    const actual = crc32(message.buffer.subarray(message.offset, end))
    if (actual !== crc) {
      throw new CorruptRecordError(
        `legacy message at offset ${offset} is corrupt: stored CRC ${crc.toString(16)}, computed ${actual.toString(16)}`,
      )
    }
  }
  const magic = message.int8()
  if (magic !== 0 && magic !== 1) throw new CorruptRecordError(`legacy message at offset ${offset} has magic ${magic}`)
  const attributes = message.int8()
  const compression = attributes & 0x07
  if (!isCompressionType(compression))
    throw new CorruptRecordError(`legacy message has unknown compression type ${compression}`)
  const timestamp = magic === 0 ? NO_TIMESTAMP : Number(message.int64())
  return {
    offset,
    crc,
    magic,
    attributes,
    compression,
    timestamp,
    key: nullableBytes(message),
    value: nullableBytes(message),
  }
}

function timestampTypeOf(message: LegacyMessage): TimestampType {
  if (message.magic === 0) return TimestampType.NoTimestamp
  return message.attributes & TIMESTAMP_TYPE_FLAG ? TimestampType.LogAppendTime : TimestampType.CreateTime
}

/** The messages inside a compressed wrapper, with absolute offsets and the timestamps Java reports. */
async function innerMessages(
  wrapper: LegacyMessage,
  options: RecordDecodeOptions | undefined,
): Promise<LegacyMessage[]> {
  if (wrapper.value === null)
    throw new CorruptRecordError(`compressed legacy message at offset ${wrapper.offset} has a null value`)
  const codec =
    wrapper.compression === CompressionType.Lz4 && wrapper.magic === 0
      ? lz4LegacyMagic0Codec
      : compressionCodec(wrapper.compression)
  const set = await codec.decompress(wrapper.value, options)
  const reader = new Reader(set)
  const inner: LegacyMessage[] = []
  while (reader.remaining > 0) {
    const message = readMessage(reader, options?.verifyCrc !== false)
    if (message.compression !== CompressionType.None) {
      throw new CorruptRecordError(
        `compressed legacy message at offset ${wrapper.offset} contains a compressed message`,
      )
    }
    inner.push(message)
  }
  const last = inner.at(-1)
  if (last === undefined)
    throw new CorruptRecordError(`compressed legacy message at offset ${wrapper.offset} has no inner messages`)

  const logAppendTime = wrapper.magic === 1 && timestampTypeOf(wrapper) === TimestampType.LogAppendTime
  // librdkafka leaves the wrapper offset at 0 in produce requests; the inner offsets are then used as they are.
  const relative = wrapper.magic === 1 && wrapper.offset > 0n
  if (relative && wrapper.offset < last.offset) {
    throw new CorruptRecordError(
      `legacy wrapper offset ${wrapper.offset} is below its last inner offset ${last.offset}`,
    )
  }
  const base = relative ? wrapper.offset - last.offset : 0n
  for (const message of inner) {
    message.offset += base
    if (message.magic === 0) message.timestamp = NO_TIMESTAMP
    else if (logAppendTime) message.timestamp = wrapper.timestamp
  }
  return inner
}

function toRecord(message: LegacyMessage): KafkaRecord {
  return { offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value, headers: [] }
}

/**
 * Decodes one magic 0/1 entry (as `splitRecordBatches` yields it) into the same shape
 * as a record batch: a compressed wrapper becomes one batch of its inner messages.
 */
export async function decodeLegacyEntry(entry: Buffer, options?: RecordDecodeOptions): Promise<RecordBatch> {
  const reader = new Reader(entry)
  let wrapper: LegacyMessage
  let messages: LegacyMessage[]
  try {
    wrapper = readMessage(reader, options?.verifyCrc !== false)
    messages = wrapper.compression === CompressionType.None ? [wrapper] : await innerMessages(wrapper, options)
  } catch (error) {
    if (error instanceof ProtocolError && !(error instanceof CorruptRecordError)) {
      throw new CorruptRecordError(`legacy message set is corrupt: ${error.message}`, { cause: error })
    }
    throw error
  }
  const records = messages.map(toRecord)
  const baseOffset = records[0]!.offset
  // The wrapper's offset is the last one (Java's lastOffset), unless a producer left it at 0.
  let lastOffset = records.at(-1)!.offset
  if (wrapper.offset > lastOffset) lastOffset = wrapper.offset
  return {
    baseOffset,
    lastOffset,
    batchLength: entry.length - LOG_OVERHEAD,
    partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
    magic: wrapper.magic,
    crc: wrapper.crc,
    attributes: wrapper.attributes,
    compression: wrapper.compression,
    timestampType: timestampTypeOf(wrapper),
    isTransactional: false,
    isControl: false,
    hasDeleteHorizon: false,
    lastOffsetDelta: Number(lastOffset - baseOffset),
    baseTimestamp: wrapper.timestamp,
    maxTimestamp: wrapper.timestamp,
    producerId: NO_PRODUCER_ID,
    producerEpoch: NO_PRODUCER_EPOCH,
    baseSequence: NO_SEQUENCE,
    recordCount: records.length,
    records,
  }
}
