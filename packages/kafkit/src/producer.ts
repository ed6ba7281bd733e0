import type { KafkaClient } from '@kafkit/client'
import {
  type Acks,
  type CompressionName,
  Producer as CoreProducer,
  type ProducerOptions,
  type RecordMetadata,
  type SendOverrides,
} from '@kafkit/producer'
import { InvalidMessageError, KafkaError } from '@kafkit/protocol'
import { ProducerSendError, type RecordOutcome } from './errors.js'
import { type Message, type NormalizedMessage, normalizeMessage } from './messages.js'

/** Compression ids as kafkajs numbers them, for code migrating from kafkajs. */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const
const COMPRESSION_BY_ID: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

export interface TopicMessages {
  topic: string
  messages: Message[]
}

interface RequestSettings {
  /** 0, 1 or -1 (all in-sync replicas); the producer's acks when absent. */
  acks?: Acks
  /** The broker's produce timeout in milliseconds (kafkajs's `timeout`). */
  timeout?: number
  /** A compression name, or a kafkajs CompressionTypes number. */
  compression?: CompressionName | (typeof CompressionTypes)[keyof typeof CompressionTypes]
}

export interface ProducerRecordBatch extends TopicMessages, RequestSettings {}

export interface ProducerBatch extends RequestSettings {
  topicMessages: TopicMessages[]
}

/**
 * The producer of `kafka.producer()`: `connect`, then `send` / `sendBatch`
 * resolve with each record's topic, partition, offset (bigint) and timestamp,
 * in the order given. Records of one send either all succeed or the promise
 * rejects with a `ProducerSendError` saying what happened to each.
 */
export class KafkitProducer {
  readonly #client: KafkaClient
  readonly #producer: CoreProducer
  #connected = false
  #disconnected = false

  constructor(client: KafkaClient, options: ProducerOptions = {}) {
    this.#client = client
    this.#producer = new CoreProducer(client, options)
  }

  async connect(): Promise<void> {
    if (this.#disconnected)
      throw new KafkaError('this producer was disconnected: create a new one with kafka.producer()')
    await this.#client.connect()
    this.#connected = true
  }

  send(record: ProducerRecordBatch): Promise<RecordMetadata[]> {
    return this.sendBatch({
      topicMessages: [{ topic: record?.topic, messages: record?.messages }],
      ...settingsOf(record ?? {}),
    })
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (!this.#connected) {
      throw new KafkaError(
        this.#disconnected
          ? 'the producer is disconnected'
          : 'the producer is not connected: await producer.connect() first',
      )
    }
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
        checked.push({ topic: entry.topic, index, message: normalizeMessage(message, `messages[${index}]`) })
      })
    })
    const pending = checked.map(({ topic, message }) =>
      this.#producer.send(
        {
          topic,
          key: message.key,
          value: message.value,
          headers: message.headers,
          partition: message.partition,
          ...(message.timestamp === undefined ? {} : { timestamp: message.timestamp }),
        },
        overrides,
      ),
    )
    const settled = await Promise.allSettled(pending)
    if (settled.every((s) => s.status === 'fulfilled')) {
      return settled.map((s) => (s as PromiseFulfilledResult<RecordMetadata>).value)
    }
    const outcomes: RecordOutcome[] = settled.map((s, i) =>
      s.status === 'fulfilled'
        ? { status: 'fulfilled', value: s.value }
        : { status: 'rejected', topic: checked[i]!.topic, index: checked[i]!.index, reason: asKafkaError(s.reason) },
    )
    throw new ProducerSendError(outcomes)
  }

  /** Sends everything buffered now and waits until it is acknowledged or failed. */
  flush(): Promise<void> {
    return this.#producer.flush()
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

function settingsOf(settings: RequestSettings): RequestSettings {
  const out: RequestSettings = {}
  if (settings.acks !== undefined) out.acks = settings.acks
  if (settings.timeout !== undefined) out.timeout = settings.timeout
  if (settings.compression !== undefined) out.compression = settings.compression
  return out
}

function overridesOf(settings: RequestSettings): SendOverrides {
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
