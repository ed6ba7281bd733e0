import type { KafkaClient } from '@kafkit/client'
import {
  type AutoOffsetReset,
  type ConsumerOptions,
  type ConsumerRebalanceListener,
  Consumer as CoreConsumer,
  resolveConsumerOptions,
  type TopicPartition,
} from '@kafkit/consumer'
import { InvalidMessageError, KafkaError } from '@kafkit/protocol'
import { MessageIterator } from './consumer-iterator.js'
import type { ConsumedMessage, MessageDeserializers } from './consumer-messages.js'
import { type EachBatchHandler, type EachMessageHandler, RunLoop } from './consumer-run.js'

/** Consumer options plus deserializers for keys and values and the rebalance listener. */
export interface KafkitConsumerOptions<K = Buffer | null, V = Buffer | null>
  extends ConsumerOptions,
    MessageDeserializers<K, V> {
  /** Awaited during each rebalance (Java's ConsumerRebalanceListener): onPartitionsAssigned / Revoked / Lost. */
  rebalanceListener?: ConsumerRebalanceListener
}

export interface SubscribeOptions {
  topic?: string | RegExp
  topics?: (string | RegExp)[]
  /** Start from the earliest offset when the group has no committed offset (else autoOffsetReset). */
  fromBeginning?: boolean
}

export interface RunOptions<K, V> {
  eachMessage?: EachMessageHandler<K, V>
  eachBatch?: EachBatchHandler<K, V>
  /** Partitions handled at the same time; messages of one partition are always handled in order. Default 1. */
  partitionsConsumedConcurrently?: number
  /** Must match the consumer's autoCommit option when given (kept for kafkajs code). */
  autoCommit?: boolean
  /** With eachBatch, mark the whole batch processed when the handler resolves. Default true. */
  eachBatchAutoResolve?: boolean
}

export interface TopicPartitions {
  topic: string
  partitions?: number[]
}

/** kafkajs-style offsets: a string or a bigint, always the NEXT offset to read when committing. */
export interface TopicPartitionOffset {
  topic: string
  partition: number
  offset: string | bigint
}

/**
 * The consumer of `kafka.consumer()`, shaped like kafkajs's: connect,
 * subscribe, then run({ eachMessage }) or iterate with `for await`. Offsets are
 * bigints; keys and values are Buffers unless deserializers are given.
 */
export class KafkitConsumer<K = Buffer | null, V = Buffer | null> {
  readonly #client: KafkaClient
  readonly #options: KafkitConsumerOptions<K, V>
  readonly #deserializers: MessageDeserializers<K, V>
  readonly #topics: string[] = []
  readonly #patterns: RegExp[] = []
  readonly #fromBeginning = new Map<string, boolean>()
  readonly #patternsFromBeginning: { pattern: RegExp; fromBeginning: boolean }[] = []
  /** Seeks asked for before their partition was assigned, applied on assignment (kafkajs allows seek before the first fetch). */
  readonly #pendingSeeks = new Map<string, bigint>()
  #core: CoreConsumer | undefined
  #run: RunLoop<K, V> | undefined
  #iterating = false
  #disconnected = false

  constructor(client: KafkaClient, options: KafkitConsumerOptions<K, V> = {}) {
    const { keyDeserializer, valueDeserializer, rebalanceListener, ...rest } = options
    checkDeserializer(keyDeserializer, 'keyDeserializer')
    checkDeserializer(valueDeserializer, 'valueDeserializer')
    this.#client = client
    this.#options = options
    this.#deserializers = { keyDeserializer, valueDeserializer }
    // Validates every option now, naming the one to change.
    resolveConsumerOptions(rest)
  }

  async connect(): Promise<void> {
    if (this.#disconnected)
      throw new KafkaError('this consumer was disconnected: create a new one with kafka.consumer()')
    await this.#client.connect()
  }

  /** Adds topics (names or RegExps) to the subscription; call before run() or iteration. */
  subscribe(subscription: SubscribeOptions): void {
    if (subscription === null || typeof subscription !== 'object') {
      throw new InvalidMessageError('subscribe() needs { topic } or { topics: [...] }')
    }
    const list = [...(subscription.topic === undefined ? [] : [subscription.topic]), ...(subscription.topics ?? [])]
    if (list.length === 0)
      throw new InvalidMessageError('subscribe() needs { topic } or { topics: [...] } with at least one topic')
    if (this.#core?.membership) throw new InvalidMessageError('subscribe() after run(): stop() the consumer first')
    for (const topic of list) {
      if (topic instanceof RegExp) {
        this.#patterns.push(topic)
        this.#patternsFromBeginning.push({ pattern: topic, fromBeginning: subscription.fromBeginning === true })
      } else if (typeof topic === 'string' && topic !== '') {
        if (!this.#topics.includes(topic)) this.#topics.push(topic)
        this.#fromBeginning.set(topic, subscription.fromBeginning === true)
      } else throw new InvalidMessageError(`subscribe() topics must be names or RegExps; got ${String(topic)}`)
    }
  }

  /** Reads these partitions without a group (no rebalancing): [{ topic, partitions: [0, 1] }]. */
  assign(assignment: TopicPartitions[]): void {
    const partitions: TopicPartition[] = []
    for (const { topic, partitions: list } of assignment) {
      if (!Array.isArray(list)) throw new InvalidMessageError(`assign() needs partitions for topic ${topic}`)
      for (const partition of list) partitions.push({ topic, partition })
    }
    this.#consumer().assign(partitions)
  }

  /** Starts consuming in the background with eachMessage or eachBatch; resolves once started. */
  async run(options: RunOptions<K, V>): Promise<void> {
    if (this.#run?.running) throw new InvalidMessageError('run() is already running: stop() it first')
    if (this.#iterating)
      throw new InvalidMessageError('run() while the consumer is iterated with for await: use one or the other')
    const core = this.#consumer(options.autoCommit)
    this.#startSubscription(core)
    this.#run = new RunLoop(core, options, this.#deserializers, this.#client.logger)
    this.#run.start()
  }

  /** Messages one by one: `for await (const message of consumer.messages({ signal }))`; stops when the signal aborts. */
  messages(options: { signal?: AbortSignal } = {}): AsyncIterableIterator<ConsumedMessage<K, V>> {
    if (this.#run?.running)
      throw new InvalidMessageError('iterating a consumer that run() drives: use one or the other')
    if (this.#iterating) throw new InvalidMessageError('the consumer is already being iterated')
    const core = this.#consumer()
    this.#startSubscription(core)
    this.#iterating = true
    return new MessageIterator<K, V>(core, this.#deserializers, {
      signal: options.signal,
      disconnected: () => this.#disconnected,
      ended: () => {
        this.#iterating = false
      },
    })
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ConsumedMessage<K, V>> {
    return this.messages()
  }

  /** Commits offsets (kafkajs semantics: each the NEXT offset to read); without arguments, what was processed. */
  async commitOffsets(offsets?: TopicPartitionOffset[]): Promise<void> {
    await this.#consumer().commitOffsets(
      offsets?.map((o) => ({ topic: o.topic, partition: o.partition, offset: toOffset(o.offset, 'commitOffsets()') })),
    )
  }

  /** The next message of the partition comes from `offset`; before assignment, applied when assigned. */
  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    const next = toOffset(offset, 'seek()')
    const core = this.#consumer()
    if (!core.assignment().some((tp) => tp.topic === topic && tp.partition === partition)) {
      this.#pendingSeeks.set(`${topic}\u0000${partition}`, next)
      return
    }
    this.#run?.seeked(topic, partition)
    core.seek({ topic, partition }, next)
  }

  /** Stops fetching these partitions (all of a topic when `partitions` is absent) until resume(). */
  pause(topics: TopicPartitions[]): void {
    const core = this.#consumer()
    const partitions = this.#expand(topics)
    core.pause(partitions)
    for (const tp of partitions) this.#run?.paused(tp.topic, tp.partition)
  }

  resume(topics: TopicPartitions[]): void {
    this.#consumer().resume(this.#expand(topics))
  }

  paused(): { topic: string; partitions: number[] }[] {
    const byTopic = new Map<string, number[]>()
    for (const { topic, partition } of this.#core?.paused() ?? [])
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }))
  }

  /** Partitions assigned now. */
  assignment(): TopicPartition[] {
    return this.#core?.assignment() ?? []
  }

  /** Stops run(), waiting for the handlers running now; the consumer stays in its group. */
  async stop(): Promise<void> {
    await this.#run?.stop()
  }

  /** Stops, commits processed offsets (autoCommit), leaves the group and closes the connections. Idempotent. */
  async disconnect(): Promise<void> {
    this.#disconnected = true
    await this.#run?.stop()
    try {
      await this.#core?.close()
    } finally {
      await this.#client.close()
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect()
  }

  #expand(topics: TopicPartitions[]): TopicPartition[] {
    if (!Array.isArray(topics)) throw new InvalidMessageError('pause()/resume() take [{ topic, partitions? }]')
    const assigned = this.#core?.assignment() ?? []
    return topics.flatMap(({ topic, partitions }) =>
      partitions === undefined
        ? assigned.filter((tp) => tp.topic === topic)
        : partitions.map((partition) => ({ topic, partition })),
    )
  }

  #startSubscription(core: CoreConsumer): void {
    if (core.membership || core.assignment().length > 0) return
    if (this.#topics.length === 0 && this.#patterns.length === 0) {
      throw new InvalidMessageError('subscribe({ topic }) or assign() before run() or iterating')
    }
    if (this.#patterns.length === 0) {
      core.subscribe(this.#topics)
      return
    }
    const names = this.#topics.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    const sources = [
      ...(names.length > 0 ? [`^(?:${names.join('|')})$`] : []),
      ...this.#patterns.map((p) => `(?:${p.source})`),
    ]
    core.subscribe(new RegExp(sources.join('|')))
  }

  #consumer(autoCommit?: boolean): CoreConsumer {
    if (this.#disconnected)
      throw new KafkaError('this consumer was disconnected: create a new one with kafka.consumer()')
    const configured = this.#options.autoCommit ?? true
    if (autoCommit !== undefined && autoCommit !== configured) {
      throw new InvalidMessageError(
        `run({ autoCommit: ${autoCommit} }) differs from the consumer's autoCommit (${configured}); set autoCommit in kafka.consumer({ ... })`,
      )
    }
    if (this.#core) return this.#core
    const { keyDeserializer: _k, valueDeserializer: _v, rebalanceListener, ...rest } = this.#options
    const listener: ConsumerRebalanceListener = {
      onPartitionsAssigned: async (partitions) => {
        for (const tp of partitions) {
          const key = `${tp.topic}\u0000${tp.partition}`
          const offset = this.#pendingSeeks.get(key)
          if (offset !== undefined) {
            this.#pendingSeeks.delete(key)
            this.#core?.seek(tp, offset)
          }
        }
        await rebalanceListener?.onPartitionsAssigned?.(partitions)
      },
      onPartitionsRevoked: async (partitions) => rebalanceListener?.onPartitionsRevoked?.(partitions),
      onPartitionsLost: async (partitions) => rebalanceListener?.onPartitionsLost?.(partitions),
    }
    const core = new CoreConsumer(this.#client, rest, {
      beforeRevoke: (partitions) => this.#run?.drain(partitions) ?? Promise.resolve(),
      resetPolicyFor: (topic) => this.#resetPolicyFor(topic),
    })
    const subscribe = core.subscribe.bind(core)
    core.subscribe = (topics) => subscribe(topics, listener)
    this.#core = core
    return core
  }

  #resetPolicyFor(topic: string): AutoOffsetReset | undefined {
    const direct = this.#fromBeginning.get(topic)
    if (direct) return 'earliest'
    if (direct === undefined && this.#patternsFromBeginning.some((p) => p.fromBeginning && p.pattern.test(topic))) {
      return 'earliest'
    }
    return undefined
  }
}

function toOffset(offset: string | bigint, call: string): bigint {
  if (typeof offset === 'bigint' && offset >= 0n) return offset
  if (typeof offset === 'string' && /^\d+$/.test(offset)) return BigInt(offset)
  throw new InvalidMessageError(`${call} offset must be a bigint or a string of digits >= 0; got ${String(offset)}`)
}

function checkDeserializer(value: unknown, name: string): void {
  if (value === undefined) return
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { deserialize?: unknown }).deserialize !== 'function'
  ) {
    throw new InvalidMessageError(`${name} must have a deserialize(bytes, context) method, e.g. jsonSerde()`)
  }
}
