import {
  BASE_SEQUENCE_OFFSET,
  type CompressionType,
  CRC_OFFSET,
  computeBatchCrc,
  type KafkaError,
  NO_SEQUENCE,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RecordBatchBuilder,
  type RecordHeader,
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

interface Pending {
  timestamp: number
  resolve: (metadata: RecordMetadata) => void
  reject: (error: KafkaError) => void
}

/**
 * The records of one partition that travel together. Records are encoded into
 * the batch as they are appended, compressed once when the batch is closed, and
 * on a retry only the producer id, epoch and sequence in the header (and the
 * CRC) are rewritten.
 */
export class ProducerBatch {
  readonly createdAt = performance.now()
  readonly #builder: RecordBatchBuilder
  readonly #pending: Pending[] = []
  #bytes: Buffer | undefined
  #building: Promise<Buffer> | undefined
  closed = false
  /** Bytes reserved in the buffer pool for these records, released when the batch is done. */
  reservedBytes = 0
  /** Base sequence once assigned (idempotence), else NO_SEQUENCE. */
  sequence = NO_SEQUENCE
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
  ) {
    this.#builder = new RecordBatchBuilder({
      compression: profile.compression,
      compressionLevel: profile.compressionLevel,
      maxBatchBytes: batchBytes,
    })
    this.whenDone = new Promise((resolve) => {
      this.#settle = resolve
    })
  }

  get recordCount(): number {
    return this.#pending.length
  }

  get estimatedSizeBytes(): number {
    return this.#bytes?.length ?? this.#builder.estimatedSizeBytes
  }

  /** Appends unless the batch is closed or would grow past its size; returns whether it did. */
  tryAppend(record: ProducerRecord, reservedBytes: number, pending: Omit<Pending, 'timestamp'>): boolean {
    if (this.closed) return false
    const appended = this.#builder.append({
      key: record.key,
      value: record.value,
      headers: record.headers,
      timestamp: record.timestamp,
    })
    if (!appended) return false
    this.#pending.push({ timestamp: record.timestamp, ...pending })
    this.reservedBytes += reservedBytes
    return true
  }

  /** The encoded (and compressed) batch; built once, on first call. */
  encode(): Promise<Buffer> {
    this.closed = true
    this.#building ??= this.#builder.build().then((bytes) => {
      this.#bytes = bytes
      return bytes
    })
    return this.#building
  }

  /** Writes the idempotence fields into the built batch and recomputes its CRC. */
  stamp(bytes: Buffer, producerId: bigint, producerEpoch: number): void {
    bytes.writeBigInt64BE(producerId, PRODUCER_ID_OFFSET)
    bytes.writeInt16BE(producerEpoch, PRODUCER_EPOCH_OFFSET)
    bytes.writeInt32BE(this.sequence, BASE_SEQUENCE_OFFSET)
    bytes.writeUInt32BE(computeBatchCrc(bytes), CRC_OFFSET)
  }

  complete(baseOffset: bigint, logAppendTimeMs: bigint): void {
    if (this.done) return
    this.done = true
    this.#settle()
    const appendTime = logAppendTimeMs >= 0n ? Number(logAppendTimeMs) : undefined
    this.#pending.forEach((p, i) => {
      p.resolve({
        topic: this.topic,
        partition: this.partition,
        offset: baseOffset >= 0n ? baseOffset + BigInt(i) : -1n,
        timestamp: appendTime ?? p.timestamp,
      })
    })
  }

  fail(error: KafkaError): void {
    if (this.done) return
    this.done = true
    this.#settle()
    for (const p of this.#pending) p.reject(error)
  }
}
