import type { KafkaClient } from '@kafkit/client'
import {
  type Acks,
  type CompressionName,
  Producer as CoreProducer,
  type DeliveryCallback,
  type OutgoingRecord,
  type ProducerOptions,
  type RecordMetadata,
  type SendOverrides,
  type TransactionOffsets,
  type TransactionState,
} from '@kafkit/producer'
import { InvalidMessageError, KafkaError } from '@kafkit/protocol'
import { ProducerSendError, type RecordOutcome } from './errors.js'
import {
  type Message,
  type MessageData,
  type MessageSerializers,
  type NormalizedMessage,
  normalizeMessage,
} from './messages.js'
import { KafkitTransaction } from './transaction.js'

/** Compression ids as kafkajs numbers them, for code migrating from kafkajs. */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const
const COMPRESSION_BY_ID: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/** Producer options plus serializers for keys and values (Buffer, string or null when absent). */
export interface KafkitProducerOptions<K = MessageData, V = MessageData>
  extends ProducerOptions,
    MessageSerializers<K, V> {}

export interface TopicMessages<K = MessageData, V = MessageData> {
  topic: string
  messages: Message<K, V>[]
}

interface RequestSettings {
  /** 0, 1 or -1 (all in-sync replicas); the producer's acks when absent. */
  acks?: Acks
  /** The broker's produce timeout in milliseconds (kafkajs's `timeout`). */
  timeout?: number
  /** A compression name, or a kafkajs CompressionTypes number. */
  compression?: CompressionName | (typeof CompressionTypes)[keyof typeof CompressionTypes]
}

/** One record for `produce`: a message (as in `send`) and its topic. */
export interface ProduceRecord<K = MessageData, V = MessageData> extends Message<K, V> {
  topic: string
}

export interface ProducerRecordBatch<K = MessageData, V = MessageData> extends TopicMessages<K, V>, RequestSettings {}

export interface ProducerBatch<K = MessageData, V = MessageData> extends RequestSettings {
  topicMessages: TopicMessages<K, V>[]
}

/**
 * The producer of `kafka.producer()`: `connect`, then `send` / `sendBatch`
 * resolve with each record's topic, partition, offset (bigint) and timestamp,
 * in the order given. Records of one send either all succeed or the promise
 * rejects with a `ProducerSendError` saying what happened to each.
 */
export class KafkitProducer<K = MessageData, V = MessageData> {
  readonly #client: KafkaClient
  readonly #producer: CoreProducer
  readonly #serializers: MessageSerializers<K, V>
  #connected = false
  #disconnected = false
  /** Records given to `produce` so far: the `index` of an unreported failure. */
  #produced = 0
  /** Failures of records produced without a callback, reported by the next flush. */
  readonly #failures: RecordOutcome[] = []

  constructor(client: KafkaClient, options: KafkitProducerOptions<K, V> = {}) {
    const { keySerializer, valueSerializer, ...producerOptions } = options
    checkSerializer(keySerializer, 'keySerializer')
    checkSerializer(valueSerializer, 'valueSerializer')
    this.#client = client
    this.#serializers = { keySerializer, valueSerializer }
    this.#producer = new CoreProducer(client, producerOptions)
  }

  async connect(): Promise<void> {
    if (this.#disconnected)
      throw new KafkaError('this producer was disconnected: create a new one with kafka.producer()')
    await this.#client.connect()
    // As kafkajs: a transactional producer registers its transactional id on connect.
    if (this.#producer.transactionState === 'uninitialized') await this.#producer.initTransactions()
    this.#connected = true
  }

  /** Begins a transaction (transactional producers): send through the object it returns, then commit or abort. */
  async transaction(): Promise<KafkitTransaction<K, V>> {
    this.#checkConnected()
    this.#producer.beginTransaction()
    return new KafkitTransaction(this, this.#producer)
  }

  /** Where a transactional producer is in its transactions ('ready', 'in-transaction', 'abortable-error', ...). */
  get transactionState(): TransactionState | undefined {
    return this.#producer.transactionState
  }

  /** The producer id and epoch (-1n / -1 before the first is assigned, or without idempotence). */
  get producerIdentity(): { producerId: bigint; epoch: number } {
    return this.#producer.producerIdentity
  }

  /** Java-shaped transactions: `connect()` already ran initTransactions; begin, send, commit or abort. */
  initTransactions(): Promise<void> {
    return this.#producer.initTransactions()
  }

  beginTransaction(): void {
    this.#producer.beginTransaction()
  }

  commitTransaction(): Promise<void> {
    return this.#producer.commitTransaction()
  }

  abortTransaction(): Promise<void> {
    return this.#producer.abortTransaction()
  }

  sendOffsets(offsets: TransactionOffsets): Promise<void> {
    return this.#producer.sendOffsets(offsets)
  }

  send(record: ProducerRecordBatch<K, V>): Promise<RecordMetadata[]> {
    return this.sendBatch({
      topicMessages: [{ topic: record?.topic, messages: record?.messages }],
      ...settingsOf(record ?? {}),
    })
  }

  async sendBatch(batch: ProducerBatch<K, V>): Promise<RecordMetadata[]> {
    if (!this.#connected) {
      throw new KafkaError(
        this.#disconnected
          ? 'the producer is disconnected'
          : 'the producer is not connected: await producer.connect() first',
      )
    }
    this.#producer.checkTransactionalSend()
    if (batch === null || typeof batch !== 'object' || !Array.isArray(batch.topicMessages)) {
      throw new InvalidMessageError('sendBatch needs { topicMessages: [{ topic, messages }] }')
    }
    const overrides = overridesOf(batch)
    // Every record is checked before any is sent, so a bad one fails the call without a partial write.
    const checked: { topic: string; index: number; message: NormalizedMessage }[] = []
    batch.topicMessages.forEach((entry, t) => {
      const where = batch.topicMessages.length > 1 ? `topicMessages[${t}]` : 'send'
      if (typeof entry?.topic !== 'string' || entry.topic.length === 0) {
        throw new InvalidMessageError(`${where} needs a topic: a non-empty string`)
      }
      if (!Array.isArray(entry.messages) || entry.messages.length === 0) {
        throw new InvalidMessageError(`${where} needs messages: a non-empty array of { key, value, headers }`)
      }
      entry.messages.forEach((message, index) => {
        checked.push({
          topic: entry.topic,
          index,
          message: normalizeMessage(message, `messages[${index}]`, entry.topic, this.#serializers),
        })
      })
    })
    // One promise for the call; each record goes through produce, the per-record path.
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      const outcomes: RecordOutcome[] = new Array(checked.length)
      let remaining = checked.length
      let failed = false
      const settle = (i: number, error: KafkaError | null, metadata: RecordMetadata | null) => {
        const { topic, index } = checked[i]!
        if (error === null) outcomes[i] = { status: 'fulfilled', value: metadata! }
        else {
          failed = true
          outcomes[i] = { status: 'rejected', topic, index, reason: error }
        }
        if (--remaining > 0) return
        if (failed) reject(new ProducerSendError(outcomes))
        else resolve(outcomes.map((o) => (o as Extract<RecordOutcome, { status: 'fulfilled' }>).value))
      }
      checked.forEach(({ topic, message }, i) => {
        try {
          this.#producer.produce(coreRecord(topic, message), (error, metadata) => settle(i, error, metadata), overrides)
        } catch (error) {
          settle(i, asKafkaError(error), null)
        }
      })
    })
  }

  /**
   * The per-record path for high rates: checks and serializes one record, hands
   * it to the producer and returns; no promise is made for it. `onDelivery` is
   * called once with its metadata or the error that failed it. Without a
   * callback a failed record is logged and kept, and the next `flush()` rejects
   * with a ProducerSendError listing those failures (up to 10,000; `index` is the
   * record's number among this producer's `produce` calls, from 0). Invalid input
   * throws here. A full buffer makes the record wait up to `maxBlockMs` (then
   * BufferExhaustedError); at most `bufferMemoryBytes` of records wait, beyond
   * which records fail at once: await `waitForBuffer()` now and then in a loop.
   */
  produce(record: ProduceRecord<K, V>, onDelivery?: DeliveryCallback): void {
    this.#checkConnected()
    if (record === null || typeof record !== 'object') {
      throw new InvalidMessageError('produce needs a record { topic, value, key?, headers?, partition?, timestamp? }')
    }
    if (typeof record.topic !== 'string' || record.topic.length === 0) {
      throw new InvalidMessageError('produce needs a topic: a non-empty string')
    }
    if (onDelivery !== undefined && typeof onDelivery !== 'function') {
      throw new InvalidMessageError('the produce callback must be a function (error, metadata) => void')
    }
    const index = this.#produced++
    const callback = onDelivery ?? ((error) => error !== null && this.#unreported(record.topic, index, error))
    if (this.#takesAsIs(record)) {
      // Already bytes, no headers to convert: the producer checks the rest, no copy of the record is made.
      this.#producer.produce(record as OutgoingRecord, callback)
      return
    }
    this.#producer.produce(
      coreRecord(record.topic, normalizeMessage(record, 'record', record.topic, this.#serializers)),
      callback,
    )
  }

  /**
   * For a loop of `produce` calls, to await every so often: resolved at once
   * while at most three quarters of the buffer is held and no record waits for
   * room, otherwise once the buffer is drained to half.
   */
  waitForBuffer(): Promise<void> {
    return this.#producer.waitForBuffer()
  }

  /** Whether a record is already what the core producer takes: Buffer (or null) key and value, no headers, a numeric timestamp. */
  #takesAsIs(record: ProduceRecord<K, V>): boolean {
    const { key, value } = record as { key?: unknown; value: unknown }
    return (
      this.#serializers.keySerializer === undefined &&
      this.#serializers.valueSerializer === undefined &&
      record.headers === undefined &&
      typeof record.timestamp !== 'string' &&
      (value === null || Buffer.isBuffer(value)) &&
      (key === undefined || key === null || Buffer.isBuffer(key))
    )
  }

  #unreported(topic: string, index: number, error: KafkaError): void {
    this.#client.logger.error('a produced record failed and had no callback', { topic, index, error: error.message })
    if (this.#failures.length < MAX_KEPT_FAILURES)
      this.#failures.push({ status: 'rejected', topic, index, reason: error })
  }

  #checkConnected(): void {
    if (!this.#connected) {
      throw new KafkaError(
        this.#disconnected
          ? 'the producer is disconnected'
          : 'the producer is not connected: await producer.connect() first',
      )
    }
  }

  /**
   * Sends everything buffered now and waits until it is acknowledged or failed;
   * rejects with a ProducerSendError when records given to `produce` without a
   * callback failed since the last flush.
   */
  async flush(): Promise<void> {
    await this.#producer.flush()
    if (this.#failures.length > 0) throw new ProducerSendError(this.#failures.splice(0))
  }

  /** Delivers (or fails) everything buffered, then closes the connections. */
  async disconnect(): Promise<void> {
    if (this.#disconnected) return
    this.#disconnected = true
    this.#connected = false
    await this.#producer.close()
    await this.#client.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect()
  }
}

/** Failures of callback-less `produce` kept for `flush`; more are logged only, so memory stays bounded. */
const MAX_KEPT_FAILURES = 10_000

function coreRecord(topic: string, message: NormalizedMessage): OutgoingRecord {
  const record: OutgoingRecord = {
    topic,
    key: message.key,
    value: message.value,
    headers: message.headers,
    partition: message.partition,
  }
  if (message.timestamp !== undefined) record.timestamp = message.timestamp
  return record
}

function checkSerializer(serializer: unknown, name: string): void {
  if (serializer === undefined) return
  const serialize = (serializer as { serialize?: unknown } | null)?.serialize
  if (typeof serialize !== 'function') {
    throw new InvalidMessageError(
      `${name} must be an object with a serialize(value, context) method, such as jsonSerde()`,
    )
  }
}

function settingsOf(settings: RequestSettings): RequestSettings {
  const out: RequestSettings = {}
  if (settings.acks !== undefined) out.acks = settings.acks
  if (settings.timeout !== undefined) out.timeout = settings.timeout
  if (settings.compression !== undefined) out.compression = settings.compression
  return out
}

function overridesOf(settings: RequestSettings): SendOverrides | undefined {
  if (settings.acks === undefined && settings.timeout === undefined && settings.compression === undefined) {
    return undefined // the producer's own settings: no per-record profile to build
  }
  const overrides: SendOverrides = {}
  if (settings.acks !== undefined) overrides.acks = settings.acks
  if (settings.timeout !== undefined) overrides.timeoutMs = settings.timeout
  if (settings.compression !== undefined) {
    const c = settings.compression
    const name = typeof c === 'number' ? COMPRESSION_BY_ID[c] : c
    if (name === undefined) {
      throw new InvalidMessageError(
        `compression must be none, gzip, snappy, lz4, zstd or a CompressionTypes value; got ${c}`,
      )
    }
    overrides.compression = name
  }
  return overrides
}

function asKafkaError(error: unknown): KafkaError {
  return error instanceof KafkaError
    ? error
    : new KafkaError(error instanceof Error ? error.message : String(error), { cause: error })
}
