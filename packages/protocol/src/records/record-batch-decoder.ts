import type { DecompressOptions } from '../compression/codec.js'
import { CompressionType } from '../compression/compression-type.js'
import { compressionCodec } from '../compression/registry.js'
import { CorruptRecordError, ProtocolError } from '../errors.js'
import { Reader } from '../primitives/reader.js'
import { readBatchHeader, verifyBatchCrc } from './batch-header.js'
import { RECORDS_OFFSET } from './batch-layout.js'
import { type RecordContext, readRecord } from './record-codec.js'
import { type KafkaRecord, type RecordBatch, type RecordBatchHeader, TimestampType } from './types.js'

export interface RecordDecodeOptions extends DecompressOptions {
  /**
   * Verify each batch's CRC (Java's `check.crcs`, default true). Turning it off
   * saves a pass over the bytes when something else already guarantees them.
   */
  verifyCrc?: boolean
}

/**
 * Decodes the magic 2 batch that `batch` holds exactly: checks the CRC,
 * decompresses the records if needed and decodes them, keys and values as views.
 */
export async function decodeRecordBatch(batch: Buffer, options?: RecordDecodeOptions): Promise<RecordBatch> {
  const header = readBatchHeader(batch)
  if (options?.verifyCrc !== false) verifyBatchCrc(batch, header)
  const section = batch.subarray(RECORDS_OFFSET)
  const records =
    header.compression === CompressionType.None
      ? section
      : await compressionCodec(header.compression).decompress(section, options)
  return { ...header, records: decodeRecords(header, records) }
}

/**
 * Decodes the (uncompressed) records section of a batch. Java reads exactly
 * `recordCount` records and rejects bytes left over, so do we.
 */
export function decodeRecords(header: RecordBatchHeader, section: Buffer): KafkaRecord[] {
  const context: RecordContext = {
    baseOffset: header.baseOffset,
    baseTimestamp: header.baseTimestamp,
    logAppendTime: header.timestampType === TimestampType.LogAppendTime ? header.maxTimestamp : null,
  }
  const reader = new Reader(section)
  const records: KafkaRecord[] = []
  try {
    for (let i = 0; i < header.recordCount; i++) records.push(readRecord(reader, context))
  } catch (error) {
    throw asCorrupt(error, header)
  }
  if (reader.remaining > 0) {
    throw new CorruptRecordError(
      `record batch at offset ${header.baseOffset} has ${reader.remaining} bytes after its ${header.recordCount} records`,
    )
  }
  return records
}

/** A truncated or malformed record is a corrupt batch, whatever primitive noticed it. */
function asCorrupt(error: unknown, header: RecordBatchHeader): unknown {
  if (error instanceof CorruptRecordError || !(error instanceof ProtocolError)) return error
  return new CorruptRecordError(`record batch at offset ${header.baseOffset} is corrupt: ${error.message}`, {
    cause: error,
  })
}
