import type { KafkaClient, TopicMetadata } from '@kafkit/client'
import { errorFromCode, InvalidMessageError, KafkaError, type RecordHeader } from '@kafkit/protocol'
import { RecordAccumulator } from './accumulator.js'
import { BufferPool } from './buffer-pool.js'
import { ProducerClosedError, RecordTooLargeError, TopicMetadataTimeoutError, TransactionStateError } from './errors.js'
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
import type { BatchProfile, DeliveryCallback, ProducerRecord, RecordMetadata } from './producer-batch.js'
import { Sender } from './sender.js'
import { createTransactionManager } from './transaction-hooks.js'
import type { TransactionManager } from './transaction-manager.js'
import type { TransactionOffsets } from './transaction-offsets.js'
import type { TransactionState } from './transaction-state.js'

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
  readonly #transactions: TransactionManager | undefined
  #closed = false
  #closing: Promise<void> | undefined
  /** Sends still waiting for metadata or buffer space; close waits for them to be appended. */
  readonly #waiting = new Set<Promise<unknown>>()
  /** The batch profile of records without overrides, made once: equal profiles then compare by identity. */
  readonly #defaultProfile: BatchProfile
  readonly #available = new WeakMap<TopicMetadata, readonly number[]>()
  readonly #topicWaits = new Map<string, Promise<void>>()

  constructor(client: KafkaClient, options: ProducerOptions = {}) {
    this.options = resolveProducerOptions(options)
    this.#client = client
    this.#partitioner = createPartitioner(options.partitioner, this.options.batchBytes)
    this.#pool = new BufferPool(this.options.bufferMemoryBytes, this.options.maxBlockMs)
    this.#accumulator = new RecordAccumulator(this.options.batchBytes)
    this.#identity = this.options.idempotent ? new ProducerIdentity() : undefined
    this.#transactions = createTransactionManager(client, this.#identity, this.options, {
      accumulator: this.#accumulator,
      pool: this.#pool,
      wake: () => this.#sender.wake(),
      appended: async () => {
        await Promise.allSettled([...this.#waiting])
      },
      flush: async () => {
        await Promise.allSettled([...this.#waiting])
        await this.flush()
      },
      logger: client.logger,
    })
    this.#sender = new Sender(client, this.#accumulator, this.#pool, this.#identity, this.options, this.#transactions)
    this.#defaultProfile = this.#profile({})
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
   * One promise per call on top of `produce`, which does the work.
   */
  send(record: OutgoingRecord, overrides?: SendOverrides): Promise<RecordMetadata> {
    return new Promise<RecordMetadata>((resolve, reject) => {
      this.produce(record, (error, metadata) => (error === null ? resolve(metadata!) : reject(error)), overrides)
    })
  }

  /**
   * The per-record path for high rates: hands one record to the producer and
   * returns at once; `onDelivery` is called once, later, with the record's
   * metadata or the error that failed it. No promise is made per record: the
   * callback is kept on the record's batch. Invalid input (and a closed
   * producer) throws here. When the buffer is full the record waits for room
   * up to `maxBlockMs` and then fails with BufferExhaustedError; at most
   * `bufferMemoryBytes` of records wait, beyond which a record fails at once
   * with BufferExhaustedError: await `waitForBuffer()` to pace a loop.
   */
  produce(record: OutgoingRecord, onDelivery: DeliveryCallback, overrides?: SendOverrides): void {
    if (typeof onDelivery !== 'function') {
      throw new InvalidMessageError('produce needs a delivery callback (error, metadata) => void')
    }
    if (this.#closed) throw new ProducerClosedError('the producer is closed: create a new one to send more records')
    this.#transactions?.checkSend()
    const profile = overrides === undefined ? this.#defaultProfile : this.#profile(overrides)
    const checked = checkRecord(record)
    const size = estimateSize(checked)
    if (size > this.options.maxRequestBytes) {
      throw new RecordTooLargeError(
        `a record for topic "${checked.topic}" takes ${size} bytes serialized, more than maxRequestBytes (${this.options.maxRequestBytes}); raise maxRequestBytes (and the topic's max.message.bytes) or send a smaller record`,
      )
    }
    if (size > this.options.bufferMemoryBytes) {
      throw new RecordTooLargeError(
        `a record for topic "${checked.topic}" takes ${size} bytes serialized, more than bufferMemoryBytes (${this.options.bufferMemoryBytes}); raise bufferMemoryBytes or send a smaller record`,
      )
    }
    const topic = this.#client.cluster.metadata.topic(checked.topic)
    // Known topic and room in the buffer: append now, so that records keep the order of the calls.
    if (topic && topic.partitions.length > 0) {
      // A partition that does not exist is bad input: it throws here, before any byte is reserved.
      const partition = this.#partitionOf(checked)
      const reserved = this.#pool.reserve(size)
      if (reserved === undefined) {
        this.#append(checked, partition, profile, size, onDelivery)
        return
      }
      this.#later(reserved, checked, profile, size, onDelivery)
      return
    }
    this.#later(
      this.#topicKnown(checked.topic).then(() => this.#pool.reserve(size)),
      checked,
      profile,
      size,
      onDelivery,
    )
  }

  /**
   * For a loop calling `produce`, to await now and then so as never to outrun
   * the brokers: resolved at once while at most three quarters of
   * `bufferMemoryBytes` is held and no record waits for room; otherwise it
   * resolves once the buffer is drained to half.
   */
  waitForBuffer(): Promise<void> {
    return this.#pool.whenAvailable()
  }

  /** Sends everything buffered now (ignoring lingerMs) and resolves once every record sent before the call is done. */
  async flush(): Promise<void> {
    // Records still waiting for metadata or buffer space were handed over before the call: they count too.
    if (this.#waiting.size > 0) await Promise.allSettled([...this.#waiting])
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
      // As Java's producer: a transaction left open is aborted rather than left to time out.
      await this.#transactions?.abortOnClose()
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

  /** Where a transactional producer is in its transactions ('uninitialized' ... 'fatal-error'); undefined otherwise. */
  get transactionState(): TransactionState | undefined {
    return this.#transactions?.state
  }

  /** Registers the transactional id with its coordinator, fencing older producers with the same id. Once, before any transaction. */
  async initTransactions(): Promise<void> {
    return this.#transactional('initTransactions()').initTransactions()
  }

  /** Opens a transaction: records sent until commit or abort belong to it. */
  beginTransaction(): void {
    this.#transactional('beginTransaction()').beginTransaction()
  }

  /** Sends every record of the transaction, then commits it; fails (abortable) if a record failed. */
  async commitTransaction(): Promise<void> {
    return this.#transactional('commitTransaction()').commitTransaction()
  }

  /** Fails the records not yet sent, waits for those in flight, and aborts the transaction. */
  async abortTransaction(): Promise<void> {
    return this.#transactional('abortTransaction()').abortTransaction()
  }

  /** Commits a consumer group's offsets as part of the open transaction (consume-transform-produce). */
  async sendOffsets(offsets: TransactionOffsets): Promise<void> {
    return this.#transactional('sendOffsets()').sendOffsets(offsets)
  }

  /** Throws the typed state error when this transactional producer may not send now (no open transaction, or a failed one). */
  checkTransactionalSend(): void {
    this.#transactions?.checkSend()
  }

  #transactional(operation: string): TransactionManager {
    if (this.#transactions) return this.#transactions
    throw new TransactionStateError(
      `${operation} needs a transactional producer: create the producer with a transactionalId`,
    )
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

  /** Appends once `ready` settles: the record waited for metadata or buffer space. */
  #later(
    ready: Promise<unknown>,
    record: CheckedRecord,
    profile: BatchProfile,
    size: number,
    onDelivery: DeliveryCallback,
  ): void {
    this.#track(ready).then(
      () => {
        let partition: number
        try {
          partition = this.#partitionOf(record)
        } catch (error) {
          this.#pool.release(size)
          this.#fail(onDelivery, error)
          return
        }
        this.#append(record, partition, profile, size, onDelivery)
      },
      (error: unknown) => this.#fail(onDelivery, error),
    )
  }

  /** Tells a record that never reached a batch that it failed; a callback that throws is logged. */
  #fail(onDelivery: DeliveryCallback, error: unknown): void {
    try {
      onDelivery(asKafkaError(error), null)
    } catch (thrown) {
      this.#client.logger.error('a produce delivery callback threw', { error: String(thrown) })
    }
  }

  #partitionOf(record: CheckedRecord): number {
    const topic = this.#client.cluster.metadata.topic(record.topic)!
    return choosePartition(
      this.#partitioner,
      {
        topic: record.topic,
        key: record.key,
        value: record.value,
        partitionCount: topic.partitions.length,
        availablePartitions: this.#availablePartitions(topic),
      },
      record.partition,
    )
  }

  /** Partitions with a leader, computed once per metadata answer rather than per record. */
  #availablePartitions(topic: TopicMetadata): readonly number[] {
    let available = this.#available.get(topic)
    if (available === undefined) {
      available = topic.partitions.filter((p) => p !== undefined && p.leader >= 0).map((p) => p.partition)
      this.#available.set(topic, available)
    }
    return available
  }

  #append(record: CheckedRecord, partition: number, profile: BatchProfile, size: number, onDelivery: DeliveryCallback) {
    if (this.#transactions) {
      // The record may have waited for metadata while the transaction ended.
      const refused = this.#transactions.appendRefusal()
      if (refused) {
        this.#pool.release(size)
        onDelivery(refused, null)
        return
      }
      onDelivery = this.#transactions.watch(onDelivery)
    }
    // The checked record is ours (made by checkRecord): it becomes the accumulator's record as it is.
    const producerRecord = record as ProducerRecord
    producerRecord.partition = partition
    const result = this.#accumulator.append(producerRecord, profile, size, onDelivery)
    this.#partitioner.onAppend?.(record.topic, partition, size, result.batchClosed)
    // The sender only needs telling when a batch fills (send it now) or starts (time its linger).
    if (result.newBatch || result.batchFull) this.#sender.wake()
  }

  /** One metadata wait per unknown topic, however many records arrive for it meanwhile. */
  #topicKnown(topic: string): Promise<void> {
    let wait = this.#topicWaits.get(topic)
    if (wait === undefined) {
      wait = this.#waitForTopic(topic)
      this.#topicWaits.set(topic, wait)
      const forget = () => this.#topicWaits.delete(topic)
      wait.then(forget, forget)
    }
    return wait
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

/** Shared by every record without headers (nothing writes to it), so none allocates an empty array. */
const NO_HEADERS: RecordHeader[] = Object.freeze([]) as unknown as RecordHeader[]

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
  return { topic: record.topic, key, value: record.value, headers: record.headers ?? NO_HEADERS, partition, timestamp }
}

function estimateSize(record: CheckedRecord): number {
  let size = BATCH_OVERHEAD_BYTES + RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const header of record.headers) size += Buffer.byteLength(header.key) + (header.value?.length ?? 0) + 10
  return size
}

function asKafkaError(error: unknown): KafkaError {
  if (error instanceof KafkaError) return error
  return new KafkaError(error instanceof Error ? error.message : String(error), { cause: error })
}
