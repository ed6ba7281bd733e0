import {
  ATTRIBUTES_OFFSET,
  BASE_SEQUENCE_OFFSET,
  CompressionType,
  CRC_OFFSET,
  compressionCodec,
  computeBatchCrc,
  decodeRecordBatch,
  type KafkaError,
  NO_SEQUENCE,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORDS_OFFSET,
  RecordBatchBuilder,
  type RecordHeader,
  TRANSACTIONAL_FLAG,
} from '@kafkit/protocol'
import type { Acks } from './options.js'

/** Where and when a record was written. `offset` is -1n with acks 0 (the broker does not answer). */
export interface RecordMetadata {
  topic: string
  partition: number
  offset: bigint
  /** The record's timestamp, or the broker's append time on LogAppendTime topics. */
  timestamp: number
}

/** A record ready for the accumulator: serialized, partitioned and timestamped. */
export interface ProducerRecord {
  topic: string
  partition: number
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
  timestamp: number
}

/** Request-level settings a batch is sent with; records with other settings go to another batch. */
export interface BatchProfile {
  acks: Acks
  compression: CompressionType
  compressionLevel: number | undefined
  timeoutMs: number
}

/**
 * Batches smaller than this (uncompressed) are compressed on the event loop,
 * per codec; see `ProducerBatch.#compressesSync`. zstd has no synchronous call.
 */
const SYNC_COMPRESSION_BELOW_BYTES: Readonly<Record<number, number>> = {
  [CompressionType.Lz4]: 1024 * 1024,
  [CompressionType.Snappy]: 1024 * 1024,
  [CompressionType.Gzip]: 16 * 1024,
}

/**
 * Told once what became of one record: `error` null and its metadata when it
 * was acknowledged, or the error that failed it.
 */
export type DeliveryCallback = (error: KafkaError | null, metadata: RecordMetadata | null) => void

/** A record's callback throwing must not keep the other records of its batch from being told. */
export type CallbackFailureHandler = (error: unknown) => void

/**
 * The records of one partition that travel together. Records are encoded into
 * the batch as they are appended, compressed once when the batch is closed, and
 * on a retry only the producer id, epoch and sequence in the header (and the
 * CRC) are rewritten.
 */
export class ProducerBatch {
  /** When the batch was started (a split batch keeps its parent's), for deliveryTimeoutMs. */
  createdAt = performance.now()
  readonly #builder: RecordBatchBuilder
  // Parallel arrays rather than an object per record: the per-record path allocates as little as it can.
  readonly #callbacks: DeliveryCallback[] = []
  readonly #timestamps: number[] = []
  #bytes: Buffer | undefined
  #building: Promise<Buffer> | undefined
  closed = false
  /** Bytes reserved in the buffer pool for these records, released when the batch is done. */
  reservedBytes = 0
  /** Base sequence once assigned (idempotence), else NO_SEQUENCE. */
  sequence = NO_SEQUENCE
  /**
   * The producer id and epoch the sequence was assigned under. A retry is
   * resent with them even after an epoch bump, so that a broker that already
   * wrote the batch recognises it as a duplicate (as Java does).
   */
  producerId = -1n
  producerEpoch = -1
  attempts = 0
  /** Earliest time (performance.now()) of the next attempt, for retry backoff. */
  retryAt = 0
  done = false
  /** Settles when every record of the batch is acknowledged or failed (for `flush`). */
  readonly whenDone: Promise<void>
  #settle!: () => void

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly profile: BatchProfile,
    batchBytes: number,
    /** Expected compressed/uncompressed ratio (CompressionRatioEstimator), to fill compressed batches. */
    estimatedCompressionRatio = 1,
  ) {
    this.#builder = new RecordBatchBuilder({
      compression: profile.compression,
      compressionLevel: profile.compressionLevel,
      maxBatchBytes: batchBytes,
      estimatedCompressionRatio,
    })
    this.whenDone = new Promise((resolve) => {
      this.#settle = resolve
    })
  }

  get recordCount(): number {
    return this.#callbacks.length
  }

  get estimatedSizeBytes(): number {
    return this.#bytes?.length ?? this.#builder.estimatedSizeBytes
  }

  /** Appends unless the batch is closed or would grow past its size; returns whether it did. */
  tryAppend(record: ProducerRecord, reservedBytes: number, onDelivery: DeliveryCallback): boolean {
    if (this.closed) return false
    if (!this.#builder.append(record)) return false
    this.#callbacks.push(onDelivery)
    this.#timestamps.push(record.timestamp)
    this.reservedBytes += reservedBytes
    return true
  }

  /** Compressed/uncompressed size of the records once encoded (1 before, and without compression). */
  get compressionRatio(): number {
    const uncompressed = this.#builder.uncompressedSizeBytes - RECORDS_OFFSET
    if (this.#bytes === undefined || uncompressed <= 0) return 1
    return (this.#bytes.length - RECORDS_OFFSET) / uncompressed
  }

  /** The encoded (and compressed) batch; built once, on first call. */
  encode(): Promise<Buffer> {
    this.closed = true
    if (this.#building !== undefined) return this.#building
    // Idempotence fields assigned when the batch was drained go in now, so its CRC is computed once.
    const identity =
      this.producerId >= 0n
        ? { producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence: this.sequence }
        : undefined
    if (this.#compressesSync()) {
      try {
        this.#bytes = this.#builder.buildSync(identity)
        this.#building = Promise.resolve(this.#bytes)
      } catch (error) {
        this.#building = Promise.reject(error)
      }
      return this.#building
    }
    this.#building = this.#builder.build(identity).then((bytes) => {
      this.#bytes = bytes
      return bytes
    })
    return this.#building
  }

  /**
   * Whether to compress on the event loop rather than in the thread pool, as
   * Java compresses on the thread that appends. Measured with lz4 (lz4-napi) on
   * a 2-core machine: the pool's hand-off made compression cost 1.1x the CPU
   * of the synchronous call at 4 KiB and 1.6-2x at 128 KiB and 1 MiB, and the
   * 1 KiB lz4 producer benchmark against Kafka ran 144-213 MB/s compressing
   * synchronously against 111-127 through the pool. Fast codecs (lz4, snappy) so compress batches of up to
   * 1 MiB in place (a few ms of loop time at most); gzip, some ten times
   * slower, only batches under 16 KiB. Uncompressed batches need no work at all.
   */
  #compressesSync(): boolean {
    const compression = this.profile.compression
    if (compression === CompressionType.None) return true
    return (
      this.#builder.uncompressedSizeBytes < (SYNC_COMPRESSION_BELOW_BYTES[compression] ?? 0) &&
      compressionCodec(compression).compressSync !== undefined
    )
  }

  /** Writes the idempotence fields (and the transactional flag) into the built batch and recomputes its CRC. */
  stamp(bytes: Buffer, producerId: bigint, producerEpoch: number, transactional = false): void {
    // Built with these values already (the first attempt): the CRC is right, computing it again is waste.
    if (
      bytes.readBigInt64BE(PRODUCER_ID_OFFSET) === producerId &&
      bytes.readInt16BE(PRODUCER_EPOCH_OFFSET) === producerEpoch &&
      bytes.readInt32BE(BASE_SEQUENCE_OFFSET) === this.sequence &&
      ((bytes.readInt16BE(ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG) !== 0) === transactional
    ) {
      return
    }
    if (transactional) bytes.writeInt16BE(bytes.readInt16BE(ATTRIBUTES_OFFSET) | TRANSACTIONAL_FLAG, ATTRIBUTES_OFFSET)
    bytes.writeBigInt64BE(producerId, PRODUCER_ID_OFFSET)
    bytes.writeInt16BE(producerEpoch, PRODUCER_EPOCH_OFFSET)
    bytes.writeInt32BE(this.sequence, BASE_SEQUENCE_OFFSET)
    bytes.writeUInt32BE(computeBatchCrc(bytes), CRC_OFFSET)
  }

  /**
   * The records of this sent batch as two closed batches of about half the
   * records each, for a broker that refused it as too large (as Java's
   * `ProducerBatch.split`). They keep the records' callbacks and timestamps, the
   * creation time and, when sequenced, this batch's sequence range; this batch
   * is done once both are.
   */
  async split(): Promise<[ProducerBatch, ProducerBatch]> {
    if (!this.#bytes) throw new Error('only a sent batch can be split')
    const { records } = await decodeRecordBatch(this.#bytes)
    const half = Math.ceil(records.length / 2)
    const pieces = [records.slice(0, half), records.slice(half)].map((part, p) => {
      const piece = new ProducerBatch(this.topic, this.partition, this.profile, Number.POSITIVE_INFINITY)
      piece.createdAt = this.createdAt
      part.forEach((record, i) => {
        const { key, value, headers, timestamp } = record
        const producerRecord = { topic: this.topic, partition: this.partition, key, value, headers, timestamp }
        piece.tryAppend(producerRecord, 0, this.#callbacks[p * half + i]!)
      })
      piece.closed = true
      return piece
    }) as [ProducerBatch, ProducerBatch]
    if (this.sequence !== NO_SEQUENCE) {
      pieces[0].sequence = this.sequence
      pieces[1].sequence = (this.sequence + half) % 0x8000_0000
      for (const piece of pieces) {
        piece.producerId = this.producerId
        piece.producerEpoch = this.producerEpoch
      }
    }
    pieces[0].reservedBytes = this.reservedBytes
    this.reservedBytes = 0
    this.done = true
    void Promise.all(pieces.map((piece) => piece.whenDone)).then(() => this.#settle())
    return pieces
  }

  complete(baseOffset: bigint, logAppendTimeMs: bigint, onCallbackFailure: CallbackFailureHandler): void {
    if (this.done) return
    this.done = true
    this.#settle()
    const appendTime = logAppendTimeMs >= 0n ? Number(logAppendTimeMs) : undefined
    const callbacks = this.#callbacks
    const known = baseOffset >= 0n
    let offset = baseOffset // counted up: one bigint per record rather than a conversion and a sum
    for (let i = 0; i < callbacks.length; i++) {
      const metadata: RecordMetadata = {
        topic: this.topic,
        partition: this.partition,
        offset: known ? offset : -1n,
        timestamp: appendTime ?? this.#timestamps[i]!,
      }
      if (known) offset++
      try {
        callbacks[i]!(null, metadata)
      } catch (error) {
        onCallbackFailure(error)
      }
    }
  }

  fail(error: KafkaError, onCallbackFailure: CallbackFailureHandler): void {
    if (this.done) return
    this.done = true
    this.#settle()
    for (const callback of this.#callbacks) {
      try {
        callback(error, null)
      } catch (thrown) {
        onCallbackFailure(thrown)
      }
    }
  }
}
