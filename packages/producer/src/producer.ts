import type { KafkaClient } from '@kafkit/client'
import { errorFromCode, InvalidMessageError, type RecordHeader } from '@kafkit/protocol'
import { RecordAccumulator } from './accumulator.js'
import { BufferPool } from './buffer-pool.js'
import { ProducerClosedError, RecordTooLargeError, TopicMetadataTimeoutError } from './errors.js'
import { ProducerIdentity } from './idempotence.js'
import {
  type Acks,
  type CompressionName,
  checkAcks,
  compressionType,
  type ProducerOptions,
  type ResolvedProducerOptions,
  resolveProducerOptions,
} from './options.js'
import { choosePartition, createPartitioner, type Partitioner } from './partitioners/index.js'
import type { BatchProfile, ProducerRecord, RecordMetadata } from './producer-batch.js'
import { Sender } from './sender.js'

/** A record as the producer takes it: serialized key and value, optional partition and timestamp. */
export interface OutgoingRecord {
  topic: string
  key?: Buffer | null
  value: Buffer | null
  headers?: RecordHeader[]
  partition?: number | null
  /** Milliseconds since the epoch; now when absent. */
  timestamp?: number
}

/** Per-send overrides of request-level settings (kafkajs-style `send({ acks, timeout, compression })`). */
export interface SendOverrides {
  acks?: Acks
  /** The broker's produce timeout, in milliseconds. */
  timeoutMs?: number
  compression?: CompressionName
}

/** Record overhead beyond key, value and headers: batch header share and varints, as Java's estimate. */
const RECORD_OVERHEAD_BYTES = 21
const BATCH_OVERHEAD_BYTES = 61

/**
 * The producer: partitions records, batches them per partition, and sends the
 * batches to the partition leaders, idempotently by default. `send` resolves
 * when the record is acknowledged (or, with acks 0, written to the socket) and
 * rejects with a typed error when it cannot be delivered; a record is never
 * dropped silently.
 */
export class Producer {
  readonly options: ResolvedProducerOptions
  readonly #client: KafkaClient
  readonly #partitioner: Partitioner
  readonly #pool: BufferPool
  readonly #accumulator: RecordAccumulator
  readonly #identity: ProducerIdentity | undefined
  readonly #sender: Sender
  #closed = false
  #closing: Promise<void> | undefined
  /** Sends still waiting for metadata or buffer space; close waits for them to be appended. */
  readonly #waiting = new Set<Promise<unknown>>()

  constructor(client: KafkaClient, options: ProducerOptions = {}) {
    this.options = resolveProducerOptions(options)
    this.#client = client
    this.#partitioner = createPartitioner(options.partitioner, this.options.batchBytes)
    this.#pool = new BufferPool(this.options.bufferMemoryBytes, this.options.maxBlockMs)
    this.#accumulator = new RecordAccumulator(this.options.batchBytes)
    this.#identity = this.options.idempotent ? new ProducerIdentity() : undefined
    this.#sender = new Sender(client, this.#accumulator, this.#pool, this.#identity, this.options)
  }

  /** The producer id and epoch of an idempotent producer (-1n / -1 before the first send or when not idempotent). */
  get producerIdentity(): { producerId: bigint; epoch: number } {
    return { producerId: this.#identity?.producerId ?? -1n, epoch: this.#identity?.epoch ?? -1 }
  }

  /** Bytes held in the buffer by records not yet acknowledged. */
  get bufferedBytes(): number {
    return this.#pool.usedBytes
  }

  /**
   * Hands one record to the producer. Bad input throws synchronously-rejected
   * InvalidMessageError; the promise resolves with where the record was written.
   */
  send(record: OutgoingRecord, overrides: SendOverrides = {}): Promise<RecordMetadata> {
    try {
      if (this.#closed) throw new ProducerClosedError('the producer is closed: create a new one to send more records')
      const profile = this.#profile(overrides)
      const checked = checkRecord(record)
      const size = estimateSize(checked)
      if (size > this.options.maxRequestBytes) {
        throw new RecordTooLargeError(
          `a record for topic "${record.topic}" takes ${size} bytes serialized, more than maxRequestBytes (${this.options.maxRequestBytes}); raise maxRequestBytes (and the topic's max.message.bytes) or send a smaller record`,
        )
      }
      if (size > this.options.bufferMemoryBytes) {
        throw new RecordTooLargeError(
          `a record for topic "${record.topic}" takes ${size} bytes serialized, more than bufferMemoryBytes (${this.options.bufferMemoryBytes}); raise bufferMemoryBytes or send a smaller record`,
        )
      }
      const topic = this.#client.cluster.metadata.topic(record.topic)
      // Known topic and room in the buffer: append now, so that records keep the order of the send calls.
      if (topic && topic.partitions.length > 0) {
        const reserved = this.#pool.reserve(size)
        if (reserved === undefined) return this.#append(checked, profile, size)
        return this.#track(reserved).then(() => this.#append(checked, profile, size))
      }
      return this.#track(this.#waitForTopic(record.topic).then(() => this.#pool.reserve(size))).then(() =>
        this.#append(checked, profile, size),
      )
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** Sends everything buffered now (ignoring lingerMs) and resolves once every record sent before the call is done. */
  async flush(): Promise<void> {
    const batches = this.#accumulator.unfinished()
    if (batches.length === 0) return
    this.#accumulator.beginFlush()
    this.#sender.wake()
    try {
      await Promise.all(batches.map((b) => b.whenDone))
    } finally {
      this.#accumulator.endFlush()
    }
  }

  /** Stops taking records, delivers (or fails) everything buffered, then stops. Idempotent. */
  close(): Promise<void> {
    this.#closed = true
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#waiting])
      this.#sender.closing = true
      this.#sender.wake()
      await Promise.all(this.#accumulator.unfinished().map((b) => b.whenDone))
      this.#sender.stop()
      this.#pool.close()
    })()
    return this.#closing
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#waiting.add(promise)
    const forget = () => this.#waiting.delete(promise)
    promise.then(forget, forget)
    return promise
  }

  #profile(overrides: SendOverrides): BatchProfile {
    const acks = overrides.acks === undefined ? this.options.acks : checkAcks(overrides.acks, 'send acks')
    if (this.options.idempotent && acks !== -1) {
      throw new InvalidMessageError(
        `this producer is idempotent, which needs acks -1; drop acks from the send or create the producer with idempotent: false`,
      )
    }
    const timeoutMs = overrides.timeoutMs ?? this.options.requestTimeoutMs
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) {
      throw new InvalidMessageError(`timeout must be a non-negative integer of milliseconds; got ${String(timeoutMs)}`)
    }
    return {
      acks,
      timeoutMs,
      compression:
        overrides.compression === undefined
          ? this.options.compression
          : compressionType(overrides.compression, 'send compression'),
      compressionLevel: this.options.compressionLevel,
    }
  }

  #append(record: CheckedRecord, profile: BatchProfile, size: number): Promise<RecordMetadata> {
    let partition: number
    try {
      const topic = this.#client.cluster.metadata.topic(record.topic)!
      const available = topic.partitions.filter((p) => p !== undefined && p.leader >= 0).map((p) => p.partition)
      partition = choosePartition(
        this.#partitioner,
        {
          topic: record.topic,
          key: record.key,
          value: record.value,
          partitionCount: topic.partitions.length,
          availablePartitions: available,
        },
        record.partition,
      )
    } catch (error) {
      this.#pool.release(size)
      return Promise.reject(error)
    }
    const producerRecord: ProducerRecord = { ...record, partition }
    return new Promise<RecordMetadata>((resolve, reject) => {
      const result = this.#accumulator.append(producerRecord, profile, size, { resolve, reject })
      this.#partitioner.onAppend?.(record.topic, partition, size, result.batchClosed)
      this.#sender.wake()
    })
  }

  async #waitForTopic(topic: string): Promise<void> {
    const deadline = performance.now() + this.options.maxBlockMs
    let lastError: unknown
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#client.cluster.refreshMetadata({ topics: [topic], allowAutoTopicCreation: true })
      } catch (error) {
        lastError = error
      }
      const known = this.#client.cluster.metadata.topic(topic)
      if (known && known.partitions.length > 0 && known.errorCode === 0) return
      if (known && known.errorCode !== 0 && known.errorCode !== 3 && known.errorCode !== 5) {
        throw errorFromCode(known.errorCode, { api: 'Metadata', entity: topic })!
      }
      const wait = Math.min(this.options.retryBackoffMaxMs, this.options.retryBackoffMs * 2 ** attempt)
      if (performance.now() + wait >= deadline) {
        throw new TopicMetadataTimeoutError(
          `topic "${topic}" not present in metadata after maxBlockMs (${this.options.maxBlockMs} ms); create it or check its name`,
          lastError,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}

interface CheckedRecord {
  topic: string
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
  partition: number | null
  timestamp: number
}

function checkRecord(record: OutgoingRecord): CheckedRecord {
  if (record === null || typeof record !== 'object') throw new InvalidMessageError('a record must be an object')
  if (typeof record.topic !== 'string' || record.topic.length === 0) {
    throw new InvalidMessageError(`a record needs a topic name (a non-empty string); got ${String(record.topic)}`)
  }
  const key = record.key ?? null
  if (key !== null && !Buffer.isBuffer(key)) throw new InvalidMessageError(`record key must be a Buffer or null`)
  if (record.value !== null && !Buffer.isBuffer(record.value)) {
    throw new InvalidMessageError(`record value must be a Buffer or null`)
  }
  const timestamp = record.timestamp ?? Date.now()
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new InvalidMessageError(
      `record timestamp must be a non-negative integer of milliseconds since the epoch; got ${String(record.timestamp)}`,
    )
  }
  const partition = record.partition ?? null
  if (partition !== null && (!Number.isInteger(partition) || partition < 0)) {
    throw new InvalidMessageError(`record partition must be a non-negative integer; got ${String(partition)}`)
  }
  return { topic: record.topic, key, value: record.value, headers: record.headers ?? [], partition, timestamp }
}

function estimateSize(record: CheckedRecord): number {
  let size = BATCH_OVERHEAD_BYTES + RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const header of record.headers) size += Buffer.byteLength(header.key) + (header.value?.length ?? 0) + 10
  return size
}
