import {
  ATTRIBUTES_OFFSET,
  COMPRESSION_MASK,
  CompressionType,
  CRC_OFFSET,
  compressionName,
  computeBatchCrc,
  decodeRecordBatch,
  type KafkaRecord,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  RecordBatchBuilder,
  type RecordBatchHeader,
  readBatchHeader,
  splitRecordBatches,
  TIMESTAMP_TYPE_FLAG,
  TimestampType,
  verifyBatchCrc,
} from '@kafkit/protocol'
import { DataError, ErrorCode, type RecordError } from './data-errors.js'
import type { LogConfig } from './log-config.js'

/** A batch ready to append: its final bytes (offset and leader epoch still to be written) and header. */
export interface ValidatedBatch {
  bytes: Buffer
  header: RecordBatchHeader
  /** The append time under LogAppendTime, else -1 (ProduceResponse logAppendTimeMs). */
  logAppendTime: number
}

const ZSTD_MIN_PRODUCE_VERSION = 7

/**
 * What Kafka's ProduceRequest.validateRecords checks before anything else:
 * exactly one batch per partition, of magic 2, and no zstd below Produce v7.
 * Returns the batch's bytes.
 */
export function checkProduceRecords(records: Buffer | null, version: number): Buffer {
  let batches: Buffer[]
  try {
    batches = [...splitRecordBatches(records ?? Buffer.alloc(0))].map((raw) => raw.bytes)
  } catch (error) {
    throw new DataError(ErrorCode.CORRUPT_MESSAGE, (error as Error).message)
  }
  const first = batches[0]
  if (!first) throw new DataError(ErrorCode.INVALID_RECORD, 'a produce request needs one record batch per partition')
  if (first.readInt8(MAGIC_OFFSET) !== 2) {
    throw new DataError(ErrorCode.INVALID_RECORD, `Produce v${version} only takes record batches of magic 2`)
  }
  if (version < ZSTD_MIN_PRODUCE_VERSION && (first.readInt16BE(ATTRIBUTES_OFFSET) & COMPRESSION_MASK) === 4) {
    throw new DataError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `Produce v${version} cannot carry zstd batches`)
  }
  if (batches.length > 1) {
    throw new DataError(ErrorCode.INVALID_RECORD, `Produce v${version} takes exactly one record batch per partition`)
  }
  return first
}

/** The header checks of Kafka's analyzeAndValidateRecords and LogValidator.validateBatch, in their order. */
function checkHeader(bytes: Buffer, config: LogConfig, partition: string): RecordBatchHeader {
  let header: RecordBatchHeader
  try {
    header = readBatchHeader(bytes)
  } catch (error) {
    throw new DataError(ErrorCode.CORRUPT_MESSAGE, (error as Error).message)
  }
  const invalid = (message: string) => new DataError(ErrorCode.INVALID_RECORD, `${message} in ${partition}`)
  if (header.baseOffset !== 0n) throw invalid(`the base offset of a produced batch must be 0, not ${header.baseOffset}`)
  if (bytes.length > config.maxMessageBytes) {
    throw new DataError(
      ErrorCode.MESSAGE_TOO_LARGE,
      `the record batch of ${bytes.length} bytes exceeds max.message.bytes ${config.maxMessageBytes} of ${partition}`,
    )
  }
  try {
    verifyBatchCrc(bytes, header)
  } catch (error) {
    throw new DataError(ErrorCode.CORRUPT_MESSAGE, (error as Error).message)
  }
  if (header.lastOffsetDelta < 0) throw invalid(`invalid last offset delta ${header.lastOffsetDelta}`)
  if (header.recordCount <= 0) throw invalid(`invalid record count ${header.recordCount}`)
  if (header.recordCount !== header.lastOffsetDelta + 1) {
    throw invalid(`last offset delta ${header.lastOffsetDelta} does not match the ${header.recordCount} records`)
  }
  if (header.isControl) throw invalid('clients may not write control batches')
  if (header.producerId >= 0n && header.baseSequence < 0) {
    throw invalid(`invalid sequence ${header.baseSequence} for producer ${header.producerId}`)
  }
  return header
}

/** Per-record checks (LogValidator.validateRecord): keys on compacted topics, timestamp bounds. */
function recordErrors(records: KafkaRecord[], header: RecordBatchHeader, config: LogConfig, now: number) {
  const errors: RecordError[] = []
  let invalidTimestamp = false
  records.forEach((record, batchIndex) => {
    if (config.compact && record.key === null) {
      errors.push({ batchIndex, message: 'Compacted topic cannot accept message without key' })
    } else if (config.timestampType === 'CreateTime' && record.timestamp !== -1) {
      const behind = now - record.timestamp
      if (behind > config.timestampBeforeMaxMs || -behind > config.timestampAfterMaxMs) {
        invalidTimestamp = true
        errors.push({
          batchIndex,
          message: `Timestamp ${record.timestamp} of record ${batchIndex} is out of range: it must lie within [${now - config.timestampBeforeMaxMs}, ${now + config.timestampAfterMaxMs}]`,
        })
      }
    } else if (header.timestampType === TimestampType.LogAppendTime) {
      invalidTimestamp = true
      errors.push({ batchIndex, message: 'Producers must not set the timestamp type to LogAppendTime' })
    }
  })
  if (errors.length === 0) return
  const shown = errors.slice(0, 3).map((e) => `${e.batchIndex}: ${e.message}`)
  if (invalidTimestamp) {
    throw new DataError(
      ErrorCode.INVALID_TIMESTAMP,
      'One or more records have been rejected due to invalid timestamp',
      errors,
    )
  }
  throw new DataError(
    ErrorCode.INVALID_RECORD,
    `One or more records have been rejected due to ${errors.length} record errors in total, and only showing the first three errors at most: [${shown.join(', ')}]`,
    errors,
  )
}

/** The codec the topic stores batches in (compression.type; "producer" keeps the producer's). */
function targetCompression(config: LogConfig, source: CompressionType): CompressionType {
  if (config.compressionType === 'producer') return source
  if (config.compressionType === 'uncompressed') return CompressionType.None
  for (const type of Object.values(CompressionType)) if (compressionName(type) === config.compressionType) return type
  return source
}

/**
 * Validates a produced batch as Kafka's log does before appending it: header,
 * size and CRC, then every record (decompressed), then the timestamp type.
 * The batch is kept as sent when it can be (Kafka's in-place assignment);
 * it is rebuilt when the topic's compression differs or a compressed batch
 * numbers its records wrongly, and then checked against max.message.bytes again.
 */
export async function validateForAppend(
  bytes: Buffer,
  config: LogConfig,
  now: number,
  partition: string,
): Promise<ValidatedBatch> {
  const header = checkHeader(bytes, config, partition)
  let records: KafkaRecord[]
  try {
    records = (await decodeRecordBatch(bytes, { verifyCrc: false })).records
  } catch (error) {
    throw new DataError(ErrorCode.INVALID_RECORD, `records of ${partition} cannot be read: ${(error as Error).message}`)
  }
  recordErrors(records, header, config, now)
  const logAppendTime = config.timestampType === 'LogAppendTime' ? now : -1
  const maxTimestamp = logAppendTime >= 0 ? now : records.reduce((max, record) => Math.max(max, record.timestamp), -1)
  const target = targetCompression(config, header.compression)
  const numbered = header.compression === CompressionType.None || records.every((r, i) => r.offset === BigInt(i))
  if (target !== header.compression || !numbered) {
    const rebuilt = await rebuild(records, header, target, logAppendTime)
    if (rebuilt.length > config.maxMessageBytes) {
      throw new DataError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `the record batch of ${rebuilt.length} bytes after recompression exceeds max.message.bytes ${config.maxMessageBytes} of ${partition}`,
      )
    }
    return { bytes: rebuilt, header: readBatchHeader(rebuilt), logAppendTime }
  }
  const out = Buffer.from(bytes)
  const attributes = header.attributes & ~TIMESTAMP_TYPE_FLAG
  out.writeInt16BE(logAppendTime >= 0 ? attributes | TIMESTAMP_TYPE_FLAG : attributes, ATTRIBUTES_OFFSET)
  out.writeBigInt64BE(BigInt(maxTimestamp), MAX_TIMESTAMP_OFFSET)
  out.writeUInt32BE(computeBatchCrc(out), CRC_OFFSET)
  return { bytes: out, header: readBatchHeader(out), logAppendTime }
}

async function rebuild(
  records: KafkaRecord[],
  header: RecordBatchHeader,
  compression: CompressionType,
  logAppendTime: number,
): Promise<Buffer> {
  const builder = new RecordBatchBuilder({
    compression,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    isTransactional: header.isTransactional,
    ...(logAppendTime >= 0 ? { logAppendTimeMs: logAppendTime } : {}),
  })
  for (const record of records) {
    builder.append({ key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp })
  }
  return builder.build()
}
