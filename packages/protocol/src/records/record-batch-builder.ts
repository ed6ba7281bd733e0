import { CompressionType } from '../compression/compression-type.js'
import { compressionCodec } from '../compression/registry.js'
import { InvalidMessageError, KafkaError } from '../errors.js'
import { varintSize, Writer } from '../primitives/writer.js'
import { type BatchHeaderFields, writeBatchHeader } from './batch-header.js'
import {
  CONTROL_FLAG,
  DELETE_HORIZON_FLAG,
  RECORD_BATCH_OVERHEAD,
  RECORDS_OFFSET,
  TIMESTAMP_TYPE_FLAG,
  TRANSACTIONAL_FLAG,
} from './batch-layout.js'
import { recordBodySize, writeRecord } from './record-codec.js'
import {
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  type RecordInput,
} from './types.js'

/** Header settings of a batch to encode; the defaults describe a plain, non-idempotent batch. */
export interface RecordBatchOptions {
  compression?: CompressionType
  /** Codec level (gzip 1-9, zstd -131072..22); the codec's default when absent. */
  compressionLevel?: number
  baseOffset?: bigint
  partitionLeaderEpoch?: number
  producerId?: bigint
  producerEpoch?: number
  baseSequence?: number
  isTransactional?: boolean
  isControl?: boolean
  /** Marks the batch LogAppendTime (as a broker does); every record then reads as this time. */
  logAppendTimeMs?: number
  /** Marks the batch as compacted with this delete horizon, stored as the base timestamp. */
  deleteHorizonMs?: number
}

export interface RecordBatchBuilderOptions extends RecordBatchOptions {
  /**
   * `append` refuses a record that would take the batch past this many bytes
   * (the producer's `batchBytes`), except the first, so an oversized record
   * still gets a batch of its own, as in Java.
   */
  maxBatchBytes?: number
  /**
   * Expected compressed/uncompressed size ratio, to estimate a compressed
   * batch's size before it is compressed. Default 1 (assume no gain).
   */
  estimatedCompressionRatio?: number
}

/** Header fields a producer fills in when it builds the batch to send it (idempotence). */
export type BatchIdentity = Pick<RecordBatchOptions, 'producerId' | 'producerEpoch' | 'baseSequence'>

/** Java's MemoryRecordsBuilder pads its compressed size estimate by 5% to stay under the limit. */
const COMPRESSION_ESTIMATE_FACTOR = 1.05
const MAX_INITIAL_CAPACITY = 1024 * 1024

/**
 * Builds one magic 2 record batch incrementally: each record is encoded once,
 * directly into the batch buffer, and the CRC is computed once in `build`.
 */
export class RecordBatchBuilder {
  private readonly writer: Writer
  private readonly options: RecordBatchBuilderOptions
  private readonly compression: CompressionType
  private readonly maxBatchBytes: number
  private baseTimestamp: number | null
  private maxTimestamp = NO_TIMESTAMP
  private count = 0
  private built = false

  constructor(options: RecordBatchBuilderOptions = {}) {
    this.options = options
    this.compression = options.compression ?? CompressionType.None
    compressionCodec(this.compression) // fail now on an unknown type, not at build
    this.maxBatchBytes = options.maxBatchBytes ?? Number.POSITIVE_INFINITY
    this.baseTimestamp = options.deleteHorizonMs ?? null
    const capacity = Number.isFinite(this.maxBatchBytes) ? Math.min(this.maxBatchBytes, MAX_INITIAL_CAPACITY) : 1024
    this.writer = new Writer(Math.max(capacity, RECORD_BATCH_OVERHEAD + 64))
    this.writer.reserve(RECORD_BATCH_OVERHEAD)
  }

  get recordCount(): number {
    return this.count
  }

  /** Size of the batch header and records before compression. */
  get uncompressedSizeBytes(): number {
    return this.writer.offset
  }

  /** Size of the batch if built now: exact without compression, an estimate with it. */
  get estimatedSizeBytes(): number {
    const recordBytes = this.writer.offset - RECORDS_OFFSET
    if (this.compression === CompressionType.None) return this.writer.offset
    const ratio = this.options.estimatedCompressionRatio ?? 1
    return RECORD_BATCH_OVERHEAD + Math.floor(recordBytes * ratio * COMPRESSION_ESTIMATE_FACTOR)
  }

  /**
   * Adds a record unless it would take the batch past `maxBatchBytes`; returns
   * whether it was added. The first record is always added.
   */
  append(record: RecordInput): boolean {
    if (this.built) throw new KafkaError('record batch already built: start a new RecordBatchBuilder')
    const timestamp = record.timestamp ?? Date.now()
    if (!Number.isSafeInteger(timestamp)) {
      throw new InvalidMessageError(`record timestamp must be an integer number of milliseconds, got ${timestamp}`)
    }
    const baseTimestamp = this.baseTimestamp ?? timestamp
    const key = record.key ?? null
    const headers = record.headers
    const bodySize = recordBodySize(timestamp - baseTimestamp, this.count, key, record.value, headers)
    const recordSize = varintSize(bodySize) + bodySize
    if (this.count > 0 && this.estimatedSizeBytes + recordSize > this.maxBatchBytes) return false
    writeRecord(this.writer, bodySize, timestamp - baseTimestamp, this.count, key, record.value, headers)
    this.baseTimestamp = baseTimestamp
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp
    this.count++
    return true
  }

  /**
   * The encoded batch, compressing its records if asked to. `identity` gives
   * producer id, epoch and base sequence known only now (a producer assigns the
   * sequence when it sends), so the CRC is computed once, over the final header.
   */
  async build(identity?: BatchIdentity): Promise<Buffer> {
    const codec = this.startBuild()
    if (this.compression === CompressionType.None) return this.finish(this.writer.bytes(), identity)
    const compressed = await codec.compress(this.recordBytes(), this.compressOptions())
    return this.finish(this.withHeaderRoom(compressed), identity)
  }

  /** `build` without a promise; fails for codecs without a synchronous call (zstd). */
  buildSync(identity?: BatchIdentity): Buffer {
    const codec = this.startBuild()
    if (this.compression === CompressionType.None) return this.finish(this.writer.bytes(), identity)
    if (codec.compressSync === undefined) {
      throw new KafkaError(`${codec.name} has no synchronous compression: use build()`)
    }
    return this.finish(this.withHeaderRoom(codec.compressSync(this.recordBytes(), this.compressOptions())), identity)
  }

  private startBuild() {
    if (this.built) throw new KafkaError('record batch already built: start a new RecordBatchBuilder')
    if (this.count === 0) throw new InvalidMessageError('a record batch needs at least one record')
    this.built = true
    return compressionCodec(this.compression)
  }

  private recordBytes(): Buffer {
    return this.writer.buffer.subarray(RECORDS_OFFSET, this.writer.offset)
  }

  private compressOptions() {
    return this.options.compressionLevel === undefined ? {} : { level: this.options.compressionLevel }
  }

  private withHeaderRoom(compressed: Buffer): Buffer {
    const batch = Buffer.allocUnsafe(RECORDS_OFFSET + compressed.length)
    compressed.copy(batch, RECORDS_OFFSET)
    return batch
  }

  private finish(batch: Buffer, identity: BatchIdentity | undefined): Buffer {
    const options = identity === undefined ? this.options : { ...this.options, ...identity }
    let attributes = this.compression
    if (options.logAppendTimeMs !== undefined) attributes |= TIMESTAMP_TYPE_FLAG
    if (options.isTransactional) attributes |= TRANSACTIONAL_FLAG
    if (options.isControl) attributes |= CONTROL_FLAG
    if (options.deleteHorizonMs !== undefined) attributes |= DELETE_HORIZON_FLAG
    const fields: BatchHeaderFields = {
      baseOffset: options.baseOffset ?? 0n,
      partitionLeaderEpoch: options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
      attributes,
      lastOffsetDelta: this.count - 1,
      baseTimestamp: this.baseTimestamp ?? NO_TIMESTAMP,
      maxTimestamp: options.logAppendTimeMs ?? this.maxTimestamp,
      producerId: options.producerId ?? NO_PRODUCER_ID,
      producerEpoch: options.producerEpoch ?? NO_PRODUCER_EPOCH,
      baseSequence: options.baseSequence ?? NO_SEQUENCE,
      recordCount: this.count,
    }
    try {
      writeBatchHeader(batch, fields)
    } catch (error) {
      // Buffer's range checks name no field; say which header value is wrong.
      throw new InvalidMessageError(
        `invalid record batch header ${JSON.stringify(fields, bigintToString)}: ${String(error)}`,
        {
          cause: error,
        },
      )
    }
    return batch
  }
}

function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}

/** Encodes `records` as one batch in a single call. */
export function encodeRecordBatch(options: RecordBatchOptions & { records: readonly RecordInput[] }): Promise<Buffer> {
  return filledBuilder(options).build()
}

/** `encodeRecordBatch` without a promise; fails for zstd, which has no synchronous codec here. */
export function encodeRecordBatchSync(options: RecordBatchOptions & { records: readonly RecordInput[] }): Buffer {
  return filledBuilder(options).buildSync()
}

function filledBuilder(options: RecordBatchOptions & { records: readonly RecordInput[] }): RecordBatchBuilder {
  const builder = new RecordBatchBuilder(options)
  for (const record of options.records) builder.append(record)
  return builder
}
